import JSONConfig
import Tensors

/// What a config says of one network, an encoder or a decoder: its stages in order, each a registered layer type
/// with its entries, `{"conv": [{"channels": 32, "kernel": 4, "stride": 2, "padding": "same"}, …], "dense": [256]}`.
/// The network built from it (`Network.build`) adds what follows from the model: the encoder's last dense layer
/// to the latent statistics, the decoder's way back to the data (a dense layer to the first image, `reshape`,
/// and its last layer without an activation).
///
/// `reshape` ([channels, height, width], decoder only) is the image a decoder's flat part is viewed as before its
/// first image layer; without it, the image is worked out backwards from the data's shape through the image
/// layers, with as many channels as the first of them gives.
public struct NetworkSpecification: Sendable, Equatable, CustomStringConvertible {
    public struct Stage: Sendable {
        public var typeName: String
        public var layers: [any LayerSpecification]
        public init(typeName: String, layers: [any LayerSpecification]) {
            self.typeName = typeName
            self.layers = layers
        }
    }

    public var stages: [Stage]
    public var reshape: Layout?

    public init(stages: [Stage], reshape: Layout? = nil) {
        self.stages = stages.filter { !$0.layers.isEmpty }
        self.reshape = reshape
    }

    /// Dense layers of these widths (an MLP's hidden layers).
    public static func dense(_ sizes: [Int]) -> NetworkSpecification {
        NetworkSpecification(stages: [Stage(typeName: "dense", layers: sizes.map { Dense<Float>.Specification(units: $0) })])
    }

    /// Every layer, in order.
    public var layers: [any LayerSpecification] { stages.flatMap(\.layers) }
    /// Whether every layer reads flat features (an MLP).
    public var isDenseOnly: Bool { layers.allSatisfy(\.readsFlat) }
    /// Only the layers that read flat features, for a network whose input is flat (the hierarchical model's
    /// local prior reads [z_g, y]).
    public var flatPart: NetworkSpecification {
        NetworkSpecification(stages: stages.map { Stage(typeName: $0.typeName, layers: $0.layers.filter(\.readsFlat)) })
    }

    public static func == (a: NetworkSpecification, b: NetworkSpecification) -> Bool {
        JSONWriter.compact(a.json) == JSONWriter.compact(b.json)
    }

    public var json: JSONValue {
        var members = stages.map { ($0.typeName, JSONValue.array($0.layers.map(\.json))) }
        if case .image(let c, let h, let w)? = reshape { members.append(("reshape", .array([.number(c), .number(h), .number(w)]))) }
        return .object(members)
    }

    /// `conv 32 4×4 /2 pad 1, conv 32 4×4 /2 pad 1, dense 256`; a decoder's reshape where it happens, after its
    /// dense layers: `dense 256, reshape 32×7×7, conv_transpose 32 4×4 /2 same, …`.
    public var description: String {
        var parts = layers.map(\.description)
        if let reshape {
            let position = layers.lastIndex { $0.readsFlat }.map { $0 + 1 } ?? 0
            parts.insert("reshape \(reshape)", at: position)
        }
        return parts.isEmpty ? "no hidden layer" : parts.joined(separator: ", ")
    }

    /// Reads `model.encoder` or `model.decoder`: an object of stages in order, keys from `LayerRegistry`
    /// (and `reshape` for a decoder).
    public static func read(_ node: ConfigNode, decoder: Bool) throws(ConfigError) -> NetworkSpecification {
        let object = try node.object()
        var stages: [Stage] = []
        var reshape: Layout?
        for key in object.keys {
            guard let member = object.node(key) else { continue }
            if key == "reshape" {
                guard decoder else { throw member.error("reshape is for a decoder (the image its dense part is viewed as)") }
                let items = try member.array()
                guard items.count == 3 else { throw member.error("must be [channels, height, width], got \(member.value.briefDescription)") }
                var values: [Int] = []
                for item in items {
                    let n = try item.integer(minimum: 1)
                    guard n >= 1 && n <= 65_536 else { throw item.error("must be a whole number from 1 to 65536, got \(item.value.briefDescription)") }
                    values.append(n)
                }
                reshape = .image(channels: values[0], height: values[1], width: values[2])
                continue
            }
            guard let definition = LayerRegistry.definition(named: key) else {
                throw member.error("unknown layer type \(MessageText.quoted(key)); the stages of a network are \(LayerRegistry.names.joined(separator: ", "))\(decoder ? ", and reshape" : "")")
            }
            var layers: [any LayerSpecification] = []
            for entry in try member.array() { layers.append(try definition.read(entry)) }
            if layers.isEmpty { throw member.error("a stage needs at least one layer; leave \(key) out instead") }
            stages.append(Stage(typeName: key, layers: layers))
        }
        return NetworkSpecification(stages: stages, reshape: reshape)
    }
}
