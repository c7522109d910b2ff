import RunLog
import Schedules

/// Writes a run's TensorBoard event file with seed 000's tag layout:
///
/// - Batch level (step = global step, every `log_every_n_batches`): `Batch/KL_Loss`, `Batch/Beta` (or
///   `Batch/Global_KL_Weight` and `Batch/Local_KL_Weight`, or `Batch/<Term>_KL_Weight`), `Batch/Total_Loss`,
///   `Batch/Reconstruction_Loss`, `Batch/Learning_Rate`.
/// - Epoch level (step = epoch index, values at the epoch's start, as `anneal schedule` prints them):
///   `Beta_Schedule/beta` (or `Beta_Schedule/<term>_kl_weight`), `Beta_Schedule/Restart/…` for warm restarts,
///   and the Custom Scalars chart `Beta_Schedule/Hierarchical_Comparison` for several terms.
/// - Epoch metrics: `Epoch/Train_ELBO`, `Epoch/Validation_ELBO`, `Epoch/Reconstruction_Loss`, `Epoch/KL_Loss`
///   (`Epoch/KL/<term>`), `KL_Per_Dimension/<term>/<d>`, `Epoch/Active_Units/<term>`, `Epoch/Learning_Rate`,
///   `Epoch/Skipped_Steps`.
/// - HParams: the run's hyperparameters at the start; `hparam/…` final metrics and the session end at the end.
public final class TensorBoardLogger: TrainingObserver {
    let writer: EventFileWriter
    let configuration: RunConfiguration
    let termNames: [String]
    let stepsPerEpoch: Int
    var lastEpoch: EpochMetrics?
    var bestValidationELBO: Double?

    public init(runDirectory: String, configuration: RunConfiguration, termNames: [String], stepsPerEpoch: Int, resuming: Bool) throws(TrainingError) {
        do {
            writer = try EventFileWriter(directory: runDirectory)
        } catch {
            throw TrainingError(error.description)
        }
        self.configuration = configuration
        self.termNames = termNames
        self.stepsPerEpoch = stepsPerEpoch
        if termNames.count > 1 && configuration.schedules.beta.layout != .single {
            writer.addCustomScalarsLayout([("Beta_Schedule", [("Hierarchical_Comparison", termNames.map { "Beta_Schedule/\($0)_kl_weight$" })])])
        }
        if !resuming {
            writer.addHParamsStart(Self.hparams(configuration), metrics: ["hparam/validation_elbo", "hparam/best_validation_elbo", "hparam/active_units", "hparam/train_elbo"])
        }
        writer.flush()
    }

    public var path: String { writer.path }

    /// The hyperparameters shown in the HParams dashboard.
    static func hparams(_ configuration: RunConfiguration) -> [(name: String, value: TensorBoardEvents.HParamValue)] {
        var result: [(String, TensorBoardEvents.HParamValue)] = [
            ("beta_scheduler_type", .string(configuration.schedules.beta.typeName)),
            ("beta_schedule", .string(configuration.schedules.beta.summary)),
            ("model", .string(configuration.model.kind.rawValue)),
            ("likelihood", .string(configuration.model.likelihood.name)),
            ("latent_dims", .string(configuration.model.latentSizes.map(String.init).joined(separator: "+"))),
            ("learning_rate", .number(configuration.schedules.learningRate?.baseLearningRate ?? 1e-3)),
            ("lr_scheduler", .string(configuration.schedules.learningRate?.summary ?? "constant")),
            ("batch_size", .number(Double(configuration.training.batchSize))),
            ("num_epochs", .number(Double(configuration.training.numEpochs))),
            ("seed", .number(Double(configuration.training.seed))),
            ("beta_granularity", .string(configuration.training.betaGranularity.rawValue)),
        ]
        // The β schedule's own numeric parameters, one hyperparameter each (beta.cycle_length, beta.global.max_beta, …).
        for term in configuration.schedules.beta.terms {
            let prefix = configuration.schedules.beta.layout == .single ? "beta" : "beta.\(term.name)"
            for member in term.schedule.parametersJSON.members ?? [] {
                if case .number(let value, _) = member.value.kind { result.append(("\(prefix).\(member.key)", .number(value))) }
                if case .string(let value) = member.value.kind { result.append(("\(prefix).\(member.key)", .string(value))) }
            }
        }
        return result
    }

    func weightTag(_ index: Int) -> String {
        if configuration.schedules.beta.layout == .single { return "Batch/Beta" }
        let name = termNames[index]
        return "Batch/" + name.prefix(1).uppercased() + name.dropFirst() + "_KL_Weight"
    }

    public func stepFinished(_ step: StepMetrics) {
        guard (step.globalStep - 1) % configuration.logging.logEveryNBatches == 0 else { return }
        var scalars: [(tag: String, value: Double)] = [
            ("Batch/KL_Loss", step.totalKL), ("Batch/Total_Loss", step.loss),
            ("Batch/Reconstruction_Loss", step.reconstruction), ("Batch/Learning_Rate", step.learningRate),
        ]
        if configuration.schedules.beta.layout == .single {
            scalars.append(("Batch/Beta", step.weights.first ?? 0))
        } else {
            for index in step.weights.indices { scalars.append((weightTag(index), step.weights[index])) }
        }
        writer.addScalars(scalars, step: step.globalStep - 1)
    }

    public func epochFinished(_ metrics: EpochMetrics) {
        var scalars: [(tag: String, value: Double)] = []
        for (name, value) in metrics.beta { scalars.append(("Beta_Schedule/\(name)", value)) }
        let beta = configuration.schedules.beta
        for (term, columns) in ScheduleTable.restartColumns(of: beta) {
            let info = beta.terms[term].schedule.restartInfo(at: .epoch(metrics.epoch, stepsPerEpoch: stepsPerEpoch))!
            let values: [Double?] = [Double(info.lastRestartEpoch), info.epochsSinceRestart, info.nextRestartEpoch.map(Double.init), info.isRestartEpoch ? 1 : 0]
            for (column, value) in zip(columns, values) {
                if let value { scalars.append(("Beta_Schedule/Restart/" + column, value)) }
            }
        }
        scalars += [("Epoch/Train_ELBO", metrics.trainingELBO), ("Epoch/Reconstruction_Loss", metrics.reconstruction),
                    ("Epoch/Learning_Rate", metrics.learningRate), ("Epoch/Skipped_Steps", Double(metrics.skippedSteps)), ("Epoch/Loss", metrics.loss)]
        if metrics.kl.count == 1 {
            scalars.append(("Epoch/KL_Loss", metrics.kl[0].value))
        } else {
            for (name, value) in metrics.kl { scalars.append(("Epoch/KL/\(name)", value)) }
        }
        for (name, values) in metrics.klPerDimension {
            for (dimension, value) in values.enumerated() { scalars.append(("KL_Per_Dimension/\(name)/\(dimension)", value)) }
        }
        if let elbo = metrics.validationELBO {
            scalars.append(("Epoch/Validation_ELBO", elbo))
            bestValidationELBO = max(bestValidationELBO ?? elbo, elbo)
        }
        for (name, value) in metrics.activeUnits {
            scalars.append((metrics.activeUnits.count == 1 ? "Epoch/Active_Units" : "Epoch/Active_Units/\(name)", Double(value)))
        }
        writer.addScalars(scalars, step: metrics.epoch)
        writer.flush()
        lastEpoch = metrics
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
