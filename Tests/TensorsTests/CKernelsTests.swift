import CKernels
import Testing
@testable import Tensors

/// The C kernels: every compiled version (baseline, AVX2, AVX-512, as far as this CPU runs them) gives the
/// same bits, and the bits of the portable rules they replace.
@Suite("C kernels", .serialized)
struct CKernelsTests {
    /// Runs `body` at every instruction-set level this CPU supports and returns each result.
    func atEveryLevel<Result>(_ body: () -> Result) -> [Result] {
        let saved = anneal_kernel_level()
        defer { anneal_set_kernel_level(saved) }
        return (0...anneal_kernel_highest_level()).map { level in
            anneal_set_kernel_level(Int32(level))
            return body()
        }
    }

    static func values(_ count: Int, seed: UInt64, low: Float = -3, high: Float = 3) -> [Float] {
        var generator = RandomGenerator(seed: seed)
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: low, high: high) }
        return values
    }

    @Test("Adam and AdamW match the portable rule bit for bit at every level, with clipping scale and odd lengths",
          arguments: [(0.0, false), (0.01, false), (0.05, true)])
    func adam(weightDecay: Double, decoupled: Bool) {
        let count = 16 * 5 + 7
        let gradient = Self.values(count, seed: 1), start = Self.values(count, seed: 2)
        let step = AdamStep(learningRate: 3e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: weightDecay, decoupled: decoupled, step: 3)
        // The portable rule (TensorScalar's default), written out for Float.
        var p = start, m = Self.values(count, seed: 3, low: -0.1, high: 0.1), v = Self.values(count, seed: 4, low: 0, high: 0.1)
        let m0 = m, v0 = v
        let scale: Float = 0.75
        for i in 0..<count {
            var g = gradient[i] * scale
            if weightDecay != 0 { if decoupled { p[i] *= Float(step.shrink) } else { g += Float(step.weightDecay) * p[i] } }
            m[i] += Float(step.oneMinusBeta1) * (g - m[i])
            v[i] = Float(step.beta2) * v[i] + Float(step.oneMinusBeta2) * g * g
            p[i] -= Float(step.stepSize) * m[i] / (v[i].squareRoot() * Float(step.inverseCorrection2) + Float(step.epsilon))
        }
        for (value, first, second) in atEveryLevel({ () -> ([Float], [Float], [Float]) in
            var value = start, first = m0, second = v0
            Float.adamUpdate(&value, gradient, firstMoment: &first, secondMoment: &second, count, step: step, gradientScale: scale)
            return (value, first, second)
        }) {
            #expect(value.map(\.bitPattern) == p.map(\.bitPattern))
            #expect(first.map(\.bitPattern) == m.map(\.bitPattern))
            #expect(second.map(\.bitPattern) == v.map(\.bitPattern))
        }
    }

    @Test("Adam flushes subnormal moments to zero when ε allows (as XLA's CPU backend does): the parameters are the portable rule's bit for bit, at every level; with ε = 0 it does not flush")
    func adamFlushesSubnormals() {
        // g = 1e-20: g² = 1e-40 and (1 − β₂)·g² = 1e-43 are subnormal (below 2⁻¹²⁶ ≈ 1.18e-38): v becomes 0.
        // m = 0.1·g = 1e-21 stays normal. A subnormal v enters the update as √v ≈ 3e-22, far below ε = 1e-8's
        // half ulp, so the denominator, and the parameter, are the same as without flushing. A subnormal v0
        // (1e-39) decays to 0 at once. With ε = 0 a flushed v would divide m by 0: there the kernel keeps them.
        let count = 16 * 3 + 5
        let gradient = (0..<count).map { Float($0 % 3 == 0 ? 1e-20 : -2e-20) }
        let start = Self.values(count, seed: 8)
        let v0 = (0..<count).map { Float($0 % 2 == 0 ? 1e-39 : 0) }
        for epsilon in [1e-8, 0] {
            let step = AdamStep(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: epsilon, weightDecay: 0, decoupled: false, step: 5)
            #expect(step.flushesSubnormals == (epsilon > 0))
            var p = start, m = [Float](repeating: 0, count: count), v = v0
            for i in 0..<count {
                let g = gradient[i]
                m[i] += Float(step.oneMinusBeta1) * (g - m[i])
                v[i] = Float(step.beta2) * v[i] + Float(step.oneMinusBeta2) * g * g
                p[i] -= Float(step.stepSize) * m[i] / (v[i].squareRoot() * Float(step.inverseCorrection2) + Float(step.epsilon))
            }
            #expect(v.contains { $0.isSubnormal } && p.allSatisfy(\.isFinite))  // the portable rule keeps them
            #expect(anneal_flushes_subnormals() == 0)
            for (value, first, second) in atEveryLevel({ () -> ([Float], [Float], [Float]) in
                var value = start, first = [Float](repeating: 0, count: count), second = v0
                Float.adamUpdate(&value, gradient, firstMoment: &first, secondMoment: &second, count, step: step, gradientScale: 1)
                return (value, first, second)
            }) {
                #expect(value.map(\.bitPattern) == p.map(\.bitPattern), "ε \(epsilon)")
                #expect(first.map(\.bitPattern) == m.map(\.bitPattern), "ε \(epsilon)")
                if epsilon > 0 { #expect(second.allSatisfy { $0 == 0 }) } else { #expect(second.map(\.bitPattern) == v.map(\.bitPattern)) }
            }
            // The calling thread's mode is restored.
            #expect(anneal_flushes_subnormals() == 0)
        }
    }

    @Test("the sum of squares is the same at every level and within 1e-12 (relative) of the sequential sum")
    func sumOfSquares() {
        for count in [0, 1, 15, 16, 17, 1000, 65_537] {
            let x = Self.values(count, seed: UInt64(count))
            let sequential = x.reduce(0.0) { $0 + Double($1) * Double($1) }
            let results = atEveryLevel { Float.sumOfSquares(x, count) }
            #expect(Set(results.map(\.bitPattern)).count == 1)
            #expect(abs(results[0] - sequential) <= 1e-12 * max(1, sequential))
        }
    }

    @Test("the Bernoulli loss, its backward, ReLU and its fused backward, bias rows, column sums: the same at every level")
    func elementWise() {
        for columns in [5, 8, 16, 24, 37, 784] {
            let rows = 3, n = rows * columns
            let logits = Self.values(n, seed: 5, low: -30, high: 30), targets = Self.values(n, seed: 6, low: 0, high: 1)
            let dy = Self.values(n, seed: 7)
            let results = atEveryLevel { () -> [[Float]] in
                var out = [Float](repeating: 0, count: rows), sigmoid = [Float](repeating: 0, count: n)
                Float.binaryCrossEntropyWithLogits(logits, targets, rows: rows, columns: columns, &out, sigmoid: &sigmoid)
                var dlogits = [Float](repeating: 1, count: n)
                Float.binaryCrossEntropyBackward(sigmoid, targets, out, rows: rows, columns: columns, &dlogits, accumulate: true)
                var relu = [Float](repeating: 0, count: n)
                Float.unary(.relu, logits, &relu, n)
                var sums = [Float](repeating: 0, count: columns)
                Float.sumOverRows(dy, rows: rows, columns: columns, factor: 1, &sums, accumulate: false)
                var broadcast = [Float](repeating: 0, count: n)
                Float.broadcastRow(Array(dy.prefix(columns)), &broadcast, rows: rows, columns: columns)
                var dz = [Float](repeating: 0, count: n), biasGradient = [Float](repeating: 1, count: columns)
                Float.activationBackward(.relu, relu, dy, &dz, rows: rows, columns: columns, biasGradient: &biasGradient, accumulate: true)
                return [out, sigmoid, dlogits, relu, sums, broadcast, dz, biasGradient]
            }
            for result in results.dropFirst() {
                for (a, b) in zip(result, results[0]) { #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "columns \(columns)") }
            }
        }
    }
    @Test("the categorical loss and its backward match the portable rule bit for bit: ties, large logits, groups of 2, 3 and 5, accumulate")
    func categoricalCrossEntropy() {
        for (groupSize, groups) in [(3, 9), (2, 4), (5, 3)] {
            let rows = 7, columns = groupSize * groups, n = rows * columns
            var logits = Self.values(n, seed: 31, low: -60, high: 60)
            logits[0] = 4; logits[1] = 4  // a tie: the first maximum is kept
            logits[columns] = 88; logits[columns + 1] = -88
            var generator = RandomGenerator(seed: 32)
            let labels = (0..<rows * groups).map { _ in Int32(generator.integer(below: groupSize)) }
            let dy = Self.values(rows, seed: 33)
            for accumulate in [false, true] {
                var out = [Float](repeating: 0, count: rows), probabilities = [Float](repeating: 0, count: n)
                var expectedOut = out, expectedProbabilities = probabilities
                Float.categoricalCrossEntropy(logits, labels, rows: rows, columns: columns, groupSize: groupSize, &out, probabilities: &probabilities)
                Float.portableCategoricalCrossEntropy(logits, labels, rows: rows, columns: columns, groupSize: groupSize, &expectedOut, probabilities: &expectedProbabilities)
                #expect(out.map(\.bitPattern) == expectedOut.map(\.bitPattern), "group \(groupSize)")
                #expect(probabilities.map(\.bitPattern) == expectedProbabilities.map(\.bitPattern), "group \(groupSize)")
                var dlogits = Self.values(n, seed: 34), expectedDlogits = dlogits
                Float.categoricalCrossEntropyBackward(probabilities, labels, dy, rows: rows, columns: columns, groupSize: groupSize, &dlogits, accumulate: accumulate)
                Float.portableCategoricalCrossEntropyBackward(probabilities, labels, dy, rows: rows, columns: columns, groupSize: groupSize,
                                                              &expectedDlogits, accumulate: accumulate)
                #expect(dlogits.map(\.bitPattern) == expectedDlogits.map(\.bitPattern), "group \(groupSize), accumulate \(accumulate)")
            }
        }
    }
}
