/// The β schedules of a model's KL terms, by name (ARCHITECTURE.md, principle 4).
///
/// A plain VAE has one term, `kl`, whose weight is reported as `beta`. Seed 000's hierarchical scheduler is
/// the two-term case `global` + `local`, reported as `global_kl_weight` and `local_kl_weight`. `per_term`
/// generalises it to any number of named terms, each reported as `<name>_kl_weight`.
public struct KLWeightSchedule: Hashable, Sendable {
    /// How the configuration named its terms, which decides the config form it is written back in.
    public enum Layout: String, Hashable, Sendable {
        /// One schedule (`beta_scheduler_type` of a single schedule); one term named `kl`.
        case single
        /// `beta_scheduler_type: "hierarchical"`: terms `global` and `local`.
        case hierarchical
        /// `beta_scheduler_type: "per_term"`: any named terms.
        case perTerm = "per_term"
    }

    /// One KL term and its schedule.
    public struct Term: Hashable, Sendable {
        public var name: String
        public var schedule: Schedule

        public init(name: String, schedule: Schedule) {
            self.name = name
            self.schedule = schedule
        }
    }

    public var layout: Layout
    public var terms: [Term]

    /// The single-term schedule: term `kl`, reported as `beta`.
    public static func single(_ schedule: Schedule) -> KLWeightSchedule {
        KLWeightSchedule(layout: .single, terms: [Term(name: "kl", schedule: schedule)])
    }

    /// Seed 000's hierarchical scheduler: `global` and `local`.
    public static func hierarchical(global: Schedule, local: Schedule) -> KLWeightSchedule {
        KLWeightSchedule(layout: .hierarchical, terms: [Term(name: "global", schedule: global), Term(name: "local", schedule: local)])
    }

    public init(layout: Layout, terms: [Term]) {
        precondition(!terms.isEmpty, "at least one KL term")
        self.layout = layout
        self.terms = terms
    }

    /// The reported name of term `index`: `beta` for a single schedule, else `<name>_kl_weight`.
    public func reportedName(ofTerm index: Int) -> String {
        layout == .single ? "beta" : "\(terms[index].name)_kl_weight"
    }

    /// The reported names of all terms, in order.
    public var reportedNames: [String] { terms.indices.map(reportedName(ofTerm:)) }

    /// The schedule for KL term `name`, or nil.
    public func schedule(forTerm name: String) -> Schedule? {
        terms.first(where: { $0.name == name })?.schedule
    }

    /// The weights of all terms at `progress`, in term order.
    public func weights(at progress: TrainingProgress) -> [Double] {
        terms.map { $0.schedule.value(at: progress) }
    }

    /// The default β schedule when a config names none: cyclical annealing as Fu et al. (2019) recommend and
    /// seed 004's conclusion adopts: 4 cycles over the run, each rising linearly from 0 to 1 over its first
    /// half and holding 1 for the rest.
    public static func recommendedDefault(numEpochs: Int, cycles: Int = defaultCycles) -> KLWeightSchedule {
        .single(.cyclical(CyclicalSchedule(start: 0, end: 1, cycleLength: Double(numEpochs) / Double(cycles), wave: .ramp(ratio: 0.5))))
    }

    /// Cycles of the recommended default.
    public static let defaultCycles = 4

    /// The fewest optimiser steps per cycle for the default to be a cycle at all: its ramp rises over the first
    /// half, so 8 steps give 4 rising values and 4 at 1. A run too short for 4 such cycles gets fewer
    /// (`cycles(forSteps:)`), down to one.
    public static let minimumStepsPerDefaultCycle = 8

    /// The default's number of cycles for a run of `steps` optimiser steps: 4, or as many as fit 8 steps each
    /// (at least 1).
    public static func defaultCycles(forSteps steps: Int) -> Int {
        max(1, min(defaultCycles, steps / minimumStepsPerDefaultCycle))
    }
}
