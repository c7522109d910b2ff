/// The backward half: one switch, the table of derivative rules. Each rule adds its input gradients from
/// the node's output gradient `dy`; the first contribution to a gradient overwrites, later ones add.
extension Graph {
    /// Back-propagates from `loss` (1 × 1) with d(loss)/d(loss) = `seed`, accumulating parameter gradients.
    @specialized(where Scalar == Float)
    public func backward(_ loss: Variable, seed: Scalar = 1) {
        precondition(nodes[loss.id].count == 1, "backward needs a 1 × 1 loss, got \(shape(loss))")
        beginBackward()
        guard nodes[loss.id].requiresGradient else { return }
        seedGradient(loss.id, seed)
        propagate(from: loss.id)
    }

    /// Back-propagates from several 1 × 1 roots at once, root i with seed `seeds[i]`: the gradient of
    /// Σᵢ seedᵢ·rootᵢ in one pass over the tape (roots may share nodes; a root listed twice counts twice).
    @specialized(where Scalar == Float)
    public func backward(roots: [Variable], seeds: [Scalar]) {
        precondition(roots.count == seeds.count, "one seed per root")
        beginBackward()
        var highest = -1
        for (root, seed) in zip(roots, seeds) {
            precondition(nodes[root.id].count == 1, "backward needs 1 × 1 roots, got \(shape(root))")
            guard nodes[root.id].requiresGradient else { continue }
            seedGradient(root.id, seed)
            highest = max(highest, root.id)
        }
        if highest >= 0 { propagate(from: highest) }
    }

    /// Forgets which intermediate gradients were written by an earlier backward pass on this tape, so a
    /// second pass (one loss group after another) starts from zero instead of adding to stale buffers.
    /// Parameter gradients are not touched: they accumulate until `ParameterTensor.zeroGradient()`.
    private func beginBackward() {
        for id in nodes.indices where nodes[id].gradientWritten { nodes[id].gradientWritten = false }
    }

    /// Adds `seed` to the gradient of root `id` (overwriting when nothing was written yet).
    private func seedGradient(_ id: Int, _ seed: Scalar) {
        if case .parameter = nodes[id].operation {
            guard let (pointer, accumulate) = target(id) else { return }
            pointer.pointee = accumulate ? pointer.pointee + seed : seed
            return
        }
        let pointer = gradientBuffer(id)
        pointer.pointee = nodes[id].gradientWritten ? pointer.pointee + seed : seed
        nodes[id].gradientWritten = true
    }

    /// Applies the derivative rules from node `highest` down to the first node.
    private func propagate(from highest: Int) {
        for id in stride(from: highest, through: 0, by: -1) {
            let node = nodes[id]
            guard node.requiresGradient, node.gradientWritten, let dy = node.gradient else { continue }
            backward(node: node, dy: dy)
        }
    }

    /// The gradient buffer of node `id` (allocated on first use; its contents are unspecified until written).
    private func gradientBuffer(_ id: Int) -> UnsafeMutablePointer<Scalar> {
        if let gradient = nodes[id].gradient { return gradient }
        let pointer = gradients.take(nodes[id].count)
        nodes[id].gradient = pointer
        return pointer
    }

    /// Where to write input `id`'s gradient, and whether to add (true) or overwrite (false); nil when the
    /// input needs no gradient. The caller must then write every element.
    @inline(__always)
    func target(_ id: Int) -> (UnsafeMutablePointer<Scalar>, Bool)? {
        guard nodes[id].requiresGradient else { return nil }
        let pointer = gradientBuffer(id)
        var accumulate = nodes[id].gradientWritten
        if case .parameter(let index) = nodes[id].operation {
            // A parameter's gradient lives in the parameter and adds up across backward passes.
            accumulate = !parameters[index].gradientIsZero
            parameters[index].gradientIsZero = false
        }
        nodes[id].gradientWritten = true
        return (pointer, accumulate)
    }

    /// As `target`, for rules that write only part of the gradient: an unwritten gradient is zeroed first.
    @inline(__always)
    func partialTarget(_ id: Int) -> UnsafeMutablePointer<Scalar>? {
        guard let (pointer, accumulate) = target(id) else { return nil }
        if !accumulate { Scalar.fill(pointer, 0, nodes[id].count) }
        return pointer
    }

    private func backward(node: Node, dy: UnsafeMutablePointer<Scalar>) {
        let rows = node.rows, columns = node.columns
        switch node.operation {
        case .constant, .parameter:
            break

        case .matmul(let a, let b, let transposeA, let transposeB):
            // C = op(A)·op(B): dA = dC·op(B)ᵀ (or its transpose), dB = op(A)ᵀ·dC (or its transpose).
            let (ar, ac) = (nodes[a].rows, nodes[a].columns), (br, bc) = (nodes[b].rows, nodes[b].columns)
            if let (da, accumulate) = target(a) {
                if transposeA {  // A is k × m: dA = op(B)·dCᵀ
                    Scalar.gemm(transposeA: transposeB, transposeB: true, m: ar, n: ac, k: columns, alpha: 1, a: nodes[b].value, lda: bc, b: dy, ldb: columns, beta: accumulate ? 1 : 0, c: da, ldc: ac)
                } else {  // A is m × k: dA = dC·op(B)ᵀ
                    Scalar.gemm(transposeA: false, transposeB: !transposeB, m: ar, n: ac, k: columns, alpha: 1, a: dy, lda: columns, b: nodes[b].value, ldb: bc, beta: accumulate ? 1 : 0, c: da, ldc: ac)
                }
            }
            if let (db, accumulate) = target(b) {
                if transposeB {  // B is n × k: dB = dCᵀ·op(A)
                    Scalar.gemm(transposeA: true, transposeB: transposeA, m: br, n: bc, k: rows, alpha: 1, a: dy, lda: columns, b: nodes[a].value, ldb: ac, beta: accumulate ? 1 : 0, c: db, ldc: bc)
                } else {  // B is k × n: dB = op(A)ᵀ·dC
                    Scalar.gemm(transposeA: !transposeA, transposeB: false, m: br, n: bc, k: rows, alpha: 1, a: nodes[a].value, lda: ac, b: dy, ldb: columns, beta: accumulate ? 1 : 0, c: db, ldc: bc)
                }
            }

        case .linear(let x, let weight, let bias):
            // y = x·Wᵀ + b: dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy.
            if let bias, let (db, accumulate) = target(bias) {
                Scalar.sumOverRows(dy, rows: rows, columns: columns, factor: 1, db, accumulate: accumulate)
            }
            linearBackward(x: x, weight: weight, dz: dy, rows: rows, columns: columns)

        case .linearActivation(let x, let weight, let bias, let activation):
            // y = f(z), z = x·Wᵀ + b: dz = dy·f'(z), computed from y with db = Σ_rows dz in the same pass, then
            // as linear. dz gets a buffer of its own, so the node's gradient stays dy.
            let dz = gradients.take(rows * columns)
            let biasTarget = bias.flatMap { target($0) }
            Scalar.activationBackward(activation, node.value, dy, dz, rows: rows, columns: columns,
                                      biasGradient: biasTarget?.0, accumulate: biasTarget?.1 ?? false)
            linearBackward(x: x, weight: weight, dz: dz, rows: rows, columns: columns)

        case .addRowVector(let x, let row):
            if let (dx, accumulate) = target(x) { Scalar.scaled(dy, 1, dx, rows * columns, accumulate: accumulate) }
            if let (dr, accumulate) = target(row) { Scalar.sumOverRows(dy, rows: rows, columns: columns, factor: 1, dr, accumulate: accumulate) }

        case .add(let a, let b):
            if let (da, accumulate) = target(a) { Scalar.scaled(dy, 1, da, rows * columns, accumulate: accumulate) }
            if let (db, accumulate) = target(b) { Scalar.scaled(dy, 1, db, rows * columns, accumulate: accumulate) }

        case .subtract(let a, let b):
            if let (da, accumulate) = target(a) { Scalar.scaled(dy, 1, da, rows * columns, accumulate: accumulate) }
            if let (db, accumulate) = target(b) { Scalar.scaled(dy, -1, db, rows * columns, accumulate: accumulate) }

        case .multiply(let a, let b):
            if let (da, accumulate) = target(a) { Scalar.multiplied(dy, nodes[b].value, da, rows * columns, accumulate: accumulate) }
            if let (db, accumulate) = target(b) { Scalar.multiplied(dy, nodes[a].value, db, rows * columns, accumulate: accumulate) }

        case .unary(let x, let operation):
            if let (dx, accumulate) = target(x) {
                Scalar.unaryBackward(operation, nodes[x].value, node.value, dy, dx, rows * columns, accumulate: accumulate)
            }

        case .sumOverColumns(let x, let factor):
            if let (dx, accumulate) = target(x) {
                Scalar.broadcastGradient(dy, rows: nodes[x].rows, columns: nodes[x].columns, factor: Scalar(factor), mode: .alongColumns, dx, accumulate: accumulate)
            }

        case .sumOverRows(let x, let factor):
            if let (dx, accumulate) = target(x) {
                Scalar.broadcastGradient(dy, rows: nodes[x].rows, columns: nodes[x].columns, factor: Scalar(factor), mode: .alongRows, dx, accumulate: accumulate)
            }

        case .sumAll(let x, let factor):
            if let (dx, accumulate) = target(x) {
                Scalar.broadcastGradient(dy, rows: nodes[x].rows, columns: nodes[x].columns, factor: Scalar(factor), mode: .scalar, dx, accumulate: accumulate)
            }

        case .groupLogSumExp(let x, let groupSize):
            guard let dx = partialTarget(x) else { return }
            Scalar.groupLogSumExpBackward(nodes[x].value, node.value, dy, rows: rows, columns: nodes[x].columns, groupSize: groupSize, dx)

        case .groupSoftmax(let x, let groupSize, let log):
            guard let dx = partialTarget(x) else { return }
            Scalar.groupSoftmaxBackward(node.value, dy, rows: rows, columns: columns, groupSize: groupSize, log: log, dx)

        case .concatenateColumns(let a, let b):
            let ac = nodes[a].columns, bc = nodes[b].columns
            if let (da, accumulate) = target(a) {
                Scalar.copyColumns(dy, sourceColumns: columns, sourceStart: 0, da, destinationColumns: ac, destinationStart: 0, count: ac, rows: rows, accumulate: accumulate)
            }
            if let (db, accumulate) = target(b) {
                Scalar.copyColumns(dy, sourceColumns: columns, sourceStart: ac, db, destinationColumns: bc, destinationStart: 0, count: bc, rows: rows, accumulate: accumulate)
            }

        case .sliceColumns(let x, let start):
            guard let dx = partialTarget(x) else { return }
            Scalar.copyColumns(dy, sourceColumns: columns, sourceStart: 0, dx, destinationColumns: nodes[x].columns, destinationStart: start, count: columns, rows: rows, accumulate: true)

        case .gather(let x, let labels, let groupSize):
            guard let dx = partialTarget(x) else { return }
            Scalar.gatherBackward(dy, labelPointer(labels), rows: rows, columns: nodes[x].columns, groupSize: groupSize, dx)

        case .binaryCrossEntropy(let logits, let targets, let sigmoid):
            if let (dl, accumulate) = target(logits) {
                Scalar.binaryCrossEntropyBackward(nodes[sigmoid].value, nodes[targets].value, dy, rows: nodes[logits].rows, columns: nodes[logits].columns, dl, accumulate: accumulate)
            }
            if let dt = partialTarget(targets) {  // d/dt = −l per element
                Scalar.binaryCrossEntropyTargetBackward(nodes[logits].value, dy, rows: rows, columns: nodes[logits].columns, dt)
            }

        case .categoricalCrossEntropy(let logits, let labels, let groupSize, let probabilities):
            if let (dl, accumulate) = target(logits) {
                Scalar.categoricalCrossEntropyBackward(nodes[probabilities].value, labelPointer(labels), dy, rows: nodes[logits].rows,
                                                       columns: nodes[logits].columns, groupSize: groupSize, dl, accumulate: accumulate)
            }

        case .squaredError(let prediction, let targetId):
            Scalar.squaredErrorBackward(nodes[prediction].value, nodes[targetId].value, dy, rows: rows, columns: nodes[prediction].columns,
                                        dPrediction: partialTarget(prediction), dTarget: partialTarget(targetId))

        case .gaussianNegativeLogLikelihood(let mean, let logVariance, let targetId):
            Scalar.gaussianNegativeLogLikelihoodBackward(nodes[mean].value, nodes[logVariance].value, nodes[targetId].value, dy,
                                                         rows: rows, columns: nodes[mean].columns, perExample: nodes[logVariance].rows == nodes[mean].rows,
                                                         dMean: partialTarget(mean), dLogVariance: partialTarget(logVariance), dTarget: partialTarget(targetId))

        case .klStandardNormal(let mean, let logVariance):
            let dMean = target(mean), dLogVariance = target(logVariance)
            Scalar.klStandardNormalBackward(nodes[mean].value, nodes[logVariance].value, dy,
                                            dMean: dMean?.0, accumulateMean: dMean?.1 ?? false,
                                            dLogVariance: dLogVariance?.0, accumulateLogVariance: dLogVariance?.1 ?? false, rows * columns)

        case .klDiagonalGaussians(let meanQ, let logVarianceQ, let meanP, let logVarianceP):
            Scalar.klDiagonalGaussiansBackward(nodes[meanQ].value, nodes[logVarianceQ].value, nodes[meanP].value, nodes[logVarianceP].value, dy, rows * columns,
                                               dMeanQ: partialTarget(meanQ), dLogVarianceQ: partialTarget(logVarianceQ),
                                               dMeanP: partialTarget(meanP), dLogVarianceP: partialTarget(logVarianceP))

        case .reparameterize(let mean, let logVariance, _):
            // z = μ + ε·e^(lv/2): dμ = dz, dlv = dz·½·ε·e^(lv/2) = dz·(z − μ)/2.
            if let (dm, accumulate) = target(mean) { Scalar.scaled(dy, 1, dm, rows * columns, accumulate: accumulate) }
            if let dl = partialTarget(logVariance) {
                Scalar.reparameterizeBackward(node.value, nodes[mean].value, dy, dl, rows * columns)
            }

        case .hyperbolic(let operation):
            hyperbolicBackward(operation, node: node, dy: dy)

        case .convolution, .reshape:
            convolutionBackward(node.operation, node: node, dy: dy)
        }
    }

    /// The products of a linear layer's backward from dz (rows × outputs), each a gemm with transpose flags (no
    /// transposed copies): dx (+)= dz·W and dW (+)= dzᵀ·x.
    @inline(__always)
    private func linearBackward(x: Int, weight: Int, dz: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int) {
        let inputs = nodes[x].columns
        if let (dx, accumulate) = target(x) {
            Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: inputs, k: columns, alpha: 1, a: dz, lda: columns, b: nodes[weight].value, ldb: inputs, beta: accumulate ? 1 : 0, c: dx, ldc: inputs)
        }
        if let (dw, accumulate) = target(weight) {
            Scalar.gemm(transposeA: true, transposeB: false, m: columns, n: inputs, k: rows, alpha: 1, a: dz, lda: columns, b: nodes[x].value, ldb: inputs, beta: accumulate ? 1 : 0, c: dw, ldc: inputs)
        }
    }
}
