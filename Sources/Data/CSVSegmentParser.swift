/// Where a CSV file's columns go: how many fields a line has, which is the label, and where data starts.
struct CSVLayout: Sendable {
    /// Fields per line (from line 1, the header or the first row).
    var width: Int
    /// The label column, if any.
    var labelIndex: Int?
    /// Fields per line that are features (`width`, less the label column).
    var featureCount: Int
    /// The 0-based index of the line that holds row 0 (1 after a header).
    var firstDataLine: Int
}

/// A contiguous part of a CSV file, from a line start to a line end (or the end of the file).
struct CSVSegment: Sendable {
    var start: Int
    var end: Int
    /// The 0-based index of its first line in the file.
    var firstLine: Int
    /// Its lines as counted before parsing (nil: not counted, for the preview).
    var lines: Int?
}

/// What parsing a part of a CSV file found.
struct CSVSegmentResult: Sendable {
    /// The first error in the part and the 0-based line it is on.
    var error: (line: Int, error: DataError)?
    /// The last line that is a row (not blank).
    var lastRowLine: Int?
    /// The first of the blank lines that end the part: an error if any row follows them, nothing if none does.
    var pendingBlankLine: Int?
    /// Lines parsed.
    var lines = 0
    /// Rows parsed (the preview's count).
    var rows = 0
    /// The features' range.
    var range = ValueRange()
}

/// Where parsed rows go: `capacity` rows of `featureCount` floats, and a label per row when there is a
/// label column. Shared by the threads that parse a file; each writes only its own rows.
struct CSVRowStorage: @unchecked Sendable {
    var values: UnsafeMutablePointer<Float>
    var labels: UnsafeMutablePointer<Double>?
    var capacity: Int
}

/// Parses the lines of one part of a CSV file into rows: fields split at commas, numbers parsed by
/// `DecimalParser`, every error of `CSVReader` with its line and column. A whitespace-only line is kept
/// pending: it is an error when a row follows it, and nothing when only blank lines do (trailing blank lines
/// are allowed).
struct CSVSegmentParser {
    let file: OpenFile
    let layout: CSVLayout
    let storage: CSVRowStorage
    let bufferSize: Int

    /// Parses `segment`, stopping after `rowLimit` rows if given; `progress` gets the bytes parsed so far
    /// after each buffer.
    func parse(_ segment: CSVSegment, rowLimit: Int? = nil, progress: (Int) -> Void = { _ in }) -> CSVSegmentResult {
        var result = CSVSegmentResult()
        var lineIndex = segment.firstLine
        var low = Double.infinity, high = -Double.infinity
        parseLines(segment, rowLimit: rowLimit, progress: progress, into: &result, lineIndex: &lineIndex, low: &low, high: &high)
        result.lines = lineIndex - segment.firstLine
        if low <= high {
            result.range.add(low)
            result.range.add(high)
        }
        return result
    }

    /// The loop of `parse`: stops at the end of the segment, at the row limit or at the first error.
    private func parseLines(_ segment: CSVSegment, rowLimit: Int?, progress: (Int) -> Void, into result: inout CSVSegmentResult,
                            lineIndex: inout Int, low: inout Double, high: inout Double) {
        let reader = CSVChunkReader(file: file, start: segment.start, end: segment.end, bufferSize: bufferSize)
        let width = layout.width
        let featureCount = layout.featureCount
        let labelIndex = layout.labelIndex ?? Int.max
        let lineLimit = segment.lines.map { segment.firstLine + $0 } ?? Int.max
        while true {
            let region: UnsafeBufferPointer<UInt8>
            do {
                guard let next = try reader.nextRegion() else { break }
                region = next
            } catch {
                result.error = (lineIndex, error)
                return
            }
            var cursor = region.baseAddress!
            let regionEnd = cursor + region.count
            while cursor < regionEnd {
                let lineNumber = lineIndex + 1
                guard lineIndex < lineLimit else {
                    result.error = (lineIndex, DataError(file: file.path, "changed while it was being read (it has more lines than when they were counted); read it again"))
                    return
                }
                // A whitespace-only line.
                var probe = cursor
                while probe.pointee == 0x20 || probe.pointee == 0x09 { probe += 1 }
                var blankEnd: UnsafePointer<UInt8>?
                if probe.pointee == 0x0A || probe.pointee == 0x0D {
                    blankEnd = probe
                } else if probe.pointee >= 0x80 {
                    var end = probe
                    while end.pointee != 0x0A && end.pointee != 0x0D { end += 1 }
                    if DecimalParser.trimmed(UnsafeBufferPointer(start: cursor, count: end - cursor)).isEmpty { blankEnd = end }
                }
                if let blankEnd {
                    if result.pendingBlankLine == nil { result.pendingBlankLine = lineIndex }
                    cursor = Self.afterBreak(blankEnd, regionEnd)
                    lineIndex += 1
                    continue
                }
                if let blank = result.pendingBlankLine {
                    result.error = (blank, Self.blankLineError(blank, width: width, file: file.path))
                    return
                }
                // A row past the room made for valid rows is checked (its error comes first) but not stored.
                let row = lineIndex - layout.firstDataLine
                let store = row < storage.capacity
                let output = storage.values + (store ? row * featureCount : 0)
                var column = 0
                var field = cursor
                var bad: (column: Int, start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, isNumber: Bool)?
                var delimiter: UnsafePointer<UInt8>
                while true {
                    var value: Double?
                    if let parsed = DecimalParser.parseField(field) {
                        value = parsed.value
                        delimiter = parsed.delimiter
                    } else {
                        delimiter = field
                        while !DecimalParser.isDelimiter(delimiter.pointee) { delimiter += 1 }
                        value = DecimalParser.parseGeneral(UnsafeBufferPointer(start: field, count: delimiter - field))
                    }
                    if let value, value.isFinite {
                        if column < width, store {
                            if column == labelIndex {
                                storage.labels?[row] = value
                            } else {
                                output[column < labelIndex ? column : column - 1] = Float(value)
                                if value < low { low = value }
                                if value > high { high = value }
                            }
                        }
                    } else if bad == nil {
                        bad = (column, field, delimiter, value != nil)
                    }
                    column += 1
                    if delimiter.pointee == 0x2C {
                        field = delimiter + 1
                    } else {
                        break
                    }
                }
                if column != width {
                    result.error = (lineIndex, DataError(file: file.path, "line \(lineNumber) has \(Self.fields(column)), line 1 has \(width) (ragged CSV)"))
                    return
                }
                if let bad {
                    let text = Self.trimmedBytes(bad.start, bad.end)
                    let message = bad.isNumber
                        ? "line \(lineNumber), column \(bad.column + 1): \(DisplayText.bare(text)) is not finite; data must not contain NaN or infinity"
                        : "line \(lineNumber), column \(bad.column + 1): \(DisplayText.quoted(text)) is not a number\(DecimalParser.isHexadecimal(DecimalParser.trimmed(text)) ? " (hexadecimal is not read, as NumPy and pandas do not read it: write the decimal value)" : "")"
                    result.error = (lineIndex, DataError(file: file.path, message))
                    return
                }
                guard store else {
                    result.error = (lineIndex, DataError(file: file.path, "changed while it was being read (it has more rows than when they were counted); read it again"))
                    return
                }
                result.lastRowLine = lineIndex
                result.rows += 1
                cursor = Self.afterBreak(delimiter, regionEnd)
                lineIndex += 1
                if let rowLimit, result.rows >= rowLimit { return }
            }
            progress(reader.consumed)
        }
        if segment.lines.map({ lineIndex - segment.firstLine != $0 }) == true {
            result.error = (lineIndex, DataError(file: file.path, "changed while it was being read (it has fewer lines than when they were counted); read it again"))
        }
        return
    }

    /// The error for a whitespace-only line followed by a row: it is a row of one empty field.
    static func blankLineError(_ lineIndex: Int, width: Int, file: String) -> DataError {
        if width == 1 {
            return DataError(file: file, "line \(lineIndex + 1), column 1: \"\" is not a number (a blank line before the end of the file)")
        }
        return DataError(file: file, "line \(lineIndex + 1) has 1 field, line 1 has \(width) (ragged CSV; a blank line before the end of the file)")
    }

    /// "1 field", "3 fields".
    static func fields(_ count: Int) -> String { count == 1 ? "1 field" : "\(count) fields" }

    /// The position after the line break at `lineBreak` ('\r\n' counts as one).
    @inline(__always)
    static func afterBreak(_ lineBreak: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        if lineBreak.pointee == 0x0D, lineBreak + 1 < end, (lineBreak + 1).pointee == 0x0A { return lineBreak + 2 }
        return lineBreak + 1
    }

    /// The bytes from `start` to `end` without surrounding spaces and tabs (for messages).
    static func trimmedBytes(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var from = start, to = end
        while from < to, from.pointee == 0x20 || from.pointee == 0x09 { from += 1 }
        while to > from, (to - 1).pointee == 0x20 || (to - 1).pointee == 0x09 { to -= 1 }
        return UnsafeBufferPointer(start: from, count: to - from)
    }
}
