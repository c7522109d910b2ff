/// A reverse-mode automatic-differentiation tape for one training step.
///
/// The public operations are prespecialised for `Float` (`@specialized`): models call them from generic code
/// in another module, and without a specialised entry point each call would look up generic metadata (the
/// node array, result tuples) at run time, a cost per operation that dominates small models.
///
/// Operations run as they are recorded (define by run) and write into buffers from an `Arena`; `backward`
/// walks the tape in reverse and applies each operation's derivative rule (`Graph+Backward.swift`, one switch:
/// the table of derivative rules). Within one backward pass, a node used twice receives both contributions;
/// each pass starts its intermediate gradients afresh, so several passes over one tape (one per loss group)
/// are each exact. Parameter gradients add up across passes until `ParameterTensor.zeroGradient()`.
/// `reset()` rewinds the tape and the arenas so the next step reuses every buffer: after the first step, a
/// step allocates nothing.
public final class Graph<Scalar: TensorScalar> {
    /// A node of the graph: an input, a parameter or a result.
    public struct Variable: Hashable, Sendable {
        public let id: Int
    }

    /// Integer labels (class indices) living in the graph for one step.
    public struct Labels: Hashable, Sendable {
        let id: Int
        public let rows: Int
        public let columns: Int
    }

    struct Node {
        var rows: Int
        var columns: Int
        var value: UnsafeMutablePointer<Scalar>
        var operation: Operation
        var requiresGradient: Bool
        var gradient: UnsafeMutablePointer<Scalar>?
        var gradientWritten: Bool
        /// The per-example layout, when not flat features (`Layout`).
        var layout: Layout? = nil
        var count: Int { rows * columns }
    }

    var nodes: [Node] = []
    var parameters: [ParameterTensor<Scalar>] = []
    /// The node of each bound parameter, parallel to `parameters`.
    var parameterNodes: [Int] = []
    var labelBuffers: [(pointer: UnsafeMutablePointer<Int32>, count: Int)] = []
    /// The geometries of this step's convolutions, indexed by `Operation.convolution`'s `geometry`.
    var convolutions: [ConvolutionGeometry] = []
    let values = Arena<Scalar>()
    let gradients = Arena<Scalar>()
    let integers = Arena<Int32>()

    public init() {}

    /// Starts a new step: forgets every node and reuses every buffer.
    @specialized(where Scalar == Float)
    public func reset() {
        nodes.removeAll(keepingCapacity: true)
        parameters.removeAll(keepingCapacity: true)
        parameterNodes.removeAll(keepingCapacity: true)
        labelBuffers.removeAll(keepingCapacity: true)
        convolutions.removeAll(keepingCapacity: true)
        values.reset()
        gradients.reset()
        integers.reset()
    }

    /// Real allocations made by the graph's buffers so far (constant in a steady state).
    public var allocations: Int { values.allocations + gradients.allocations + integers.allocations }

    // MARK: Leaves

    /// A constant (no gradient) holding a copy of `tensor`.
    @specialized(where Scalar == Float)
    public func constant(_ tensor: Tensor<Scalar>) -> Variable {
        constant(rows: tensor.rows, columns: tensor.columns) { buffer in
            tensor.withUnsafeBufferPointer { buffer.baseAddress!.update(from: $0.baseAddress!, count: tensor.count) }
        }
    }

    /// A constant whose `rows·columns` values `fill` writes in place (no copy).
    @specialized(where Scalar == Float)
    public func constant(rows: Int, columns: Int, fill: (UnsafeMutableBufferPointer<Scalar>) -> Void) -> Variable {
        let pointer = values.take(rows * columns)
        fill(UnsafeMutableBufferPointer(start: pointer, count: rows * columns))
        return append(Node(rows: rows, columns: columns, value: pointer, operation: .constant, requiresGradient: false, gradient: nil, gradientWritten: false))
    }

    /// A constant filled with `value`.
    @specialized(where Scalar == Float)
    public func constant(rows: Int, columns: Int, repeating value: Scalar) -> Variable {
        constant(rows: rows, columns: columns) { Scalar.fill($0.baseAddress!, value, $0.count) }
    }

    /// A trainable parameter: its value is read in place and its gradient accumulates in the parameter.
    /// Binding the same parameter twice in one step gives the same variable, so its gradient has one owner.
    @specialized(where Scalar == Float)
    public func parameter(_ parameter: ParameterTensor<Scalar>) -> Variable {
        for index in parameters.indices where parameters[index] === parameter { return Variable(id: parameterNodes[index]) }
        parameters.append(parameter)
        parameterNodes.append(nodes.count)
        return append(Node(rows: parameter.rows, columns: parameter.columns, value: parameter.value.pointer,
                           operation: .parameter(index: parameters.count - 1), requiresGradient: true,
                           gradient: parameter.gradient.pointer, gradientWritten: false))
    }

    /// Integer labels, rows × columns, written in place by `fill` (each must be a valid class index).
    @specialized(where Scalar == Float)
    public func labels(rows: Int, columns: Int, fill: (UnsafeMutableBufferPointer<Int32>) -> Void) -> Labels {
        let pointer = integers.take(rows * columns)
        fill(UnsafeMutableBufferPointer(start: pointer, count: rows * columns))
        labelBuffers.append((pointer, rows * columns))
        return Labels(id: labelBuffers.count - 1, rows: rows, columns: columns)
    }

    // MARK: Reading results

    public func shape(_ variable: Variable) -> (rows: Int, columns: Int) {
        (nodes[variable.id].rows, nodes[variable.id].columns)
    }

    /// The per-example layout of a value: an image after a convolution or a `reshape`, else flat features.
    public func layout(_ variable: Variable) -> Layout {
        nodes[variable.id].layout ?? .flat(nodes[variable.id].columns)
    }

    /// The value, valid until `reset()`.
    @specialized(where Scalar == Float)
    public func value(_ variable: Variable) -> UnsafeBufferPointer<Scalar> {
        UnsafeBufferPointer(start: nodes[variable.id].value, count: nodes[variable.id].count)
    }

    /// A copy of the value.
    public func tensor(_ variable: Variable) -> Tensor<Scalar> {
        Tensor(rows: nodes[variable.id].rows, columns: nodes[variable.id].columns, copying: nodes[variable.id].value)
    }

    /// The single value of a 1 × 1 variable.
    @specialized(where Scalar == Float)
    public func scalar(_ variable: Variable) -> Scalar {
        precondition(nodes[variable.id].count == 1, "scalar(_:) needs a 1 × 1 variable")
        return nodes[variable.id].value[0]
    }

    /// A copy of the gradient after `backward`, or nil when nothing flowed into this variable.
    public func gradient(_ variable: Variable) -> Tensor<Scalar>? {
        let node = nodes[variable.id]
        guard let gradient = node.gradient, node.gradientWritten else { return nil }
        return Tensor(rows: node.rows, columns: node.columns, copying: gradient)
    }

    // MARK: Recording

    @inline(__always)
    func append(_ node: Node) -> Variable {
        nodes.append(node)
        return Variable(id: nodes.count - 1)
    }

    /// A new result node of the given shape whose value the caller writes.
    @inline(__always)
    func result(rows: Int, columns: Int, _ operation: Operation, inputs a: Int, _ b: Int = -1, _ c: Int = -1, _ d: Int = -1) -> (Variable, UnsafeMutablePointer<Scalar>) {
        // Fixed arity rather than a variadic list: a variadic call would allocate an array per operation.
        let requires = nodes[a].requiresGradient || (b >= 0 && nodes[b].requiresGradient)
            || (c >= 0 && nodes[c].requiresGradient) || (d >= 0 && nodes[d].requiresGradient)
        let pointer = values.take(rows * columns)
        let variable = append(Node(rows: rows, columns: columns, value: pointer, operation: operation, requiresGradient: requires, gradient: nil, gradientWritten: false))
        return (variable, pointer)
    }

    /// A scratch buffer kept for backward (saved softmax, sigmoid).
    func scratch(rows: Int, columns: Int) -> Int {
        let pointer = values.take(rows * columns)
        return append(Node(rows: rows, columns: columns, value: pointer, operation: .constant, requiresGradient: false, gradient: nil, gradientWritten: false)).id
    }

    func labelPointer(_ id: Int) -> UnsafeMutablePointer<Int32> { labelBuffers[id].pointer }
}
