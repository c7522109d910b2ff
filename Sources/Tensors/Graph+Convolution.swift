/// Convolutions and layouts in the graph: `convolution` records a convolution or transposed convolution of a
/// batch of images (rows = examples, columns = C·H·W in NCHW order), and `reshape` relabels a value's
/// per-example layout without copying it.
extension Graph {
    /// A convolution or transposed convolution (`geometry`) of `x` (batch × C·H·W) with `weight` (PyTorch's
    /// layout: out × in·kh·kw, or in × out·kh·kw transposed) and `bias` (1 × out channels), followed by
    /// `activation` in place when its derivative follows from its output (ReLU and its kin: one node; others are a
    /// second node). The result's layout is the geometry's output image.
    @specialized(where Scalar == Float)
    public func convolution(_ x: Variable, weight: Variable, bias: Variable?, geometry g: ConvolutionGeometry,
                            activation: UnaryOperation? = nil) -> Variable {
        if let activation, !activation.derivativeFollowsFromOutput {
            return apply(activation, convolution(x, weight: weight, bias: bias, geometry: g, activation: nil))
        }
        let (batch, features) = shape(x)
        precondition(features == g.inputCount, "convolution: the input has \(features) values per example, \(g) reads \(g.inputLayout)")
        if case .image(let c, let h, let w)? = nodes[x.id].layout {
            precondition(c == g.inputChannels && h == g.inputHeight && w == g.inputWidth, "convolution: the input is \(layout(x)), \(g) reads \(g.inputLayout)")
        }
        let weightShape = g.transposed ? (g.inputChannels, g.outputChannels * g.kernelCount) : (g.outputChannels, g.inputChannels * g.kernelCount)
        precondition(shape(weight) == weightShape, "convolution: the weight is \(shape(weight)), \(g) needs \(weightShape)")
        if let bias { precondition(shape(bias) == (1, g.outputChannels), "convolution: the bias must be 1 × \(g.outputChannels)") }
        convolutions.append(g)
        let (variable, y) = result(rows: batch, columns: g.outputCount,
                                   .convolution(x: x.id, weight: weight.id, bias: bias?.id, geometry: convolutions.count - 1, activation: activation),
                                   inputs: x.id, weight.id, bias?.id ?? -1)
        nodes[variable.id].layout = g.outputLayout
        let column = values.take(g.columnCount)
        Scalar.convolutionForward(g, batch: batch, x: nodes[x.id].value, weight: nodes[weight.id].value, bias: bias.map { nodes[$0.id].value },
                                  y: y, column: column)
        if let activation { Scalar.unary(activation, y, y, batch * g.outputCount) }
        return variable
    }

    /// The same values with per-example layout `layout` (which must hold as many values): flattening an image
    /// for a dense layer, or viewing a dense layer's output as an image. Nothing is copied forward; the gradient
    /// passes through unchanged.
    @specialized(where Scalar == Float)
    public func reshape(_ x: Variable, to layout: Layout) -> Variable {
        let (batch, features) = shape(x)
        precondition(layout.count == features, "reshape: \(self.layout(x)) has \(features) values per example, \(layout) holds \(layout.count)")
        let variable = append(Node(rows: batch, columns: features, value: nodes[x.id].value, operation: .reshape(x: x.id),
                                   requiresGradient: nodes[x.id].requiresGradient, gradient: nil, gradientWritten: false,
                                   layout: { if case .flat = layout { return nil } else { return layout } }()))
        return variable
    }

    /// The backward rules of `convolution` and `reshape`.
    func convolutionBackward(_ operation: Operation, node: Node, dy: UnsafeMutablePointer<Scalar>) {
        switch operation {
        case .convolution(let x, let weight, let bias, let geometry, let activation):
            let g = convolutions[geometry]
            let batch = node.rows
            var dz = dy
            if let activation {
                dz = gradients.take(node.count)
                Scalar.activationBackward(activation, node.value, dy, dz, rows: batch, columns: node.columns, biasGradient: nil, accumulate: false)
            }
            let column = gradients.take(g.columnCount)
            if let (dx, accumulate) = target(x) {
                Scalar.convolutionBackwardData(g, batch: batch, dy: dz, weight: nodes[weight].value, dx: dx, accumulate: accumulate, column: column)
            }
            let dw = target(weight), db = bias.flatMap { target($0) }
            if dw != nil || db != nil {
                Scalar.convolutionBackwardWeights(g, batch: batch, x: nodes[x].value, dy: dz, dWeight: dw?.0, accumulateWeight: dw?.1 ?? false,
                                                  dBias: db?.0, accumulateBias: db?.1 ?? false, column: column)
            }
        case .reshape(let x):
            if let (dx, accumulate) = target(x) { Scalar.scaled(dy, 1, dx, node.count, accumulate: accumulate) }
        default:
            preconditionFailure("not a convolution operation")
        }
    }
}
