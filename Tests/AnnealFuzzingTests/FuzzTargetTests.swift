import Foundation
import JSONConfig
import Tensors
import Testing
@testable import AnnealFuzzing
@testable import Training

@Suite("Fuzz targets: every seed and every input that ever failed, replayed")
struct FuzzTargetTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

    /// The inputs in `Corpus/<target>` and `Regressions/<target>`.
    static func inputs(_ target: FuzzTarget) -> [(name: String, bytes: [UInt8])] {
        ["Corpus", "Regressions"].flatMap { kind -> [(name: String, bytes: [UInt8])] in
            let directory = folder + "/\(kind)/\(target.rawValue)"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.sorted().compactMap { name in
                FileManager.default.contents(atPath: directory + "/" + name).map { ("\(kind)/\(target.rawValue)/\(name)", [UInt8]($0)) }
            }
        }
    }

    @Test("every seed and regression input passes its target's checks", arguments: FuzzTarget.allCases)
    func replay(target: FuzzTarget) {
        let inputs = Self.inputs(target)
        #expect(inputs.count >= 5, "\(target.rawValue) has \(inputs.count) inputs")
        for input in inputs {
            let problems = target.run(input.bytes)
            #expect(problems.isEmpty, "\(input.name): \(problems)")
        }
    }

    @Test("500 seeded mutations of the seeds per target pass the checks (a fuzz campaign in miniature)", arguments: FuzzTarget.allCases)
    func mutations(target: FuzzTarget) {
        var generator = RandomGenerator(seed: 7)
        let seeds = Self.inputs(target).map(\.bytes).filter { $0.count < 20_000 }
        for round in 0..<500 {
            var bytes = seeds[Int(generator.next() % UInt64(seeds.count))]
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 4 {
                case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
                case 2 where !bytes.isEmpty: bytes.remove(at: position)
                default: bytes = Array(bytes.prefix(position))
                }
            }
            let problems = target.run(bytes)
            #expect(problems.isEmpty, "round \(round), \(bytes.count) bytes \(bytes.prefix(64)): \(problems)")
        }
    }

    @Test("JSON written back may turn a non-finite number into null, and nothing else")
    func writtenJSON() throws {
        let value = try JSONParser.parse("[1, Infinity, {\"a\": NaN}]")
        #expect(FuzzTarget.sameWritten(value, try JSONParser.parse("[1, null, {\"a\": null}]")))
        #expect(FuzzTarget.sameWritten(value, value))
        #expect(!FuzzTarget.sameWritten(value, try JSONParser.parse("[null, null, {\"a\": null}]")))
        #expect(!FuzzTarget.sameWritten(value, try JSONParser.parse("[1, null, {\"b\": null}]")))
    }

    @Test("the checks can fail: long messages, raw control characters, a reader that disagrees with the old one")
    func checksCanFail() {
        #expect(FuzzTarget.messageProblems(String(repeating: "x", count: 3000)).count == 1)
        #expect(FuzzTarget.messageProblems("line 1: \u{1B}[2J").count == 1)
        #expect(FuzzTarget.messageProblems("line 1: \\x1B[2J").isEmpty)
        // The old reader took "1\0" as 1; the target compares only input without NUL bytes, so this passes…
        #expect(FuzzTarget.csv([0] + Array("1,2\n3,4\u{0}\n".utf8)).isEmpty)
        // …while the reference itself accepts it, which is why.
        if case .success(let table) = ReferenceCSVReader.read("1,2\n3,4\u{0}\n", labelColumn: nil) { #expect(table.features == [1, 2, 3, 4]) } else {
            Issue.record("the reference reader refused 1\\0")
        }
    }

    /// A checkpoint with every piece of state, as `Checkpoint.write` writes it.
    static func sampleCheckpoint() -> Checkpoint {
        var state = TrainingState(generator: RandomGenerator(seed: 42))
        state.epoch = 3
        state.globalStep = 77
        var sums = EpochSums(terms: [("reconstruction", 1), ("kl", 3)], measurements: 1)
        sums.examples = 64
        sums.klPerDimension = [[1, 2.5]]
        state.position = EpochPosition(epoch: 3, order: [2, 0, 1], nextBatch: 1, sums: sums, startValues: [0.25])
        state.bestValidationELBO = -10.5
        state.bestEpoch = 2
        return Checkpoint(state: state, optimizer: .init(configuration: .adamW(weightDecay: 0.05), step: 77, skippedSteps: 1),
                          configuration: #"{"data":{"source":"shapes"}}"#, tensors: [("w", [1, -2]), ("optimizer.first.w", [0, 0.5])])
    }

    @Test("a checkpoint written today and the committed seed both pass the target (ANNEAL_WRITE_FUZZ_SEEDS=1 rewrites the seed)")
    func checkpointSeeds() throws {
        let path = NSTemporaryDirectory() + "anneal-seed-\(UUID().uuidString).ckpt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.sampleCheckpoint().write(to: path)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let body = Array(written[8..<(written.count - 8)])  // the target adds the magic and the checksum
        let seed = Self.folder + "/Corpus/checkpoint/format2-state.bin"
        if ProcessInfo.processInfo.environment["ANNEAL_WRITE_FUZZ_SEEDS"] != nil {
            try FileManager.default.createDirectory(atPath: Self.folder + "/Corpus/checkpoint", withIntermediateDirectories: true)
            try Data(body).write(to: URL(fileURLWithPath: seed))
        }
        // The seed need not be today's bytes (the training state grows; older checkpoints read with defaults),
        // but it must read, as today's must.
        let committed = try #require(FileManager.default.contents(atPath: seed).map { [UInt8]($0) })
        #expect(FuzzTarget.checkpoint(committed).isEmpty)
        #expect(FuzzTarget.checkpoint(body).isEmpty)
        #expect(try Checkpoint.read(path).state == Self.sampleCheckpoint().state)
    }
}
