import Testing
@testable import Tensors

/// Checks a graph's gradients against central finite differences in Double.
///
/// The loss is Σ (f(inputs) ⊙ R) for a fixed random R, so every output element gets its own upstream
/// gradient. Each input element is nudged by ±h and the loss recomputed from scratch:
/// ∂L/∂x ≈ (L(x + h) − L(x − h)) / 2h, compared with the graph's gradient to a mixed tolerance.
struct GradientCheck {
    var inputs: [Tensor<Double>]
    var step = 1e-6
    var tolerance = 1e-6

    /// `build` records the function of the bound inputs and returns its output.
    func run(_ name: String, _ build: (Graph<Double>, [Graph<Double>.Variable]) -> Graph<Double>.Variable,
             sourceLocation: SourceLocation = #_sourceLocation) {
        let parameters = inputs.map { ParameterTensor($0) }
        let graph = Graph<Double>()
        let variables = parameters.map(graph.parameter)
        let output = build(graph, variables)
        var generator = RandomGenerator(seed: 99)
        let (rows, columns) = graph.shape(output)
        var weights = Tensor<Double>(rows: rows, columns: columns)
        weights.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: -1, high: 1) }
        let loss = graph.sum(graph.multiply(output, graph.constant(weights)))
        graph.backward(loss)

        func lossValue(_ values: [Tensor<Double>]) -> Double {
            let g = Graph<Double>()
            let vars = values.map { g.constant($0) }
            let out = build(g, vars)
            return g.scalar(g.sum(g.multiply(out, g.constant(weights))))
        }

        for (index, parameter) in parameters.enumerated() {
            let analytic = parameter.gradientTensor
            for element in 0..<inputs[index].count {
                var plus = inputs, minus = inputs
                let r = element / inputs[index].columns, c = element % inputs[index].columns
                plus[index][r, c] += step
                minus[index][r, c] -= step
                let numeric = (lossValue(plus) - lossValue(minus)) / (2 * step)
                let got = analytic[r, c]
                let error = abs(got - numeric) / max(1, abs(numeric))
                #expect(error < tolerance, "\(name): input \(index) element (\(r), \(c)): analytic \(got), numeric \(numeric)", sourceLocation: sourceLocation)
            }
        }
    }
}

enum TestTensors {
    /// A tensor with uniform values in [low, high), from a fixed seed.
    static func uniform(_ rows: Int, _ columns: Int, low: Double = -1, high: Double = 1, seed: UInt64) -> Tensor<Double> {
        var generator = RandomGenerator(seed: seed)
        var tensor = Tensor<Double>(rows: rows, columns: columns)
        tensor.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: low, high: high) }
        return tensor
    }
}
