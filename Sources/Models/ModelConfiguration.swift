import JSONConfig
import Layers
import Tensors

/// The model section of a run config: the model type's specification and the settings every type shares
/// (`hidden_sizes` or `architecture` or `encoder`/`decoder`, `activation`, `likelihood`, `gaussian_variance`).
public struct ModelConfiguration: Sendable {
    public var specification: any ModelSpecification
    /// An MLP's hidden sizes (`architecture` mlp; the default's when the config names none).
    public var hiddenSizes: [Int]
    /// The networks (`ModelArchitecture`); `.mlp` and `.networks` once resolved for the data.
    public var architecture: ModelArchitecture = .mlp
    public var activation: Activation
    public var likelihood: Likelihood
    /// The config named no likelihood and the data is a user's file: the likelihood is chosen when the data is
    /// loaded (`RunConfiguration.chooseLikelihood(for:)`), Bernoulli for values in [0, 1], else Gaussian.
    public var likelihoodFromData = false

    public init(specification: any ModelSpecification, hiddenSizes: [Int], activation: Activation = .relu, likelihood: Likelihood) {
        self.specification = specification
        self.hiddenSizes = hiddenSizes
        self.activation = activation
        self.likelihood = likelihood
    }

    /// Defaults and facts from the data that the model section is read against.
    public struct Defaults: Sendable {
        public var typeName: String
        public var hiddenSizes: [Int]
        public var latentSize: Int
        public var likelihood: String
        /// Whether the data's targets are class indices (only the categorical likelihood fits).
        public var categoricalData: Bool
        /// The data's name, for messages.
        public var dataName: String
        /// Whether a config without a likelihood leaves it to the data (user files).
        public var likelihoodFromData = false

        public init(typeName: String = "vae", hiddenSizes: [Int], latentSize: Int, likelihood: String, categoricalData: Bool, dataName: String) {
            self.typeName = typeName
            self.hiddenSizes = hiddenSizes
            self.latentSize = latentSize
            self.likelihood = likelihood
            self.categoricalData = categoricalData
            self.dataName = dataName
        }
    }

    /// Reads the model section.
    public static func parse(_ object: ConfigObject, defaults: Defaults) throws(ConfigError) -> ModelConfiguration {
        let typeName = try object.node("type")?.choice(ModelRegistry.names, what: "model type") ?? defaults.typeName
        let definition = ModelRegistry.definition(named: typeName)!
        var hidden = defaults.hiddenSizes
        var architecture = ModelArchitecture.automatic
        if let node = object.node("architecture") {
            let name = try node.choice(ModelArchitecture.presetNames, what: "architecture")
            architecture = name == "mlp" ? .mlp : .preset(name)
            for key in ["encoder", "decoder"] where object.contains(key) {
                throw object.error(at: key, "give architecture \"\(name)\" or \(key), not both: \(key) describes the networks itself")
            }
            if name != "mlp", object.contains("hidden_sizes") {
                throw object.error(at: "hidden_sizes", "hidden_sizes sets an MLP's layers; architecture \"\(name)\" has its own (give model.encoder to choose its dense layers)")
            }
        }
        if let node = object.node("encoder") {
            if object.contains("hidden_sizes") {
                throw object.error(at: "hidden_sizes", "hidden_sizes sets an MLP's layers; with model.encoder, give them as its \"dense\" stage")
            }
            let encoder = try NetworkSpecification.read(node, decoder: false)
            let decoder = try object.node("decoder").map { node throws(ConfigError) in try NetworkSpecification.read(node, decoder: true) }
            architecture = .networks(encoder: encoder, decoder: decoder)
        } else if object.contains("decoder") {
            throw object.error(at: "decoder", "a decoder needs model.encoder beside it (or leave both out, or give model.architecture)")
        }
        if let node = object.node("hidden_sizes") {
            architecture = .mlp
            hidden = []
            for element in try node.array() {
                let size = try element.integer(minimum: 1)
                if size < 1 { throw element.error("a hidden size must be at least 1, got \(element.value.briefDescription)") }
                hidden.append(size)
            }
        }
        let likelihoodName = try object.node("likelihood")?.choice(Likelihood.names, what: "likelihood") ?? defaults.likelihood
        let variance = try object.node("gaussian_variance")?.choice(["learned", "fixed"], what: "gaussian_variance") ?? "learned"
        if likelihoodName != "gaussian", object.contains("gaussian_variance") {
            throw object.error(at: "gaussian_variance", "gaussian_variance is for the gaussian likelihood; this model's likelihood is \"\(likelihoodName)\"")
        }
        let likelihood: Likelihood
        switch likelihoodName {
        case "bernoulli": likelihood = .bernoulli
        case "gaussian": likelihood = .gaussian(learnedVariance: variance == "learned")
        case "mse": likelihood = .squaredError
        default:
            guard defaults.categoricalData else {
                throw object.error(at: "likelihood", "the categorical likelihood needs categorical data (ternary_operations); \(defaults.dataName) data is real-valued")
            }
            likelihood = .categorical
        }
        if defaults.categoricalData, likelihoodName != "categorical" {
            throw object.error(at: "likelihood", "\(defaults.dataName) are class indices; use the categorical likelihood, not \"\(likelihoodName)\"")
        }
        let activationNames = Activation.allCases.map(\.rawValue)
        let activation = Activation(rawValue: try object.node("activation")?.choice(activationNames, what: "activation") ?? "relu")!
        // A key that belongs to another model type says so.
        for other in ModelRegistry.definitions where other.name != typeName {
            for key in other.keys where !definition.keys.contains(key) && object.contains(key) {
                throw object.error(at: key, "\(key) is for the \(other.name) model; this model is \"\(typeName)\"\(definition.keys.isEmpty ? "" : " (its keys: \(definition.keys.joined(separator: ", ")))")")
            }
        }
        let specification = try definition.read(object, ModelTypeDefinition.Context(defaultLatentSize: defaults.latentSize))
        try object.finish(context: "model section")
        var configuration = ModelConfiguration(specification: specification, hiddenSizes: hidden, activation: activation, likelihood: likelihood)
        configuration.architecture = architecture
        configuration.likelihoodFromData = defaults.likelihoodFromData && !object.contains("likelihood")
        return configuration
    }

    /// The model section as a config writes it: `hidden_sizes` for an MLP, the networks once resolved, the
    /// preset's name before (nothing when the data will choose).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("type", .string(specification.typeName))]
        switch architecture {
        case .mlp: members.append(("hidden_sizes", .array(hiddenSizes.map { .number($0) })))
        case .automatic: break
        case .preset(let name): members.append(("architecture", .string(name)))
        case .networks(let encoder, let decoder):
            members.append(("encoder", encoder.json))
            if let decoder { members.append(("decoder", decoder.json)) }
        }
        members += specification.parametersJSON
        members.append(("likelihood", .string(likelihood.name)))
        if case .gaussian(let learned) = likelihood { members.append(("gaussian_variance", .string(learned ? "learned" : "fixed"))) }
        members.append(("activation", .string(activation.rawValue)))
        return .object(members)
    }

    /// This configuration with its architecture resolved for data of `layout` (`ModelArchitecture.resolved`), and
    /// the line that says which networks the data chose, when it chose.
    public func resolvingArchitecture(for layout: Layout) throws(ModelArchitecture.Problem) -> (configuration: ModelConfiguration, note: String?) {
        var resolved = self
        let (architecture, note) = try self.architecture.resolved(for: layout, hiddenSizes: hiddenSizes)
        resolved.architecture = architecture
        return (resolved, note)
    }

    /// The shape to build for data of `layout` with `classCount` label classes and categorical groups of
    /// `categoryGroupSize`, the architecture resolved for it.
    public func shape(layout: Layout, classCount: Int, categoryGroupSize: Int?) throws(ModelArchitecture.Problem) -> ModelShape {
        let (architecture, _) = try self.architecture.resolved(for: layout, hiddenSizes: hiddenSizes)
        let encoder: NetworkSpecification, decoder: NetworkSpecification
        switch architecture {
        case .networks(let e, let d?): (encoder, decoder) = (e, d)
        default: (encoder, decoder) = (.dense(hiddenSizes), .dense(hiddenSizes.reversed()))
        }
        return ModelShape(layout: layout, classCount: classCount, categoryGroupSize: categoryGroupSize, encoder: encoder, decoder: decoder,
                          activation: activation, likelihood: likelihood)
    }

    /// `hidden [128, 128]`, or the encoder's layers.
    public var architectureSummary: String {
        switch architecture {
        case .mlp, .automatic: return "hidden \(hiddenSizes)"
        case .preset(let name): return "architecture \(name)"
        case .networks(let encoder, _):
            // Per stage, the layers' widths or channels: `conv [32, 32], dense [256]`.
            let stages = encoder.stages.map { stage in
                "\(stage.typeName) [\(stage.layers.map { layer in layer.outputChannels.map(String.init) ?? (layer as? Dense<Float>.Specification).map { String($0.units) } ?? "?" }.joined(separator: ", "))]"
            }
            return encoder.isDenseOnly ? "hidden [\(encoder.layers.compactMap { ($0 as? Dense<Float>.Specification)?.units }.map(String.init).joined(separator: ", "))]"
                : stages.joined(separator: ", ")
        }
    }
}
