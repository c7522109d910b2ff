import JSONConfig

/// `training.phases`: named epoch ranges, each setting schedules for some quantities, compiled into one pure
/// schedule per quantity (a `join` of the pieces the phases give it), so that `anneal schedule` tables and
/// plots a phased run like any other, a resumed run computes the same values, and the phase's name is known
/// at every epoch (logged in metrics.jsonl).
///
/// ```json
/// "phases": [
///   {"name": "explore", "start_epoch": 0,
///    "quantities": {"A_kl_weight": {"type": "linear", "min_beta": 0.3, "max_beta": 0.8, "warmup_epochs": 40},
///                   "B_kl_weight": 0, "temperature": 1}},
///   {"name": "consolidate", "start_epoch": 40, "quantities": {"B_kl_weight": {"type": "linear", "max_beta": 0.1, "warmup_epochs": 9}, "temperature": 0.9}},
///   …
/// ]
/// ```
///
/// Before the first phase that names a quantity, the quantity follows its own setting (the β schedule,
/// `training.temperature`, `learning_rate`…; 1 for a temperature or a loss weight that has none).
public struct PhasePlan: Hashable, Sendable {
    public var phases: [Phase]
    /// Where the config gave the phases (for errors found when the plan is compiled); not part of equality.
    public var node: ConfigNode?

    public init(_ phases: [Phase], node: ConfigNode? = nil) {
        self.phases = phases
        self.node = node
    }

    public static func == (lhs: PhasePlan, rhs: PhasePlan) -> Bool { lhs.phases == rhs.phases }
    public func hash(into hasher: inout Hasher) { hasher.combine(phases) }

    /// The phase that holds `epoch` (nil before the first phase starts).
    public func phase(atEpoch epoch: Int) -> Phase? {
        phases.last { $0.startEpoch <= epoch }
    }

    /// The quantity names that some phase sets, in order of first appearance.
    public var quantityNames: [String] {
        var names: [String] = []
        for phase in phases {
            for quantity in phase.quantities where !names.contains(quantity.name) { names.append(quantity.name) }
        }
        return names
    }

    // MARK: Reading

    /// Reads `training.phases`: an array of `{"name", "start_epoch", "quantities": {name: number or schedule}}`
    /// with distinct names and increasing start epochs. `learningRateBase` is the base learning rate that
    /// decay-style `lr` schedules in a phase start from.
    static func read(_ node: ConfigNode, numEpochs: Int?, learningRateBase: Double?) throws(ConfigError) -> PhasePlan {
        let elements = try node.array()
        if elements.isEmpty { throw node.error("needs at least one phase, {\"name\": …, \"start_epoch\": …, \"quantities\": {…}}") }
        var objects: [(ConfigObject, String, Int)] = []
        for element in elements {
            let object = try element.object()
            let nameNode = try object.required("name", "the phase's name (logged with each epoch)")
            let name = try nameNode.string()
            if name.isEmpty { throw nameNode.error("a phase's name cannot be empty") }
            if objects.contains(where: { $0.1 == name }) { throw nameNode.error("the phase \(MessageText.quoted(name)) is given twice") }
            let startNode = try object.required("start_epoch", "the epoch where the phase begins (0-based; it lasts until the next phase begins)")
            let start = try startNode.integer(minimum: 0)
            if start < 0 { throw startNode.error("must be ≥ 0, got \(start)") }
            if let previous = objects.last, start <= previous.2 {
                throw startNode.error("phases must start in increasing order: \(MessageText.quoted(name)) starts at \(start), not after \(MessageText.quoted(previous.1)) at \(previous.2)")
            }
            objects.append((object, name, start))
        }
        var phases: [Phase] = []
        for (index, (object, name, start)) in objects.enumerated() {
            // A schedule in a phase resolves ratios and cycle counts against the phase's length.
            let end = index + 1 < objects.count ? objects[index + 1].2 : numEpochs
            let length = end.map { max(1, $0 - start) }
            let quantitiesNode = try object.required("quantities", "the quantities this phase sets, {\"beta\": 0.5, \"temperature\": {\"type\": …}}")
            let quantities = try quantitiesNode.object()
            var named: [NamedSchedule] = []
            for key in quantities.keys {
                let entry = quantities.node(key)!
                guard Self.isQuantityName(key) else {
                    throw entry.error("a quantity's name is letters, digits and underscores (beta, A_kl_weight, temperature, lr, radial_weight); got \(MessageText.quoted(key))")
                }
                let reader = key == "lr"
                    ? ScheduleReader(numEpochs: length, base: learningRateBase, baseName: "learning_rate", aliases: ScheduleReader.learningRateAliases)
                    : ScheduleReader(numEpochs: length)
                named.append(NamedSchedule(name: key, schedule: try reader.numberOrSchedule(entry)))
            }
            if named.isEmpty { throw quantitiesNode.error("a phase needs at least one quantity") }
            try object.finish(context: "phase")
            phases.append(Phase(name: name, startEpoch: start, quantities: named))
        }
        return PhasePlan(phases, node: node)
    }

    static func isQuantityName(_ name: String) -> Bool { ScheduleConfiguration.isTermName(name) }

    // MARK: Compiling

    /// Replaces (or adds) each quantity the phases set with the join of its pieces. A quantity the plan does
    /// not have yet starts from its default: a KL term's weight from the shared β, a temperature or loss
    /// weight from 1. `granularity` decides when each compiled quantity is evaluated. Unknown names (`lr`
    /// with no learning rate, a name that is no quantity) are errors naming the phase and the key.
    func apply(to plan: inout QuantityPlan, granularity: GranularitySetting) throws(ConfigError) {
        for name in quantityNames {
            var base: Quantity
            if let existing = plan[name] {
                base = existing
            } else if name.hasSuffix("_kl_weight"), let shared = plan.quantities.first(where: { $0.role == .klWeight && $0.term == nil }) {
                base = Quantity(name: name, role: .klWeight, schedule: shared.schedule, evaluation: shared.evaluation, term: String(name.dropLast("_kl_weight".count)))
            } else if name == "temperature" {
                base = Quantity(name: name, role: .temperature, schedule: .constant(ConstantSchedule(value: 1)), evaluation: .epoch)
            } else if name.hasSuffix("_contribution") {
                // A model's own quantity (a dual VAE's B_contribution); the run config checks the model has it.
                base = Quantity(name: name, role: .model, schedule: .constant(ConstantSchedule(value: 1)), evaluation: .epoch)
            } else if name.hasSuffix("_weight"), !name.hasSuffix("_kl_weight") {
                base = Quantity(name: name, role: .lossWeight, schedule: .constant(ConstantSchedule(value: 1)), evaluation: .epoch, term: String(name.dropLast("_weight".count)))
            } else {
                let (phase, key) = phases.lazy.compactMap { phase in phase.quantities.first { $0.name == name }.map { (phase.name, $0.name) } }.first!
                let message = name == "lr" ? "phase \(MessageText.quoted(phase)) sets lr, but the run has no learning rate: give training.learning_rate"
                    : "phase \(MessageText.quoted(phase)) sets \(MessageText.quoted(key)), which is not a quantity of this run; quantities: \(plan.names.joined(separator: ", ")), temperature, <term>_kl_weight, <term>_weight"
                throw ConfigError(file: node?.file, position: node?.value.position, keyPath: node?.path, message: message)
            }
            var pieces: [Schedule] = []
            var boundaries: [Double] = []
            for phase in phases {
                guard let piece = phase.quantities.first(where: { $0.name == name }) else { continue }
                if phase.startEpoch == 0 && pieces.isEmpty {
                    pieces.append(piece.schedule)
                    continue
                }
                if pieces.isEmpty { pieces.append(base.schedule) }  // its own setting until the first phase that names it
                pieces.append(piece.schedule)
                boundaries.append(Double(phase.startEpoch))
            }
            let schedule: Schedule = pieces.count == 1 ? pieces[0] : .joined(JoinedSchedule(pieces: pieces, boundaries: boundaries))
            base.schedule = schedule
            if base.role != .learningRate && base.role != .capacity { base.evaluation = granularity.evaluation(for: schedule) }
            plan.append(base)
        }
    }

    // MARK: Writing

    public var json: JSONValue {
        .array(phases.map { phase in
            .object([
                ("name", .string(phase.name)), ("start_epoch", .number(phase.startEpoch)),
                ("quantities", .object(phase.quantities.map { ($0.name, ScheduleConfiguration.numberOrSchedule($0.schedule)) })),
            ])
        })
    }
}
