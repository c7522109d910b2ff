import Testing
@testable import Sweeps

@Suite("ShardSelection")
struct ShardSelectionTests {
    static func trials(_ count: Int) -> [Trial] {
        // Ids in no particular order, as hashes are.
        (0..<count).map { Trial(id: String(String(($0 * 7_919 + 13) % 10_007, radix: 16).reversed()) + "-\($0)", group: $0 % 3, seed: $0) }
    }

    @Test("N shards cover every trial exactly once, with sizes differing by at most one", arguments: [1, 2, 3, 5, 8, 13])
    func coverExactlyOnce(shards: Int) {
        for count in [0, 1, 7, 12, 30] {
            let trials = Self.trials(count)
            let selections = (0..<shards).map { ShardSelection(index: $0, count: shards).select(trials) }
            let ids = selections.flatMap { $0.map(\.id) }
            #expect(ids.count == count && Set(ids) == Set(trials.map(\.id)))
            let sizes = selections.map(\.count)
            #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
            // The assignment depends only on the set of ids, not their order.
            #expect(ShardSelection(index: 0, count: shards).select(trials.reversed()).map(\.id).sorted() == selections[0].map(\.id).sorted())
        }
    }

    @Test("--shard I/N and its errors")
    func explicit() throws {
        #expect(try ShardSelection.parse("2/4", environment: [:], arrayIndices: nil) == ShardSelection(index: 2, count: 4))
        for (text, expected) in [("4/4", "the index must be below the count"), ("1/0", "must be a whole number ≥ 1"), ("x/2", "the shard index I must be"),
                                 ("2", "expected I/N"), ("-1/2", "the shard index I must be")] {
            #expect(throws: SweepError.self) { try ShardSelection.parse(text, environment: [:], arrayIndices: nil) }
            do { _ = try ShardSelection.parse(text, environment: [:], arrayIndices: nil) } catch {
                #expect(error.isUsage && error.message.hasPrefix("--shard \(text): ") && error.message.contains(expected), "\(error.message)")
            }
        }
    }

    @Test("Slurm: position in a range or a stepped range from MIN/STEP; a list needs --array-indices")
    func slurm() throws {
        func environment(_ id: Int, min: Int, max: Int, step: Int, count: Int) -> [String: String] {
            ["SLURM_ARRAY_TASK_ID": "\(id)", "SLURM_ARRAY_TASK_MIN": "\(min)", "SLURM_ARRAY_TASK_MAX": "\(max)",
             "SLURM_ARRAY_TASK_STEP": "\(step)", "SLURM_ARRAY_TASK_COUNT": "\(count)"]
        }
        // --array=0-15: task 7 is shard 7 of 16.
        #expect(try ShardSelection.parse("slurm", environment: environment(7, min: 0, max: 15, step: 1, count: 16), arrayIndices: nil) == ShardSelection(index: 7, count: 16))
        // --array=1-7:2 (1, 3, 5, 7): task 5 is position 2 of 4.
        #expect(try ShardSelection.parse("slurm", environment: environment(5, min: 1, max: 7, step: 2, count: 4), arrayIndices: nil) == ShardSelection(index: 2, count: 4))
        // --array=1,3,8-9: no single step fits MIN 1, MAX 9, COUNT 4; the list is needed, and with it task 8 is position 2.
        let listed = environment(8, min: 1, max: 9, step: 1, count: 4)
        #expect(throws: SweepError.self) { try ShardSelection.parse("slurm", environment: listed, arrayIndices: nil) }
        #expect(try ShardSelection.parse("slurm", environment: listed, arrayIndices: "1,3,8-9") == ShardSelection(index: 2, count: 4))
        #expect(try ShardSelection.parse("slurm", environment: listed.merging(["ANNEAL_ARRAY_INDICES": "1,3,8-9%2"]) { $1 }, arrayIndices: nil) == ShardSelection(index: 2, count: 4))
        // A list that disagrees with the task count, or leaves the task out, is refused.
        #expect(throws: SweepError.self) { try ShardSelection.parse("slurm", environment: listed, arrayIndices: "1,3,8") }
        #expect(throws: SweepError.self) { try ShardSelection.parse("slurm", environment: listed, arrayIndices: "1,3,9,10") }
        #expect(throws: SweepError.self) { try ShardSelection.parse("slurm", environment: [:], arrayIndices: nil) }
    }

    @Test("Slurm index lists expand as sbatch --array reads them")
    func indexLists() throws {
        #expect(try ShardSelection.parseIndexList("0-3") == [0, 1, 2, 3])
        #expect(try ShardSelection.parseIndexList("1-7:2%4") == [1, 3, 5, 7])
        #expect(try ShardSelection.parseIndexList("9,1,3,8-9") == [1, 3, 8, 9])
        for bad in ["", "a", "3-1", "1-4:0", "1,,2"] {
            #expect(throws: SweepError.self) { try ShardSelection.parseIndexList(bad) }
        }
    }

    @Test("Kubernetes: JOB_COMPLETION_INDEX with the given completions")
    func kubernetes() throws {
        #expect(try ShardSelection.parse("kubernetes/6", environment: ["JOB_COMPLETION_INDEX": "5"], arrayIndices: nil) == ShardSelection(index: 5, count: 6))
        #expect(try ShardSelection.parse("k8s/6", environment: ["JOB_COMPLETION_INDEX": "0"], arrayIndices: nil) == ShardSelection(index: 0, count: 6))
        #expect(throws: SweepError.self) { try ShardSelection.parse("kubernetes/6", environment: [:], arrayIndices: nil) }
        #expect(throws: SweepError.self) { try ShardSelection.parse("kubernetes/6", environment: ["JOB_COMPLETION_INDEX": "6"], arrayIndices: nil) }
    }
}
