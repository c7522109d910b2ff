import JSONConfig

/// Schedules played one after another (Optax's `join_schedules`): piece i runs from `boundaries[i−1]`
/// (0 for the first) until `boundaries[i]`, and sees the epochs since its own start, `t − boundaries[i−1]`.
public struct JoinedSchedule: ProgressSchedule, Hashable {
    public var pieces: [Schedule]
    /// Epochs where each piece after the first begins; strictly increasing, one fewer than `pieces`.
    public var boundaries: [Double]

    public init(pieces: [Schedule], boundaries: [Double]) {
        precondition(pieces.count == boundaries.count + 1, "one boundary between each pair of pieces")
        self.pieces = pieces
        self.boundaries = boundaries
    }

    /// The index of the piece that is active at `t`.
    public func pieceIndex(at progress: TrainingProgress) -> Int {
        var index = 0
        while index < boundaries.count && progress.epoch >= boundaries[index] { index += 1 }
        return index
    }

    public func value(at progress: TrainingProgress) -> Double {
        let index = pieceIndex(at: progress)
        let origin = index == 0 ? 0 : boundaries[index - 1]
        return pieces[index].value(at: progress.shifted(byEpochs: origin))
    }
}

extension JoinedSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["join"], meaning: "schedules played in turn from boundaries, each seeing the epochs since its own start (Optax's join_schedules)") { _, p, reader throws(ConfigError) in
        let schedulesNode = try p.required("schedules", "the pieces, [{\"type\": …}, …], played in order")
        let elements = try schedulesNode.array()
        if elements.count < 2 { throw schedulesNode.error("join needs at least two schedules, got \(elements.count)") }
        var pieces: [Schedule] = []
        for element in elements { pieces.append(try reader.nestedSchedule(element)) }
        let boundariesNode = try p.required("boundaries", "the epochs where pieces 2, 3, … begin")
        let boundaryNodes = try boundariesNode.array()
        if boundaryNodes.count != elements.count - 1 {
            throw boundariesNode.error("needs \(elements.count - 1) boundar\(elements.count == 2 ? "y" : "ies") for \(elements.count) schedules, got \(boundaryNodes.count)")
        }
        var boundaries: [Double] = []
        for node in boundaryNodes {
            let boundary = try node.number()
            if boundary <= (boundaries.last ?? 0) {
                throw node.error("boundaries must be greater than 0 and increasing, got \(node.value.briefDescription) after \(Format.number(boundaries.last ?? 0))")
            }
            boundaries.append(boundary)
        }
        return JoinedSchedule(pieces: pieces, boundaries: boundaries)
    }

    public var typeName: String { "join" }
    public var shortestPeriod: Double? { Schedule.shortest(pieces.map(\.shortestPeriod)) }

    public var parametersJSON: JSONValue {
        .object([("schedules", .array(pieces.map(\.json))), ("boundaries", .array(boundaries.map { .number($0) }))])
    }

    public var summary: String {
        "join of \(pieces.map(\.typeName).joined(separator: ", ")) at epochs \(boundaries.map { Format.short($0) }.joined(separator: ", "))"
    }

    public func warnings(over window: RunWindow) -> [String] {
        let last = window.last
        return boundaries.enumerated().compactMap { index, boundary in
            boundary > last.epoch ? "piece \(index + 2) (\(pieces[index + 1].typeName)) starts at epoch \(Format.short(boundary)), after \(window.name) ends at \(window.lastDescription); it never runs" : nil
        }
    }
}
