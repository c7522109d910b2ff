import Foundation
import RealModule
import Testing
@testable import Layers
@testable import Tensors

/// The optimisers against PyTorch 2.13.0 on a fixed gradient sequence (Fixtures/pytorch_optimizers.json,
/// written by Fixtures/generate_pytorch_optimizers.py, which records the versions it ran with).
@Suite("Optimizers vs PyTorch")
struct OptimizerTests {
    nonisolated(unsafe) static let fixture: [String: Any] = {  // read-only after initialisation
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pytorch_optimizers.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }()

    static let count = 12

    /// p0[i] = sin(i + 1), as the script starts.
    static func initialParameter() -> Parameter<Float> {
        Parameter(name: "p", tensor: ParameterTensor(Tensor(rows: 1, columns: count, scalars: (0..<count).map { Float(Double.sin(Double($0 + 1))) })))
    }

    /// g[i] = cos(0.7·s + 0.3·i)·(1 + 0.1·s) at step s, as the script sets it.
    static func setGradient(_ parameter: Parameter<Float>, step: Int) {
        let values = (0..<count).map { Float(Double.cos(0.7 * Double(step) + 0.3 * Double($0)) * (1 + 0.1 * Double(step))) }
        values.withUnsafeBufferPointer { parameter.tensor.gradient.pointer.update(from: $0.baseAddress!, count: count) }
        parameter.tensor.gradientIsZero = false
    }

    static func configuration(_ params: [String: Any]) -> (OptimizerConfiguration, Double) {
        let lr = params["lr"] as! Double
        let weightDecay = params["weight_decay"] as? Double
        switch params["type"] as! String {
        case "sgd":
            return (.sgd(momentum: params["momentum"] as? Double ?? 0, dampening: params["dampening"] as? Double ?? 0,
                         nesterov: params["nesterov"] as? Bool ?? false, weightDecay: weightDecay ?? 0), lr)
        case "adam":
            let betas = params["betas"] as? [Double] ?? [0.9, 0.999]
            return (.adam(beta1: betas[0], beta2: betas[1], epsilon: params["eps"] as? Double ?? 1e-8, weightDecay: weightDecay ?? 0), lr)
        default:
            return (.adamW(weightDecay: weightDecay ?? 0.01), lr)
        }
    }

    @Test("ten steps on a fixed gradient sequence give PyTorch's parameters",
          arguments: ["sgd", "sgd_momentum", "sgd_nesterov", "adam", "adam_weight_decay", "adamw"])
    func matchesPyTorch(name: String) throws {
        let cases = try #require(Self.fixture["cases"] as? [String: Any])
        let entry = try #require(cases[name] as? [String: Any])
        let history = try #require(entry["history"] as? [[Double]])
        let (configuration, learningRate) = Self.configuration(try #require(entry["params"] as? [String: Any]))
        let parameter = Self.initialParameter()
        let optimizer = Optimizer(parameters: [parameter], configuration: configuration, learningRate: learningRate)
        for step in 1...history.count {
            optimizer.zeroGradients()
            Self.setGradient(parameter, step: step)
            optimizer.update()
            let values = parameter.tensor.tensor.scalars
            for i in 0..<Self.count {
                // Float32 arithmetic in a different order (PyTorch vectorises and fuses differently): equal to
                // within a few units in the last place after every step.
                let expected = history[step - 1][i]
                #expect(abs(Double(values[i]) - expected) <= 4e-7 * max(1, abs(expected)), "\(name) step \(step) [\(i)]: \(values[i]) vs \(expected)")
            }
        }
    }

    @Test("saving and restoring the state continues the exact same steps")
    func stateRoundTrip() throws {
        for configuration in [OptimizerConfiguration.sgd(momentum: 0.9, nesterov: true), .adam(), .adamW()] {
            let straight = Self.initialParameter(), resumed = Self.initialParameter()
            let first = Optimizer(parameters: [straight], configuration: configuration, learningRate: 0.01)
            let second = Optimizer(parameters: [resumed], configuration: configuration, learningRate: 0.01)
            for step in 1...3 {
                Self.setGradient(straight, step: step); first.update()
                Self.setGradient(resumed, step: step); second.update()
            }
            let saved = try JSONDecoder().decode(OptimizerState<Float>.self, from: try JSONEncoder().encode(second.state))
            let restoredParameter = Parameter(name: "p", tensor: ParameterTensor(resumed.tensor.tensor))
            let restored = Optimizer(parameters: [restoredParameter], configuration: configuration, learningRate: 0.01)
            try restored.restore(saved)
            for step in 4...6 {
                Self.setGradient(straight, step: step); first.update()
                Self.setGradient(restoredParameter, step: step); restored.update()
            }
            #expect(straight.tensor.tensor == restoredParameter.tensor.tensor, "\(configuration)")
        }
    }

    @Test("restoring a state for other parameters or another optimiser is an error naming what differs")
    func mismatchedState() {
        let adam = Optimizer(parameters: [Self.initialParameter()], configuration: .adam(), learningRate: 0.01)
        let sgd = Optimizer(parameters: [Self.initialParameter()], configuration: .sgd(momentum: 0.9), learningRate: 0.01)
        #expect(throws: OptimizerStateMismatch.self) { try adam.restore(sgd.state) }
        let other = Parameter(name: "q", tensor: ParameterTensor(Tensor<Float>(rows: 1, columns: Self.count)))
        let renamed = Optimizer(parameters: [other], configuration: .adam(), learningRate: 0.01)
        do { try renamed.restore(adam.state); Issue.record("no error") } catch {
            #expect(error.description == "the checkpoint has no optimizer state for q")
        }
    }

    @Test("a parameter with no gradient this step is updated as if its gradient were zero")
    func zeroGradient() {
        let parameter = Self.initialParameter()
        let before = parameter.tensor.tensor
        let optimizer = Optimizer(parameters: [parameter], configuration: .sgd(), learningRate: 0.1)
        optimizer.zeroGradients()
        optimizer.update()
        #expect(parameter.tensor.tensor == before)
    }
}

@Suite("Optimizer steps")
struct OptimizerStepTests {
    @Test("a non-finite gradient skips the step and counts it; a finite one clips and applies")
    func skipNonFinite() {
        let parameter = OptimizerTests.initialParameter()
        let optimizer = Optimizer(parameters: [parameter], configuration: .sgd(), learningRate: 0.1)
        let before = parameter.tensor.tensor
        OptimizerTests.setGradient(parameter, step: 1)
        parameter.tensor.gradient.pointer[3] = .nan
        guard case .skipped(let skippedNorm) = optimizer.step(clippingNorm: 1.0) else { Issue.record("a NaN gradient was applied"); return }
        #expect(skippedNorm.isNaN)
        #expect(parameter.tensor.tensor == before)
        #expect(optimizer.skippedSteps == 1 && optimizer.step == 0)
        parameter.tensor.gradient.pointer[3] = .infinity
        if case .applied = optimizer.step(clippingNorm: nil) { Issue.record("an infinite gradient was applied") }
        #expect(optimizer.skippedSteps == 2)
        OptimizerTests.setGradient(parameter, step: 1)
        guard case .applied(let norm) = optimizer.step(clippingNorm: 0.5) else { Issue.record("not applied"); return }
        #expect(norm > 0.5)
        // SGD with lr 0.1 moved the parameter by at most lr·0.5 (the clipped norm) in total.
        let moved = zip(before.scalars, parameter.tensor.tensor.scalars).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
        #expect(abs(moved - 0.05) < 1e-6)
        #expect(optimizer.state.skippedSteps == 2)
    }
}
