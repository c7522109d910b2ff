import Foundation
import Testing

/// The checked-in Slurm script and Kubernetes manifest run `anneal compare` as written: every array task or pod
/// index gets its share, and together they cover every trial exactly once (checked with `--dry-run`).
@Suite("anneal compare deployment files")
struct CompareDeployTests {
    static let deploy = AnnealProcess.repository.appendingPathComponent("deploy")

    /// Runs a program with extra environment variables: status, standard output and standard error.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> (Int32, String, String) {
        let result = try AnnealProcess.run(executable: URL(fileURLWithPath: executable), arguments, environment: environment)
        return (result.status, result.standardOutput, result.standardError)
    }

    /// The ids a dry run marks as this process's share (`*` after the shard column).
    static func marked(_ listing: String) -> [String] {
        listing.split(separator: "\n").compactMap { line in
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            guard columns.count >= 2, columns[0].count == 16, columns[1].hasSuffix("*") else { return nil }
            return String(columns[0])
        }
    }

    static func config() throws -> URL {
        try AnnealProcess.writeConfig(CompareCommandTests.base)
    }

    @Test("the Slurm script: the tasks of --array=1-7:2, and of the list 1,3,8-9, each run a share, together every trial once")
    func slurm() throws {
        let config = try Self.config()
        let out = config.deletingLastPathComponent().appendingPathComponent("out").path
        let script = Self.deploy.appendingPathComponent("slurm/anneal-compare.sbatch").path
        var all: [String] = []
        for (task, environment) in [(1, ["SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "4"]),
                                    (3, ["SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "4"]),
                                    (5, ["SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "4"]),
                                    (7, ["SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "4"])] {
            let (status, output, error) = try Self.run("/bin/bash", [script, config.path, out], environment: environment.merging([
                "SLURM_ARRAY_TASK_ID": "\(task)", "ANNEAL": AnnealProcess.executable.path, "ANNEAL_SEEDS": "2",
                "ANNEAL_COMPARE_FLAGS": "--dry-run",
            ]) { $1 })
            #expect(status == 0, "\(error)")
            #expect(output.contains("10 trials: 5 groups") && output.contains("shard \((task - 1) / 2)/4 (SLURM_ARRAY_TASK_ID \(task)"))
            all += Self.marked(output)
        }
        #expect(all.count == 10 && Set(all).count == 10)

        // An index list Slurm does not pass to its tasks: the script reads it from ANNEAL_ARRAY_INDICES.
        var listed: [String] = []
        for task in [1, 3, 8, 9] {
            let (status, output, error) = try Self.run("/bin/bash", [script, config.path, out], environment: [
                "SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "9", "SLURM_ARRAY_TASK_COUNT": "4",
                "ANNEAL_ARRAY_INDICES": "1,3,8-9", "ANNEAL": AnnealProcess.executable.path, "ANNEAL_SEEDS": "2",
                "ANNEAL_SCHEDULES": "linear cosine", "ANNEAL_COMPARE_FLAGS": "--dry-run",
            ])
            #expect(status == 0, "\(error)")
            listed += Self.marked(output)
        }
        #expect(listed.count == 4 && Set(listed).count == 4)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("the Kubernetes manifest: its command, run by each completion index, covers every trial once")
    func kubernetes() throws {
        let manifest = try String(contentsOf: Self.deploy.appendingPathComponent("kubernetes/anneal-compare-job.yaml"), encoding: .utf8)
        #expect(manifest.contains("completionMode: Indexed") && manifest.contains("restartPolicy: Never"))
        // The container's command: the list items after `command:`.
        let lines = manifest.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "command:" })
        var command: [String] = []
        for line in lines[(start + 1)...] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("- ") else { break }
            command.append(String(trimmed.dropFirst(2)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        }
        #expect(command.first == "anneal" && command.dropFirst().first == "compare")
        let completions = try #require(lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("completions:") }
            .flatMap { Int($0.split(separator: ":")[1].split(separator: "#")[0].trimmingCharacters(in: .whitespaces)) })
        #expect(command.contains("kubernetes/\(completions)"))

        let config = try Self.config()
        let directory = config.deletingLastPathComponent().path
        let arguments = Array(command.dropFirst()).map { $0.replacingOccurrences(of: "/sweep/base.json", with: config.path).replacingOccurrences(of: "/sweep", with: directory) }
        var all: [String] = []
        for index in 0..<completions {
            let (status, output, error) = try Self.run(AnnealProcess.executable.path, arguments + ["--dry-run"], environment: ["JOB_COMPLETION_INDEX": "\(index)"])
            #expect(status == 0, "\(error)")
            all += Self.marked(output)
            if index == 0 { #expect(output.contains("(JOB_COMPLETION_INDEX 0)")) }
        }
        let total = 5 * 3  // five schedules × three seeds
        #expect(all.count == total && Set(all).count == total)
    }
}
