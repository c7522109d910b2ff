import Foundation
import JSONConfig
import RunLog

/// The output folder of a comparison and where everything lives in it:
///
/// ```
/// OUT/plan.json                  the groups and trials (ids, seeds), written by the first process
/// OUT/trials/<id>/               the trial's run folder, as anneal train writes it (config.json, metrics,
///                                TensorBoard events with HParams, checkpoints/, summary.json, report.html)
/// OUT/trials/<id>/trial.json     the config the trial was started from
/// OUT/trials/<id>/claim.lock     held (flock) by the process running the trial, and inherited by its child
/// OUT/trials/<id>/train.log      what anneal train printed, every session
/// OUT/trials/<id>/history.jsonl  one line per start, resume, finish or failure: host, process, time, shard
/// OUT/trials/<id>/result.json    the done marker: the trial's numbers, written atomically once it finished
/// OUT/runs/<group>-seed<s>       a readable link to each trial's folder
/// OUT/comparison.md, .csv, .html, trials.csv, report.html   the tables and pages
/// ```
public struct SweepFolder: Sendable {
    public var root: String

    public init(_ root: String) {
        self.root = root
    }

    public var planPath: String { root + "/plan.json" }
    public var trialsPath: String { root + "/trials" }
    public var runsPath: String { root + "/runs" }
    public func trialDirectory(_ id: String) -> String { trialsPath + "/" + id }
    public func trialConfigPath(_ id: String) -> String { trialDirectory(id) + "/trial.json" }
    public func resultPath(_ id: String) -> String { trialDirectory(id) + "/result.json" }
    public func claimPath(_ id: String) -> String { trialDirectory(id) + "/claim.lock" }
    public func logPath(_ id: String) -> String { trialDirectory(id) + "/train.log" }
    public func historyPath(_ id: String) -> String { trialDirectory(id) + "/history.jsonl" }
    public func failurePath(_ id: String) -> String { trialDirectory(id) + "/failure.json" }

    /// What a trial's folder says about it.
    public enum TrialState: Sendable, Equatable {
        /// `result.json` exists: done, never run again.
        case finished
        /// Training ended (summary.json says completed, stopped early or diverged) but no result was recorded
        /// (the process that ran it was killed just after): the result is recorded without training.
        case trainedUnrecorded
        /// A checkpoint exists: `anneal train --resume` continues it from there.
        case resumable
        /// Training started but stopped before its first checkpoint: it starts again from scratch.
        case startedWithoutCheckpoint
        /// The last attempt failed with this message (it is tried again).
        case failed(String)
        case notStarted
    }

    public func state(_ id: String) -> TrialState {
        let directory = trialDirectory(id)
        let files = FileManager.default
        if files.fileExists(atPath: resultPath(id)) { return .finished }
        if let summary = Self.readJSON(directory + "/summary.json"), case .string(let status)? = summary["status"]?.kind,
           ["completed", "stopped_early", "diverged"].contains(status) {
            return .trainedUnrecorded
        }
        if files.fileExists(atPath: directory + "/checkpoints/last.ckpt") { return .resumable }
        if files.fileExists(atPath: directory + "/config.json") { return .startedWithoutCheckpoint }
        if let failure = Self.readJSON(failurePath(id)), case .string(let message)? = failure["message"]?.kind { return .failed(message) }
        return .notStarted
    }

    /// Removes what a trial that never reached a checkpoint left, so it can start again (the claim, log,
    /// history and trial config stay).
    public func clearUnfinishedRun(_ id: String) {
        let directory = trialDirectory(id)
        let keep = ["claim.lock", "train.log", "history.jsonl", "trial.json", "failure.json"]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !keep.contains(name) {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// Removes `run.lock` from a trial's folder when no process holds it, and says whose it was; nil when
    /// there was none or it is held.
    ///
    /// Called only by the process holding the trial's claim. Every `anneal train` that ran in the folder was
    /// started by a claim holder and inherited the claim, so once the claim is ours that training has
    /// closed its files: it is gone, or a zombie not yet reaped, which `anneal train` would take for a live
    /// owner (its process id still answers) and refuse the folder. A lock still held (`flock`) belongs to a
    /// training someone started by hand, and is left alone.
    public func removeStaleRunLock(_ id: String) -> String? {
        let path = trialDirectory(id) + "/run.lock"
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return nil }
        let owner = (try? String(contentsOfFile: path, encoding: .utf8)).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard unlink(path) == 0 else { return nil }
        return owner.isEmpty ? "an unreadable lock" : owner
    }

    /// Appends one event to the trial's history (one `write` of one line with O_APPEND, so lines from two
    /// processes never interleave).
    public func recordEvent(_ id: String, _ event: String, shard: ShardSelection?, detail: String? = nil) {
        let formatter = ISO8601DateFormatter()
        var members: [(String, JSONValue)] = [
            ("event", .string(event)), ("time", .string(formatter.string(from: Date()))),
            ("host", .string(ProcessInfo.processInfo.hostName)), ("pid", .number(Int(getpid()))),
        ]
        if let shard { members.append(("shard", .string("\(shard.index)/\(shard.count)"))) }
        if let detail { members.append(("detail", .string(detail))) }
        let line = JSONWriter.compact(.object(members)) + "\n"
        let descriptor = open(historyPath(id), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        _ = line.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
    }

    /// The events of a trial's history, in order.
    public func history(_ id: String) -> [JSONValue] {
        guard let text = try? String(contentsOfFile: historyPath(id), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
    }

    static func readJSON(_ path: String) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
        return try? JSONParser.parse(text)
    }
}
