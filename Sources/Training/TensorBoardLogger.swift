import RunLog
import Schedules

/// Writes a run's TensorBoard event file with seed 000's tag layout:
///
/// - Batch level (step = global step, every `log_every_n_batches`): `Batch/KL_Loss`, `Batch/Beta` (or
///   `Batch/Global_KL_Weight` and `Batch/Local_KL_Weight`, or `Batch/<Term>_KL_Weight`, or `Batch/Capacity`),
///   `Batch/Total_Loss`, `Batch/Reconstruction_Loss`, `Batch/Learning_Rate`, and every other quantity
///   (`Batch/Temperature`, `Batch/<Term>_Weight`).
/// - Epoch level (step = epoch index): `Beta_Schedule/beta` (or `Beta_Schedule/<term>_kl_weight`) at the
///   epoch's start, as `anneal schedule` prints it, for a weight evaluated per epoch; for one evaluated per step,
///   its mean over the epoch's steps, with `…_start` and `…_end` beside it; `Beta_Schedule/Restart/…` for warm restarts,
///   and the Custom Scalars chart `Beta_Schedule/Hierarchical_Comparison` for several terms.
/// - Other quantities at each epoch's start: `Quantities/temperature`, `Quantities/<term>_weight`; each
///   controller's state: `Controller/<quantity>/<name>`.
/// - Epoch metrics: `Epoch/Train_ELBO`, `Epoch/Validation_ELBO`, `Epoch/Reconstruction_Loss`, `Epoch/KL_Loss`
///   (`Epoch/KL/<term>`), `KL_Per_Dimension/<term>/<d>`, `Epoch/Active_Units/<term>`, `Epoch/Learning_Rate`,
///   `Epoch/Skipped_Steps`.
/// - `logging.disentanglement_every`'s scores on the epochs it scores: `Disentanglement/<name>` (mig, sap,
///   gaussian_total_correlation, mean_mutual_information), `Disentanglement/<block>/<name>` for several blocks.
/// - HParams: the run's hyperparameters at the start; `hparam/…` final metrics and the session end at the end.
public final class TensorBoardLogger: WritingObserver {
    let writer: EventFileWriter
    let configuration: RunConfiguration
    let plan: QuantityPlan
    let stepsPerEpoch: Int
    /// Batch-level tag per quantity, parallel to `plan.quantities` (nil for `lr`, logged as `Batch/Learning_Rate`).
    let batchTags: [String?]
    var lastEpoch: EpochMetrics?
    var bestValidationELBO: Double?

    public init(runDirectory: String, configuration: RunConfiguration, stepsPerEpoch: Int, resuming: Bool) throws(TrainingError) {
        do {
            writer = try EventFileWriter(directory: runDirectory)
        } catch {
            throw TrainingError(error.description)
        }
        self.configuration = configuration
        plan = configuration.quantities
        self.stepsPerEpoch = stepsPerEpoch
        batchTags = plan.quantities.map(Self.batchTag)
        let weights = plan.quantities.filter { $0.role == .klWeight }
        if weights.count > 1 {
            writer.addCustomScalarsLayout([("Beta_Schedule", [("Hierarchical_Comparison", weights.map { "Beta_Schedule/\($0.name)$" })])])
        }
        if !resuming {
            writer.addHParamsStart(Self.hparams(configuration), metrics: ["hparam/validation_elbo", "hparam/best_validation_elbo", "hparam/active_units", "hparam/train_elbo"])
        }
        writer.flush()
        if let failure = writer.failure { throw TrainingError(failure.description) }
    }

    public var path: String { writer.path }
    public var writeFailure: String? { writer.failure?.description }

    /// `Batch/Beta`, `Batch/<Term>_KL_Weight`, `Batch/Capacity`, `Batch/Temperature`, `Batch/<Term>_Weight`.
    static func batchTag(_ quantity: Quantity) -> String? {
        func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
        switch quantity.role {
        case .learningRate: return nil
        case .klWeight: return quantity.term.map { "Batch/\(capitalized($0))_KL_Weight" } ?? "Batch/Beta"
        case .lossWeight: return "Batch/\(capitalized(quantity.term ?? quantity.name))_Weight"
        case .capacity, .temperature, .model: return "Batch/" + capitalized(quantity.name)
        }
    }

    /// The hyperparameters shown in the HParams dashboard.
    static func hparams(_ configuration: RunConfiguration) -> [(name: String, value: TensorBoardEvents.HParamValue)] {
        let plan = configuration.quantities
        let replaced = configuration.klShaping?.replacesKLWeight == true
        var result: [(String, TensorBoardEvents.HParamValue)] = [
            ("beta_scheduler_type", .string(replaced ? configuration.klShaping!.shaping.key : configuration.schedules.beta.typeName)),
            ("beta_schedule", .string(replaced ? configuration.klShaping!.shaping.summary : configuration.schedules.beta.summary)),
            ("model", .string(configuration.model.specification.typeName)),
            ("likelihood", .string(configuration.model.likelihood.name)),
            ("latent_dims", .string(configuration.model.specification.latentSummary)),
            ("learning_rate", .number(plan["lr"]?.schedule.value(at: .epoch(0)) ?? LearningRate.defaultBase)),
            ("lr_scheduler", .string(plan["lr"]?.summary ?? "constant")),
            ("batch_size", .number(Double(configuration.training.batchSize))),
            ("num_epochs", .number(Double(configuration.training.numEpochs))),
            ("seed", .number(Double(configuration.training.seed))),
            ("beta_granularity", .string(configuration.schedules.betaGranularity.rawValue)),
        ]
        // The β schedule's own numeric parameters, one hyperparameter each (beta.cycle_length, beta.global.max_beta, …).
        if !replaced {
            for term in configuration.schedules.beta.terms {
                let prefix = configuration.schedules.beta.layout == .single ? "beta" : "beta.\(term.name)"
                for member in term.schedule.parametersJSON.members ?? [] {
                    if case .number(let value, _) = member.value.kind { result.append(("\(prefix).\(member.key)", .number(value))) }
                    if case .string(let value) = member.value.kind { result.append(("\(prefix).\(member.key)", .string(value))) }
                }
            }
        }
        for quantity in plan.quantities where quantity.controller != nil {
            result.append(("controller.\(quantity.name)", .string(quantity.controller!.summary)))
        }
        return result
    }

    public func stepFinished(_ step: StepMetrics) {
        guard (step.globalStep - 1) % configuration.logging.logEveryNBatches == 0 else { return }
        var scalars: [(tag: String, value: Double)] = [
            ("Batch/KL_Loss", step.totalKL), ("Batch/Total_Loss", step.loss),
            ("Batch/Reconstruction_Loss", step.reconstruction), ("Batch/Learning_Rate", step.learningRate),
        ]
        for (index, tag) in batchTags.enumerated() {
            if let tag, index < step.quantities.count { scalars.append((tag, step.quantities[index])) }
        }
        writer.addScalars(scalars, step: step.globalStep - 1)
    }

    public func epochFinished(_ metrics: EpochMetrics) {
        var scalars: [(tag: String, value: Double)] = []
        // A weight evaluated per step is logged at its epoch mean (its start and end beside it); per epoch, its value.
        let stepWeights = Dictionary(metrics.betaEnd.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let means = Dictionary(metrics.quantityMeans.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        for (name, value) in metrics.beta {
            if let end = stepWeights[name], let mean = means[name] {
                scalars += [("Beta_Schedule/\(name)", mean), ("Beta_Schedule/\(name)_start", value), ("Beta_Schedule/\(name)_end", end)]
            } else {
                scalars.append(("Beta_Schedule/\(name)", value))
            }
        }
        for (index, columns) in ScheduleTable.restartColumns(of: plan.quantities) {
            let quantity = plan.quantities[index]
            let info = quantity.schedule.restartInfo(at: .epoch(metrics.epoch, stepsPerEpoch: stepsPerEpoch))!
            for (column, value) in zip(columns, info.columnValues) {
                if let value { scalars.append(("Beta_Schedule/Restart/" + column, value)) }
            }
        }
        for (name, value) in metrics.quantities where plan[name].map({ $0.role == .temperature || $0.role == .lossWeight || $0.role == .model }) ?? false {
            scalars.append(("Quantities/\(name)", value))
        }
        for (quantity, state) in metrics.controllers {
            for entry in state.entries { scalars.append(("Controller/\(quantity)/\(entry.name)", entry.value)) }
        }
        if let coverage = metrics.coverage { scalars.append(("Epoch/Coverage", coverage)) }
        if let radius = metrics.radiusMean { scalars.append(("Epoch/Radius_Mean", radius)) }
        if let correlation = metrics.radialCorrelation { scalars.append(("Epoch/Radial_Correlation", correlation)) }
        for (name, value) in metrics.gradientBalancing { scalars.append(("Gradient_Balancing/\(name)", value)) }
        scalars += [("Epoch/Train_ELBO", metrics.trainingELBO), ("Epoch/Reconstruction_Loss", metrics.reconstruction),
                    ("Epoch/Learning_Rate", metrics.learningRate), ("Epoch/Skipped_Steps", Double(metrics.skippedSteps)), ("Epoch/Loss", metrics.loss)]
        if metrics.kl.count == 1 {
            scalars.append(("Epoch/KL_Loss", metrics.kl[0].value))
        } else {
            for (name, value) in metrics.kl { scalars.append(("Epoch/KL/\(name)", value)) }
        }
        for (name, value) in metrics.penalties { scalars.append(("Epoch/Penalty/\(name)", value)) }
        for (name, value) in metrics.measurements { scalars.append(("Epoch/Measurement/\(name)", value)) }
        for (name, values) in metrics.klPerDimension {
            for (dimension, value) in values.enumerated() { scalars.append(("KL_Per_Dimension/\(name)/\(dimension)", value)) }
        }
        if let elbo = metrics.validationELBO {
            scalars.append(("Epoch/Validation_ELBO", elbo))
            bestValidationELBO = max(bestValidationELBO ?? elbo, elbo)
        }
        for (name, value) in metrics.mutualInformation {
            scalars.append((metrics.kl.count == 1 ? "Epoch/Mutual_Information" : "Epoch/Mutual_Information/\(name)", value))
        }
        for (name, value) in metrics.activeUnits {
            scalars.append((metrics.activeUnits.count == 1 ? "Epoch/Active_Units" : "Epoch/Active_Units/\(name)", Double(value)))
        }
        for (block, figures) in metrics.disentanglement {
            for (name, value) in figures {
                if let value { scalars.append((metrics.disentanglement.count == 1 ? "Disentanglement/\(name)" : "Disentanglement/\(block)/\(name)", value)) }
            }
        }
        writer.addScalars(scalars, step: metrics.epoch)
        writer.flush()
        lastEpoch = metrics
    }

    /// A checkpoint inside an epoch is where a killed run resumes: the steps logged before it are flushed, so the
    /// resumed run's file continues where this one's records end.
    public func checkpointSaved(path: String, reason: String) {
        writer.flush()
    }

    public func trainingFinished(completed: Bool) {
        if let last = lastEpoch {
            var final: [(tag: String, value: Double)] = [("hparam/train_elbo", last.trainingELBO)]
            if let elbo = last.validationELBO { final.append(("hparam/validation_elbo", elbo)) }
            if let best = bestValidationELBO { final.append(("hparam/best_validation_elbo", best)) }
            final.append(("hparam/active_units", Double(last.activeUnits.reduce(0) { $0 + $1.value })))
            writer.addScalars(final, step: last.epoch)
            if completed { writer.addHParamsEnd(success: true, step: last.epoch) }
        }
        writer.flush()
    }
}
