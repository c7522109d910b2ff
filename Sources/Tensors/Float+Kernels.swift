// Single-precision replacements for the kernels that dominate a training step's non-GEMM time: the Bernoulli
// loss (an exp and a log1p per element) and the Adam update (a square root and a division per parameter).
// Eight lanes at a time; the tail of each row runs the same arithmetic one element at a time.
extension Float {
    public static func unary(_ operation: UnaryOperation, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        guard case .relu = operation else { return genericUnary(operation, x, y, count) }
        var i = 0
        while i + 8 <= count {
            let v = VectorMath.load(x + i)
            VectorMath.store(v.replacing(with: 0, where: v .< 0), y + i)
            i += 8
        }
        while i < count {
            y[i] = x[i] > 0 ? x[i] : 0
            i += 1
        }
    }

    /// ReLU's derivative without branches: a data-dependent branch per element mispredicts half the time.
    public static func unaryBackward(_ operation: UnaryOperation, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                                     _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ count: Int, accumulate: Bool) {
        guard case .relu = operation else { return genericUnaryBackward(operation, x, y, dy, dx, count, accumulate: accumulate) }
        var i = 0
        while i + 8 <= count {
            let passed = VectorMath.load(dy + i).replacing(with: 0, where: VectorMath.load(x + i) .<= 0)
            VectorMath.store(accumulate ? VectorMath.load(dx + i) + passed : passed, dx + i)
            i += 8
        }
        while i < count {
            let passed: Float = x[i] > 0 ? dy[i] : 0
            dx[i] = accumulate ? dx[i] + passed : passed
            i += 1
        }
    }

    public static func binaryCrossEntropyWithLogits(_ logits: UnsafePointer<Float>, _ targets: UnsafePointer<Float>, rows: Int, columns: Int,
                                                    _ out: UnsafeMutablePointer<Float>, sigmoid: UnsafeMutablePointer<Float>) {
        typealias V = VectorMath.Vector
        for i in 0..<rows {
            let base = i * columns
            var sums = V(repeating: 0)
            var j = 0
            while j + 8 <= columns {
                let l = VectorMath.load(logits + base + j)
                let t = VectorMath.load(targets + base + j)
                let e = VectorMath.exp(-VectorMath.abs(l))
                sums += l.replacing(with: 0, where: l .< 0) - l * t + VectorMath.log1p(e)
                let inverse = 1 / (1 + e)
                VectorMath.store(inverse.replacing(with: e * inverse, where: l .< 0), sigmoid + base + j)
                j += 8
            }
            var sum = sums.sum()
            while j < columns {
                var l = V(repeating: 0), t = V(repeating: 0)
                l[0] = logits[base + j]
                t[0] = targets[base + j]
                let e = VectorMath.exp(-VectorMath.abs(l))
                let loss = l.replacing(with: 0, where: l .< 0) - l * t + VectorMath.log1p(e)
                sum += loss[0]
                sigmoid[base + j] = l[0] >= 0 ? 1 / (1 + e[0]) : e[0] / (1 + e[0])
                j += 1
            }
            out[i] = sum
        }
    }

    public static func adamUpdate(_ value: UnsafeMutablePointer<Float>, _ gradient: UnsafePointer<Float>, firstMoment: UnsafeMutablePointer<Float>,
                                  secondMoment: UnsafeMutablePointer<Float>, _ count: Int, learningRate: Double, beta1: Double, beta2: Double,
                                  epsilon: Double, weightDecay: Double, decoupled: Bool, step: Int) {
        typealias V = VectorMath.Vector
        let b2 = Float(beta2), oneMinusB1 = Float(1 - beta1), oneMinusB2 = Float(1 - beta2)
        let stepSize = Float(learningRate / (1 - Double.pow(beta1, Double(step))))
        let inverseCorrection2 = Float(1 / (1 - Double.pow(beta2, Double(step))).squareRoot())
        let eps = Float(epsilon), decay = Float(weightDecay), shrink = Float(1 - learningRate * weightDecay)
        var i = 0
        while i + 8 <= count {
            var p = VectorMath.load(value + i)
            var g = VectorMath.load(gradient + i)
            if weightDecay != 0 {
                if decoupled { p *= shrink } else { g += decay * p }
            }
            var m = VectorMath.load(firstMoment + i)
            m += oneMinusB1 * (g - m)
            let v = b2 * VectorMath.load(secondMoment + i) + oneMinusB2 * g * g
            p -= stepSize * m / (v.squareRoot() * inverseCorrection2 + eps)
            VectorMath.store(m, firstMoment + i)
            VectorMath.store(v, secondMoment + i)
            VectorMath.store(p, value + i)
            i += 8
        }
        while i < count {
            var g = gradient[i]
            if weightDecay != 0 {
                if decoupled { value[i] *= shrink } else { g += decay * value[i] }
            }
            firstMoment[i] += oneMinusB1 * (g - firstMoment[i])
            secondMoment[i] = b2 * secondMoment[i] + oneMinusB2 * g * g
            value[i] -= stepSize * firstMoment[i] / (secondMoment[i].squareRoot() * inverseCorrection2 + eps)
            i += 1
        }
    }
}
