/// An ONNX model built node by node and serialised with `ProtobufWriter`, as the TensorBoard files are: no ONNX
/// library. The messages and field numbers are `onnx/onnx.proto` (ONNX 1.12+): ModelProto (ir_version 1,
/// producer_name 2, producer_version 3, doc_string 6, graph 7, opset_import 8, metadata_props 14), GraphProto
/// (node 1, name 2, initializer 5, input 11, output 12), NodeProto (input 1, output 2, name 3, op_type 4,
/// attribute 5), AttributeProto (name 1, f 2, i 3, s 4, ints 8, type 20), TensorProto (dims 1, data_type 2,
/// name 8, raw_data 9, little-endian), ValueInfoProto (name 1, type 2, doc_string 3), TypeProto.Tensor
/// (elem_type 1, shape 2) and TensorShapeProto.Dimension (dim_value 1, dim_param 2).
///
/// Models use the default domain at opset 17 (IR version 8), whose standard operators ONNX Runtime runs.
/// Constants are initializers; every value has a unique name, so the graph is in topological order as built.
public struct ONNXGraph: Sendable {
    /// ONNX's TensorProto.DataType values for the types used here.
    public enum ElementType: Int, Sendable {
        case float = 1
        case int32 = 6
        case int64 = 7
    }

    /// A tensor dimension: a number, or a name shared by the inputs and outputs it must agree with (`batch`).
    public enum Dimension: Sendable, Hashable {
        case fixed(Int)
        case symbolic(String)
    }

    /// An operator attribute.
    public enum Attribute: Sendable {
        case integer(Int)
        case float(Float)
        case integers([Int])
    }

    struct ValueInfo: Sendable {
        var name: String
        var type: ElementType
        var dimensions: [Dimension]
        var documentation: String
    }

    struct Node: Sendable {
        var operation: String
        var inputs: [String]
        var outputs: [String]
        var name: String
        var attributes: [(String, Attribute)]
    }

    struct Initializer: Sendable {
        var name: String
        var type: ElementType
        var dimensions: [Int]
        var bytes: [UInt8]
    }

    public static let opsetVersion = 17
    public static let irVersion = 8

    public var name: String
    private var nodes: [Node] = []
    private var initializers: [Initializer] = []
    private var inputs: [ValueInfo] = []
    private var outputs: [ValueInfo] = []
    private var usedNames: Set<String> = []
    private var counter = 0

    public init(name: String) { self.name = name }

    /// The names of the graph's inputs and outputs, in order.
    public var inputNames: [String] { inputs.map(\.name) }
    public var outputNames: [String] { outputs.map(\.name) }

    private mutating func fresh(_ hint: String) -> String {
        counter += 1
        var candidate = "\(hint)_\(counter)"
        while usedNames.contains(candidate) {
            counter += 1
            candidate = "\(hint)_\(counter)"
        }
        usedNames.insert(candidate)
        return candidate
    }

    /// Declares a graph input and returns its name.
    @discardableResult
    public mutating func input(_ name: String, _ type: ElementType = .float, dimensions: [Dimension], documentation: String) -> String {
        precondition(!usedNames.contains(name), "ONNXGraph: \(name) is already a value of the graph")
        usedNames.insert(name)
        inputs.append(ValueInfo(name: name, type: type, dimensions: dimensions, documentation: documentation))
        return name
    }

    /// Declares `value` a graph output named `name` (through an Identity node when the names differ).
    public mutating func output(_ value: String, as name: String, _ type: ElementType = .float, dimensions: [Dimension], documentation: String) {
        var produced = value
        if value != name {
            precondition(!usedNames.contains(name), "ONNXGraph: \(name) is already a value of the graph")
            usedNames.insert(name)
            nodes.append(Node(operation: "Identity", inputs: [value], outputs: [name], name: fresh("Identity"), attributes: []))
            produced = name
        }
        outputs.append(ValueInfo(name: produced, type: type, dimensions: dimensions, documentation: documentation))
    }

    /// Adds a node of operator `operation` on `inputs` (an empty name leaves an optional input out) and returns
    /// its `outputs` output names.
    public mutating func nodes(_ operation: String, _ inputs: [String], attributes: [(String, Attribute)] = [], outputs: Int) -> [String] {
        let names = (0..<outputs).map { _ in fresh(operation) }
        nodes.append(Node(operation: operation, inputs: inputs, outputs: names, name: fresh(operation + "_node"), attributes: attributes))
        return names
    }

    /// Adds a node with one output and returns its name.
    public mutating func node(_ operation: String, _ inputs: [String], attributes: [(String, Attribute)] = []) -> String {
        nodes(operation, inputs, attributes: attributes, outputs: 1)[0]
    }

    /// A float32 constant (an initializer) of `shape`, named after `hint`.
    public mutating func constant(_ values: [Float], shape: [Int], hint: String = "constant") -> String {
        precondition(values.count == shape.reduce(1, *), "ONNXGraph: \(values.count) values for shape \(shape)")
        let name = usedNames.contains(hint) ? fresh(hint) : hint
        usedNames.insert(name)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        initializers.append(Initializer(name: name, type: .float, dimensions: shape, bytes: bytes))
        return name
    }

    /// A one-dimensional int64 constant (shapes, axes, slice bounds).
    public mutating func integers(_ values: [Int], hint: String = "integers") -> String {
        let name = fresh(hint)
        var bytes: [UInt8] = []
        for value in values { withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) } }
        initializers.append(Initializer(name: name, type: .int64, dimensions: [values.count], bytes: bytes))
        return name
    }

    /// A float32 scalar constant (shape []), broadcast by the element-wise operators.
    public mutating func scalar(_ value: Float, hint: String = "scalar") -> String {
        let name = fresh(hint)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        initializers.append(Initializer(name: name, type: .float, dimensions: [], bytes: bytes))
        return name
    }

    /// The serialised ModelProto: this graph at opset 17, with `metadata` as metadata_props (key, value).
    public func model(producer: String, producerVersion: String, documentation: String, metadata: [(String, String)]) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.integer(1, Int64(Self.irVersion))
        writer.string(2, producer)
        writer.string(3, producerVersion)
        if !documentation.isEmpty { writer.string(6, documentation) }
        writer.message(7) { graph in writeGraph(&graph) }
        writer.message(8) { opset in
            opset.string(1, "")
            opset.integer(2, Int64(Self.opsetVersion))
        }
        for (key, value) in metadata {
            writer.message(14) { entry in
                entry.string(1, key)
                entry.string(2, value)
            }
        }
        return writer.bytes
    }

    private func writeGraph(_ writer: inout ProtobufWriter) {
        for node in nodes {
            writer.message(1) { message in
                for input in node.inputs { message.string(1, input) }
                for output in node.outputs { message.string(2, output) }
                message.string(3, node.name)
                message.string(4, node.operation)
                for (name, attribute) in node.attributes {
                    message.message(5) { Self.writeAttribute(name, attribute, &$0) }
                }
            }
        }
        writer.string(2, name)
        for initializer in initializers {
            writer.message(5) { tensor in
                for dimension in initializer.dimensions { tensor.integer(1, Int64(dimension)) }
                tensor.integer(2, Int64(initializer.type.rawValue))
                tensor.string(8, initializer.name)
                tensor.bytesField(9, initializer.bytes)
            }
        }
        for input in inputs { writer.message(11) { Self.writeValueInfo(input, &$0) } }
        for output in outputs { writer.message(12) { Self.writeValueInfo(output, &$0) } }
    }

    private static func writeAttribute(_ name: String, _ attribute: Attribute, _ writer: inout ProtobufWriter) {
        writer.string(1, name)
        switch attribute {
        case .float(let value):
            writer.float(2, value)
            writer.integer(20, 1)
        case .integer(let value):
            writer.integer(3, Int64(value))
            writer.integer(20, 2)
        case .integers(let values):
            for value in values { writer.integer(8, Int64(value)) }
            writer.integer(20, 7)
        }
    }

    private static func writeValueInfo(_ info: ValueInfo, _ writer: inout ProtobufWriter) {
        writer.string(1, info.name)
        writer.message(2) { type in
            type.message(1) { tensor in
                tensor.integer(1, Int64(info.type.rawValue))
                tensor.message(2) { shape in
                    for dimension in info.dimensions {
                        shape.message(1) { entry in
                            switch dimension {
                            case .fixed(let value): entry.integer(1, Int64(value))
                            case .symbolic(let name): entry.string(2, name)
                            }
                        }
                    }
                }
            }
        }
        if !info.documentation.isEmpty { writer.string(3, info.documentation) }
    }
}
