import Data
import Dispatch
import Foundation
import JSONConfig
import Layers
import Models
import RunLog
import Schedules
import Tensors

/// The training loop. It owns the clock: each step it asks the schedules for β (per KL term) and the learning
/// rate, builds the loss with those weights, steps the optimiser (skipping and counting steps with non-finite
/// gradients), and tells its observers. Every random draw comes from one generator whose state is part of the
/// checkpoint, and validation draws from a generator derived from (seed, epoch), so a resumed run computes
/// exactly the numbers of the uninterrupted one.
public final class Trainer {
    public let configuration: RunConfiguration
    public let dataset: Dataset
    public let split: DataSplit
    public let model: VariationalModel<Float>
    public let optimizer: Optimizer<Float>
    public let runDirectory: String
    public private(set) var epoch = 0
    public private(set) var globalStep = 0
    public private(set) var bestValidationELBO: Double?
    public private(set) var bestEpoch: Int?
    public private(set) var firstValidationELBO: Double?
    public private(set) var lastMetrics: EpochMetrics?
    var generator: RandomGenerator
    var position: Checkpoint.EpochPosition?
    var consecutiveSkips = 0
    let graph = Graph<Float>()
    let parameters: [Parameter<Float>]

    /// The outcome of `run`.
    public enum Outcome: Equatable, Sendable {
        case completed
        /// Stopped on request (Ctrl-C) after saving a checkpoint at the current step.
        case interrupted
    }

    public init(configuration: RunConfiguration, dataset: Dataset, runDirectory: String) throws(TrainingError) {
        self.configuration = configuration
        self.dataset = dataset
        self.runDirectory = runDirectory
        let settings = configuration.model
        if settings.kind.isConditional && dataset.labels == nil {
            throw TrainingError("model.type \(settings.kind.rawValue) conditions on class labels, but the \(dataset.name) data has none (give data.labels_path, or label_column for CSV)")
        }
        if case .bernoulli = settings.likelihood, !dataset.isInUnitInterval {
            throw TrainingError("the bernoulli likelihood needs data in [0, 1], but \(dataset.name) has values outside it; use likelihood \"gaussian\" or \"mse\"")
        }
        do {
            split = try DataSplit(count: dataset.count, validationFraction: configuration.validationFraction, seed: configuration.training.seed)
        } catch {
            throw TrainingError(error.description)
        }
        var generator = RandomGenerator(seed: configuration.training.seed)
        model = VariationalModel(kind: settings.kind, likelihood: settings.likelihood, featureCount: dataset.featureCount,
                                 classCount: dataset.classCount, hiddenSizes: settings.hiddenSizes, latentSizes: settings.latentSizes,
                                 activation: settings.activation, generator: &generator)
        self.generator = generator
        parameters = model.parameters
        let learningRate = configuration.schedules.learningRate?.value(at: .epoch(0)) ?? 1e-3
        optimizer = Optimizer(parameters: parameters, configuration: configuration.training.optimizer, learningRate: learningRate)
    }

    public var stepsPerEpoch: Int { (split.training.count + configuration.training.batchSize - 1) / configuration.training.batchSize }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.tensor.count } }
    var termNames: [String] { model.kind.klTermNames }

    /// The KL weights of the model's terms at `progress`: the schedule for each name, or the single schedule
    /// for every term.
    public func betas(at progress: TrainingProgress) -> [Double] {
        let beta = configuration.schedules.beta
        if beta.layout == .single { return termNames.map { _ in beta.terms[0].schedule.value(at: progress) } }
        return termNames.map { beta.schedule(forTerm: $0)!.value(at: progress) }
    }

    /// Reported names of the weights (`beta`, or `<term>_kl_weight`).
    var betaNames: [String] {
        configuration.schedules.beta.layout == .single ? ["beta"] : termNames.map { "\($0)_kl_weight" }
    }

    // MARK: The loop

    /// Trains from the current state to `numEpochs`. `shouldStop` is polled after every step; when it says
    /// yes, a checkpoint of the exact position is saved and the run returns `.interrupted`.
    public func run(observers: [TrainingObserver], shouldStop: () -> Bool = { false }) throws(TrainingError) -> Outcome {
        do {
            let outcome = try loop(observers: observers, shouldStop: shouldStop)
            for observer in observers { observer.trainingFinished(completed: outcome == .completed) }
            return outcome
        } catch {
            for observer in observers { observer.trainingFinished(completed: false) }
            throw error
        }
    }

    private func loop(observers: [TrainingObserver], shouldStop: () -> Bool) throws(TrainingError) -> Outcome {
        let total = configuration.training.numEpochs
        let batchSize = configuration.training.batchSize
        let stepsPerEpoch = self.stepsPerEpoch
        for observer in observers { observer.trainingStarted(totalEpochs: total, stepsPerEpoch: stepsPerEpoch, startEpoch: position?.epoch ?? epoch) }
        try createDirectory(runDirectory + "/checkpoints")

        while epoch < total {
            let started = DispatchTime.now().uptimeNanoseconds
            var order: [Int]
            var batch: Int
            var sums: EpochSums
            if let position {
                order = position.order
                batch = position.nextBatch
                sums = position.sums
                self.position = nil
            } else {
                order = split.training
                generator.shuffle(&order)
                batch = 0
                sums = EpochSums(latentSizes: model.latentSizes)
            }
            let epochStart = TrainingProgress.epoch(epoch, stepsPerEpoch: stepsPerEpoch)
            let epochBetas = betas(at: epochStart)
            while batch < stepsPerEpoch {
                let progress = TrainingProgress.batch(batch, ofEpoch: epoch, stepsPerEpoch: stepsPerEpoch)
                let weights = configuration.training.betaGranularity == .step ? betas(at: progress) : epochBetas
                optimizer.learningRate = configuration.schedules.learningRate?.value(at: progress) ?? optimizer.learningRate
                let start = batch * batchSize
                let indices = order[start..<min(order.count, start + batchSize)]
                var step = trainStep(indices, weights: weights, progress: progress, sums: &sums)
                batch += 1
                globalStep += 1
                step.epoch = epoch
                step.batch = batch
                step.stepsPerEpoch = stepsPerEpoch
                step.globalStep = globalStep
                for observer in observers { observer.stepFinished(step) }
                if consecutiveSkips >= configuration.training.maximumConsecutiveSkips {
                    throw TrainingError("training diverged: \(consecutiveSkips) steps in a row had non-finite gradients (epoch \(epoch), step \(globalStep)); the last good checkpoint is in \(runDirectory)/checkpoints. Lower the learning rate or clip gradients (training.grad_clip_norm).")
                }
                if shouldStop() && batch < stepsPerEpoch {
                    position = Checkpoint.EpochPosition(epoch: epoch, order: order, nextBatch: batch, sums: sums)
                    try save(reason: "interrupted", observers: observers)
                    return .interrupted
                }
            }
            let metrics = finishEpoch(sums: sums, betas: epochBetas, started: started)
            epoch += 1
            lastMetrics = metrics
            for observer in observers { observer.epochFinished(metrics) }
            if let elbo = metrics.validationELBO {
                if firstValidationELBO == nil { firstValidationELBO = elbo }
                if bestValidationELBO.map({ elbo > $0 }) ?? true {
                    bestValidationELBO = elbo
                    bestEpoch = metrics.epoch
                    try save(reason: "best", observers: observers)
                }
            }
            if epoch % configuration.training.checkpointEvery == 0 || epoch == total {
                try save(reason: epoch == total ? "final" : "periodic", observers: observers)
            }
            if shouldStop() && epoch < total {
                try save(reason: "interrupted", observers: observers)
                return .interrupted
            }
        }
        return .completed
    }

    /// One optimisation step on the examples `indices`; returns its numbers (position fields are set by the caller).
    func trainStep(_ indices: ArraySlice<Int>, weights: [Double], progress: TrainingProgress, sums: inout EpochSums) -> StepMetrics {
        graph.reset()
        let output = forward(indices, generator: &generator)
        var objective = graph.mean(output.reconstruction)
        for (term, klPerDimension) in output.klPerDimension.enumerated() {
            if let capacity = configuration.training.capacity {
                // γ·|KL − C(t)| with the batch-mean KL of the term (Burgess et al. 2018).
                let target = capacity.schedule.value(at: progress)
                let kl = graph.mean(graph.sumOverColumns(klPerDimension))
                objective = graph.add(objective, graph.scale(graph.absolute(graph.addScalar(kl, -target)), by: capacity.gamma))
            } else {
                objective = graph.add(objective, graph.scale(penalty(klPerDimension), by: weights[term]))
            }
        }
        graph.backward(objective)
        let outcome = optimizer.step(clippingNorm: configuration.training.gradientClipNorm)
        optimizer.zeroGradients()
        var skipped = false
        switch outcome {
        case .applied(let norm):
            consecutiveSkips = 0
            sums.gradientNormSum += norm
            sums.steps += 1
        case .skipped:
            consecutiveSkips += 1
            sums.skippedSteps += 1
            skipped = true
        }
        let rows = indices.count
        let loss = Double(graph.scalar(objective))
        let reconstruction = graph.value(output.reconstruction).reduce(0.0) { $0 + Double($1) }
        var klMeans: [Double] = []
        for (term, klPerDimension) in output.klPerDimension.enumerated() {
            let values = graph.value(klPerDimension), width = model.latentSizes[term]
            var termSum = 0.0
            for i in 0..<values.count {
                termSum += Double(values[i])
                sums.klPerDimension[term][i % width] += Double(values[i])
            }
            sums.kl[term] += termSum
            klMeans.append(termSum / Double(rows))
        }
        sums.examples += rows
        sums.loss += loss * Double(rows)
        sums.reconstruction += reconstruction
        return StepMetrics(epoch: 0, batch: 0, stepsPerEpoch: 0, globalStep: 0, loss: loss, reconstruction: reconstruction / Double(rows),
                           kl: klMeans, weights: weights, learningRate: optimizer.learningRate, skipped: skipped)
    }

    /// The KL penalty of one term, with free bits when configured (the reported KL stays the true KL).
    func penalty(_ klPerDimension: Graph<Float>.Variable) -> Graph<Float>.Variable {
        guard let freeBits = configuration.training.freeBits, freeBits.lambda > 0 else {
            return graph.mean(graph.sumOverColumns(klPerDimension))
        }
        switch freeBits.variant {
        case .perDimension:  // Σ_j max(λ, mean_batch KL_j)
            return graph.sum(graph.clampMin(graph.sumOverRows(klPerDimension, mean: true), freeBits.lambda))
        case .perExample:  // mean_x max(KL_x, λ·D)
            let dimensions = Double(graph.shape(klPerDimension).columns)
            return graph.mean(graph.clampMin(graph.sumOverColumns(klPerDimension), freeBits.lambda * dimensions))
        }
    }

    /// Records the model's forward pass on the examples `indices`.
    func forward(_ indices: ArraySlice<Int>, generator: inout RandomGenerator) -> ModelOutput<Float> {
        let rows = indices.count, width = dataset.featureCount
        let input = dataset.features.withUnsafeBufferPointer { features in
            graph.constant(rows: rows, columns: width) { buffer in
                for (row, index) in indices.enumerated() {
                    (buffer.baseAddress! + row * width).update(from: features.baseAddress! + index * width, count: width)
                }
            }
        }
        let target: VariationalModel<Float>.Target
        if case .categorical(let groups, _) = dataset.kind, let categories = dataset.categories {
            target = .labels(graph.labels(rows: rows, columns: groups) { buffer in
                for (row, index) in indices.enumerated() {
                    for g in 0..<groups { buffer[row * groups + g] = categories[index * groups + g] }
                }
            })
        } else {
            target = .values(input)
        }
        var conditions: Graph<Float>.Variable?
        if model.kind.isConditional, let labels = dataset.labels {
            let labelVariable = graph.labels(rows: rows, columns: 1) { buffer in
                for (row, index) in indices.enumerated() { buffer[row] = labels[index] }
            }
            conditions = graph.oneHot(labelVariable, classes: dataset.classCount)
        }
        return model.forward(input, target: target, conditions: conditions, generator: &generator, in: graph)
    }

    // MARK: Epoch end

    func finishEpoch(sums: EpochSums, betas: [Double], started: UInt64) -> EpochMetrics {
        let n = Double(max(1, sums.examples))
        let validation = validate()
        let progress = TrainingProgress.epoch(epoch, stepsPerEpoch: stepsPerEpoch)
        return EpochMetrics(
            epoch: epoch, globalStep: globalStep, loss: sums.loss / n, reconstruction: sums.reconstruction / n,
            kl: termNames.enumerated().map { ($1, sums.kl[$0] / n) },
            klPerDimension: termNames.enumerated().map { ($1, sums.klPerDimension[$0].map { $0 / n }) },
            beta: configuration.training.capacity.map { [("capacity", $0.schedule.value(at: progress))] }
                ?? (configuration.schedules.beta.layout == .single ? [("beta", betas[0])] : zip(betaNames, betas).map { ($0, $1) }),
            learningRate: configuration.schedules.learningRate?.value(at: progress) ?? optimizer.learningRate,
            validationELBO: validation?.elbo, validationReconstruction: validation?.reconstruction,
            validationKL: validation.map { result in termNames.enumerated().map { ($1, result.kl[$0]) } } ?? [],
            activeUnits: validation.map { result in termNames.enumerated().map { ($1, result.activeUnits[$0]) } } ?? [],
            skippedSteps: sums.skippedSteps, meanGradientNorm: sums.steps > 0 ? sums.gradientNormSum / Double(sums.steps) : 0,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }

    struct ValidationResult {
        var elbo: Double
        var reconstruction: Double
        var kl: [Double]
        var activeUnits: [Int]
    }

    /// The validation ELBO (one posterior sample per example, true KL, β = 1) and active units, with noise from
    /// a generator derived from (seed, epoch) so training's generator is untouched.
    func validate() -> ValidationResult? {
        guard !split.validation.isEmpty else { return nil }
        var noise = RandomGenerator(seed: configuration.training.seed &+ 0x0A11_DA7E &* UInt64(epoch + 1))
        let batchSize = configuration.training.batchSize
        var reconstruction = 0.0
        var kl = model.latentSizes.map { _ in 0.0 }
        var meanSums = model.latentSizes.map { [Double](repeating: 0, count: $0) }
        var meanSquares = meanSums
        var start = 0
        while start < split.validation.count {
            let indices = split.validation[start..<min(split.validation.count, start + batchSize)]
            graph.reset()
            let output = forward(indices, generator: &noise)
            reconstruction += graph.value(output.reconstruction).reduce(0.0) { $0 + Double($1) }
            for term in kl.indices {
                kl[term] += graph.value(output.klPerDimension[term]).reduce(0.0) { $0 + Double($1) }
                let means = graph.value(output.posteriorMeans[term]), width = model.latentSizes[term]
                for i in 0..<means.count {
                    meanSums[term][i % width] += Double(means[i])
                    meanSquares[term][i % width] += Double(means[i]) * Double(means[i])
                }
            }
            start += batchSize
        }
        let n = Double(split.validation.count)
        // A_u = Var_x(E_q[z_u | x]), unbiased; active when above 0.01 (Burda et al. 2016).
        let active = meanSums.indices.map { term in
            meanSums[term].indices.filter { u in
                n > 1 && (meanSquares[term][u] - meanSums[term][u] * meanSums[term][u] / n) / (n - 1) > 0.01
            }.count
        }
        let meanKL = kl.map { $0 / n }
        return ValidationResult(elbo: -(reconstruction / n + meanKL.reduce(0, +)), reconstruction: reconstruction / n, kl: meanKL, activeUnits: active)
    }

    // MARK: Checkpoints

    /// The current state as a checkpoint.
    public func checkpoint() -> Checkpoint {
        var tensors: [String: [Float]] = [:]
        var entries: [Checkpoint.TensorEntry] = []
        for parameter in parameters {
            tensors[parameter.name] = parameter.tensor.tensor.scalars
            entries.append(.init(name: parameter.name, count: parameter.tensor.count))
        }
        let state = optimizer.state
        for (prefix, buffers) in [("optimizer.first.", state.firstBuffers), ("optimizer.second.", state.secondBuffers)] {
            for parameter in parameters {
                guard let values = buffers[parameter.name] else { continue }
                tensors[prefix + parameter.name] = values
                entries.append(.init(name: prefix + parameter.name, count: values.count))
            }
        }
        let header = Checkpoint.Header(
            epoch: epoch, globalStep: globalStep, position: position, generator: generator,
            optimizerConfiguration: configuration.training.optimizer, optimizerStep: state.step, skippedSteps: state.skippedSteps,
            consecutiveSkips: consecutiveSkips, bestValidationELBO: bestValidationELBO, bestEpoch: bestEpoch,
            configuration: JSONWriter.compact(configuration.json), tensors: entries)
        return Checkpoint(header: header, tensors: tensors)
    }

    /// Continues from `checkpoint`; a checkpoint of another model shape or optimiser is an error naming what differs.
    public func restore(_ checkpoint: Checkpoint, file: String) throws(TrainingError) {
        let header = checkpoint.header
        for parameter in parameters {
            guard let values = checkpoint.tensors[parameter.name] else {
                throw TrainingError("\(file): the checkpoint has no parameter \(parameter.name); it was saved from a different model")
            }
            guard values.count == parameter.tensor.count else {
                throw TrainingError("\(file): parameter \(parameter.name) has \(values.count) values in the checkpoint, \(parameter.tensor.count) in this model (\(parameter.tensor.rows) × \(parameter.tensor.columns)); the model's shape changed")
            }
            parameter.tensor.assign(Tensor(rows: parameter.tensor.rows, columns: parameter.tensor.columns, scalars: values))
        }
        var first: [String: [Float]] = [:], second: [String: [Float]] = [:]
        for parameter in parameters {
            first[parameter.name] = checkpoint.tensors["optimizer.first." + parameter.name]
            second[parameter.name] = checkpoint.tensors["optimizer.second." + parameter.name]
        }
        do {
            try optimizer.restore(OptimizerState(configuration: header.optimizerConfiguration, step: header.optimizerStep,
                                                 skippedSteps: header.skippedSteps, firstBuffers: first, secondBuffers: second))
        } catch {
            throw TrainingError("\(file): \(error.description)")
        }
        epoch = header.epoch
        globalStep = header.globalStep
        position = header.position
        generator = header.generator
        consecutiveSkips = header.consecutiveSkips
        bestValidationELBO = header.bestValidationELBO
        bestEpoch = header.bestEpoch
    }

    func save(reason: String, observers: [TrainingObserver]) throws(TrainingError) {
        let name = reason == "best" ? "best.ckpt" : "last.ckpt"
        let path = runDirectory + "/checkpoints/" + name
        do {
            try checkpoint().write(to: path)
        } catch {
            throw TrainingError(error.description)
        }
        for observer in observers { observer.checkpointSaved(path: path, reason: reason) }
    }

    func createDirectory(_ path: String) throws(TrainingError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw TrainingError("cannot create \(path): \(error.localizedDescription)")
        }
    }
}
