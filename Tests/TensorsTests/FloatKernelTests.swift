import RealModule
import Testing
@testable import Tensors

/// The vectorised single-precision kernels against the same formulas in Double.
@Suite("Float kernels")
struct FloatKernelTests {
    @Test("vector exp, log and log1p are within a few ulp of Double over their ranges")
    func vectorMath() {
        var worstExp = 0.0, worstLog = 0.0, worstLog1p = 0.0
        var x = -100.0
        while x < 88 {
            let lanes = VectorMath.Vector((0..<8).map { Float(x + Double($0) * 0.0137) })
            let e = VectorMath.exp(lanes)
            for lane in 0..<8 {
                let exact = Double.exp(Double(lanes[lane]))
                if exact > 1e-37 { worstExp = max(worstExp, abs(Double(e[lane]) - exact) / exact) }
            }
            x += 0.11
        }
        var u = 1e-12
        while u < 1e6 {
            let lanes = VectorMath.Vector((0..<8).map { Float(u * (1 + Double($0) * 0.01)) })
            let l = VectorMath.log(lanes), l1 = VectorMath.log1p(lanes)
            for lane in 0..<8 {
                let value = Double(lanes[lane])
                worstLog = max(worstLog, abs(Double(l[lane]) - Double.log(value)) / max(1e-30, abs(Double.log(value))))
                worstLog1p = max(worstLog1p, abs(Double(l1[lane]) - Double.log(onePlus: value)) / Double.log(onePlus: value))
            }
            u *= 1.37
        }
        #expect(worstExp < 3e-7)  // Float's ulp is 1.2e-7 relative (2⁻²³)
        #expect(worstLog < 3e-7)
        #expect(worstLog1p < 3e-7)
        #expect(VectorMath.exp(VectorMath.Vector(repeating: 100))[0] == .infinity || VectorMath.exp(VectorMath.Vector(repeating: 100))[0] > 1e38)
        #expect(VectorMath.exp(VectorMath.Vector(repeating: -200))[0] == 0)
    }

    @Test("the Bernoulli loss and its saved sigmoid match Double, including odd row lengths and extreme logits")
    func bernoulli() {
        for columns in [5, 8, 13, 784] {
            let rows = 3
            var generator = RandomGenerator(seed: UInt64(columns))
            var logits = [Double](repeating: 0, count: rows * columns), targets = logits
            for i in logits.indices {
                logits[i] = (generator.uniform() - 0.5) * 60  // ±30: exp(−|l|) underflows for some
                targets[i] = generator.uniform() < 0.5 ? 0 : 1
            }
            var outFloat = [Float](repeating: 0, count: rows), sigmoidFloat = [Float](repeating: 0, count: rows * columns)
            var outDouble = [Double](repeating: 0, count: rows), sigmoidDouble = [Double](repeating: 0, count: rows * columns)
            let logitsFloat = logits.map(Float.init), targetsFloat = targets.map(Float.init)
            Float.binaryCrossEntropyWithLogits(logitsFloat, targetsFloat, rows: rows, columns: columns, &outFloat, sigmoid: &sigmoidFloat)
            Double.binaryCrossEntropyWithLogits(logitsFloat.map(Double.init), targets, rows: rows, columns: columns, &outDouble, sigmoid: &sigmoidDouble)
            for i in 0..<rows { #expect(abs(Double(outFloat[i]) - outDouble[i]) <= 1e-5 * max(1, outDouble[i]), "columns \(columns) row \(i)") }
            for i in 0..<rows * columns { #expect(abs(Double(sigmoidFloat[i]) - sigmoidDouble[i]) <= 2e-7) }
        }
    }

    @Test("ReLU forward and backward (overwrite and accumulate) match the portable rules")
    func relu() {
        let x: [Float] = [-2, -0.0, 0, 1e-30, 3, -1, 2, 5, -7, 0.5, 8]
        let dy: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
        var y = [Float](repeating: 9, count: x.count)
        Float.unary(.relu, x, &y, x.count)
        #expect(y == x.map { $0 > 0 ? $0 : 0 })
        var dx = [Float](repeating: 100, count: x.count)
        Float.unaryBackward(.relu, x, y, dy, &dx, x.count, accumulate: false)
        #expect(dx == zip(x, dy).map { $0 > 0 ? $1 : 0 })
        Float.unaryBackward(.relu, x, y, dy, &dx, x.count, accumulate: true)
        #expect(dx == zip(x, dy).map { $0 > 0 ? 2 * $1 : 0 })
    }
}
