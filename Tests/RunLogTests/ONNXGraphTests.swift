import Testing
@testable import RunLog

@Suite("ONNX models written with our protobuf writer")
struct ONNXGraphTests {
    /// Whether `bytes` holds `part` contiguously.
    func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
        guard part.count <= bytes.count else { return false }
        return (0...(bytes.count - part.count)).contains { Array(bytes[$0..<($0 + part.count)]) == part }
    }

    @Test("IR version 8 and the default domain at opset 17, an attribute with a negative integer, a float initializer as raw little-endian bytes, and a symbolic batch dimension")
    func encoding() {
        var graph = ONNXGraph(name: "g")
        let x = graph.input("x", dimensions: [.symbolic("batch"), .fixed(2)], documentation: "")
        let one = graph.constant([1, -2], shape: [1, 2], hint: "w")
        let sum = graph.node("Add", [x, one])
        let soft = graph.node("Softmax", [sum], attributes: [("axis", .integer(-1))])
        graph.output(soft, as: "y", dimensions: [.symbolic("batch"), .fixed(2)], documentation: "")
        let bytes = graph.model(producer: "anneal", producerVersion: "1", documentation: "", metadata: [("k", "v")])
        // ModelProto.ir_version (field 1, varint) = 8 comes first.
        #expect(Array(bytes.prefix(2)) == [0x08, 0x08])
        // opset_import (field 8): domain "" (field 1), version 17 (field 2).
        #expect(contains(bytes, [0x42, 0x04, 0x0A, 0x00, 0x10, 0x11]))
        // AttributeProto: name "axis", i (field 3) = −1 as a ten-byte varint, type (field 20) INT = 2.
        #expect(contains(bytes, [0x0A, 0x04] + Array("axis".utf8) + [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0xA0, 0x01, 0x02]))
        // TensorProto: dims 1 and 2, data_type FLOAT = 1, name "w", raw_data 1.0f and −2.0f little-endian.
        #expect(contains(bytes, [0x08, 0x01, 0x08, 0x02, 0x10, 0x01, 0x42, 0x01, 0x77, 0x4A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]))
        // TensorShapeProto.Dimension: dim_param "batch" (field 2), then dim_value 2 (field 1).
        #expect(contains(bytes, [0x0A, 0x07, 0x12, 0x05] + Array("batch".utf8) + [0x0A, 0x02, 0x08, 0x02]))
        // metadata_props (field 14): key "k", value "v".
        #expect(contains(bytes, [0x72, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76]))
        // The output is renamed through an Identity node.
        #expect(graph.outputNames == ["y"] && graph.inputNames == ["x"])
        #expect(contains(bytes, Array("Identity".utf8)))
    }
}
