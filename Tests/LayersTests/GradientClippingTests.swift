import Testing
@testable import Layers
@testable import Tensors

@Suite("Gradient clipping")
struct GradientClippingTests {
    func parameter(_ name: String, gradient: [Float]) -> Parameter<Float> {
        let p = Parameter(name: name, tensor: ParameterTensor(Tensor<Float>(rows: 1, columns: gradient.count)))
        gradient.withUnsafeBufferPointer { p.tensor.gradient.pointer.update(from: $0.baseAddress!, count: gradient.count) }
        p.tensor.gradientIsZero = false
        return p
    }

    @Test("the global norm covers all parameters and clipping scales by max_norm/(norm + 1e-6)")
    func clipping() {
        let a = parameter("a", gradient: [3, 0]), b = parameter("b", gradient: [0, 4])  // norm 5
        #expect(GradientClipping.globalNorm([a, b]) == 5)
        let norm = GradientClipping.clipByGlobalNorm([a, b], maxNorm: 1)
        #expect(norm == 5)  // returned before clipping, as PyTorch's clip_grad_norm_
        let factor = Float(1 / (5 + 1e-6))
        #expect(a.tensor.gradientTensor.scalars == [3 * factor, 0])
        #expect(b.tensor.gradientTensor.scalars == [0, 4 * factor])
        #expect(abs(GradientClipping.globalNorm([a, b]) - 1) < 1e-6)
    }

    @Test("gradients under the limit are untouched; zero-flagged gradients count as zeros")
    func underLimit() {
        let a = parameter("a", gradient: [0.3, 0.4])
        let zero = Parameter(name: "z", tensor: ParameterTensor(Tensor<Float>(rows: 1, columns: 2, repeating: 1)))
        zero.tensor.gradient.pointer.update(repeating: 100, count: 2)  // stale memory behind a zero flag
        #expect(abs(GradientClipping.clipByGlobalNorm([a, zero], maxNorm: 1) - 0.5) < 1e-7)
        #expect(a.tensor.gradientTensor.scalars == [0.3, 0.4])
    }

    @Test("a non-finite gradient gives a non-finite norm and is not scaled, so the step can be skipped")
    func nonFinite() {
        let a = parameter("a", gradient: [.nan, 1]), b = parameter("b", gradient: [.infinity, 1])
        #expect(GradientClipping.clipByGlobalNorm([a], maxNorm: 1).isNaN)
        #expect(GradientClipping.clipByGlobalNorm([b], maxNorm: 1) == .infinity)
        #expect(b.tensor.gradientTensor.scalars[1] == 1)
    }
}
