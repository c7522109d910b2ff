/// The forward half of every operation: shape checks, then the kernel.
extension Graph {
    private func sameShape(_ a: Variable, _ b: Variable, _ name: String) {
        precondition(nodes[a.id].rows == nodes[b.id].rows && nodes[a.id].columns == nodes[b.id].columns,
                     "\(name): shapes \(shape(a)) and \(shape(b)) differ")
    }

    /// `op(a)·op(b)` (BLAS gemm).
    @specialized(where Scalar == Float)
    public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        let (ar, ac) = shape(a), (br, bc) = shape(b)
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (k2, n) = transposeB ? (bc, br) : (br, bc)
        precondition(k == k2, "matmul: inner dimensions \(k) and \(k2) differ")
        let (variable, y) = result(rows: m, columns: n, .matmul(a: a.id, b: b.id, transposeA: transposeA, transposeB: transposeB), inputs: a.id, b.id)
        Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                    a: nodes[a.id].value, lda: ac, b: nodes[b.id].value, ldb: bc, beta: 0, c: y, ldc: n)
        return variable
    }

    /// `x·Wᵀ + b`: a fully connected layer with W stored out × in (PyTorch's layout) and b 1 × out. The bias
    /// rows are written first and the product added by one gemm with β = 1, which spares OpenBLAS's zeroing pass
    /// (β = 0 makes it clear the output column by column before the product).
    @specialized(where Scalar == Float)
    public func linear(_ x: Variable, weight: Variable, bias: Variable?) -> Variable {
        linear(x, weight: weight, bias: bias, activation: nil)
    }

    /// `f(x·Wᵀ + b)`: a fully connected layer and its activation `f` (none when nil). When f's derivative
    /// follows from its output (ReLU, leaky ReLU, ELU, tanh, sigmoid), the two are one node: f is applied in
    /// place after the gemm, so the pre-activation is neither stored nor read again, and the backward
    /// pass computes dz = dy·f'(z) from y together with the bias gradient Σ_rows dz in one pass. Other
    /// activations are a `linear` node followed by an element-wise one, with the same values.
    @specialized(where Scalar == Float)
    public func linear(_ x: Variable, weight: Variable, bias: Variable?, activation: UnaryOperation?) -> Variable {
        if let activation, !activation.derivativeFollowsFromOutput {
            return apply(activation, linear(x, weight: weight, bias: bias, activation: nil))
        }
        let (batch, inputs) = shape(x)
        let (outputs, weightInputs) = shape(weight)
        precondition(inputs == weightInputs, "linear: input has \(inputs) features, weight expects \(weightInputs)")
        if let bias { precondition(shape(bias) == (1, outputs), "linear: bias must be 1 × \(outputs)") }
        let operation: Operation = activation.map { .linearActivation(x: x.id, weight: weight.id, bias: bias?.id, activation: $0) }
            ?? .linear(x: x.id, weight: weight.id, bias: bias?.id)
        let (variable, y) = result(rows: batch, columns: outputs, operation, inputs: x.id, weight.id, bias?.id ?? -1)
        if let bias { Scalar.broadcastRow(nodes[bias.id].value, y, rows: batch, columns: outputs) }
        Scalar.gemm(transposeA: false, transposeB: true, m: batch, n: outputs, k: inputs, alpha: 1,
                    a: nodes[x.id].value, lda: inputs, b: nodes[weight.id].value, ldb: inputs,
                    beta: bias == nil ? 0 : 1, c: y, ldc: outputs)
        if let activation { Scalar.unary(activation, y, y, batch * outputs) }
        return variable
    }

    /// `x + row` with the 1 × columns `row` added to every row.
    @specialized(where Scalar == Float)
    public func addRowVector(_ x: Variable, _ row: Variable) -> Variable {
        let (rows, columns) = shape(x)
        precondition(shape(row) == (1, columns), "addRowVector: row must be 1 × \(columns)")
        let (variable, y) = result(rows: rows, columns: columns, .addRowVector(x: x.id, row: row.id), inputs: x.id, row.id)
        Scalar.addRowVector(nodes[x.id].value, nodes[row.id].value, y, rows: rows, columns: columns)
        return variable
    }

    @specialized(where Scalar == Float)
    public func add(_ a: Variable, _ b: Variable) -> Variable {
        sameShape(a, b, "add")
        let (variable, y) = result(rows: nodes[a.id].rows, columns: nodes[a.id].columns, .add(a: a.id, b: b.id), inputs: a.id, b.id)
        nodes[variable.id].layout = nodes[a.id].layout
        Scalar.add(nodes[a.id].value, nodes[b.id].value, y, nodes[a.id].count)
        return variable
    }

    @specialized(where Scalar == Float)
    public func subtract(_ a: Variable, _ b: Variable) -> Variable {
        sameShape(a, b, "subtract")
        let (variable, y) = result(rows: nodes[a.id].rows, columns: nodes[a.id].columns, .subtract(a: a.id, b: b.id), inputs: a.id, b.id)
        nodes[variable.id].layout = nodes[a.id].layout
        Scalar.subtract(nodes[a.id].value, nodes[b.id].value, y, nodes[a.id].count)
        return variable
    }

    @specialized(where Scalar == Float)
    public func multiply(_ a: Variable, _ b: Variable) -> Variable {
        sameShape(a, b, "multiply")
        let (variable, y) = result(rows: nodes[a.id].rows, columns: nodes[a.id].columns, .multiply(a: a.id, b: b.id), inputs: a.id, b.id)
        nodes[variable.id].layout = nodes[a.id].layout
        Scalar.multiply(nodes[a.id].value, nodes[b.id].value, y, nodes[a.id].count)
        return variable
    }

    /// An element-wise function (ReLU, tanh, exp, …).
    @specialized(where Scalar == Float)
    public func apply(_ operation: UnaryOperation, _ x: Variable) -> Variable {
        let (variable, y) = result(rows: nodes[x.id].rows, columns: nodes[x.id].columns, .unary(x: x.id, operation: operation), inputs: x.id)
        nodes[variable.id].layout = nodes[x.id].layout
        Scalar.unary(operation, nodes[x.id].value, y, nodes[x.id].count)
        return variable
    }

    public func relu(_ x: Variable) -> Variable { apply(.relu, x) }
    public func leakyRelu(_ x: Variable, slope: Double = 0.01) -> Variable { apply(.leakyRelu(slope: slope), x) }
    public func elu(_ x: Variable, alpha: Double = 1) -> Variable { apply(.elu(alpha: alpha), x) }
    public func tanh(_ x: Variable) -> Variable { apply(.tanh, x) }
    public func sigmoid(_ x: Variable) -> Variable { apply(.sigmoid, x) }
    public func softplus(_ x: Variable) -> Variable { apply(.softplus, x) }
    public func exp(_ x: Variable) -> Variable { apply(.exp, x) }
    public func log(_ x: Variable) -> Variable { apply(.log, x) }
    public func square(_ x: Variable) -> Variable { apply(.square, x) }
    public func sqrt(_ x: Variable) -> Variable { apply(.sqrt, x) }
    public func scale(_ x: Variable, by factor: Double) -> Variable { apply(.scale(factor), x) }
    public func addScalar(_ x: Variable, _ constant: Double) -> Variable { apply(.addScalar(constant), x) }
    public func clampMin(_ x: Variable, _ floor: Double) -> Variable { apply(.clampMin(floor), x) }
    public func absolute(_ x: Variable) -> Variable { apply(.absolute, x) }

    /// Sums over columns: rows × 1 (`mean` divides by the number of columns).
    @specialized(where Scalar == Float)
    public func sumOverColumns(_ x: Variable, mean: Bool = false) -> Variable {
        let (rows, columns) = shape(x)
        let factor = mean ? 1 / Double(columns) : 1
        let (variable, y) = result(rows: rows, columns: 1, .sumOverColumns(x: x.id, factor: factor), inputs: x.id)
        Scalar.sumOverColumns(nodes[x.id].value, rows: rows, columns: columns, factor: Scalar(factor), y, accumulate: false)
        return variable
    }

    /// Sums over rows: 1 × columns (`mean` divides by the number of rows).
    @specialized(where Scalar == Float)
    public func sumOverRows(_ x: Variable, mean: Bool = false) -> Variable {
        let (rows, columns) = shape(x)
        let factor = mean ? 1 / Double(rows) : 1
        let (variable, y) = result(rows: 1, columns: columns, .sumOverRows(x: x.id, factor: factor), inputs: x.id)
        Scalar.sumOverRows(nodes[x.id].value, rows: rows, columns: columns, factor: Scalar(factor), y, accumulate: false)
        return variable
    }

    /// The sum (or mean) of all elements: 1 × 1.
    @specialized(where Scalar == Float)
    public func sum(_ x: Variable, mean: Bool = false) -> Variable {
        let count = nodes[x.id].count
        let factor = mean ? 1 / Double(count) : 1
        let (variable, y) = result(rows: 1, columns: 1, .sumAll(x: x.id, factor: factor), inputs: x.id)
        Scalar.sumOverColumns(nodes[x.id].value, rows: 1, columns: count, factor: Scalar(factor), y, accumulate: false)
        return variable
    }

    public func mean(_ x: Variable) -> Variable { sum(x, mean: true) }

    private func checkGroups(_ x: Variable, _ groupSize: Int, _ name: String) {
        precondition(groupSize > 0 && nodes[x.id].columns % groupSize == 0, "\(name): \(nodes[x.id].columns) columns are not groups of \(groupSize)")
    }

    /// log Σ eˣ over each group of `groupSize` columns: rows × groups (the whole row when groupSize = columns).
    @specialized(where Scalar == Float)
    public func logSumExp(_ x: Variable, groupSize: Int) -> Variable {
        checkGroups(x, groupSize, "logSumExp")
        let (rows, columns) = shape(x)
        let (variable, y) = result(rows: rows, columns: columns / groupSize, .groupLogSumExp(x: x.id, groupSize: groupSize), inputs: x.id)
        Scalar.groupLogSumExp(nodes[x.id].value, rows: rows, columns: columns, groupSize: groupSize, y)
        return variable
    }

    /// Softmax within each group of `groupSize` columns.
    @specialized(where Scalar == Float)
    public func softmax(_ x: Variable, groupSize: Int) -> Variable {
        checkGroups(x, groupSize, "softmax")
        let (rows, columns) = shape(x)
        let (variable, y) = result(rows: rows, columns: columns, .groupSoftmax(x: x.id, groupSize: groupSize, log: false), inputs: x.id)
        Scalar.groupSoftmax(nodes[x.id].value, rows: rows, columns: columns, groupSize: groupSize, log: false, y)
        return variable
    }

    /// Log-softmax within each group of `groupSize` columns.
    @specialized(where Scalar == Float)
    public func logSoftmax(_ x: Variable, groupSize: Int) -> Variable {
        checkGroups(x, groupSize, "logSoftmax")
        let (rows, columns) = shape(x)
        let (variable, y) = result(rows: rows, columns: columns, .groupSoftmax(x: x.id, groupSize: groupSize, log: true), inputs: x.id)
        Scalar.groupSoftmax(nodes[x.id].value, rows: rows, columns: columns, groupSize: groupSize, log: true, y)
        return variable
    }

    /// `[a b]`: the columns of `b` after those of `a` (conditioning on a label, joining latents).
    @specialized(where Scalar == Float)
    public func concatenateColumns(_ a: Variable, _ b: Variable) -> Variable {
        let (rows, ac) = shape(a), (rowsB, bc) = shape(b)
        precondition(rows == rowsB, "concatenateColumns: \(rows) and \(rowsB) rows")
        let (variable, y) = result(rows: rows, columns: ac + bc, .concatenateColumns(a: a.id, b: b.id), inputs: a.id, b.id)
        Scalar.copyColumns(nodes[a.id].value, sourceColumns: ac, sourceStart: 0, y, destinationColumns: ac + bc, destinationStart: 0, count: ac, rows: rows, accumulate: false)
        Scalar.copyColumns(nodes[b.id].value, sourceColumns: bc, sourceStart: 0, y, destinationColumns: ac + bc, destinationStart: ac, count: bc, rows: rows, accumulate: false)
        return variable
    }

    /// Columns `start..<start + count` (splitting an encoder's output into μ and log σ²).
    @specialized(where Scalar == Float)
    public func sliceColumns(_ x: Variable, start: Int, count: Int) -> Variable {
        let (rows, columns) = shape(x)
        precondition(start >= 0 && count > 0 && start + count <= columns, "sliceColumns: \(start)..<\(start + count) outside \(columns) columns")
        let (variable, y) = result(rows: rows, columns: count, .sliceColumns(x: x.id, start: start), inputs: x.id)
        Scalar.copyColumns(nodes[x.id].value, sourceColumns: columns, sourceStart: start, y, destinationColumns: count, destinationStart: 0, count: count, rows: rows, accumulate: false)
        return variable
    }

    /// Splits the columns in two at `at`.
    public func splitColumns(_ x: Variable, at: Int) -> (Variable, Variable) {
        (sliceColumns(x, start: 0, count: at), sliceColumns(x, start: at, count: shape(x).columns - at))
    }

    /// One-hot rows (no gradient): `labels` rows × 1 with values in `0..<classes`.
    @specialized(where Scalar == Float)
    public func oneHot(_ labels: Labels, classes: Int) -> Variable {
        precondition(labels.columns == 1, "oneHot takes one label per row")
        let source = labelPointer(labels.id)
        return constant(rows: labels.rows, columns: classes) { buffer in
            Scalar.fill(buffer.baseAddress!, 0, buffer.count)
            for i in 0..<labels.rows {
                let label = Int(source[i])
                precondition(label >= 0 && label < classes, "label \(label) outside 0..<\(classes)")
                buffer[i * classes + label] = 1
            }
        }
    }

    /// `x[i, g·groupSize + labels[i, g]]`: the entry each label picks in each group (rows × groups).
    @specialized(where Scalar == Float)
    public func gather(_ x: Variable, labels: Labels, groupSize: Int) -> Variable {
        checkGroups(x, groupSize, "gather")
        let (rows, columns) = shape(x)
        let groups = columns / groupSize
        precondition(labels.rows == rows && labels.columns == groups, "gather: labels must be \(rows) × \(groups)")
        let (variable, y) = result(rows: rows, columns: groups, .gather(x: x.id, labels: labels.id, groupSize: groupSize), inputs: x.id)
        Scalar.gather(nodes[x.id].value, labelPointer(labels.id), rows: rows, columns: columns, groupSize: groupSize, y)
        return variable
    }

    // MARK: Fused losses (per example: rows × 1)

    /// Bernoulli negative log-likelihood with logits, summed over columns: rows × 1.
    @specialized(where Scalar == Float)
    public func binaryCrossEntropyWithLogits(_ logits: Variable, targets: Variable) -> Variable {
        sameShape(logits, targets, "binaryCrossEntropyWithLogits")
        let (rows, columns) = shape(logits)
        let sigmoid = scratch(rows: rows, columns: columns)
        let (variable, y) = result(rows: rows, columns: 1, .binaryCrossEntropy(logits: logits.id, targets: targets.id, sigmoid: sigmoid), inputs: logits.id, targets.id)
        Scalar.binaryCrossEntropyWithLogits(nodes[logits.id].value, nodes[targets.id].value, rows: rows, columns: columns, y, sigmoid: nodes[sigmoid].value)
        return variable
    }

    /// Categorical negative log-likelihood over groups of `groupSize` columns, summed over groups: rows × 1.
    /// `labels` is rows × groups.
    @specialized(where Scalar == Float)
    public func categoricalCrossEntropy(_ logits: Variable, labels: Labels, groupSize: Int) -> Variable {
        checkGroups(logits, groupSize, "categoricalCrossEntropy")
        let (rows, columns) = shape(logits)
        precondition(labels.rows == rows && labels.columns == columns / groupSize, "categoricalCrossEntropy: labels must be \(rows) × \(columns / groupSize)")
        let indices = labelPointer(labels.id)
        for i in 0..<labels.rows * labels.columns {
            precondition(indices[i] >= 0 && Int(indices[i]) < groupSize, "label \(indices[i]) outside 0..<\(groupSize)")
        }
        let probabilities = scratch(rows: rows, columns: columns)
        let (variable, y) = result(rows: rows, columns: 1, .categoricalCrossEntropy(logits: logits.id, labels: labels.id, groupSize: groupSize, probabilities: probabilities), inputs: logits.id)
        Scalar.categoricalCrossEntropy(nodes[logits.id].value, indices, rows: rows, columns: columns, groupSize: groupSize, y, probabilities: nodes[probabilities].value)
        return variable
    }

    /// Σⱼ (p − t)² per row: rows × 1.
    @specialized(where Scalar == Float)
    public func squaredError(_ prediction: Variable, target: Variable) -> Variable {
        sameShape(prediction, target, "squaredError")
        let (rows, columns) = shape(prediction)
        let (variable, y) = result(rows: rows, columns: 1, .squaredError(prediction: prediction.id, target: target.id), inputs: prediction.id, target.id)
        Scalar.squaredError(nodes[prediction.id].value, nodes[target.id].value, rows: rows, columns: columns, y)
        return variable
    }

    /// Gaussian negative log-likelihood summed over columns: Σⱼ ½(log 2π + lv + (t − μ)²·e^(−lv)), rows × 1.
    /// `logVariance` is rows × columns (predicted per example) or 1 × columns (one learned or fixed variance
    /// per dimension).
    @specialized(where Scalar == Float)
    public func gaussianNegativeLogLikelihood(mean: Variable, logVariance: Variable, target: Variable) -> Variable {
        sameShape(mean, target, "gaussianNegativeLogLikelihood")
        let (rows, columns) = shape(mean)
        let (lr, lc) = shape(logVariance)
        precondition(lc == columns && (lr == rows || lr == 1), "gaussianNegativeLogLikelihood: log-variance must be \(rows) × \(columns) or 1 × \(columns)")
        let (variable, y) = result(rows: rows, columns: 1, .gaussianNegativeLogLikelihood(mean: mean.id, logVariance: logVariance.id, target: target.id), inputs: mean.id, logVariance.id, target.id)
        Scalar.gaussianNegativeLogLikelihood(nodes[mean.id].value, nodes[logVariance.id].value, nodes[target.id].value,
                                             rows: rows, columns: columns, perExample: lr == rows, y)
        return variable
    }

    /// Element-wise KL(N(μ, e^lv) ‖ N(0, I)): rows × latent, per dimension (sum over columns for the total).
    @specialized(where Scalar == Float)
    public func klStandardNormal(mean: Variable, logVariance: Variable) -> Variable {
        sameShape(mean, logVariance, "klStandardNormal")
        let (rows, columns) = shape(mean)
        let (variable, y) = result(rows: rows, columns: columns, .klStandardNormal(mean: mean.id, logVariance: logVariance.id), inputs: mean.id, logVariance.id)
        Scalar.klStandardNormal(nodes[mean.id].value, nodes[logVariance.id].value, y, rows * columns)
        return variable
    }

    /// Element-wise KL(N(μq, e^lvq) ‖ N(μp, e^lvp)) = ½(lvp − lvq + (e^lvq + (μq − μp)²)·e^(−lvp) − 1).
    @specialized(where Scalar == Float)
    public func klDiagonalGaussians(meanQ: Variable, logVarianceQ: Variable, meanP: Variable, logVarianceP: Variable) -> Variable {
        sameShape(meanQ, logVarianceQ, "klDiagonalGaussians")
        sameShape(meanQ, meanP, "klDiagonalGaussians")
        sameShape(meanQ, logVarianceP, "klDiagonalGaussians")
        let (rows, columns) = shape(meanQ)
        let (variable, y) = result(rows: rows, columns: columns, .klDiagonalGaussians(meanQ: meanQ.id, logVarianceQ: logVarianceQ.id, meanP: meanP.id, logVarianceP: logVarianceP.id),
                                   inputs: meanQ.id, logVarianceQ.id, meanP.id, logVarianceP.id)
        Scalar.klDiagonalGaussians(nodes[meanQ.id].value, nodes[logVarianceQ.id].value, nodes[meanP.id].value, nodes[logVarianceP.id].value, y, rows * columns)
        return variable
    }

    /// The reparameterisation trick: `z = μ + ε·e^(lv/2)` with `noise` ε drawn by the caller.
    @specialized(where Scalar == Float)
    public func reparameterize(mean: Variable, logVariance: Variable, noise: Variable) -> Variable {
        sameShape(mean, logVariance, "reparameterize")
        sameShape(mean, noise, "reparameterize")
        let (rows, columns) = shape(mean)
        let (variable, y) = result(rows: rows, columns: columns, .reparameterize(mean: mean.id, logVariance: logVariance.id, noise: noise.id), inputs: mean.id, logVariance.id)
        Scalar.reparameterize(nodes[mean.id].value, nodes[logVariance.id].value, nodes[noise.id].value, y, rows * columns)
        return variable
    }
}
