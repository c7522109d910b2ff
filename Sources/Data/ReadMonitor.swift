import Dispatch

/// Calls a reader's progress closure at most once per interval (and with 1 at the end if it was called at
/// all), and its early check exactly once.
final class ReadMonitor {
    private let progress: ((Double) -> Void)?
    private let earlyCheck: ((DataPreview) throws(DataError) -> Void)?
    private let interval: UInt64
    private var lastReport: UInt64
    private var reported = false
    private(set) var checked = false

    init(_ options: DataReadOptions) {
        progress = options.progress
        earlyCheck = options.earlyCheck
        interval = UInt64(max(0, min(options.progressInterval, 3600)) * 1e9)
        lastReport = DispatchTime.now().uptimeNanoseconds
    }

    /// Whether a preview is wanted (an early check is set and has not run).
    var wantsPreview: Bool { earlyCheck != nil && !checked }

    /// Reports `fraction` if the interval has passed since the last report (or the start).
    func report(_ fraction: Double) {
        guard let progress else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now &- lastReport >= interval else { return }
        lastReport = now
        reported = true
        progress(min(1, max(0, fraction.isNaN ? 0 : fraction)))
    }

    /// Runs the early check on `preview` (once).
    func check(_ preview: @autoclosure () -> DataPreview) throws(DataError) {
        guard let earlyCheck, !checked else { return }
        checked = true
        try earlyCheck(preview())
    }

    /// Reports 1 if progress was reported before.
    func finish() {
        if reported { progress?(1) }
    }
}
