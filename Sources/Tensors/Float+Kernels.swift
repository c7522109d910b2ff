import CKernels

// Single-precision replacements for the kernels that dominate a training step's non-GEMM time: the Bernoulli
// loss (an exp and a log1p per element), the Adam update (a square root and a division per parameter), ReLU
// and the reductions. The heavy ones are C (CKernels), with the same operations in the same order as the
// portable Swift rules they replace.
extension Float {
    public static func unary(_ operation: UnaryOperation, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        guard case .relu = operation else { return genericUnary(operation, x, y, count) }
        anneal_relu(x, y, count)
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

    /// The bias rows with vector stores (a memmove call per row costs more than the copy for narrow layers).
    public static func broadcastRow(_ row: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        anneal_broadcast_row(row, y, rows, columns)
    }

    /// ReLU's fused backward with the bias gradient in one pass (C); the other activations as the portable rule.
    public static func activationBackward(_ operation: UnaryOperation, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dz: UnsafeMutablePointer<Float>,
                                          rows: Int, columns: Int, biasGradient: UnsafeMutablePointer<Float>?, accumulate: Bool) {
        guard case .relu = operation else {
            return genericActivationBackward(operation, y, dy, dz, rows: rows, columns: columns, biasGradient: biasGradient, accumulate: accumulate)
        }
        anneal_relu_backward(y, dy, dz, rows, columns, biasGradient, accumulate ? 1 : 0)
    }

    public static func binaryCrossEntropyWithLogits(_ logits: UnsafePointer<Float>, _ targets: UnsafePointer<Float>, rows: Int, columns: Int,
                                                    _ out: UnsafeMutablePointer<Float>, sigmoid: UnsafeMutablePointer<Float>) {
        anneal_binary_cross_entropy(logits, targets, rows, columns, out, sigmoid)
    }

    public static func binaryCrossEntropyBackward(_ sigmoid: UnsafePointer<Float>, _ targets: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                                  rows: Int, columns: Int, _ dlogits: UnsafeMutablePointer<Float>, accumulate: Bool) {
        anneal_binary_cross_entropy_backward(sigmoid, targets, dy, rows, columns, dlogits, accumulate ? 1 : 0)
    }

    /// The categorical loss as the portable rule computes it (libm's expf and logf, same order), in C: the
    /// Swift loop's index arithmetic and checks cost as much as its exponentials (4 % of a ternary step).
    public static func categoricalCrossEntropy(_ logits: UnsafePointer<Float>, _ labels: UnsafePointer<Int32>, rows: Int, columns: Int, groupSize: Int,
                                               _ out: UnsafeMutablePointer<Float>, probabilities: UnsafeMutablePointer<Float>) {
        anneal_categorical_cross_entropy(logits, labels, rows, columns, groupSize, out, probabilities)
    }

    public static func categoricalCrossEntropyBackward(_ probabilities: UnsafePointer<Float>, _ labels: UnsafePointer<Int32>, _ dy: UnsafePointer<Float>,
                                                       rows: Int, columns: Int, groupSize: Int, _ dlogits: UnsafeMutablePointer<Float>, accumulate: Bool) {
        anneal_categorical_cross_entropy_backward(probabilities, labels, dy, rows, columns, groupSize, dlogits, accumulate ? 1 : 0)
    }

    public static func sumOverRows(_ x: UnsafePointer<Float>, rows: Int, columns: Int, factor: Float, _ out: UnsafeMutablePointer<Float>, accumulate: Bool) {
        guard factor == 1 else { return genericSumOverRows(x, rows: rows, columns: columns, factor: factor, out, accumulate: accumulate) }
        anneal_column_sums(x, rows, columns, out, accumulate ? 1 : 0)
    }

    public static func sumOfSquares(_ x: UnsafePointer<Float>, _ count: Int) -> Double {
        anneal_sum_of_squares(x, count)
    }

    public static func scaleInPlace(_ x: UnsafeMutablePointer<Float>, _ factor: Float, _ count: Int) {
        anneal_scale(x, factor, count)
    }

    public static func adamUpdate(_ value: UnsafeMutablePointer<Float>, _ gradient: UnsafePointer<Float>, firstMoment: UnsafeMutablePointer<Float>,
                                  secondMoment: UnsafeMutablePointer<Float>, _ count: Int, step: AdamStep, gradientScale: Float) {
        var parameters = step.kernelParameters(gradientScale: gradientScale)
        anneal_adam(value, gradient, firstMoment, secondMoment, count, &parameters)
    }
}
