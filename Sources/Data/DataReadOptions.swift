/// How a reader reports on a long load and lets its caller stop one early.
///
/// ```swift
/// var options = DataReadOptions()
/// options.progress = { fraction in bar.draw(fraction) }          // 0…1, a few times per second at most
/// options.earlyCheck = { preview throws(DataError) in             // once, after the first 1000 rows
///     if let low = preview.minimum, let high = preview.maximum, low < 0 || high > 1 {
///         throw DataError(file: preview.file, "values span [\(low), \(high)]; the Bernoulli likelihood needs [0, 1]")
///     }
/// }
/// let table = try CSVReader.read("big.csv", options: options)
/// ```
public struct DataReadOptions {
    /// Called with the fraction of the work done (0…1), from the thread that called the reader: first after
    /// `progressInterval` seconds, then at most once per interval, and once with 1 at the end if it was called
    /// before. A load shorter than the interval never calls it, so a caller can draw a bar without flicker.
    public var progress: ((Double) -> Void)?
    /// Seconds between `progress` calls (0.25).
    public var progressInterval: Double = 0.25
    /// Called exactly once per read, from the calling thread, with the first `previewRows` rows as soon as
    /// they are parsed (with every row when the file has fewer), before the rest of the file is read or
    /// converted. Throwing stops the read at once and the reader throws that error: say "your data is not in
    /// [0, 1]" after a moment instead of after a minute.
    public var earlyCheck: ((DataPreview) throws(DataError) -> Void)?
    /// Rows given to `earlyCheck` (1000); fewer when rows are so wide that they would pass `previewValueLimit`.
    public var previewRows: Int = 1000
    /// The most feature values `earlyCheck` gets (1,000,000: 4 MB).
    public var previewValueLimit: Int = 1_000_000
    /// Threads that parse a large CSV file (2): each takes a contiguous part of the file; the calling thread
    /// is one of them. Files under a few buffers are parsed by the calling thread alone.
    public var threads: Int = 2
    /// Bytes read from a CSV file at a time per thread (4 MiB); a longer line grows the buffer to fit it.
    public var bufferSize: Int = 4 << 20

    public init() {}

    /// Rows of `columns` features that a preview holds: `previewRows`, limited by `previewValueLimit`.
    func previewRowCount(columns: Int) -> Int {
        max(1, min(max(1, previewRows), max(1, previewValueLimit) / max(1, columns)))
    }
}
