import Tensors

/// SGD (momentum, Nesterov, weight decay), Adam and AdamW over a set of named parameters, matching PyTorch's
/// single-tensor implementations step for step. The trainer sets `learningRate` before every step from its
/// schedule (ARCHITECTURE.md, principle 3).
///
/// `@unchecked Sendable` because `update()` hands disjoint element ranges of the same buffers to worker
/// threads; everything else runs on the caller's thread.
public final class Optimizer<Scalar: TensorScalar>: @unchecked Sendable {
    public let parameters: [Parameter<Scalar>]
    public let configuration: OptimizerConfiguration
    public var learningRate: Double
    /// Threads for the update; the parameters are split into this many contiguous chunks.
    public var threads = 1
    public private(set) var step = 0
    /// Steps skipped by `step(clippingNorm:)` because a gradient was NaN or infinite.
    public private(set) var skippedSteps = 0
    private var firstBuffers: [UnsafeMutablePointer<Scalar>] = []
    private var secondBuffers: [UnsafeMutablePointer<Scalar>] = []
    /// The parameters' values and gradients side by side, and the moments laid out the same way (one
    /// allocation each), so that an update is one pass over memory.
    private let buffer: ParameterBuffer<Scalar>
    private let firstBlock: UnsafeMutablePointer<Scalar>?
    private let secondBlock: UnsafeMutablePointer<Scalar>?
    /// One partial sum of squares per thread for the gradient norm (allocated once).
    private let partialSums = UnsafeMutableBufferPointer<Double>.allocate(capacity: 64)

    public init(parameters: [Parameter<Scalar>], configuration: OptimizerConfiguration, learningRate: Double) {
        precondition(Set(parameters.map(\.name)).count == parameters.count, "parameter names must be unique")
        self.parameters = parameters
        self.configuration = configuration
        self.learningRate = learningRate
        var needsFirst = true, needsSecond = false
        switch configuration {
        case .sgd(let momentum, _, _, _): needsFirst = momentum != 0
        case .adam, .adamW: needsSecond = true
        }
        buffer = ParameterBuffer(parameters.map(\.tensor))
        firstBlock = needsFirst ? ParameterBuffer<Scalar>.zeros(buffer.count) : nil
        secondBlock = needsSecond ? ParameterBuffer<Scalar>.zeros(buffer.count) : nil
        for offset in buffer.offsets {
            if let firstBlock { firstBuffers.append(firstBlock + offset) }
            if let secondBlock { secondBuffers.append(secondBlock + offset) }
        }
    }

    deinit {
        firstBlock?.deallocate()
        secondBlock?.deallocate()
        partialSums.deallocate()
    }

    /// Marks every gradient zero (PyTorch's `zero_grad`); no memory is written.
    @specialized(where Scalar == Float)
    public func zeroGradients() {
        for parameter in parameters { parameter.tensor.zeroGradient() }
    }

    /// Applies one update from the current gradients. A parameter whose gradient was never written this step
    /// is updated with a zero gradient, as PyTorch does with `zero_grad(set_to_none=False)`. With `threads > 1`,
    /// the update is split into `threads` contiguous chunks at once: it is element-wise, so the chunks are
    /// independent and the result is the same as on one thread.
    @specialized(where Scalar == Float)
    public func update() {
        update(gradientScale: 1)
    }

    /// The update with every gradient multiplied by `gradientScale` first (the clipping coefficient), in the
    /// same pass for Adam and AdamW.
    private func update(gradientScale: Scalar) {
        step += 1
        for parameter in parameters where parameter.tensor.gradientIsZero {
            parameter.tensor.gradient.pointer.update(repeating: 0, count: parameter.tensor.count)
        }
        var fused = true
        if case .sgd = configuration { fused = false }
        if gradientScale != 1 && !fused {
            for parameter in parameters { Scalar.scaleInPlace(parameter.tensor.gradient.pointer, gradientScale, parameter.tensor.count) }
        }
        let adam = adamStep
        if fused && parameters.indices.allSatisfy({ buffer.holds(parameters[$0].tensor, at: $0) }) {
            // One pass over the whole buffer (the gaps between parameters are zeros and stay zeros).
            let count = buffer.count
            if threads > 1 && count >= 65_536 {
                let alignment = ParameterBuffer<Scalar>.alignment
                let chunk = ((count + threads - 1) / threads + alignment - 1) / alignment * alignment
                WorkerPool.run(parts: (count + chunk - 1) / chunk) { part in
                    let start = part * chunk
                    updateBuffer(start..<min(count, start + chunk), adam: adam!, gradientScale: gradientScale)
                }
            } else {
                updateBuffer(0..<count, adam: adam!, gradientScale: gradientScale)
            }
            return
        }
        for index in parameters.indices {
            let count = parameters[index].tensor.count
            if threads > 1 && count >= 65_536 {
                let chunk = (count + threads - 1) / threads
                WorkerPool.run(parts: (count + chunk - 1) / chunk) { part in
                    let start = part * chunk
                    update(index, range: start..<min(count, start + chunk), adam: adam, gradientScale: gradientScale)
                }
            } else {
                update(index, range: 0..<count, adam: adam, gradientScale: gradientScale)
            }
        }
    }

    /// The step's Adam constants (nil for SGD).
    private var adamStep: AdamStep? {
        switch configuration {
        case .sgd: return nil
        case .adam(let beta1, let beta2, let epsilon, let weightDecay):
            return AdamStep(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupled: false, step: step)
        case .adamW(let beta1, let beta2, let epsilon, let weightDecay):
            return AdamStep(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupled: true, step: step)
        }
    }

    /// Adam or AdamW over elements `range` of the whole buffer.
    private func updateBuffer(_ range: Range<Int>, adam: AdamStep, gradientScale: Scalar) {
        let start = range.lowerBound
        Scalar.adamUpdate(buffer.values + start, buffer.gradients + start, firstMoment: firstBlock! + start, secondMoment: secondBlock! + start,
                          range.count, step: adam, gradientScale: gradientScale)
    }

    /// Updates elements `range` of parameter `index` (SGD, or Adam when a parameter moved out of the buffer).
    private func update(_ index: Int, range: Range<Int>, adam: AdamStep?, gradientScale: Scalar) {
        let tensor = parameters[index].tensor
        let value = tensor.value.pointer + range.lowerBound
        let gradient = UnsafePointer(tensor.gradient.pointer + range.lowerBound)
        let count = range.count
        switch configuration {
        case .sgd(let momentum, let dampening, let nesterov, let weightDecay):
            Scalar.sgdUpdate(value, gradient, momentumBuffer: momentum != 0 ? firstBuffers[index] + range.lowerBound : nil, firstStep: step == 1,
                             count, learningRate: Scalar(learningRate), momentum: Scalar(momentum),
                             dampening: Scalar(dampening), weightDecay: Scalar(weightDecay), nesterov: nesterov)
        case .adam, .adamW:
            Scalar.adamUpdate(value, gradient, firstMoment: firstBuffers[index] + range.lowerBound, secondMoment: secondBuffers[index] + range.lowerBound,
                              count, step: adam!, gradientScale: gradientScale)
        }
    }

    /// What `step(clippingNorm:)` did.
    public enum StepOutcome: Equatable, Sendable {
        /// The update was applied; `gradientNorm` is the global norm before clipping.
        case applied(gradientNorm: Double)
        /// A gradient was NaN or infinite: nothing was applied, and `skippedSteps` counts it.
        case skipped(gradientNorm: Double)
    }

    /// The trainer's step: the global gradient norm, then either a skip (non-finite gradients are never
    /// applied; VDVAE does the same) or clipping to `clippingNorm` (when given) and the update.
    ///
    /// Clipping multiplies the gradients by `clippingNorm/(norm + 1e-6)` when that is below 1 (PyTorch's
    /// `clip_grad_norm_`); for Adam and AdamW the multiplication happens inside the update's single pass, so the
    /// gradients in memory keep their unclipped values afterwards (SGD scales them in place first).
    @discardableResult
    @specialized(where Scalar == Float)
    public func step(clippingNorm: Double?) -> StepOutcome {
        let norm = bufferNorm() ?? GradientClipping.globalNorm(parameters)
        guard norm.isFinite else {
            skippedSteps += 1
            return .skipped(gradientNorm: norm)
        }
        var scale: Scalar = 1
        if let clippingNorm {
            let coefficient = GradientClipping.coefficient(norm: norm, maxNorm: clippingNorm)
            if coefficient < 1 { scale = Scalar(coefficient) }
        }
        update(gradientScale: scale)
        return .applied(gradientNorm: norm)
    }

    /// The global gradient norm in one pass over the contiguous gradients (nil when a parameter has left the
    /// buffer): zero-flagged gradients are zeroed first (the update would zero them anyway), the gaps between
    /// parameters are zeros, and with `threads > 1` each of `threads` fixed chunks sums its squares (in Double,
    /// `Scalar.sumOfSquares`) and the partial sums are added in chunk order, so the norm depends on the thread
    /// count, never on scheduling.
    private func bufferNorm() -> Double? {
        guard parameters.indices.allSatisfy({ buffer.holds(parameters[$0].tensor, at: $0) }) else { return nil }
        for parameter in parameters where parameter.tensor.gradientIsZero {
            parameter.tensor.gradient.pointer.update(repeating: 0, count: parameter.tensor.count)
        }
        let count = buffer.count, gradients = buffer.gradients
        let parts = threads > 1 && count >= 65_536 ? min(threads, partialSums.count) : 1
        guard parts > 1 else { return Scalar.sumOfSquares(gradients, count).squareRoot() }
        let alignment = ParameterBuffer<Scalar>.alignment
        let chunk = ((count + parts - 1) / parts + alignment - 1) / alignment * alignment
        let chunks = (count + chunk - 1) / chunk
        let sums = partialSums
        WorkerPool.run(parts: chunks) { part in
            let start = part * chunk
            sums[part] = Scalar.sumOfSquares(gradients + start, min(chunk, count - start))
        }
        var sum = 0.0
        for part in 0..<chunks { sum += sums[part] }
        return sum.squareRoot()
    }

    /// The optimiser's memory, for a checkpoint.
    public var state: OptimizerState<Scalar> {
        func arrays(_ buffers: [UnsafeMutablePointer<Scalar>]) -> [String: [Scalar]] {
            var result: [String: [Scalar]] = [:]
            for (index, buffer) in buffers.enumerated() {
                result[parameters[index].name] = Array(UnsafeBufferPointer(start: buffer, count: parameters[index].tensor.count))
            }
            return result
        }
        return OptimizerState(configuration: configuration, step: step, skippedSteps: skippedSteps,
                              firstBuffers: arrays(firstBuffers), secondBuffers: arrays(secondBuffers))
    }

    /// Restores a saved state; a state for other parameters or another optimiser is an error naming what differs.
    public func restore(_ saved: OptimizerState<Scalar>) throws(OptimizerStateMismatch) {
        guard saved.configuration == configuration else {
            throw OptimizerStateMismatch(reason: "the checkpoint's optimizer is \(saved.configuration), this run's is \(configuration)")
        }
        for (buffers, savedBuffers) in [(firstBuffers, saved.firstBuffers), (secondBuffers, saved.secondBuffers)] where !buffers.isEmpty {
            for (index, parameter) in parameters.enumerated() {
                guard let values = savedBuffers[parameter.name] else {
                    throw OptimizerStateMismatch(reason: "the checkpoint has no optimizer state for \(parameter.name)")
                }
                guard values.count == parameter.tensor.count else {
                    throw OptimizerStateMismatch(reason: "\(parameter.name) has \(parameter.tensor.count) values, the checkpoint's state \(values.count)")
                }
                values.withUnsafeBufferPointer { buffers[index].update(from: $0.baseAddress!, count: values.count) }
            }
        }
        step = saved.step
        skippedSteps = saved.skippedSteps
    }
}

/// A saved optimiser state that does not fit the parameters or optimiser it is restored into.
public struct OptimizerStateMismatch: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }
}
