import JSONConfig
import Layers

/// The model section of a run config: the model type's specification and the settings every type shares
/// (`hidden_sizes`, `activation`, `likelihood`, `gaussian_variance`).
public struct ModelConfiguration: Sendable {
    public var specification: any ModelSpecification
    public var hiddenSizes: [Int]
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
        if let node = object.node("hidden_sizes") {
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
        configuration.likelihoodFromData = defaults.likelihoodFromData && !object.contains("likelihood")
        return configuration
    }

    /// The model section as a config writes it.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("type", .string(specification.typeName)), ("hidden_sizes", .array(hiddenSizes.map { .number($0) }))]
        members += specification.parametersJSON
        members.append(("likelihood", .string(likelihood.name)))
        if case .gaussian(let learned) = likelihood { members.append(("gaussian_variance", .string(learned ? "learned" : "fixed"))) }
        members.append(("activation", .string(activation.rawValue)))
        return .object(members)
    }

    /// The shape to build for data with `featureCount` features, `classCount` label classes and categorical
    /// groups of `categoryGroupSize`.
    public func shape(featureCount: Int, classCount: Int, categoryGroupSize: Int?) -> ModelShape {
        ModelShape(featureCount: featureCount, classCount: classCount, categoryGroupSize: categoryGroupSize, hiddenSizes: hiddenSizes,
                   activation: activation, likelihood: likelihood)
    }
}
