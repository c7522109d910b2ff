import Data
import Dispatch
import Evaluation
import Foundation
import JSONConfig
import Layers
import Models
import RunLog
import Schedules
import Tensors

/// The training loop. It owns the clock: each step it reads every quantity (schedules and controllers),
/// records the model's forward pass, builds the objective, steps the optimiser (skipping and counting steps
/// with non-finite gradients), feeds the step's measurements back to the controllers, and tells its
/// observers. Every random draw comes from one generator in the training state, and validation draws from a
/// generator derived from (seed, epoch), so a resumed run computes exactly the numbers of the uninterrupted
/// one.
///
/// The step, in full (`step(_:progress:sums:)`):
///
///     plan.values(at: progress, controllers: controllerStates, into: &values)
///     optimizer.learningRate = values[lr]
///     graph.reset()
///     let output = model.forward(batches.batch(indices, in: graph), context: ForwardContext(temperature: values[temperature]),
///                                noise: &state.generator, in: graph)
///     let loss = objective.loss(output, values: values, in: graph)
///     graph.backward(loss)
///     let outcome = optimizer.step(clippingNorm: clip)
///     record(outcome, output, loss, &sums)                  // sums, observation
///     plan.update(&controllerStates, observation: observation, at: progress)
public final class Trainer {
    public let configuration: RunConfiguration
    public let dataset: Dataset
    public let split: DataSplit
    public let model: any LatentVariableModel<Float>
    public let optimizer: Optimizer<Float>
    public let plan: QuantityPlan
    public let objective: Objective
    /// The run folder whose `checkpoints/` receive checkpoints; nil keeps none (benchmarks, tests).
    public let runDirectory: String?
    public private(set) var state: TrainingState
    public private(set) var lastMetrics: EpochMetrics?
    /// Seconds spent so far in the epochs' end-of-epoch evaluation (validation ELBO, active units and mutual
    /// information when there is a validation split, and the coverage and radius pass), which a training step
    /// does not include: `anneal bench` reports the steps alone beside the whole, since the PyTorch and JAX
    /// references evaluate nothing.
    public private(set) var epochEndSeconds = 0.0
    private var cachedGeometryExamples: (indices: [Int], difficultyRanks: [Double]?)?
    /// The most training examples `inputBlindReconstruction` reads.
    public static let baselineExamples = 65_536
    /// Why `logging.disentanglement_every`'s scores stopped (they are not tried again); nil while they work.
    public private(set) var disentanglementFailure: String?
    /// Controllers' states, parallel to `plan.quantities` (nil for scheduled quantities).
    public private(set) var controllerStates: [ControllerState?]

    let graph = Graph<Float>()
    let batches: BatchAssembler
    let terms: [LossTermDescription]
    let reconstructionIndex: Int
    let klTermIndices: [Int]
    let penaltyIndices: [Int]
    let measurementNames: [String]
    let learningRateIndex: Int?
    let temperatureIndex: Int?
    /// The plan index of each of the model's own quantities (nil: its default), and their values for a step.
    let modelQuantityIndices: [Int?]
    var modelQuantityValues: [Double]
    let modelQuantityDefaults: [Double]
    /// The quantities reported as the epoch's KL weights: the KL weights, or capacity.
    let reportedWeightIndices: [Int]
    var values: [Double] = []
    var observation: Observation
    var termMeans: [Double]

    /// The outcome of `run`.
    public enum Outcome: Equatable, Sendable {
        case completed
        /// Stopped on request (Ctrl-C, SIGTERM, SIGHUP) after saving a checkpoint at the current step.
        case interrupted
        /// Stopped because training went non-finite; the reason says where and what can be resumed.
        case diverged(reason: String)
        /// Stopped by `training.early_stopping`; the reason says which metric stalled.
        case stoppedEarly(reason: String)

        /// The word `summary.json` uses: `completed`, `interrupted`, `diverged`, `stopped_early`.
        public var status: String {
            switch self {
            case .completed: return "completed"
            case .interrupted: return "interrupted"
            case .diverged: return "diverged"
            case .stoppedEarly: return "stopped_early"
            }
        }
    }

    /// Records a change made to the run after it started (see `TrainingState.changes`).
    public func recordChange(_ change: String) {
        state.changes.append("before epoch \(state.position?.epoch ?? state.epoch), step \(state.globalStep): \(change)")
    }

    /// Sets the data fingerprint of a new run.
    public func setDataFingerprint(_ fingerprint: String) {
        state.dataFingerprint = fingerprint
        state.dataDescription = DataDescription(dataset)
    }

    /// BLAS and optimiser threads, recorded in the training state.
    public var threads = 1 {
        didSet { optimizer.threads = threads }
    }

    /// Gradient balancing: the term indices of each group, and of the terms in no group.
    var balancingGroups: [[Int]] = []
    var balancingRest: [Int] = []

    /// The memory a run needs, refused before anything is allocated when over `MemoryBudget`'s limit: the
    /// parameters of each network (fully connected between the input, plus the one-hot label when conditioned,
    /// the hidden sizes and the latent), 16 bytes each for values, gradients and the optimiser's two moments;
    /// a step's activations, about 6 floats per unit of every layer per example of a batch (values, gradients
    /// and the fused operations' buffers); and the end-of-epoch evaluation, which keeps every example's
    /// posterior means, log-variances and samples in doubles (4 × 8 bytes per example and latent dimension).
    /// So `latent_dim` 10⁹, or 10⁵ on 20,000 examples, is an error with the size, not a crash or a swap.
    static func sizeProblem(_ plans: [(prefix: String, plan: NetworkPlan)], latent: Int, batchSize: Int, examples: Int) -> String? {
        let parameters = plans.reduce(0) { $0 + $1.plan.parameterCount }
        let parameterBytes = 16 * parameters
        // Each layer's output and gradient (2 of the 6 floats), the fused operations' buffers and the optimiser's
        // reads of them: 3 × the plan's count, as 6 floats per unit were for MLPs.
        let activationBytes = 3 * 4 * Double(batchSize) * plans.reduce(0) { $0 + $1.plan.activationValuesPerExample }
        let evaluationBytes = 4 * 8 * Double(examples) * Double(latent)
        let bytes = parameterBytes + activationBytes + evaluationBytes
        guard let problem = MemoryBudget.problem(bytes: bytes, what: "the model") else { return nil }
        return "the model is too large for this machine: \(problem) (about \(String(format: "%.3g", parameters)) parameters: \(MemoryBudget.size(parameterBytes)) for values, gradients and the optimiser's state; \(MemoryBudget.size(activationBytes)) for a batch's activations; \(MemoryBudget.size(evaluationBytes)) to evaluate \(examples) examples' \(latent)-dimensional codes); reduce the networks (model.hidden_sizes, model.encoder) or latent_dim"
    }

    /// Advice when the data's values are large for a Gaussian or MSE likelihood and nothing scales them: the
    /// reconstruction term then starts in the millions and training diverges within steps.
    public var scaleNote: String? {
        guard dataset.kind == .continuous, dataset.standardization == nil, dataScale > 100,
              configuration.model.likelihood != .bernoulli else { return nil }
        return "the data's values reach \(String(format: "%.4g", Double(dataScale))): a Gaussian likelihood on values this large starts with a huge reconstruction term and usually diverges; set data.standardize: true (or data.scale)"
    }

    /// A warning when there is too little data to judge the run: fewer training examples than a batch holds
    /// (every step sees them all), or no validation example (no validation ELBO, and best.ckpt follows the
    /// training loss), or so few that the one-sample validation ELBO is noise.
    public var sizeNote: String? {
        let training = split.training.count, validation = split.validation.count
        var problems: [String] = []
        if training < configuration.training.batchSize { problems.append("only \(training) training example\(training == 1 ? "" : "s"), fewer than one batch of \(configuration.training.batchSize)") }
        if validation == 0 {
            problems.append("no validation example, so there is no validation ELBO to choose best.ckpt or stop early by")
        } else if validation < 30 {
            problems.append("only \(validation) validation example\(validation == 1 ? "" : "s"): the validation ELBO (one posterior sample each) is noisy, and so is the choice of best.ckpt")
        }
        return problems.isEmpty ? nil : "small data: " + problems.joined(separator: "; ")
    }

    /// The data's largest |value|, for the divergence message.
    let dataScale: Float
    /// The line saying which likelihood the data chose, when the config left it to the data.
    public let likelihoodNote: String?
    /// The line saying the default β was fitted to a short run, when it was.
    public let betaNote: String?
    /// The line saying which networks the data chose, when the config left them to it.
    public let architectureNote: String?
    /// The model's networks as planned for the data (`NetworkPlan`), named by their parameter prefixes.
    public private(set) var networkPlans: [(prefix: String, plan: NetworkPlan)] = []

    public init(configuration: RunConfiguration, dataset: Dataset, runDirectory: String?) throws(TrainingError) {
        var configuration = configuration
        likelihoodNote = configuration.chooseLikelihood(for: dataset)
        let where_ = configuration.file.map { $0 + ": " } ?? ""
        do {
            let (resolved, note) = try configuration.model.resolvingArchitecture(for: dataset.layout)
            configuration.model = resolved
            architectureNote = note
        } catch {
            throw TrainingError(where_ + error.description)
        }
        self.dataset = dataset
        self.runDirectory = runDirectory
        let specification = configuration.model.specification
        if specification.needsLabels && dataset.labels == nil {
            throw TrainingError("model.type \(specification.typeName) conditions on class labels, but the \(dataset.name) data has none (give data.labels_path, or label_column for CSV)")
        }
        if case .bernoulli = configuration.model.likelihood, !dataset.isInUnitInterval {
            throw TrainingError("the bernoulli likelihood needs data in [0, 1], but \(dataset.name) has values outside it\(dataset.standardization == nil ? "" : " once standardised (data.standardize)"); use likelihood \"gaussian\" or \"mse\"")
        }
        if let problem = configuration.sampler.requirement(for: dataset) {
            throw TrainingError("\(configuration.file.map { "\($0): " } ?? "")training.sampler: \(problem)")
        }
        // The radial loss pulls each code towards its example's difficulty: without difficulties it would be
        // silently 0, so a run that weighs it must have them.
        if dataset.difficulty == nil, let radial = configuration.quantities["radial_weight"],
           radial.controller != nil || (0...configuration.training.numEpochs).contains(where: { radial.schedule.value(at: .epoch($0)) != 0 }) {
            throw TrainingError("radial_weight is set, but the radial loss needs a difficulty per example and the \(dataset.name) data has none (give data.difficulty_path, a file of one number per example)")
        }
        do {
            split = try configuration.split(dataset)
        } catch {
            throw TrainingError(error.description)
        }
        // The default β fitted to the run's steps (config.json then records the cycles the run uses).
        if let (fitted, line) = configuration.fittingDefaultBeta(stepsPerEpoch: (split.training.count + configuration.training.batchSize - 1) / configuration.training.batchSize) {
            configuration = fitted
            betaNote = line
        } else {
            betaNote = nil
        }
        self.configuration = configuration
        var generator = RandomGenerator(seed: configuration.training.seed)
        do {
            let shape = try configuration.model.shape(layout: dataset.layout, classCount: dataset.classCount, categoryGroupSize: dataset.categoryGroupSize)
            let plans = try specification.plans(shape)
            if let problem = Self.sizeProblem(plans, latent: specification.klTerms.reduce(0) { $0 + $1.size }, batchSize: configuration.training.batchSize, examples: dataset.count) {
                throw TrainingError(problem)
            }
            model = try specification.build(shape, generator: &generator) as any LatentVariableModel<Float>
            networkPlans = plans
        } catch let error as TrainingError {
            throw error
        } catch let error as ModelArchitecture.Problem {
            throw TrainingError(where_ + error.description)
        } catch let error as LayerShapeError {
            throw TrainingError(where_ + error.description)
        } catch {
            throw TrainingError("\(error)")
        }
        state = TrainingState(generator: generator)
        plan = configuration.quantities
        controllerStates = plan.initialControllerStates()
        objective = try Objective(terms: model.terms, plan: plan, klShaping: configuration.klShaping)
        let terms = model.terms
        self.terms = terms
        reconstructionIndex = terms.firstIndex { $0.role == .reconstruction }!
        let klTermIndices = terms.indices.filter { terms[$0].role == .kl }
        let penaltyIndices = terms.indices.filter { terms[$0].role == .penalty }
        self.klTermIndices = klTermIndices
        self.penaltyIndices = penaltyIndices
        measurementNames = model.measurementNames
        let plan = self.plan
        learningRateIndex = plan.index(of: "lr")
        temperatureIndex = plan.index(of: "temperature")
        let modelQuantities = configuration.model.specification.quantities
        modelQuantityIndices = modelQuantities.map { plan.index(of: $0.name) }
        modelQuantityDefaults = modelQuantities.map(\.defaultValue)
        modelQuantityValues = modelQuantityDefaults
        reportedWeightIndices = plan.quantities.indices.filter { plan.quantities[$0].role == .klWeight || plan.quantities[$0].role == .capacity }
        batches = BatchAssembler(dataset: dataset, conditioned: specification.needsLabels)
        observation = Observation(names: ["loss", "reconstruction", "kl"] + klTermIndices.map { "kl." + terms[$0].name }
                                  + penaltyIndices.map { terms[$0].name } + model.measurementNames)
        termMeans = [Double](repeating: 0, count: terms.count)
        dataScale = dataset.maximumMagnitude
        let initialRate = learningRateIndex.map { plan.values(at: .epoch(0))[$0] } ?? LearningRate.defaultBase
        optimizer = Optimizer(parameters: model.parameters, configuration: configuration.training.optimizer, learningRate: initialRate)
        if let balancing = configuration.gradientBalancing {
            let groups = balancing.groups.map { group in group.terms.compactMap { name in terms.firstIndex { $0.name == name } } }
            balancingGroups = groups
            balancingRest = terms.indices.filter { index in !groups.contains { $0.contains(index) } }
        }
    }

    /// Steps an epoch: one pass over the training examples, or `training.steps_per_epoch` when fewer.
    public var stepsPerEpoch: Int {
        let pass = (split.training.count + configuration.training.batchSize - 1) / configuration.training.batchSize
        return configuration.training.stepsPerEpoch.map { min($0, pass) } ?? pass
    }
    public var parameterCount: Int { model.parameterCount }
    public var epoch: Int { state.epoch }
    public var globalStep: Int { state.globalStep }
    public var bestValidationELBO: Double? { state.bestValidationELBO }
    public var bestEpoch: Int? { state.bestEpoch }
    public var firstValidationELBO: Double? { state.firstValidationELBO }
    /// The reconstruction term, in nats per example, of the best model that ignores its input: each feature
    /// predicted by its own mean over the training examples (Bernoulli: Σ_j H(p̄_j), at most D·ln 2; categorical:
    /// the entropy of each group's class frequencies, at most G·ln K; a Gaussian: Σ_j ½·ln(2πe·σ_j²), σ_j floored
    /// at 10⁻³ of the data's scale; squared error: Σ_j σ_j²). A trained model that scores far worse than this has
    /// not learned: its result is nonsense (`TrainingSummary.problems`). Nil when there are no examples. Over at
    /// most `baselineExamples` training examples, evenly spaced through the split (all 729,907 of dsprites took
    /// 5 s at the end of every run; a threshold for nonsense needs no more).
    public lazy var inputBlindReconstruction: Double? = {
        let training = split.training.isEmpty ? Array(0..<dataset.count) : split.training
        let rows = training.count <= Self.baselineExamples ? training
            : (0..<Self.baselineExamples).map { training[$0 * training.count / Self.baselineExamples] }
        guard !rows.isEmpty, dataset.featureCount > 0 else { return nil }
        let width = dataset.featureCount
        if case .categorical(let groups, let groupSize) = dataset.kind, let categories = dataset.categories {
            var total = 0.0
            for group in 0..<groups {
                var counts = [Double](repeating: 0, count: groupSize)
                for row in rows { counts[Int(categories[row * groups + group])] += 1 }
                total -= counts.reduce(0) { $1 > 0 ? $0 + $1 / Double(rows.count) * Foundation.log($1 / Double(rows.count)) : $0 }
            }
            return total
        }
        var mean = [Double](repeating: 0, count: width), square = [Double](repeating: 0, count: width)
        // A block of rows at a time (images drawn on demand are drawn once); the sums in row order as ever.
        dataset.storage.forEachBlock(of: rows, width: width) { values, count in
            for offset in 0..<count {
                for j in 0..<width {
                    let x = Double(values[offset * width + j])
                    mean[j] += x
                    square[j] += x * x
                }
            }
            return true
        }
        let n = Double(rows.count)
        var total = 0.0
        let scale = max(1e-12, Double(dataset.maximumMagnitude))
        for j in 0..<width {
            let m = mean[j] / n, variance = max(0, square[j] / n - m * m)
            switch configuration.model.likelihood {
            case .bernoulli:
                let p = min(max(m, 1e-7), 1 - 1e-7)
                total -= p * Foundation.log(p) + (1 - p) * Foundation.log(1 - p)
            case .gaussian:
                total += 0.5 * Foundation.log(2 * Double.pi * M_E * max(variance, 1e-6 * scale * scale))
            case .squaredError:
                total += variance
            case .categorical:
                break
            }
        }
        return total
    }()

    /// Whether the run has trained all its epochs (a resumed run with nothing left to do).
    public var hasFinished: Bool { state.epoch >= configuration.training.numEpochs && state.position == nil }

    /// The KL terms' names, in order.
    public var klTermNames: [String] { klTermIndices.map { terms[$0].name } }
    /// Real allocations made by the step's graph so far (constant once every buffer exists: 0 per step).
    public var graphAllocations: Int { graph.allocations }
    /// Latent sizes of the KL terms.
    public var latentSizes: [Int] { configuration.model.specification.klTerms.map(\.size) }

    /// Zero sums for one epoch.
    func emptySums() -> EpochSums {
        EpochSums(terms: terms.map { ($0.role.rawValue, $0.columns) }, measurements: measurementNames.count, quantities: plan.count)
    }

    // MARK: The loop

    /// Trains from the current state to `numEpochs`. `shouldStop` is polled after every step; when it says
    /// yes, a checkpoint of the exact position is saved and the run returns `.interrupted`.
    public func run(observers: [TrainingObserver], shouldStop: () -> Bool = { false }) throws(TrainingError) -> Outcome {
        sessionStarted = DispatchTime.now().uptimeNanoseconds
        elapsedBefore = state.elapsedSeconds
        state.sessions += 1
        state.threads = threads
        defer { updateElapsed() }
        let outcome: Outcome
        do {
            outcome = try loop(observers: observers, shouldStop: shouldStop)
            for observer in observers { observer.trainingFinished(completed: outcome == .completed) }
        } catch {
            for observer in observers { observer.trainingFinished(completed: false) }
            throw error
        }
        try Self.checkWrites(observers)
        return outcome
    }

    var sessionStarted: UInt64 = 0
    var elapsedBefore = 0.0

    /// Training time over every session so far.
    public var elapsedSeconds: Double { state.elapsedSeconds }

    func updateElapsed() {
        guard sessionStarted > 0 else { return }
        state.elapsedSeconds = elapsedBefore + Double(DispatchTime.now().uptimeNanoseconds - sessionStarted) / 1e9
    }

    /// Why training went non-finite, with the likely cause when the data's scale is large.
    func divergenceReason(_ what: String) -> String {
        var reason = "training diverged: \(what) (epoch \(state.epoch), step \(state.globalStep))"
        if dataScale > 100, configuration.model.likelihood != .bernoulli, configuration.model.likelihood != .categorical {
            reason += "; the data's values reach \(String(format: "%.4g", Double(dataScale))), so the reconstruction term starts huge: standardise the data (data.standardize: true) or scale it (data.scale: \"max\" divides by the largest |value|, or give a number to divide by); a lower learning rate or clipping does not fix this"
        } else {
            if let clip = configuration.training.gradientClipNorm {
                reason += "; lower the learning rate (training.learning_rate); gradients are already clipped at norm \(String(format: "%g", clip)) (training.grad_clip_norm), so a smaller norm helps only if the blow-up builds over steps"
            } else {
                reason += "; lower the learning rate (training.learning_rate) or clip gradients (training.grad_clip_norm, e.g. 1)"
            }
        }
        return reason
    }

    /// Whether every parameter and optimiser value is finite (a checkpoint is written only from such a state).
    public var stateIsFinite: Bool {
        model.parameters.allSatisfy { parameter in
            let tensor = parameter.tensor
            return Float.sumOfSquares(tensor.value.pointer, tensor.count).isFinite
        }
    }

    private func loop(observers: [TrainingObserver], shouldStop: () -> Bool) throws(TrainingError) -> Outcome {
        let total = configuration.training.numEpochs
        let batchSize = configuration.training.batchSize
        let stepsPerEpoch = self.stepsPerEpoch
        for observer in observers { observer.trainingStarted(totalEpochs: total, stepsPerEpoch: stepsPerEpoch, startEpoch: state.position?.epoch ?? state.epoch) }
        if let runDirectory { try createDirectory(runDirectory + "/checkpoints") }
        // Checkpoints inside an epoch: once `checkpoint_every_minutes` have passed since the last checkpoint (or
        // the session's start), at the exact step, as a stop saves it.
        let checkpointInterval = runDirectory == nil ? nil : configuration.training.checkpointEveryMinutes.map { UInt64(($0 * 60e9).rounded()) }
        lastCheckpointTime = DispatchTime.now().uptimeNanoseconds

        while state.epoch < total {
            let started = DispatchTime.now().uptimeNanoseconds
            var order: [Int]
            var batch: Int
            var sums: EpochSums
            var startValues: [Double]
            // The generator the epoch's order is drawn from, saved in mid-epoch checkpoints instead of the order.
            var orderGenerator: RandomGenerator?
            if let position = state.position {
                if var generator = position.orderGenerator {
                    orderGenerator = generator
                    order = configuration.sampler.order(epoch: state.epoch, training: split.training, dataset: dataset, generator: &generator)
                } else {
                    order = position.order
                }
                batch = position.nextBatch
                sums = position.sums
                let saved = position.reordered(for: plan.names)
                sums.quantitySums = saved.quantitySums  // empty when they cannot be matched: no means for this epoch
                startValues = saved.startValues ?? plan.values(at: .epoch(state.epoch, stepsPerEpoch: stepsPerEpoch), controllers: controllerStates)
                state.position = nil
            } else {
                orderGenerator = state.generator
                order = configuration.sampler.order(epoch: state.epoch, training: split.training, dataset: dataset, generator: &state.generator)
                batch = 0
                sums = emptySums()
                startValues = plan.values(at: .epoch(state.epoch, stepsPerEpoch: stepsPerEpoch), controllers: controllerStates)
            }
            while batch < stepsPerEpoch {
                let progress = TrainingProgress.batch(batch, ofEpoch: state.epoch, stepsPerEpoch: stepsPerEpoch)
                let start = batch * batchSize
                var metrics = step(order[start..<min(order.count, start + batchSize)], progress: progress, sums: &sums)
                batch += 1
                state.globalStep += 1
                metrics.epoch = state.epoch
                metrics.batch = batch
                metrics.stepsPerEpoch = stepsPerEpoch
                metrics.globalStep = state.globalStep
                for observer in observers { observer.stepFinished(metrics) }
                if let quantityOverflow {
                    // The sums cannot be stored: the checkpoints keep the state at the last one written.
                    return .diverged(reason: "training diverged: \(quantityOverflow) (epoch \(state.epoch), step \(state.globalStep))")
                }
                if state.consecutiveSkips >= configuration.training.maximumConsecutiveSkips {
                    // The skipped steps changed nothing, so the parameters are the last good ones: keep them.
                    state.position = EpochPosition(epoch: state.epoch, order: order, orderGenerator: orderGenerator, nextBatch: batch, sums: sums, startValues: startValues, quantityNames: plan.names)
                    try save(reason: "diverged", observers: observers)
                    return .diverged(reason: divergenceReason("\(state.consecutiveSkips) steps in a row had non-finite gradients"))
                }
                if shouldStop() && batch < stepsPerEpoch {
                    state.position = EpochPosition(epoch: state.epoch, order: order, orderGenerator: orderGenerator, nextBatch: batch, sums: sums, startValues: startValues, quantityNames: plan.names)
                    try save(reason: "interrupted", observers: observers)
                    return .interrupted
                }
                let stepsDue = runDirectory != nil && configuration.training.checkpointEverySteps.map { batch % $0 == 0 } == true
                let timeDue = checkpointInterval.map { DispatchTime.now().uptimeNanoseconds - lastCheckpointTime >= $0 } == true
                if batch < stepsPerEpoch && (stepsDue || timeDue) {
                    // The position is saved and dropped again: the loop goes on with its own copies.
                    state.position = EpochPosition(epoch: state.epoch, order: order, orderGenerator: orderGenerator, nextBatch: batch, sums: sums, startValues: startValues, quantityNames: plan.names)
                    try save(reason: "within_epoch", observers: observers)
                    state.position = nil
                }
            }
            let metrics = finishEpoch(sums: sums, startValues: startValues, started: started)
            lastMetrics = metrics
            if !metrics.loss.isFinite || !(metrics.validationELBO?.isFinite ?? true) || !stateIsFinite {
                // Nothing from this epoch is saved: the checkpoints keep the last finite state.
                for observer in observers { observer.epochFinished(metrics) }
                try Self.checkWrites(observers)
                let what = !metrics.loss.isFinite ? "the epoch's loss is \(metrics.loss)" : !stateIsFinite ? "the parameters are no longer finite"
                    : "the validation ELBO is \(metrics.validationELBO!)"
                return .diverged(reason: divergenceReason(what))
            }
            state.epoch += 1
            for observer in observers { observer.epochFinished(metrics) }
            try Self.checkWrites(observers)
            if let elbo = metrics.validationELBO, state.firstValidationELBO == nil { state.firstValidationELBO = elbo }
            // The early-stopping rule reads the epoch before best.ckpt is written, so best.ckpt holds the whole
            // state after the epoch and a run resumed from it continues exactly as the uninterrupted run.
            var stopEarly = false
            if let rule = configuration.training.earlyStopping {
                let (next, stop) = rule.update(state.earlyStopping ?? EarlyStopping.State(), with: metrics)
                state.earlyStopping = next
                stopEarly = stop
            }
            let policy = configuration.training.keepBest
            if let rule = policy.firedRule(metrics, saved: state.bestReadings) {
                state.bestRule = rule.name
                state.bestMetrics = policy.readings(metrics)
                state.bestValidationELBO = metrics.validationELBO
                state.bestEpoch = metrics.epoch
                try save(reason: "best", observers: observers)
            }
            if let rule = configuration.training.earlyStopping, stopEarly && state.epoch < total {
                try save(reason: "stopped_early", observers: observers)
                return .stoppedEarly(reason: rule.reason(state.earlyStopping!))
            }
            if state.epoch % configuration.training.checkpointEvery == 0 || state.epoch == total {
                try save(reason: state.epoch == total ? "final" : "periodic", observers: observers)
            }
            if shouldStop() && state.epoch < total {
                try save(reason: "interrupted", observers: observers)
                return .interrupted
            }
        }
        return .completed
    }

    // MARK: The step

    /// One optimisation step on the examples `indices` at `progress`; adds its numbers to `sums` and returns
    /// them (position fields are set by the caller).
    public func step(_ indices: ArraySlice<Int>, progress: TrainingProgress, sums: inout EpochSums) -> StepMetrics {
        plan.values(at: progress, controllers: controllerStates, into: &values)
        if let learningRateIndex { optimizer.learningRate = values[learningRateIndex] }
        graph.reset()
        let batch = batches.batch(indices, in: graph)
        for (position, index) in modelQuantityIndices.enumerated() { modelQuantityValues[position] = index.map { values[$0] } ?? modelQuantityDefaults[position] }
        let context = ForwardContext(temperature: temperatureIndex.map { values[$0] } ?? 1, modelQuantities: modelQuantityValues)
        let output = model.forward(batch, context: context, noise: &state.generator, in: graph)
        let loss = objective.loss(output, values: values, in: graph)
        if let balancing = configuration.gradientBalancing {
            backwardBalanced(output, balancing: balancing)
        } else {
            graph.backward(loss)
        }
        let outcome = optimizer.step(clippingNorm: configuration.training.gradientClipNorm)
        optimizer.zeroGradients()
        let metrics = record(outcome, output: output, loss: loss, rows: indices.count, sums: &sums)
        if plan.hasControllers && !metrics.skipped { plan.update(&controllerStates, observation: observation, at: progress) }
        return metrics
    }

    /// The gradient of Σ_g s_g·L_g + the ungrouped terms (see `GradientBalancing`): one backward pass per group
    /// to measure its gradient norm, then one for the scaled sum. A non-finite norm leaves the averages alone
    /// (the optimiser then skips the step).
    private func backwardBalanced(_ output: ModelOutput<Float>, balancing: GradientBalancing) {
        var roots: [Graph<Float>.Variable] = []
        var norms: [Double] = []
        for group in balancingGroups {
            guard let groupLoss = objective.loss(output, values: values, terms: group, in: graph) else { continue }
            optimizer.zeroGradients()
            graph.backward(groupLoss)
            norms.append(GradientClipping.globalNorm(model.parameters))
            roots.append(groupLoss)
        }
        if norms.count == balancingGroups.count, norms.allSatisfy(\.isFinite) {
            state.gradientNormAverages = balancing.updatedAverages(state.gradientNormAverages, norms: norms)
        }
        var seeds = state.gradientNormAverages.count == roots.count ? balancing.scales(state.gradientNormAverages).map { Float($0) } : roots.map { _ in Float(1) }
        if let rest = objective.loss(output, values: values, terms: balancingRest, in: graph) {
            roots.append(rest)
            seeds.append(1)
        }
        optimizer.zeroGradients()
        graph.backward(roots: roots, seeds: seeds)
    }

    /// Adds a step's numbers to the epoch's sums and to the observation for controllers.
    private func record(_ outcome: Optimizer<Float>.StepOutcome, output: ModelOutput<Float>, loss: Graph<Float>.Variable, rows: Int,
                        sums: inout EpochSums) -> StepMetrics {
        var skipped = false
        // Every step, applied or skipped, read its quantities: the epoch's means divide by all of them.
        if sums.quantitySums.count == values.count {
            for index in values.indices {
                sums.quantitySums[index] += values[index]
                if !sums.quantitySums[index].isFinite, quantityOverflow == nil {
                    quantityOverflow = "\(plan.quantities[index].name) is \(String(format: "%.4g", values[index])), so large that its sum over the epoch is no longer a finite number (the epoch's mean and a checkpoint cannot hold it); no meaningful \(plan.quantities[index].name) is this large: give values below 1e300 (a KL weight or temperature above 1000 is already extreme)"
                }
            }
        }
        switch outcome {
        case .applied(let norm):
            state.consecutiveSkips = 0
            sums.gradientNormSum += norm
            sums.steps += 1
        case .skipped:
            state.consecutiveSkips += 1
            sums.skippedSteps += 1
            skipped = true
        }
        let lossValue = Double(graph.scalar(loss))
        if skipped {
            // A skipped step changed nothing; its numbers (non-finite) stay out of the epoch's sums.
            return StepMetrics(epoch: 0, batch: 0, stepsPerEpoch: 0, globalStep: 0, loss: lossValue, reconstruction: .nan,
                               kl: klTermIndices.map { _ in .nan }, quantities: values, learningRate: optimizer.learningRate, skipped: true)
        }
        var klTerm = 0
        for index in terms.indices {
            let values = graph.value(output.terms[index])
            var termSum = 0.0
            if terms[index].role == .kl, terms[index].columns > 1 {
                let width = terms[index].columns
                for i in 0..<values.count {
                    termSum += Double(values[i])
                    sums.klPerDimension[klTerm][i % width] += Double(values[i])
                }
            } else {
                for i in 0..<values.count { termSum += Double(values[i]) }
            }
            if terms[index].role == .kl { klTerm += 1 }
            sums.terms[index] += termSum
            termMeans[index] = termSum / Double(rows)
        }
        var position = 0
        func observe(_ value: Double) {
            observation.values[position] = value
            position += 1
        }
        observe(lossValue)
        observe(termMeans[reconstructionIndex])
        observe(klTermIndices.reduce(0) { $0 + termMeans[$1] })
        for index in klTermIndices { observe(termMeans[index]) }
        for index in penaltyIndices { observe(termMeans[index]) }
        for (index, measurement) in output.measurements.enumerated() where index < sums.measurements.count {
            let values = graph.value(measurement.value)
            var sum = 0.0
            for i in 0..<values.count { sum += Double(values[i]) }
            sums.measurements[index] += sum
            observe(sum / Double(rows))
        }
        sums.examples += rows
        sums.loss += lossValue * Double(rows)
        return StepMetrics(epoch: 0, batch: 0, stepsPerEpoch: 0, globalStep: 0, loss: lossValue, reconstruction: termMeans[reconstructionIndex],
                           kl: klTermIndices.map { termMeans[$0] }, quantities: values, learningRate: optimizer.learningRate, skipped: skipped)
    }

    // MARK: Epoch end

    func finishEpoch(sums: EpochSums, startValues: [Double], started: UInt64) -> EpochMetrics {
        let evaluationStarted = DispatchTime.now().uptimeNanoseconds
        defer { epochEndSeconds += Double(DispatchTime.now().uptimeNanoseconds - evaluationStarted) / 1e9 }
        // No applied step (all skipped): the epoch has no numbers, and NaN says so (null in the files).
        let n = sums.examples > 0 ? Double(sums.examples) : .nan
        let validation = validate()
        let klNames = klTermNames
        let perDimension = klTermIndices.enumerated().compactMap { k, index in
            terms[index].columns > 1 ? (terms[index].name, sums.klPerDimension[k].map { $0 / n }) : nil
        }
        var metrics = EpochMetrics(
            epoch: state.epoch, globalStep: state.globalStep, loss: sums.loss / n, reconstruction: sums.terms[reconstructionIndex] / n,
            kl: klTermIndices.map { (terms[$0].name, sums.terms[$0] / n) },
            klPerDimension: perDimension,
            beta: reportedWeightIndices.map { (plan.quantities[$0].name, startValues[$0]) },
            learningRate: learningRateIndex.map { startValues[$0] } ?? optimizer.learningRate,
            quantities: plan.quantities.indices.map { (plan.quantities[$0].name, startValues[$0]) },
            quantityMeans: sums.quantitySums.count == plan.count && sums.steps + sums.skippedSteps > 0
                ? plan.quantities.indices.map { (plan.quantities[$0].name, sums.quantitySums[$0] / Double(sums.steps + sums.skippedSteps)) } : [],
            penalties: penaltyIndices.map { (terms[$0].name, sums.terms[$0] / n) },
            measurements: measurementNames.indices.map { (measurementNames[$0], sums.measurements[$0] / n) },
            controllers: plan.quantities.indices.compactMap { index in controllerStates[index].map { (plan.quantities[index].name, $0) } },
            validationELBO: validation?.elbo, validationReconstruction: validation?.reconstruction,
            validationKL: validation.map { result in klNames.enumerated().map { ($1, result.kl[$0]) } } ?? [],
            activeUnits: validation.map { result in klNames.enumerated().map { ($1, result.activeUnits[$0]) } } ?? [],
            mutualInformation: validation.map { result in klNames.enumerated().compactMap { k, name in result.mutualInformation[k].map { (name, $0.nats) } } } ?? [],
            mutualInformationBatch: validation?.mutualInformation.compactMap { $0 }.first?.batchSize,
            phase: plan.phases?.phase(atEpoch: state.epoch)?.name,
            skippedSteps: sums.skippedSteps, meanGradientNorm: sums.steps > 0 ? sums.gradientNormSum / Double(sums.steps) : 0,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        metrics.gradientBalancing = configuration.gradientBalancing?.state(state.gradientNormAverages) ?? []
        // The last step's values (`values` holds what the epoch's last step read).
        metrics.betaEnd = reportedWeightIndices.filter { plan.quantities[$0].evaluation == .step && plan.quantities[$0].controller == nil && !metrics.quantityMeans.isEmpty }
            .map { (plan.quantities[$0].name, values[$0]) }
        let geometry = geometryPass()
        metrics.coverage = geometry.coverage
        metrics.radiusMean = geometry.radiusMean
        metrics.radialCorrelation = geometry.radialCorrelation
        // Not on an epoch that diverged (the run stops with that); a failure depends on the data alone (the
        // metrics that cannot be computed are null), so a resumed session fails alike.
        if let every = configuration.logging.disentanglementEvery, disentanglementFailure == nil,
           EpochDisentanglement.isDue(epoch: state.epoch, every: every), metrics.loss.isFinite, metrics.validationELBO?.isFinite ?? true {
            do {
                metrics.disentanglement = try EpochDisentanglement.figures(model: model, dataset: dataset, conditioned: configuration.model.specification.needsLabels,
                                                                           context: validationContext())
            } catch {
                disentanglementFailure = "logging.disentanglement_every: the scores were not computed from epoch \(state.epoch) on: \(error)"
            }
        }
        return metrics
    }

    struct ValidationResult {
        var elbo: Double
        var reconstruction: Double
        var kl: [Double]
        var activeUnits: [Int]
        /// I(x; z) per term (nil for a term without a Gaussian posterior), He et al.'s estimator in batches of 256.
        var mutualInformation: [MutualInformation?]
    }

    /// At most this many validation examples (the first ones) enter the per-epoch mutual information: its cost
    /// is O(examples · 256 · latent size), and a few thousand examples estimate it well.
    static let mutualInformationExamples = 4096

    /// The validation ELBO (one posterior sample per example, true KL, β = 1, temperature 1), active units and
    /// mutual information,
    /// with noise from a generator derived from (seed, epoch) so training's generator is untouched.
    func validate() -> ValidationResult? {
        guard !split.validation.isEmpty else { return nil }
        var noise = RandomGenerator(seed: configuration.training.seed &+ 0x0A11_DA7E &* UInt64(state.epoch + 1))
        let batchSize = configuration.training.batchSize
        var reconstruction = 0.0
        var statistics = PosteriorStatistics(latentSizes: klTermIndices.map { terms[$0].columns })
        // The posteriors of the first examples, for the mutual information (the same draws as the ELBO's).
        let informationExamples = min(split.validation.count, Self.mutualInformationExamples)
        var means = klTermIndices.map { _ in [Float]() }, logVariances = means, samples = means
        var logDensity: MutualInformation.LogDensity?
        let context = validationContext()
        var start = 0
        while start < split.validation.count {
            let indices = split.validation[start..<min(split.validation.count, start + batchSize)]
            graph.reset()
            let output = model.forward(batches.batch(indices, in: graph), context: context, noise: &noise, in: graph)
            reconstruction += graph.value(output.terms[reconstructionIndex]).reduce(0.0) { $0 + Double($1) }
            statistics.add(rows: indices.count, klValues: klTermIndices.map { graph.value(output.terms[$0]) },
                           posteriorMeans: output.posteriorMeans.map { graph.value($0) })
            let rows = min(indices.count, informationExamples - start)
            logDensity = output.posteriorLogDensity
            if rows > 0 {
                for term in klTermIndices.indices where term < output.posteriorLogVariances.count {
                    let width = terms[klTermIndices[term]].columns
                    means[term] += graph.value(output.posteriorMeans[term]).prefix(rows * width)
                    logVariances[term] += graph.value(output.posteriorLogVariances[term]).prefix(rows * width)
                    samples[term] += graph.value(output.posteriorSamples[term]).prefix(rows * width)
                }
            }
            start += batchSize
        }
        let n = Double(split.validation.count)
        let meanKL = statistics.meanKL
        let information: [MutualInformation?] = klTermIndices.indices.map { term in
            let width = terms[klTermIndices[term]].columns
            guard !means[term].isEmpty, means[term].count == informationExamples * width else { return nil }
            return try? MutualInformation(means: Tensor(rows: informationExamples, columns: width, scalars: means[term]),
                                          logVariances: Tensor(rows: informationExamples, columns: width, scalars: logVariances[term]),
                                          samples: Tensor(rows: informationExamples, columns: width, scalars: samples[term]),
                                          batchSize: min(256, informationExamples), logDensity: logDensity)
        }
        return ValidationResult(elbo: -(reconstruction / n + meanKL.reduce(0, +)), reconstruction: reconstruction / n, kl: meanKL,
                                activeUnits: statistics.activeUnits(), mutualInformation: information)
    }

    /// Coverage, radii and the radial correlation at the epoch's end (`PosteriorMeanPass`): over every example
    /// for categorical data (the coverage of the ternary operations counts all 19,683), else over the first
    /// `mutualInformationExamples` validation examples (training examples when nothing is held out).
    func geometryPass() -> PosteriorMeanPass {
        let (indices, difficultyRanks) = geometryExamples()
        var context = validationContext()
        context.temperature = 0
        return PosteriorMeanPass.run(model: model, dataset: dataset, indices: indices, conditioned: configuration.model.specification.needsLabels,
                                     context: context, batchSize: max(configuration.training.batchSize, 256), graph: graph,
                                     difficultyRanks: difficultyRanks)
    }

    /// The geometry pass's examples and the ranks of their difficulties: the same every epoch, so found once.
    private func geometryExamples() -> (indices: [Int], difficultyRanks: [Double]?) {
        if let cachedGeometryExamples { return cachedGeometryExamples }
        let indices: [Int]
        if case .categorical = dataset.kind { indices = Array(0..<dataset.count) }
        else { indices = Array((split.validation.isEmpty ? split.training : split.validation).prefix(Self.mutualInformationExamples)) }
        let examples = (indices, dataset.difficulty.map { PosteriorMeanPass.difficultyRanks($0, indices: indices) })
        cachedGeometryExamples = examples
        return examples
    }

    /// Temperature 1 and the model's own quantities as the epoch's last step had them.
    func validationContext() -> ForwardContext {
        guard !modelQuantityIndices.isEmpty else { return ForwardContext(temperature: 1) }
        let values = plan.values(at: .batch(stepsPerEpoch - 1, ofEpoch: state.epoch, stepsPerEpoch: stepsPerEpoch), controllers: controllerStates)
        return ForwardContext(temperature: 1, modelQuantities: modelQuantityIndices.enumerated().map { position, index in
            index.map { values[$0] } ?? modelQuantityDefaults[position]
        })
    }

    // MARK: Checkpoints

    /// The checkpoint tensor holding what the training file's values were divided by (`data.scale`).
    public static let scaleDivisorTensorName = "data.scale_divisor"

    /// The current state as a checkpoint.
    public func checkpoint() -> Checkpoint {
        var tensors: [(name: String, values: [Float])] = model.parameters.map { ($0.name, $0.tensor.tensor.scalars) }
        let optimizerState = optimizer.state
        for (prefix, buffers) in [("optimizer.first.", optimizerState.firstBuffers), ("optimizer.second.", optimizerState.secondBuffers)] {
            for parameter in model.parameters {
                if let values = buffers[parameter.name] { tensors.append((prefix + parameter.name, values)) }
            }
        }
        // What the data was divided by and standardised with, so that evaluation, other data and the test file
        // are read exactly as training read its data.
        if let divisor = dataset.scaleDivisor { tensors.append((Self.scaleDivisorTensorName, [divisor])) }
        tensors += dataset.standardization?.tensorEntries ?? []
        var saved = state
        saved.controllers = plan.quantities.indices.compactMap { index in
            controllerStates[index].map { TrainingState.NamedControllerState(quantity: plan.quantities[index].name, state: $0) }
        }
        return Checkpoint(state: saved, optimizer: .init(configuration: optimizerState.configuration, step: optimizerState.step, skippedSteps: optimizerState.skippedSteps),
                          configuration: JSONWriter.compact(configuration.json), tensors: tensors)
    }

    /// Continues from `checkpoint`; a checkpoint of another model shape or optimiser is an error naming what differs.
    public func restore(_ checkpoint: Checkpoint, file: String) throws(TrainingError) {
        for parameter in model.parameters {
            guard let values = checkpoint.tensors[parameter.name] else {
                throw TrainingError("\(file): the checkpoint has no parameter \(parameter.name); it was saved from a different model")
            }
            guard values.count == parameter.tensor.count else {
                throw TrainingError("\(file): parameter \(parameter.name) has \(values.count) values in the checkpoint, \(parameter.tensor.count) in this model (\(parameter.tensor.rows) × \(parameter.tensor.columns)); the model's shape changed")
            }
            parameter.tensor.assign(Tensor(rows: parameter.tensor.rows, columns: parameter.tensor.columns, scalars: values))
        }
        var first: [String: [Float]] = [:], second: [String: [Float]] = [:]
        for parameter in model.parameters {
            first[parameter.name] = checkpoint.tensors["optimizer.first." + parameter.name]
            second[parameter.name] = checkpoint.tensors["optimizer.second." + parameter.name]
        }
        do {
            try optimizer.restore(OptimizerState(configuration: checkpoint.optimizer.configuration, step: checkpoint.optimizer.step,
                                                 skippedSteps: checkpoint.optimizer.skippedSteps, firstBuffers: first, secondBuffers: second))
        } catch {
            throw TrainingError("\(file): \(error.description)")
        }
        var states = plan.initialControllerStates()
        for (index, quantity) in plan.quantities.enumerated() where quantity.controller != nil {
            guard let saved = checkpoint.state.controllers.first(where: { $0.quantity == quantity.name }) else {
                throw TrainingError("\(file): the checkpoint has no state for the controller of \(quantity.name); it was saved by a run without that controller")
            }
            states[index] = saved.state
        }
        if let position = checkpoint.state.position, position.sums.terms.count != terms.count || (position.orderGenerator == nil && position.order.count != split.training.count) {
            throw TrainingError("\(file): the checkpoint was taken inside an epoch of another model or data split (its epoch sums or order do not fit this run)")
        }
        controllerStates = states
        state = checkpoint.state
    }

    /// When the last checkpoint was written (monotonic nanoseconds), for `checkpoint_every_minutes`.
    var lastCheckpointTime: UInt64 = 0
    /// Set when a quantity's value overflowed the epoch's sums (a β of 1e308): the run stops as diverged.
    var quantityOverflow: String?

    /// Seconds this session spent writing checkpoints (serialising, writing, fsync, rename), and how many.
    public private(set) var checkpointSeconds = 0.0
    public private(set) var checkpointsWritten = 0

    func save(reason: String, observers: [TrainingObserver]) throws(TrainingError) {
        guard let runDirectory, stateIsFinite else { return }
        updateElapsed()
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            lastCheckpointTime = DispatchTime.now().uptimeNanoseconds
            checkpointSeconds += Double(lastCheckpointTime - started) / 1e9
            checkpointsWritten += 1
        }
        let name = reason == "best" ? "best.ckpt" : "last.ckpt"
        let path = runDirectory + "/checkpoints/" + name
        do {
            try checkpoint().write(to: path)
        } catch {
            throw TrainingError(error.description)
        }
        for observer in observers { observer.checkpointSaved(path: path, reason: reason) }
    }

    /// Stops the run when an observer could not write its file (see `WritingObserver`).
    static func checkWrites(_ observers: [TrainingObserver]) throws(TrainingError) {
        for case let observer as WritingObserver in observers {
            if let failure = observer.writeFailure { throw TrainingError(failure) }
        }
    }

    func createDirectory(_ path: String) throws(TrainingError) {
        do {
            try AtomicFile.createDirectory(path)
        } catch {
            throw TrainingError(error.description)
        }
    }
}
