import Dispatch
import Foundation

/// Reads numeric CSV: comma-separated, an optional header row (detected: a first row with any non-numeric
/// field), and optionally one column of integer class labels chosen by name or index.
///
/// The file is parsed as bytes in buffers (no string per line), at about the speed of the disk: a first pass
/// counts the lines so the values are stored once, in an array of exactly the right size (peak memory is the
/// float32 data plus a buffer per thread), and large files are split at line boundaries between
/// `DataReadOptions.threads` threads. Numbers are exactly what `Double(String)` gives for each trimmed field
/// (see `DecimalParser`), then rounded to single precision. Line breaks may be '\n', '\r\n' or '\r'; a UTF-8
/// byte-order mark is skipped; blank lines at the end are ignored.
///
/// Errors name the file, the line and the column: ragged rows, fields that are not numbers (quoted, at most
/// 40 characters, control bytes escaped), NaN and infinity, a label column that does not exist.
public enum CSVReader {
    /// A CSV file's contents: the header (without the label column), the features and the labels.
    public struct Table: Sendable {
        public var header: [String]?
        public var features: NumericArray
        public var labels: [Double]?
    }

    /// Reads `path`. `labelColumn` is a header name or a 0-based column index written as a string; `options`
    /// can report progress, check the first rows before the rest is read, and set the threads.
    public static func read(_ path: String, labelColumn: String? = nil, options: DataReadOptions = DataReadOptions()) throws(DataError) -> Table {
        let file = try DataFile.open(path)
        let monitor = ReadMonitor(options)
        let bufferSize = max(16, options.bufferSize)

        // A UTF-8 byte-order mark is not part of the first field.
        var start = 0
        if file.size >= 3 {
            if try file.read(3, at: 0) == [0xEF, 0xBB, 0xBF] { start = 3 }
        }

        // Line 1: the header, or the first row.
        guard let (firstLine, secondLineStart) = try firstLine(of: file, from: start, bufferSize: bufferSize) else {
            throw DataError(file: path, "is empty")
        }
        let fields = firstLine.split(separator: 0x2C, omittingEmptySubsequences: false)
        let isHeader = fields.contains { field in field.withUnsafeBufferPointer { DecimalParser.parseGeneral($0) == nil } }
        var header: [String]?
        if isHeader {
            let firstLineIsBlank = firstLine.withUnsafeBufferPointer { DecimalParser.trimmed($0).isEmpty }
            guard try hasRow(file, from: secondLineStart, bufferSize: bufferSize) else {
                throw DataError(file: path, firstLineIsBlank ? "is empty" : "has a header but no data rows")
            }
            guard String(validating: firstLine, as: UTF8.self) != nil else {
                throw DataError(file: path, "line 1 (the header) is not UTF-8 text: \(DisplayText.quoted(firstLine, limit: 60))")
            }
            header = fields.map { field in field.withUnsafeBufferPointer { DecimalParser.trimmed($0) } }
        }
        let width = fields.count
        let labelIndex = try labelIndex(labelColumn, header: header, width: width, file: path)
        let layout = CSVLayout(width: width, labelIndex: labelIndex, featureCount: width - (labelIndex == nil ? 0 : 1),
                               firstDataLine: isHeader ? 1 : 0)
        guard layout.featureCount > 0 else { throw DataError(file: path, "has no feature columns besides the label") }
        let dataStart = isHeader ? secondLineStart : start
        let dataBytes = file.size - dataStart

        // The first rows for the early check, before the long part.
        if monitor.wantsPreview {
            try checkPreview(file, layout: layout, from: dataStart, options: options, bufferSize: bufferSize, monitor: monitor)
        }

        // Parts for the threads, and their lines.
        let initialSegments = try split(file, from: dataStart, threads: options.threads, bufferSize: bufferSize)
        let counted = ProgressCounters(initialSegments.count)
        let lineCounts = try parallel(initialSegments.count, counters: counted, tick: { monitor.report(0.1 * Double(counted.total) / Double(max(1, dataBytes))) }) {
            (index, progress) throws(DataError) -> Int in
            try CSVLineCounter.count(file, from: initialSegments[index].start, to: initialSegments[index].end, bufferSize: bufferSize, progress: progress)
        }
        var segments = initialSegments
        var firstLineIndex = layout.firstDataLine
        for index in segments.indices {
            segments[index].firstLine = firstLineIndex
            segments[index].lines = lineCounts[index]
            firstLineIndex += lineCounts[index]
        }
        let countedSegments = segments

        // Room for every row there can be: no more than the lines, and no more than a row of `width` one-byte
        // numbers and their commas and line break (2·width bytes) fits in the file.
        let capacity = min(lineCounts.reduce(0, +), (dataBytes + 1) / (2 * width))
        // (At least one element each, so that the buffers have an address; the extra is removed below.)
        var values = [Float](repeating: 0, count: max(1, capacity * layout.featureCount))
        var labels = [Double](repeating: 0, count: max(1, capacity))
        let parsed = ProgressCounters(segments.count)
        let results = try values.withUnsafeMutableBufferPointer { (valueBuffer) throws(DataError) -> [CSVSegmentResult] in
            try labels.withUnsafeMutableBufferPointer { (labelBuffer) throws(DataError) -> [CSVSegmentResult] in
                let storage = CSVRowStorage(values: valueBuffer.baseAddress!, labels: labelIndex == nil ? nil : labelBuffer.baseAddress!, capacity: capacity)
                let parser = CSVSegmentParser(file: file, layout: layout, storage: storage, bufferSize: bufferSize)
                return try parallel(countedSegments.count, counters: parsed, tick: { monitor.report(0.1 + 0.9 * Double(parsed.total) / Double(max(1, dataBytes))) }) {
                    (index, progress) in parser.parse(countedSegments[index], progress: progress)
                }
            }
        }

        // The first error in file order; blank lines are an error only when a row follows them.
        var pendingBlank: Int?
        var lastRowLine: Int?
        var range = ValueRange()
        for result in results {
            if let blank = pendingBlank, result.error != nil || result.lastRowLine != nil { throw CSVSegmentParser.blankLineError(blank, width: width, file: path) }
            if let error = result.error { throw error.error }
            range = range.merged(with: result.range)
            if let line = result.lastRowLine {
                lastRowLine = line
                pendingBlank = result.pendingBlankLine
            } else if pendingBlank == nil {
                pendingBlank = result.pendingBlankLine
            }
        }
        let rows = lastRowLine.map { $0 - layout.firstDataLine + 1 } ?? 0
        guard rows > 0 else { throw DataError(file: path, "has a header but no data rows") }
        values.removeLast(values.count - rows * layout.featureCount)
        labels.removeLast(labels.count - rows)
        monitor.finish()
        let names = header.map { names in names.enumerated().filter { $0.offset != labelIndex }.map(\.element) }
        return Table(header: names,
                     features: NumericArray(values: values, shape: [rows, layout.featureCount], elementType: .text,
                                            minimum: range.minimum, maximum: range.maximum),
                     labels: labelIndex == nil ? nil : labels)
    }

    // MARK: Steps

    /// Line 1's bytes (without its break) and where line 2 starts; nil for a file with nothing after `start`.
    static func firstLine(of file: OpenFile, from start: Int, bufferSize: Int) throws(DataError) -> ([UInt8], Int)? {
        guard start < file.size else { return nil }
        var line: [UInt8] = []
        var offset = start
        let chunk = min(max(16, bufferSize), 1 << 16)
        while offset < file.size {
            let buffer = try file.read(chunk, at: offset)
            let got = buffer.count
            if got == 0 { break }
            if let index = buffer[0..<got].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                line += buffer[0..<index]
                var next = offset + index + 1
                if buffer[index] == 0x0D {
                    if try file.read(1, at: next) == [0x0A] { next += 1 }
                }
                return (line, next)
            }
            line += buffer[0..<got]
            offset += got
        }
        return (line, file.size)
    }

    /// Whether a line that is not blank starts at or after `start`.
    static func hasRow(_ file: OpenFile, from start: Int, bufferSize: Int) throws(DataError) -> Bool {
        let reader = CSVChunkReader(file: file, start: start, end: file.size, bufferSize: min(bufferSize, 1 << 16))
        while let region = try reader.nextRegion() {
            var lineStart = 0
            for index in region.indices where region[index] == 0x0A || region[index] == 0x0D {
                let line = UnsafeBufferPointer(rebasing: region[lineStart..<index])
                if line.contains(where: { $0 != 0x20 && $0 != 0x09 }), !DecimalParser.trimmed(line).isEmpty { return true }
                lineStart = index + 1
            }
        }
        return false
    }

    /// The label column's index, from a header name or a 0-based index.
    static func labelIndex(_ labelColumn: String?, header: [String]?, width: Int, file: String) throws(DataError) -> Int? {
        guard let labelColumn else { return nil }
        if let index = Int(labelColumn) {
            guard index >= 0 && index < width else { throw DataError(file: file, "label_column \(index) is outside the \(width) columns (0-based)") }
            return index
        }
        guard let header else {
            throw DataError(file: file, "label_column \(DisplayText.quoted(labelColumn)) names a column, but the file has no header row")
        }
        guard let index = header.firstIndex(of: labelColumn) else {
            let shown = header.prefix(20).map { DisplayText.bare($0.utf8) }.joined(separator: ", ")
            let more = header.count > 20 ? ", … (\(header.count) columns)" : ""
            throw DataError(file: file, "has no column \(DisplayText.quoted(labelColumn)); columns: \(shown)\(more)")
        }
        return index
    }

    /// Parses the first rows and runs the early check on them.
    static func checkPreview(_ file: OpenFile, layout: CSVLayout, from start: Int, options: DataReadOptions, bufferSize: Int,
                             monitor: ReadMonitor) throws(DataError) {
        let rowLimit = options.previewRowCount(columns: layout.featureCount)
        var values = [Float](repeating: 0, count: rowLimit * layout.featureCount)
        var labels = [Double](repeating: 0, count: layout.labelIndex == nil ? 0 : rowLimit)
        let result = values.withUnsafeMutableBufferPointer { valueBuffer in
            labels.withUnsafeMutableBufferPointer { labelBuffer in
                let storage = CSVRowStorage(values: valueBuffer.baseAddress!, labels: layout.labelIndex == nil ? nil : labelBuffer.baseAddress,
                                            capacity: rowLimit)
                return CSVSegmentParser(file: file, layout: layout, storage: storage, bufferSize: min(bufferSize, 1 << 20))
                    .parse(CSVSegment(start: start, end: file.size, firstLine: layout.firstDataLine, lines: nil), rowLimit: rowLimit)
            }
        }
        if let error = result.error { throw error.error }
        try monitor.check(DataPreview(file: file.path, elementType: .text, rows: result.rows, columns: layout.featureCount,
                                      values: Array(values.prefix(result.rows * layout.featureCount)),
                                      labels: layout.labelIndex == nil ? nil : Array(labels.prefix(result.rows)),
                                      minimum: result.range.minimum, maximum: result.range.maximum, totalRows: nil))
    }

    /// Up to `threads` parts of the file from `start`, split just after a '\n'; files under two buffers per
    /// thread are one part.
    static func split(_ file: OpenFile, from start: Int, threads: Int, bufferSize: Int) throws(DataError) -> [CSVSegment] {
        let bytes = file.size - start
        let parts = max(1, min(threads, 64, bytes / (2 * bufferSize)))
        var boundaries = [start]
        for part in 1..<max(1, parts) {
            var offset = max(start + bytes / parts * part, boundaries.last! + 1)
            let searchEnd = min(file.size, offset + (1 << 20))
            search: while offset < searchEnd {
                let window = try file.read(min(1 << 16, searchEnd - offset), at: offset)
                let got = window.count
                if got == 0 { break }
                if let index = window.firstIndex(of: 0x0A) {
                    let boundary = offset + index + 1
                    if boundary < file.size { boundaries.append(boundary) }
                    break search
                }
                offset += got
            }
        }
        boundaries.append(file.size)
        return zip(boundaries, boundaries.dropFirst()).map { CSVSegment(start: $0, end: $1, firstLine: 0, lines: nil) }
    }

    /// Runs `work` for each index: index 0 on the calling thread, the others on other threads. `tick` runs on
    /// the calling thread after each of index 0's progress reports and every 0.1 s while it waits for the
    /// others. The results are in index order; the first error by index is thrown.
    static func parallel<Value: Sendable>(_ count: Int, counters: ProgressCounters, tick: () -> Void,
                                          _ work: @escaping @Sendable (Int, (Int) -> Void) throws(DataError) -> Value) throws(DataError) -> [Value] {
        let results = ResultSlots<Value>(count)
        let group = DispatchGroup()
        for index in 1..<max(1, count) {
            DispatchQueue.global().async(group: group) {
                do throws(DataError) {
                    results.set(index, .success(try work(index) { counters.set(index, $0) }))
                } catch {
                    results.set(index, .failure(error))
                }
            }
        }
        do throws(DataError) {
            results.set(0, .success(try work(0) { counters.set(0, $0); tick() }))
        } catch {
            results.set(0, .failure(error))
        }
        while group.wait(timeout: .now() + .milliseconds(100)) == .timedOut { tick() }
        return try results.values()
    }
}

/// Bytes done per thread, read by the calling thread for progress.
final class ProgressCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int]

    init(_ count: Int) { counts = [Int](repeating: 0, count: count) }

    func set(_ index: Int, _ value: Int) {
        lock.lock()
        counts[index] = value
        lock.unlock()
    }

    var total: Int {
        lock.lock()
        defer { lock.unlock() }
        return counts.reduce(0, +)
    }
}

/// One result per thread.
final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, DataError>?]

    init(_ count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, DataError>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    /// Every value in order, or the first error.
    func values() throws(DataError) -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        var values: [Value] = []
        for slot in slots {
            switch slot {
            case .success(let value): values.append(value)
            case .failure(let error): throw error
            case nil: throw DataError("a reader thread gave no result")
            }
        }
        return values
    }
}
