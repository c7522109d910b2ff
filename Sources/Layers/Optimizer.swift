import Dispatch
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
    /// Threads for the update; large parameters are split into this many contiguous chunks.
    public var threads = 1
    public private(set) var step = 0
    /// Steps skipped by `step(clippingNorm:)` because a gradient was NaN or infinite.
    public private(set) var skippedSteps = 0
    private var firstBuffers: [UnsafeMutablePointer<Scalar>] = []
    private var secondBuffers: [UnsafeMutablePointer<Scalar>] = []

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
        for parameter in parameters {
            if needsFirst { firstBuffers.append(Self.zeros(parameter.tensor.count)) }
            if needsSecond { secondBuffers.append(Self.zeros(parameter.tensor.count)) }
        }
    }

    deinit {
        for buffer in firstBuffers + secondBuffers { buffer.deallocate() }
    }

    private static func zeros(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        let pointer = UnsafeMutablePointer<Scalar>.allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
        return pointer
    }

    /// Marks every gradient zero (PyTorch's `zero_grad`); no memory is written.
    public func zeroGradients() {
        for parameter in parameters { parameter.tensor.zeroGradient() }
    }

    /// Applies one update from the current gradients. A parameter whose gradient was never written this step
    /// is updated with a zero gradient, as PyTorch does with `zero_grad(set_to_none=False)`. With `threads > 1`,
    /// parameters of at least 65,536 values are updated in `threads` chunks at once: the update is
    /// element-wise, so the chunks are independent and the result is the same as on one thread.
    public func update() {
        step += 1
        for index in parameters.indices {
            let count = parameters[index].tensor.count
            if parameters[index].tensor.gradientIsZero { parameters[index].tensor.gradient.pointer.update(repeating: 0, count: count) }
            if threads > 1 && count >= 65_536 {
                let chunk = (count + threads - 1) / threads
                DispatchQueue.concurrentPerform(iterations: threads) { part in
                    let start = part * chunk
                    if start < count { update(index, range: start..<min(count, start + chunk)) }
                }
            } else {
                update(index, range: 0..<count)
            }
        }
    }

    /// Updates elements `range` of parameter `index`.
    private func update(_ index: Int, range: Range<Int>) {
        let tensor = parameters[index].tensor
        let value = tensor.value.pointer + range.lowerBound
        let gradient = UnsafePointer(tensor.gradient.pointer + range.lowerBound)
        let count = range.count
        switch configuration {
        case .sgd(let momentum, let dampening, let nesterov, let weightDecay):
            Scalar.sgdUpdate(value, gradient, momentumBuffer: momentum != 0 ? firstBuffers[index] + range.lowerBound : nil, firstStep: step == 1,
                             count, learningRate: Scalar(learningRate), momentum: Scalar(momentum),
                             dampening: Scalar(dampening), weightDecay: Scalar(weightDecay), nesterov: nesterov)
        case .adam(let beta1, let beta2, let epsilon, let weightDecay):
            Scalar.adamUpdate(value, gradient, firstMoment: firstBuffers[index] + range.lowerBound, secondMoment: secondBuffers[index] + range.lowerBound,
                              count, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
                              decoupled: false, step: step)
        case .adamW(let beta1, let beta2, let epsilon, let weightDecay):
            Scalar.adamUpdate(value, gradient, firstMoment: firstBuffers[index] + range.lowerBound, secondMoment: secondBuffers[index] + range.lowerBound,
                              count, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
                              decoupled: true, step: step)
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
    @discardableResult
    public func step(clippingNorm: Double?) -> StepOutcome {
        let norm = clippingNorm.map { GradientClipping.clipByGlobalNorm(parameters, maxNorm: $0) } ?? GradientClipping.globalNorm(parameters)
        guard norm.isFinite else {
            skippedSteps += 1
            return .skipped(gradientNorm: norm)
        }
        update()
        return .applied(gradientNorm: norm)
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
