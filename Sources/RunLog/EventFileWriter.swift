import Foundation

/// Writes one TensorBoard event file: `<directory>/events.out.tfevents.<10-digit seconds>.<host>.<pid>.<n>`,
/// first record `file_version = "brain.Event:2"`, then one record per call. Scalars are `simple_value`
/// float32 (what PyTorch's SummaryWriter writes, which every TensorBoard loader reads).
///
/// Steps must strictly increase per tag (TensorBoard's Rust loader evicts every stored point at or after a
/// repeated step); a scalar whose step does not is dropped and counted in `droppedScalars`. Records are
/// buffered and written by `flush()`; the trainer flushes at least every epoch and at exit, so a killed run
/// keeps what it logged.
public final class EventFileWriter {
    public let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var lastSteps: [String: Int64] = [:]
    private let clock: () -> Double
    public private(set) var droppedScalars = 0
    public private(set) var records = 0
    /// The first write that failed (a full disk); later records are dropped. `FileHandle.write(_:)` used to
    /// stop the whole program on such a failure.
    public private(set) var failure: AtomicFile.WriteError?

    nonisolated(unsafe) private static var counter = 0

    /// Creates the directory if needed and the file with its first record. `clock` gives wall time in seconds.
    public init(directory: String, clock: @escaping () -> Double = { Date().timeIntervalSince1970 }) throws(AtomicFile.WriteError) {
        self.clock = clock
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw AtomicFile.WriteError(path: directory, reason: "cannot create the directory")
        }
        let seconds = Int(clock())
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        let name = String(format: "events.out.tfevents.%010d.%@.%d.%d", seconds, host, ProcessInfo.processInfo.processIdentifier, Self.counter)
        Self.counter += 1
        path = directory + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw AtomicFile.WriteError(path: path, reason: "cannot create the event file")
        }
        self.handle = handle
        append(TensorBoardEvents.fileVersionEvent(wallTime: clock()))
        flush()
        if let failure { throw failure }
    }

    private func append(_ event: [UInt8]) {
        buffer += TensorBoardEvents.record(event)
        records += 1
    }

    /// Scalars at one step, in one Event. Scalars whose tag already has a step ≥ `step` are dropped.
    public func addScalars(_ scalars: [(tag: String, value: Double)], step: Int) {
        var accepted: [(tag: String, value: Float)] = []
        for scalar in scalars {
            if let last = lastSteps[scalar.tag], last >= Int64(step) {
                droppedScalars += 1
                continue
            }
            lastSteps[scalar.tag] = Int64(step)
            accepted.append((scalar.tag, Float(scalar.value)))
        }
        guard !accepted.isEmpty else { return }
        append(TensorBoardEvents.scalarsEvent(wallTime: clock(), step: Int64(step), scalars: accepted))
    }

    /// A Custom Scalars layout (charts of several tags), at step 0.
    public func addCustomScalarsLayout(_ categories: [(title: String, charts: [(title: String, tags: [String])])]) {
        append(TensorBoardEvents.summaryEvent(wallTime: clock(), step: 0, TensorBoardEvents.customScalarsSummary(categories)))
    }

    /// The HParams experiment and this run's session start (write at the start of a run).
    public func addHParamsStart(_ hparams: [(name: String, value: TensorBoardEvents.HParamValue)], metrics: [String]) {
        append(TensorBoardEvents.summaryEvent(wallTime: clock(), step: 0, TensorBoardEvents.hparamsExperimentSummary(hparams: hparams, metrics: metrics)))
        append(TensorBoardEvents.summaryEvent(wallTime: clock(), step: 0, TensorBoardEvents.hparamsSessionStartSummary(hparams: hparams)))
    }

    /// The session's end (write after the final metric scalars).
    public func addHParamsEnd(success: Bool, step: Int) {
        append(TensorBoardEvents.summaryEvent(wallTime: clock(), step: Int64(step), TensorBoardEvents.hparamsSessionEndSummary(success: success)))
    }

    /// Writes buffered records to the file; a failure is kept in `failure`.
    public func flush() {
        guard !buffer.isEmpty, failure == nil else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            failure = AtomicFile.WriteError(path: path, reason: AtomicFile.reason(error))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit {
        flush()
        try? handle.close()
    }
}
