import Data
import Schedules
import Tensors

/// Everything a run remembers besides its parameters and optimiser: one `Codable` value, written whole into
/// every checkpoint (format 2), so adding a piece of state is one property here and nothing in the
/// checkpoint code. Reading a checkpoint written before a property existed gives that property its default.
public struct TrainingState: Codable, Equatable, Sendable {
    /// Epochs completed: the epoch to continue with when `position` is nil.
    public var epoch = 0
    public var globalStep = 0
    /// Set when the state was saved inside an epoch: where to continue.
    public var position: EpochPosition?
    /// The run's random generator: data order and every posterior sample.
    public var generator: RandomGenerator
    public var consecutiveSkips = 0
    /// Feedback controllers' states, by quantity name.
    public var controllers: [NamedControllerState] = []
    public var bestValidationELBO: Double?
    public var bestEpoch: Int?
    public var firstValidationELBO: Double?
    /// Wall-clock seconds of training over every session of the run.
    public var elapsedSeconds = 0.0
    /// How many times the run was started or resumed.
    public var sessions = 0
    /// BLAS and optimiser threads of the session that saved this state (results depend on it in the last bits).
    public var threads = 1
    /// The early-stopping rule's state, when the run has one.
    public var earlyStopping: EarlyStopping.State?
    /// A fingerprint of the training data (see `Dataset.fingerprint`), to notice a data file that changed
    /// between sessions.
    public var dataFingerprint: String?
    /// The data's shape, kind and classes, so the trained model can be rebuilt without the data file.
    public var dataDescription: DataDescription?
    /// Changes made to the run after it started, one line each ("before epoch 12: training.num_epochs 24 → 48
    /// (--epochs)"), so the run's record says how it came to be.
    public var changes: [String] = []
    /// Gradient balancing's moving averages of each group's gradient norm (empty before the first step).
    public var gradientNormAverages: [Double] = []
    /// The keep-best rule that saved `best.ckpt` last, and the metrics it was judged on.
    public var bestRule: String?
    public var bestMetrics: [String: Double]?

    /// The readings `best.ckpt` was judged on; for a checkpoint from before the keep-best policy, its best
    /// validation ELBO.
    public var bestReadings: [String: Double]? {
        bestMetrics ?? bestValidationELBO.map { [EpochMetricName.validationELBO.rawValue: $0] }
    }

    public init(generator: RandomGenerator) {
        self.generator = generator
    }

    /// A controller's state with the name of the quantity it drives.
    public struct NamedControllerState: Codable, Equatable, Sendable {
        public var quantity: String
        public var state: ControllerState

        public init(quantity: String, state: ControllerState) {
            self.quantity = quantity
            self.state = state
        }
    }

    enum CodingKeys: String, CodingKey {
        case epoch, globalStep = "global_step", position, generator, consecutiveSkips = "consecutive_skips", controllers
        case bestValidationELBO = "best_validation_elbo", bestEpoch = "best_epoch", firstValidationELBO = "first_validation_elbo"
        case elapsedSeconds = "elapsed_seconds", sessions, threads, earlyStopping = "early_stopping", dataFingerprint = "data_fingerprint", changes
        case dataDescription = "data_description"
        case gradientNormAverages = "gradient_norm_averages", bestRule = "best_rule", bestMetrics = "best_metrics"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        generator = try container.decode(RandomGenerator.self, forKey: .generator)
        epoch = try container.decodeIfPresent(Int.self, forKey: .epoch) ?? 0
        globalStep = try container.decodeIfPresent(Int.self, forKey: .globalStep) ?? 0
        position = try container.decodeIfPresent(EpochPosition.self, forKey: .position)
        consecutiveSkips = try container.decodeIfPresent(Int.self, forKey: .consecutiveSkips) ?? 0
        controllers = try container.decodeIfPresent([NamedControllerState].self, forKey: .controllers) ?? []
        bestValidationELBO = try container.decodeIfPresent(Double.self, forKey: .bestValidationELBO)
        bestEpoch = try container.decodeIfPresent(Int.self, forKey: .bestEpoch)
        firstValidationELBO = try container.decodeIfPresent(Double.self, forKey: .firstValidationELBO)
        elapsedSeconds = try container.decodeIfPresent(Double.self, forKey: .elapsedSeconds) ?? 0
        sessions = try container.decodeIfPresent(Int.self, forKey: .sessions) ?? 0
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? 1
        earlyStopping = try container.decodeIfPresent(EarlyStopping.State.self, forKey: .earlyStopping)
        dataFingerprint = try container.decodeIfPresent(String.self, forKey: .dataFingerprint)
        dataDescription = try container.decodeIfPresent(DataDescription.self, forKey: .dataDescription)
        changes = try container.decodeIfPresent([String].self, forKey: .changes) ?? []
        gradientNormAverages = try container.decodeIfPresent([Double].self, forKey: .gradientNormAverages) ?? []
        bestRule = try container.decodeIfPresent(String.self, forKey: .bestRule)
        bestMetrics = try container.decodeIfPresent([String: Double].self, forKey: .bestMetrics)
    }
}
