import JSONConfig
import Schedules

/// One epoch's numbers: one line of `metrics.jsonl`.
public struct EpochMetrics: Sendable {
    public var epoch: Int
    public var globalStep: Int
    public var loss: Double
    public var reconstruction: Double
    /// True KL per term (batch mean), by term name.
    public var kl: [(name: String, value: Double)]
    /// True KL per latent dimension per term (mean over the epoch's examples).
    public var klPerDimension: [(name: String, values: [Double])]
    /// The KL weights (`beta`, `global_kl_weight`, …, or `capacity`) at the epoch's start.
    public var beta: [(name: String, value: Double)]
    /// The KL weights evaluated per step, which change within the epoch: their values at its last step (their
    /// start is in `beta`, their mean in `quantityMeans`). Empty when every weight is evaluated per epoch.
    public var betaEnd: [(name: String, value: Double)] = []
    public var learningRate: Double
    /// Every quantity at the epoch's start (KL weights, `lr`, `temperature`, loss weights, `capacity`).
    public var quantities: [(name: String, value: Double)] = []
    /// Every quantity's mean over the epoch's steps: what the epoch used (differs from the start for a quantity
    /// evaluated per step).
    public var quantityMeans: [(name: String, value: Double)] = []
    /// Other loss terms (penalties), mean per example.
    public var penalties: [(name: String, value: Double)] = []
    /// The model's measurements (`radius`), mean per example.
    public var measurements: [(name: String, value: Double)] = []
    /// Feedback controllers' states at the epoch's end, by quantity.
    public var controllers: [(quantity: String, state: ControllerState)] = []
    /// The share of examples reconstructed exactly from their posterior means (categorical data; on the ternary
    /// operations, the coverage of all 19,683).
    public var coverage: Double?
    /// The mean radius ‖z‖ of the posterior-mean codes, and Spearman's ρ of radius against difficulty.
    public var radiusMean: Double?
    public var radialCorrelation: Double?
    /// Gradient balancing at the epoch's end: each group's `<group>.norm_average` and `<group>.scale`.
    public var gradientBalancing: [(name: String, value: Double)] = []
    public var validationELBO: Double?
    public var validationReconstruction: Double?
    public var validationKL: [(name: String, value: Double)]
    /// Active units per term (posterior-mean variance over the validation set at least 0.01; Burda et al. 2016).
    public var activeUnits: [(name: String, value: Int)]
    /// Mutual information I(x; z) per term on the validation set (He et al. 2019, in batches of
    /// `mutualInformationBatch`: it cannot exceed log of that).
    public var mutualInformation: [(name: String, value: Double)] = []
    public var mutualInformationBatch: Int?
    /// The training phase the epoch belongs to (`training.phases`), nil without phases or before the first.
    public var phase: String?
    /// `logging.disentanglement_every`'s scores (`EpochDisentanglement`) per block, on the epochs it scores;
    /// empty otherwise. A figure that is not defined is nil (null in metrics.jsonl).
    public var disentanglement: [(block: String, figures: [(name: String, value: Double?)])] = []
    public var skippedSteps: Int
    public var meanGradientNorm: Double
    public var seconds: Double

    /// The training ELBO estimate: −(reconstruction + Σ KL).
    public var trainingELBO: Double { -(reconstruction + kl.reduce(0) { $0 + $1.value }) }

    public var json: JSONValue {
        func numbers(_ pairs: [(name: String, value: Double)]) -> JSONValue { .object(pairs.map { ($0.name, .number($0.value)) }) }
        var members: [(String, JSONValue)] = [
            ("epoch", .number(epoch)), ("global_step", .number(globalStep)), ("loss", .number(loss)),
            ("reconstruction", .number(reconstruction)), ("kl", numbers(kl)), ("elbo", .number(trainingELBO)),
            ("learning_rate", .number(learningRate)), ("quantities", numbers(quantities)),
            ("quantity_means", numbers(quantityMeans)),
            ("validation_elbo", validationELBO.map { .number($0) } ?? .null),
            ("validation_reconstruction", validationReconstruction.map { .number($0) } ?? .null),
            ("validation_kl", numbers(validationKL)),
            ("active_units", .object(activeUnits.map { ($0.name, .number($0.value)) })),
            ("mutual_information", numbers(mutualInformation)), ("mutual_information_batch", mutualInformationBatch.map { .number($0) } ?? .null),
            ("kl_per_dimension", .object(klPerDimension.map { ($0.name, .array($0.values.map { .number($0) })) })),
            ("skipped_steps", .number(skippedSteps)), ("mean_gradient_norm", .number(meanGradientNorm)), ("seconds", .number(seconds)),
        ]
        // A weight evaluated per epoch has one value, under "beta". One evaluated per step changes within the
        // epoch: its epoch value is the mean over the steps, named so ("beta_mean"), with the first and last
        // steps' values beside it; it never appears under "beta", whose start value alone misled (a quarter-epoch
        // cycle recorded "beta": 0 every epoch).
        let stepNames = Set(betaEnd.map(\.name))
        var weightMembers: [(String, JSONValue)] = []
        let perEpoch = beta.filter { !stepNames.contains($0.name) }
        if !perEpoch.isEmpty || stepNames.isEmpty { weightMembers.append(("beta", numbers(perEpoch))) }
        if !stepNames.isEmpty {
            weightMembers.append(("beta_mean", numbers(quantityMeans.filter { stepNames.contains($0.name) })))
            weightMembers.append(("beta_start", numbers(beta.filter { stepNames.contains($0.name) })))
            weightMembers.append(("beta_end", numbers(betaEnd)))
        }
        members.insert(contentsOf: weightMembers, at: 6)
        if kl.count == 1 { members.insert(("kl_total", .number(kl[0].value)), at: 5) }
        if let phase { members.insert(("phase", .string(phase)), at: 2) }
        if !penalties.isEmpty { members.append(("penalties", numbers(penalties))) }
        if !measurements.isEmpty { members.append(("measurements", numbers(measurements))) }
        if !controllers.isEmpty {
            members.append(("controllers", .object(controllers.map { entry in
                (entry.quantity, .object(entry.state.entries.map { ($0.name, .number($0.value)) }))
            })))
        }
        if let coverage { members.append(("coverage", .number(coverage))) }
        if let radiusMean { members.append(("radius_mean", .number(radiusMean))) }
        if let radialCorrelation { members.append(("radial_correlation", .number(radialCorrelation))) }
        if !gradientBalancing.isEmpty { members.append(("gradient_balancing", numbers(gradientBalancing))) }
        if !disentanglement.isEmpty {
            members.append(("disentanglement", .object(disentanglement.map { block in
                (block.block, .object(block.figures.map { ($0.name, $0.value.map { .number($0) } ?? .null) }))
            })))
        }
        return .object(members)
    }
}
