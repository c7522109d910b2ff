import RealModule

// The default kernels: plain loops, specialised per scalar type (see `TensorScalar`). Each "accumulate" flag
// chooses between `+=` (a gradient that already has a contribution) and `=` (the first contribution, which
// saves zero-filling the buffer).

extension TensorScalar {
    @inline(__always)
    static func store(_ y: UnsafeMutablePointer<Self>, _ index: Int, _ value: Self, _ accumulate: Bool) {
        if accumulate { y[index] += value } else { y[index] = value }
    }

    /// `log(1 + eˣ)` without overflow.
    @inline(__always)
    static func softplusScalar(_ x: Self) -> Self {
        Swift.max(x, 0) + Self.log(onePlus: Self.exp(-Swift.abs(x)))
    }

    /// `1/(1 + e^(−x))` without overflow.
    @inline(__always)
    static func sigmoidScalar(_ x: Self) -> Self {
        if x >= 0 { return 1 / (1 + Self.exp(-x)) }
        let e = Self.exp(x)
        return e / (1 + e)
    }

    public static func unary(_ operation: UnaryOperation, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int) {
        genericUnary(operation, x, y, count)
    }

    /// The portable element-wise functions, also the fallback of `Float`'s vectorised overrides.
    @inline(__always)
    static func genericUnary(_ operation: UnaryOperation, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int) {
        switch operation {
        case .relu: for i in 0..<count { y[i] = x[i] > 0 ? x[i] : 0 }
        case .leakyRelu(let slope):
            let s = Self(slope)
            for i in 0..<count { y[i] = x[i] > 0 ? x[i] : s * x[i] }
        case .elu(let alpha):
            let a = Self(alpha)
            for i in 0..<count { y[i] = x[i] > 0 ? x[i] : a * Self.expMinusOne(x[i]) }
        case .tanh: for i in 0..<count { y[i] = Self.tanh(x[i]) }
        case .sigmoid: for i in 0..<count { y[i] = sigmoidScalar(x[i]) }
        case .softplus: for i in 0..<count { y[i] = softplusScalar(x[i]) }
        case .exp: for i in 0..<count { y[i] = Self.exp(x[i]) }
        case .log: for i in 0..<count { y[i] = Self.log(x[i]) }
        case .square: for i in 0..<count { y[i] = x[i] * x[i] }
        case .sqrt: for i in 0..<count { y[i] = x[i].squareRoot() }
        case .scale(let factor):
            let f = Self(factor)
            for i in 0..<count { y[i] = f * x[i] }
        case .addScalar(let constant):
            let c = Self(constant)
            for i in 0..<count { y[i] = x[i] + c }
        case .clampMin(let floor):
            let f = Self(floor)
            for i in 0..<count { y[i] = x[i] > f ? x[i] : f }
        case .absolute: for i in 0..<count { y[i] = Swift.abs(x[i]) }
        }
    }

    /// `dx[i] (+)= f(i)` for every i, as two loops so that each one vectorises.
    @inline(__always)
    static func write(_ dx: UnsafeMutablePointer<Self>, _ count: Int, accumulate: Bool, _ f: (Int) -> Self) {
        if accumulate {
            for i in 0..<count { dx[i] += f(i) }
        } else {
            for i in 0..<count { dx[i] = f(i) }
        }
    }

    public static func unaryBackward(_ operation: UnaryOperation, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>,
                                     _ dy: UnsafePointer<Self>, _ dx: UnsafeMutablePointer<Self>, _ count: Int, accumulate: Bool) {
        genericUnaryBackward(operation, x, y, dy, dx, count, accumulate: accumulate)
    }

    /// The portable derivative rules of the element-wise functions, also `Float`'s fallback.
    @inline(__always)
    static func genericUnaryBackward(_ operation: UnaryOperation, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>,
                                     _ dy: UnsafePointer<Self>, _ dx: UnsafeMutablePointer<Self>, _ count: Int, accumulate: Bool) {
        switch operation {
        case .relu: write(dx, count, accumulate: accumulate) { x[$0] > 0 ? dy[$0] : 0 }
        case .leakyRelu(let slope):
            let s = Self(slope)
            write(dx, count, accumulate: accumulate) { x[$0] > 0 ? dy[$0] : s * dy[$0] }
        case .elu(let alpha):
            let a = Self(alpha)
            write(dx, count, accumulate: accumulate) { x[$0] > 0 ? dy[$0] : dy[$0] * (y[$0] + a) }  // α·eˣ = y + α
        case .tanh: write(dx, count, accumulate: accumulate) { dy[$0] * (1 - y[$0] * y[$0]) }
        case .sigmoid: write(dx, count, accumulate: accumulate) { dy[$0] * y[$0] * (1 - y[$0]) }
        case .softplus: write(dx, count, accumulate: accumulate) { dy[$0] * sigmoidScalar(x[$0]) }
        case .exp: write(dx, count, accumulate: accumulate) { dy[$0] * y[$0] }
        case .log: write(dx, count, accumulate: accumulate) { dy[$0] / x[$0] }
        case .square: write(dx, count, accumulate: accumulate) { 2 * x[$0] * dy[$0] }
        case .sqrt: write(dx, count, accumulate: accumulate) { dy[$0] / (2 * y[$0]) }
        case .scale(let factor):
            let f = Self(factor)
            write(dx, count, accumulate: accumulate) { f * dy[$0] }
        case .addScalar: write(dx, count, accumulate: accumulate) { dy[$0] }
        case .clampMin(let floor):
            let f = Self(floor)
            write(dx, count, accumulate: accumulate) { x[$0] > f ? dy[$0] : 0 }
        case .absolute: write(dx, count, accumulate: accumulate) { x[$0] > 0 ? dy[$0] : (x[$0] < 0 ? -dy[$0] : 0) }
        }
    }

    public static func activationBackward(_ operation: UnaryOperation, _ y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, _ dz: UnsafeMutablePointer<Self>,
                                          rows: Int, columns: Int, biasGradient: UnsafeMutablePointer<Self>?, accumulate: Bool) {
        genericActivationBackward(operation, y, dy, dz, rows: rows, columns: columns, biasGradient: biasGradient, accumulate: accumulate)
    }

    /// The portable rule of `activationBackward`, also `Float`'s fallback.
    @inline(__always)
    static func genericActivationBackward(_ operation: UnaryOperation, _ y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, _ dz: UnsafeMutablePointer<Self>,
                                          rows: Int, columns: Int, biasGradient: UnsafeMutablePointer<Self>?, accumulate: Bool) {
        let count = rows * columns
        switch operation {
        case .relu: for i in 0..<count { dz[i] = y[i] > 0 ? dy[i] : 0 }
        case .leakyRelu(let slope):
            let s = Self(slope)
            for i in 0..<count { dz[i] = y[i] > 0 ? dy[i] : s * dy[i] }
        case .elu(let alpha):
            let a = Self(alpha)
            for i in 0..<count { dz[i] = y[i] > 0 ? dy[i] : dy[i] * (y[i] + a) }
        case .tanh: for i in 0..<count { dz[i] = dy[i] * (1 - y[i] * y[i]) }
        case .sigmoid: for i in 0..<count { dz[i] = dy[i] * y[i] * (1 - y[i]) }
        default: preconditionFailure("activationBackward: the derivative of \(operation) does not follow from its output")
        }
        if let biasGradient { sumOverRows(dz, rows: rows, columns: columns, factor: 1, biasGradient, accumulate: accumulate) }
    }

    public static func add(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int) {
        for i in 0..<count { y[i] = a[i] + b[i] }
    }

    public static func subtract(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int) {
        for i in 0..<count { y[i] = a[i] - b[i] }
    }

    public static func multiply(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int) {
        for i in 0..<count { y[i] = a[i] * b[i] }
    }

    public static func scaled(_ x: UnsafePointer<Self>, _ factor: Self, _ y: UnsafeMutablePointer<Self>, _ count: Int, accumulate: Bool) {
        if accumulate {
            for i in 0..<count { y[i] += factor * x[i] }
        } else if factor == 1 {
            y.update(from: x, count: count)
        } else {
            for i in 0..<count { y[i] = factor * x[i] }
        }
    }

    public static func multiplied(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int, accumulate: Bool) {
        if accumulate {
            for i in 0..<count { y[i] += a[i] * b[i] }
        } else {
            for i in 0..<count { y[i] = a[i] * b[i] }
        }
    }

    public static func broadcastRow(_ row: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int) {
        for i in 0..<rows { (y + i * columns).update(from: row, count: columns) }
    }

    public static func addRowVector(_ x: UnsafePointer<Self>, _ row: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int) {
        for i in 0..<rows {
            let xi = x + i * columns
            let yi = y + i * columns
            for j in 0..<columns { yi[j] = xi[j] + row[j] }
        }
    }

    public static func sumOverRows(_ x: UnsafePointer<Self>, rows: Int, columns: Int, factor: Self, _ out: UnsafeMutablePointer<Self>, accumulate: Bool) {
        genericSumOverRows(x, rows: rows, columns: columns, factor: factor, out, accumulate: accumulate)
    }

    /// Column sums added row after row (the order `Float`'s vectorised override keeps).
    @inline(__always)
    static func genericSumOverRows(_ x: UnsafePointer<Self>, rows: Int, columns: Int, factor: Self, _ out: UnsafeMutablePointer<Self>, accumulate: Bool) {
        if !accumulate { out.update(repeating: 0, count: columns) }
        if factor == 1 {
            for i in 0..<rows {
                let xi = x + i * columns
                for j in 0..<columns { out[j] += xi[j] }
            }
        } else {
            for i in 0..<rows {
                let xi = x + i * columns
                for j in 0..<columns { out[j] += factor * xi[j] }
            }
        }
    }

    public static func sumOverColumns(_ x: UnsafePointer<Self>, rows: Int, columns: Int, factor: Self, _ out: UnsafeMutablePointer<Self>, accumulate: Bool) {
        for i in 0..<rows {
            let xi = x + i * columns
            var sum: Self = 0
            for j in 0..<columns { sum += xi[j] }
            store(out, i, factor * sum, accumulate)
        }
    }

    public static func broadcastGradient(_ dy: UnsafePointer<Self>, rows: Int, columns: Int, factor: Self, mode: BroadcastMode,
                                         _ dx: UnsafeMutablePointer<Self>, accumulate: Bool) {
        for i in 0..<rows {
            let dxi = dx + i * columns
            switch mode {
            case .alongColumns:
                let g = factor * dy[i]
                for j in 0..<columns { store(dxi, j, g, accumulate) }
            case .alongRows:
                for j in 0..<columns { store(dxi, j, factor * dy[j], accumulate) }
            case .scalar:
                let g = factor * dy[0]
                for j in 0..<columns { store(dxi, j, g, accumulate) }
            }
        }
    }

    public static func copyColumns(_ source: UnsafePointer<Self>, sourceColumns: Int, sourceStart: Int,
                                   _ destination: UnsafeMutablePointer<Self>, destinationColumns: Int, destinationStart: Int,
                                   count: Int, rows: Int, accumulate: Bool) {
        for i in 0..<rows {
            let s = source + i * sourceColumns + sourceStart
            let d = destination + i * destinationColumns + destinationStart
            if accumulate {
                for j in 0..<count { d[j] += s[j] }
            } else {
                d.update(from: s, count: count)
            }
        }
    }

    public static func groupLogSumExp(_ x: UnsafePointer<Self>, rows: Int, columns: Int, groupSize: Int, _ y: UnsafeMutablePointer<Self>) {
        let groups = columns / groupSize
        for i in 0..<rows {
            for g in 0..<groups {
                let xg = x + i * columns + g * groupSize
                var maximum = xg[0]
                for j in 1..<groupSize where xg[j] > maximum { maximum = xg[j] }
                var sum: Self = 0
                for j in 0..<groupSize { sum += Self.exp(xg[j] - maximum) }
                y[i * groups + g] = maximum + Self.log(sum)
            }
        }
    }

    public static func groupSoftmax(_ x: UnsafePointer<Self>, rows: Int, columns: Int, groupSize: Int, log: Bool, _ y: UnsafeMutablePointer<Self>) {
        let groups = columns / groupSize
        for i in 0..<rows {
            for g in 0..<groups {
                let offset = i * columns + g * groupSize
                let xg = x + offset
                let yg = y + offset
                var maximum = xg[0]
                for j in 1..<groupSize where xg[j] > maximum { maximum = xg[j] }
                var sum: Self = 0
                for j in 0..<groupSize {
                    let e = Self.exp(xg[j] - maximum)
                    yg[j] = e
                    sum += e
                }
                if log {
                    let logSum = maximum + Self.log(sum)
                    for j in 0..<groupSize { yg[j] = xg[j] - logSum }
                } else {
                    let inverse = 1 / sum
                    for j in 0..<groupSize { yg[j] *= inverse }
                }
            }
        }
    }

    public static func binaryCrossEntropyWithLogits(_ logits: UnsafePointer<Self>, _ targets: UnsafePointer<Self>, rows: Int, columns: Int,
                                                    _ out: UnsafeMutablePointer<Self>, sigmoid: UnsafeMutablePointer<Self>) {
        for i in 0..<rows {
            var sum: Self = 0
            for j in i * columns..<(i + 1) * columns {
                let l = logits[j]
                let e = Self.exp(-Swift.abs(l))
                sum += Swift.max(l, 0) - l * targets[j] + Self.log(onePlus: e)
                sigmoid[j] = l >= 0 ? 1 / (1 + e) : e / (1 + e)
            }
            out[i] = sum
        }
    }

    public static func binaryCrossEntropyBackward(_ sigmoid: UnsafePointer<Self>, _ targets: UnsafePointer<Self>, _ dy: UnsafePointer<Self>,
                                                  rows: Int, columns: Int, _ dlogits: UnsafeMutablePointer<Self>, accumulate: Bool) {
        for i in 0..<rows {
            let g = dy[i], base = i * columns
            write(dlogits + base, columns, accumulate: accumulate) { g * (sigmoid[base + $0] - targets[base + $0]) }
        }
    }

    public static func categoricalCrossEntropy(_ logits: UnsafePointer<Self>, _ labels: UnsafePointer<Int32>, rows: Int, columns: Int, groupSize: Int,
                                               _ out: UnsafeMutablePointer<Self>, probabilities: UnsafeMutablePointer<Self>) {
        portableCategoricalCrossEntropy(logits, labels, rows: rows, columns: columns, groupSize: groupSize, out, probabilities: probabilities)
    }

    /// The portable rule, which `Float`'s C kernel reproduces bit for bit (tested).
    @inline(__always)
    static func portableCategoricalCrossEntropy(_ logits: UnsafePointer<Self>, _ labels: UnsafePointer<Int32>, rows: Int, columns: Int, groupSize: Int,
                                                _ out: UnsafeMutablePointer<Self>, probabilities: UnsafeMutablePointer<Self>) {
        // Per group: m = max, s = Σ e^(x − m), lse = m + log s; p = e^(x − m)/s; loss += lse − x[label].
        // One exp per element and one log per group.
        let groups = columns / groupSize
        for i in 0..<rows {
            var sum: Self = 0
            for g in 0..<groups {
                let offset = i * columns + g * groupSize
                let xg = logits + offset, pg = probabilities + offset
                var maximum = xg[0]
                for j in 1..<groupSize where xg[j] > maximum { maximum = xg[j] }
                var total: Self = 0
                for j in 0..<groupSize {
                    let e = Self.exp(xg[j] - maximum)
                    pg[j] = e
                    total += e
                }
                let inverse = 1 / total
                for j in 0..<groupSize { pg[j] *= inverse }
                sum += maximum + Self.log(total) - xg[Int(labels[i * groups + g])]
            }
            out[i] = sum
        }
    }

    public static func categoricalCrossEntropyBackward(_ probabilities: UnsafePointer<Self>, _ labels: UnsafePointer<Int32>, _ dy: UnsafePointer<Self>,
                                                       rows: Int, columns: Int, groupSize: Int, _ dlogits: UnsafeMutablePointer<Self>, accumulate: Bool) {
        portableCategoricalCrossEntropyBackward(probabilities, labels, dy, rows: rows, columns: columns, groupSize: groupSize, dlogits, accumulate: accumulate)
    }

    @inline(__always)
    static func portableCategoricalCrossEntropyBackward(_ probabilities: UnsafePointer<Self>, _ labels: UnsafePointer<Int32>, _ dy: UnsafePointer<Self>,
                                                        rows: Int, columns: Int, groupSize: Int, _ dlogits: UnsafeMutablePointer<Self>, accumulate: Bool) {
        let groups = columns / groupSize
        for i in 0..<rows {
            let g = dy[i]
            for j in i * columns..<(i + 1) * columns { store(dlogits, j, g * probabilities[j], accumulate) }
            for group in 0..<groups {
                dlogits[i * columns + group * groupSize + Int(labels[i * groups + group])] -= g
            }
        }
    }

    public static func klStandardNormal(_ mean: UnsafePointer<Self>, _ logVariance: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ count: Int) {
        for i in 0..<count {
            out[i] = (mean[i] * mean[i] + Self.exp(logVariance[i]) - 1 - logVariance[i]) / 2
        }
    }

    public static func klStandardNormalBackward(_ mean: UnsafePointer<Self>, _ logVariance: UnsafePointer<Self>, _ dy: UnsafePointer<Self>,
                                                dMean: UnsafeMutablePointer<Self>?, accumulateMean: Bool,
                                                dLogVariance: UnsafeMutablePointer<Self>?, accumulateLogVariance: Bool, _ count: Int) {
        if let dMean {
            for i in 0..<count { store(dMean, i, dy[i] * mean[i], accumulateMean) }
        }
        if let dLogVariance {
            for i in 0..<count { store(dLogVariance, i, dy[i] * (Self.exp(logVariance[i]) - 1) / 2, accumulateLogVariance) }
        }
    }

    public static func reparameterize(_ mean: UnsafePointer<Self>, _ logVariance: UnsafePointer<Self>, _ noise: UnsafePointer<Self>,
                                      _ z: UnsafeMutablePointer<Self>, _ count: Int) {
        for i in 0..<count { z[i] = mean[i] + noise[i] * Self.exp(logVariance[i] / 2) }
    }

    public static func sumOfSquares(_ x: UnsafePointer<Self>, _ count: Int) -> Double {
        var sum = 0.0
        for i in 0..<count {
            let value = x[i].doubleValue
            sum += value * value
        }
        return sum
    }

    public static func scaleInPlace(_ x: UnsafeMutablePointer<Self>, _ factor: Self, _ count: Int) {
        for i in 0..<count { x[i] *= factor }
    }

    public static func sgdUpdate(_ value: UnsafeMutablePointer<Self>, _ gradient: UnsafePointer<Self>, momentumBuffer: UnsafeMutablePointer<Self>?,
                                 firstStep: Bool, _ count: Int, learningRate: Self, momentum: Self, dampening: Self, weightDecay: Self, nesterov: Bool) {
        for i in 0..<count {
            var step = gradient[i]
            if weightDecay != 0 { step += weightDecay * value[i] }
            if let buffer = momentumBuffer {
                buffer[i] = firstStep ? step : momentum * buffer[i] + (1 - dampening) * step
                step = nesterov ? step + momentum * buffer[i] : buffer[i]
            }
            value[i] -= learningRate * step
        }
    }

    public static func adamUpdate(_ value: UnsafeMutablePointer<Self>, _ gradient: UnsafePointer<Self>, firstMoment: UnsafeMutablePointer<Self>,
                                  secondMoment: UnsafeMutablePointer<Self>, _ count: Int, step: AdamStep, gradientScale: Self) {
        // PyTorch: m.lerp_(g, 1 − β₁); v = β₂v + (1 − β₂)g²; p −= lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε).
        let b2 = Self(step.beta2), oneMinusB1 = Self(step.oneMinusBeta1), oneMinusB2 = Self(step.oneMinusBeta2)
        let stepSize = Self(step.stepSize), inverseCorrection2 = Self(step.inverseCorrection2), eps = Self(step.epsilon)
        let decay = Self(step.weightDecay), shrink = Self(step.shrink)
        for i in 0..<count {
            var g = gradient[i] * gradientScale
            if step.weightDecay != 0 {
                if step.decoupled { value[i] *= shrink } else { g += decay * value[i] }
            }
            firstMoment[i] += oneMinusB1 * (g - firstMoment[i])
            secondMoment[i] = b2 * secondMoment[i] + oneMinusB2 * g * g
            let denominator = secondMoment[i].squareRoot() * inverseCorrection2 + eps
            value[i] -= stepSize * firstMoment[i] / denominator
        }
    }

    public static func fill(_ y: UnsafeMutablePointer<Self>, _ value: Self, _ count: Int) {
        for i in 0..<count { y[i] = value }
    }

    public static func gather(_ x: UnsafePointer<Self>, _ labels: UnsafePointer<Int32>, rows: Int, columns: Int, groupSize: Int, _ y: UnsafeMutablePointer<Self>) {
        let groups = columns / groupSize
        for i in 0..<rows {
            for g in 0..<groups { y[i * groups + g] = x[i * columns + g * groupSize + Int(labels[i * groups + g])] }
        }
    }

    public static func gatherBackward(_ dy: UnsafePointer<Self>, _ labels: UnsafePointer<Int32>, rows: Int, columns: Int, groupSize: Int, _ dx: UnsafeMutablePointer<Self>) {
        let groups = columns / groupSize
        for i in 0..<rows {
            for g in 0..<groups { dx[i * columns + g * groupSize + Int(labels[i * groups + g])] += dy[i * groups + g] }
        }
    }

    public static func groupLogSumExpBackward(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, rows: Int, columns: Int, groupSize: Int, _ dx: UnsafeMutablePointer<Self>) {
        let groups = columns / groupSize
        for i in 0..<rows {
            for g in 0..<groups {
                let offset = i * columns + g * groupSize
                let lse = y[i * groups + g], grad = dy[i * groups + g]
                for j in 0..<groupSize { dx[offset + j] += grad * Self.exp(x[offset + j] - lse) }
            }
        }
    }

    public static func groupSoftmaxBackward(_ y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, rows: Int, columns: Int, groupSize: Int, log: Bool, _ dx: UnsafeMutablePointer<Self>) {
        for i in 0..<rows {
            for g in 0..<(columns / groupSize) {
                let offset = i * columns + g * groupSize
                if log {  // y = x − lse: dx = dy − softmax·Σ dy
                    var total: Self = 0
                    for j in 0..<groupSize { total += dy[offset + j] }
                    for j in 0..<groupSize { dx[offset + j] += dy[offset + j] - Self.exp(y[offset + j]) * total }
                } else {  // dx = y ⊙ (dy − Σ dy ⊙ y)
                    var dot: Self = 0
                    for j in 0..<groupSize { dot += dy[offset + j] * y[offset + j] }
                    for j in 0..<groupSize { dx[offset + j] += y[offset + j] * (dy[offset + j] - dot) }
                }
            }
        }
    }

    public static func squaredError(_ prediction: UnsafePointer<Self>, _ target: UnsafePointer<Self>, rows: Int, columns: Int, _ out: UnsafeMutablePointer<Self>) {
        for i in 0..<rows {
            var sum: Self = 0
            for j in i * columns..<(i + 1) * columns {
                let d = prediction[j] - target[j]
                sum += d * d
            }
            out[i] = sum
        }
    }

    public static func squaredErrorBackward(_ prediction: UnsafePointer<Self>, _ target: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, rows: Int, columns: Int,
                                            dPrediction: UnsafeMutablePointer<Self>?, dTarget: UnsafeMutablePointer<Self>?) {
        for i in 0..<rows {
            let g = 2 * dy[i]
            for j in i * columns..<(i + 1) * columns {
                let d = g * (prediction[j] - target[j])
                dPrediction?[j] += d
                dTarget?[j] -= d
            }
        }
    }

    public static func gaussianNegativeLogLikelihood(_ mean: UnsafePointer<Self>, _ logVariance: UnsafePointer<Self>, _ target: UnsafePointer<Self>,
                                                     rows: Int, columns: Int, perExample: Bool, _ out: UnsafeMutablePointer<Self>) {
        let logTwoPi = Self.log(2 * Self.pi)
        for i in 0..<rows {
            var sum: Self = 0
            let lvRow = perExample ? logVariance + i * columns : logVariance
            for j in 0..<columns {
                let d = target[i * columns + j] - mean[i * columns + j]
                sum += (logTwoPi + lvRow[j] + d * d * Self.exp(-lvRow[j])) / 2
            }
            out[i] = sum
        }
    }

    public static func gaussianNegativeLogLikelihoodBackward(_ mean: UnsafePointer<Self>, _ logVariance: UnsafePointer<Self>, _ target: UnsafePointer<Self>,
                                                             _ dy: UnsafePointer<Self>, rows: Int, columns: Int, perExample: Bool,
                                                             dMean: UnsafeMutablePointer<Self>?, dLogVariance: UnsafeMutablePointer<Self>?,
                                                             dTarget: UnsafeMutablePointer<Self>?) {
        for i in 0..<rows {
            let lvRow = perExample ? logVariance + i * columns : logVariance
            for j in 0..<columns {
                let index = i * columns + j
                let precision = Self.exp(-lvRow[j])
                let d = target[index] - mean[index]
                dMean?[index] -= dy[i] * d * precision
                dTarget?[index] += dy[i] * d * precision
                dLogVariance?[perExample ? index : j] += dy[i] * (1 - d * d * precision) / 2
            }
        }
    }

    public static func klDiagonalGaussians(_ meanQ: UnsafePointer<Self>, _ logVarianceQ: UnsafePointer<Self>, _ meanP: UnsafePointer<Self>,
                                           _ logVarianceP: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ count: Int) {
        for i in 0..<count {
            let d = meanQ[i] - meanP[i]
            out[i] = (logVarianceP[i] - logVarianceQ[i] + (Self.exp(logVarianceQ[i]) + d * d) * Self.exp(-logVarianceP[i]) - 1) / 2
        }
    }

    public static func klDiagonalGaussiansBackward(_ meanQ: UnsafePointer<Self>, _ logVarianceQ: UnsafePointer<Self>, _ meanP: UnsafePointer<Self>,
                                                   _ logVarianceP: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, _ count: Int,
                                                   dMeanQ: UnsafeMutablePointer<Self>?, dLogVarianceQ: UnsafeMutablePointer<Self>?,
                                                   dMeanP: UnsafeMutablePointer<Self>?, dLogVarianceP: UnsafeMutablePointer<Self>?) {
        for i in 0..<count {
            let precision = Self.exp(-logVarianceP[i])
            let d = meanQ[i] - meanP[i]
            dMeanQ?[i] += dy[i] * d * precision
            dMeanP?[i] -= dy[i] * d * precision
            dLogVarianceQ?[i] += dy[i] * (Self.exp(logVarianceQ[i] - logVarianceP[i]) - 1) / 2
            dLogVarianceP?[i] += dy[i] * (1 - (Self.exp(logVarianceQ[i]) + d * d) * precision) / 2
        }
    }

    public static func reparameterizeBackward(_ z: UnsafePointer<Self>, _ mean: UnsafePointer<Self>, _ dz: UnsafePointer<Self>, _ dLogVariance: UnsafeMutablePointer<Self>, _ count: Int) {
        for i in 0..<count { dLogVariance[i] += dz[i] * (z[i] - mean[i]) / 2 }
    }

    public static func binaryCrossEntropyTargetBackward(_ logits: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, rows: Int, columns: Int, _ dTargets: UnsafeMutablePointer<Self>) {
        for i in 0..<rows {
            for j in i * columns..<(i + 1) * columns { dTargets[j] -= dy[i] * logits[j] }
        }
    }
}
