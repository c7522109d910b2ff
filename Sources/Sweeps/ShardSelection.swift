/// Which share of a comparison's trials one process runs: shard I of N (0 ≤ I < N).
///
/// **Assignment.** The plan's trial ids are sorted (as strings: hexadecimal digits, so by value), and the
/// trial at position p goes to shard p mod N. Every trial is in exactly one shard, shard sizes differ by at
/// most one, and the assignment depends only on the set of trial ids, so every process computes the same one.
///
/// **Where I and N come from.**
/// - `--shard I/N`.
/// - `--shard slurm`: a Slurm job array task. N = `SLURM_ARRAY_TASK_COUNT`, and I is the position of
///   `SLURM_ARRAY_TASK_ID` in the array's index list. For one range with a step (`--array=0-15`,
///   `--array=1-7:2`) that is (ID − MIN)/STEP from `SLURM_ARRAY_TASK_MIN` and `SLURM_ARRAY_TASK_STEP`
///   (checked against `SLURM_ARRAY_TASK_MAX` and the count). Slurm does not export an index list
///   (`--array=1,3,8-9`) to its tasks, so for one give it again, as `--array-indices 1,3,8-9` or in
///   `ANNEAL_ARRAY_INDICES`; a list that the variables show is not one stepped range is an error asking for it.
/// - `--shard kubernetes/N` (or `k8s/N`): a Kubernetes Indexed Job's pod. I = `JOB_COMPLETION_INDEX`; N is
///   the Job's `completions`, which Kubernetes does not pass to the pod, so it is given.
public struct ShardSelection: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int
    /// Where the index came from, for messages (`--shard`, `SLURM_ARRAY_TASK_ID 7 (position 3 of …)`).
    public var origin: String

    public init(index: Int, count: Int, origin: String = "--shard") {
        self.index = index
        self.count = count
        self.origin = origin
    }

    public static func == (lhs: ShardSelection, rhs: ShardSelection) -> Bool {
        lhs.index == rhs.index && lhs.count == rhs.count
    }

    /// `shard 2 of 4` (0-based index, as given).
    public var description: String { "shard \(index)/\(count)" }

    /// Reads `--shard` (`I/N`, `slurm`, `kubernetes/N`, `k8s/N`) with the process environment and
    /// `--array-indices`.
    public static func parse(_ text: String, environment: [String: String], arrayIndices: String?) throws(SweepError) -> ShardSelection {
        let lowered = text.lowercased()
        if lowered == "slurm" { return try slurm(environment: environment, arrayIndices: arrayIndices ?? environment["ANNEAL_ARRAY_INDICES"]) }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            throw SweepError.usage("--shard \(text): expected I/N (0 ≤ I < N, e.g. --shard 0/4), slurm, or kubernetes/N")
        }
        guard let count = Int(parts[1]), count >= 1 else {
            throw SweepError.usage("--shard \(text): the shard count N must be a whole number ≥ 1, got \(parts[1].isEmpty ? "nothing" : parts[1])")
        }
        if ["kubernetes", "k8s"].contains(parts[0].lowercased()) {
            guard let value = environment["JOB_COMPLETION_INDEX"] else {
                throw SweepError.usage("--shard \(text): JOB_COMPLETION_INDEX is not set; Kubernetes sets it in the pods of a Job with completionMode: Indexed")
            }
            guard let index = Int(value), index >= 0 else { throw SweepError.usage("--shard \(text): JOB_COMPLETION_INDEX is \(value), not a whole number ≥ 0") }
            guard index < count else {
                throw SweepError.usage("--shard \(text): JOB_COMPLETION_INDEX \(index) is not below \(count); give the Job's completions as N")
            }
            return ShardSelection(index: index, count: count, origin: "JOB_COMPLETION_INDEX \(index)")
        }
        guard let index = Int(parts[0]), index >= 0 else {
            throw SweepError.usage("--shard \(text): the shard index I must be a whole number ≥ 0 (or slurm, or kubernetes/N), got \(parts[0].isEmpty ? "nothing" : parts[0])")
        }
        guard index < count else { throw SweepError.usage("--shard \(text): the index must be below the count (shards are numbered 0 to \(count - 1))") }
        return ShardSelection(index: index, count: count)
    }

    /// The shard of a Slurm array task (see the type's documentation).
    static func slurm(environment: [String: String], arrayIndices: String?) throws(SweepError) -> ShardSelection {
        func number(_ name: String) throws(SweepError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text) else { throw SweepError.usage("--shard slurm: \(name) is \(text), not a whole number") }
            return value
        }
        guard let task = try number("SLURM_ARRAY_TASK_ID") else {
            throw SweepError.usage("--shard slurm: SLURM_ARRAY_TASK_ID is not set; Slurm sets it in the tasks of a job array (sbatch --array=…)")
        }
        let count = try number("SLURM_ARRAY_TASK_COUNT")
        if let arrayIndices {
            let indices = try parseIndexList(arrayIndices)
            guard let position = indices.firstIndex(of: task) else {
                throw SweepError.usage("--shard slurm: SLURM_ARRAY_TASK_ID \(task) is not in --array-indices \(arrayIndices) (\(indices.count) indices)")
            }
            if let count, count != indices.count {
                throw SweepError.usage("--shard slurm: --array-indices \(arrayIndices) has \(indices.count) indices but SLURM_ARRAY_TASK_COUNT is \(count); give the job's --array list")
            }
            return ShardSelection(index: position, count: indices.count, origin: "SLURM_ARRAY_TASK_ID \(task) (position \(position) in \(arrayIndices))")
        }
        guard let count, let minimum = try number("SLURM_ARRAY_TASK_MIN") else {
            throw SweepError.usage("--shard slurm: SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_MIN are not set; without them give the array's indices with --array-indices")
        }
        let step = try number("SLURM_ARRAY_TASK_STEP") ?? 1
        let maximum = try number("SLURM_ARRAY_TASK_MAX") ?? (minimum + (count - 1) * step)
        guard step >= 1, count >= 1, maximum - minimum == (count - 1) * step, (task - minimum) % step == 0, task >= minimum, task <= maximum else {
            throw SweepError.usage("--shard slurm: the array's indices are not one stepped range (SLURM_ARRAY_TASK_MIN \(minimum), MAX \(maximum), STEP \(step), COUNT \(count), this task \(task)), so its position cannot be computed: give the --array list with --array-indices (e.g. --array-indices 1,3,8-9) or ANNEAL_ARRAY_INDICES")
        }
        let position = (task - minimum) / step
        return ShardSelection(index: position, count: count, origin: "SLURM_ARRAY_TASK_ID \(task) (position \(position) of \(count))")
    }

    /// Expands a Slurm `--array` list: `0-15`, `1-7:2`, `1,3,8-9`; a `%limit` suffix is ignored. The result is
    /// sorted, without repeats, as Slurm numbers the tasks.
    public static func parseIndexList(_ text: String) throws(SweepError) -> [Int] {
        let body = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? ""
        var indices = Set<Int>()
        for item in body.split(separator: ",", omittingEmptySubsequences: false) {
            let rangeAndStep = item.split(separator: ":", omittingEmptySubsequences: false)
            let bounds = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false)
            guard rangeAndStep.count <= 2, bounds.count <= 2, let low = Int(bounds[0]), low >= 0,
                  let high = bounds.count == 2 ? Int(bounds[1]) : low, high >= low,
                  let step = rangeAndStep.count == 2 ? Int(rangeAndStep[1]) : 1, step >= 1 else {
                throw SweepError.usage("--array-indices \(text): \(item.isEmpty ? "an empty item" : String(item)) is not an index, a range A-B or a stepped range A-B:S (as sbatch --array takes them)")
            }
            for index in stride(from: low, through: high, by: step) { indices.insert(index) }
        }
        if indices.count > 1_000_000 { throw SweepError.usage("--array-indices \(text): more than a million indices") }
        return indices.sorted()
    }

    /// The shard of every trial id: position in sorted order, mod `count`.
    public static func assignment(ids: [String], count: Int) -> [String: Int] {
        var result: [String: Int] = [:]
        for (position, id) in ids.sorted().enumerated() { result[id] = position % count }
        return result
    }

    /// The trials of this shard, in the order given.
    public func select(_ trials: [Trial]) -> [Trial] {
        let shards = Self.assignment(ids: trials.map(\.id), count: count)
        return trials.filter { shards[$0.id] == index }
    }
}
