/// Converting the values of a binary file (.npy, IDX) to single precision in one pass: the range is
/// measured on the way, bool bytes are checked, the early check sees the first rows before the rest is
/// converted, and progress is reported between blocks.
enum BinaryConversion {
    /// Values converted between progress reports.
    static let blockSize = 1 << 20

    /// The `count` values of `type` at `source` (little-endian unless `bigEndian`) as a `NumericArray` of
    /// `shape`. `count` must be the product of `shape` (checked by `ArrayShape.count`) and `source` must hold
    /// `count` values.
    static func convert(_ source: UnsafeRawPointer, count: Int, type: NumericElementType, bigEndian: Bool, shape: [Int],
                        file: String, options: DataReadOptions, monitor: ReadMonitor) throws(DataError) -> NumericArray {
        let columns = shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *)
        let previewCount = monitor.wantsPreview ? min(count, options.previewRowCount(columns: columns) * max(1, columns)) : 0
        var range = ValueRange()
        var failure: DataError?
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let output = buffer.baseAddress else { return }  // count == 0
            var start = 0
            while start < count {
                let end = start == 0 && previewCount > 0 ? previewCount : min(count, start + blockSize)
                do throws(DataError) {
                    try convertBlock(source, start..<end, type: type, bigEndian: bigEndian, into: output + start, range: &range, file: file)
                    if start == 0, previewCount > 0 {
                        let rows = previewCount / max(1, columns)
                        let preview = DataPreview(file: file, elementType: type, rows: rows, columns: columns,
                                                  values: Array(UnsafeBufferPointer(start: output, count: previewCount)),
                                                  minimum: range.minimum, maximum: range.maximum, totalRows: shape.first ?? 1)
                        try monitor.check(preview)
                    }
                } catch {
                    failure = error
                    return
                }
                start = end
                monitor.report(Double(start) / Double(count))
            }
            initialized = count
        }
        if let failure { throw failure }
        if monitor.wantsPreview {
            // No values (an empty array): the check still runs once.
            try monitor.check(DataPreview(file: file, elementType: type, rows: 0, columns: columns, values: [],
                                          minimum: nil, maximum: nil, totalRows: shape.first ?? 1))
        }
        monitor.finish()
        return NumericArray(values: values, shape: shape, elementType: type, minimum: range.minimum, maximum: range.maximum)
    }

    /// Converts the values at `indices` into `output` (from its first value on), widening `range`.
    private static func convertBlock(_ source: UnsafeRawPointer, _ indices: Range<Int>, type: NumericElementType, bigEndian: Bool,
                                     into output: UnsafeMutablePointer<Float>, range: inout ValueRange, file: String) throws(DataError) {
        switch type {
        case .bool:
            // Bytes 0 and 1 only: anything else is not a NumPy bool and means the file is not what its header says.
            let bytes = source.assumingMemoryBound(to: UInt8.self)
            var high: UInt8 = 0
            for index in indices { high |= bytes[index] }
            if high > 1, let index = indices.first(where: { bytes[$0] > 1 }) {
                throw DataError(file: file, "element \(index) is the byte \(bytes[index]); bool data holds only 0 (False) and 1 (True)")
            }
            integers(source, indices, UInt8.self, bigEndian: false, output, &range)
        case .uint8: integers(source, indices, UInt8.self, bigEndian: false, output, &range)
        case .int8: integers(source, indices, Int8.self, bigEndian: false, output, &range)
        case .uint16: integers(source, indices, UInt16.self, bigEndian: bigEndian, output, &range)
        case .int16: integers(source, indices, Int16.self, bigEndian: bigEndian, output, &range)
        case .uint32: integers(source, indices, UInt32.self, bigEndian: bigEndian, output, &range)
        case .int32: integers(source, indices, Int32.self, bigEndian: bigEndian, output, &range)
        case .uint64: integers(source, indices, UInt64.self, bigEndian: bigEndian, output, &range)
        case .int64: integers(source, indices, Int64.self, bigEndian: bigEndian, output, &range)
        case .float32: singles(source, indices, bigEndian: bigEndian, output, &range)
        case .float64: doubles(source, indices, bigEndian: bigEndian, output, &range)
        case .text: preconditionFailure("text is not a binary element type")
        }
    }

    /// Maps the file at `path`, finds its values with the reader's `locate` (its header checked against the file's
    /// size) and scans them once without converting them: what `NPYReader.map` and `IDXReader.map` return.
    static func map(_ path: String, options: DataReadOptions,
                    locate: (UnsafeRawBufferPointer, String) throws(DataError) -> BinaryArrayLocation) throws(DataError) -> (MappedFile, BinaryArrayLocation, ArraySummary) {
        let file = try MappedFile(path)
        let location = try locate(file.bytes, path)
        let summary = try scan(file.base! + location.offset, count: location.count, type: location.type, bigEndian: location.bigEndian,
                               shape: location.shape, file: path, options: options, monitor: ReadMonitor(options))
        return (file, location, summary)
    }

    /// One pass over the `count` values of `type` at `source` without keeping them (a mapped file stays in its
    /// stored type): their range, the first NaN or infinity, the largest |value| in single precision and whether
    /// all are whole numbers from 0 to 255, as `DataSource` decides scaling from them. Bool bytes are checked, the
    /// early check sees the first rows and progress is reported, as `convert` does.
    static func scan(_ source: UnsafeRawPointer, count: Int, type: NumericElementType, bigEndian: Bool, shape: [Int],
                     file: String, options: DataReadOptions, monitor: ReadMonitor) throws(DataError) -> ArraySummary {
        let columns = shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *)
        let previewCount = monitor.wantsPreview ? min(count, options.previewRowCount(columns: columns) * max(1, columns)) : 0
        var range = ValueRange()
        var summary = ArraySummary()
        var failure: DataError?
        // The first block is the preview's rows when an early check wants them, which may be wider than a block.
        var buffer = [Float](repeating: 0, count: max(previewCount, min(count, blockSize)))
        buffer.withUnsafeMutableBufferPointer { output in
            var start = 0
            while start < count {
                let end = start == 0 && previewCount > 0 ? previewCount : min(count, start + blockSize)
                do throws(DataError) {
                    try convertBlock(source, start..<end, type: type, bigEndian: bigEndian, into: output.baseAddress!, range: &range, file: file)
                    if start == 0, previewCount > 0 {
                        try monitor.check(DataPreview(file: file, elementType: type, rows: previewCount / max(1, columns), columns: columns,
                                                      values: Array(output.prefix(previewCount)),
                                                      minimum: range.minimum, maximum: range.maximum, totalRows: shape.first ?? 1))
                    }
                } catch {
                    failure = error
                    return
                }
                summary.add(UnsafeBufferPointer(rebasing: output[0..<(end - start)]), firstIndex: start)
                start = end
                monitor.report(Double(start) / Double(count))
            }
        }
        if let failure { throw failure }
        if monitor.wantsPreview {
            try monitor.check(DataPreview(file: file, elementType: type, rows: 0, columns: columns, values: [],
                                          minimum: nil, maximum: nil, totalRows: shape.first ?? 1))
        }
        monitor.finish()
        summary.minimum = range.minimum
        summary.maximum = range.maximum
        return summary
    }

    /// Converts `count` values of `type` from value `first` on at `source` into `output`, without checks (the
    /// file was scanned when it was opened): what a mapped file's batches read.
    @inline(__always)
    static func copy(_ source: UnsafeRawPointer, type: NumericElementType, bigEndian: Bool, first: Int, count: Int,
                     into output: UnsafeMutablePointer<Float>) {
        switch type {
        case .bool, .uint8:
            let bytes = source.assumingMemoryBound(to: UInt8.self) + first
            for j in 0..<count { output[j] = Float(bytes[j]) }
        case .int8: copy(source, Int8.self, bigEndian: false, first, count, output)
        case .uint16: copy(source, UInt16.self, bigEndian: bigEndian, first, count, output)
        case .int16: copy(source, Int16.self, bigEndian: bigEndian, first, count, output)
        case .uint32: copy(source, UInt32.self, bigEndian: bigEndian, first, count, output)
        case .int32: copy(source, Int32.self, bigEndian: bigEndian, first, count, output)
        case .uint64: copy(source, UInt64.self, bigEndian: bigEndian, first, count, output)
        case .int64: copy(source, Int64.self, bigEndian: bigEndian, first, count, output)
        case .float32:
            for j in 0..<count {
                let raw = source.loadUnaligned(fromByteOffset: (first + j) * 4, as: UInt32.self)
                output[j] = Float(bitPattern: bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw))
            }
        case .float64:
            for j in 0..<count {
                let raw = source.loadUnaligned(fromByteOffset: (first + j) * 8, as: UInt64.self)
                output[j] = Float(Double(bitPattern: bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw)))
            }
        case .text: preconditionFailure("text is not a binary element type")
        }
    }

    @inline(__always)
    private static func copy<Integer: FixedWidthInteger>(_ source: UnsafeRawPointer, _: Integer.Type, bigEndian: Bool, _ first: Int, _ count: Int,
                                                         _ output: UnsafeMutablePointer<Float>) {
        let size = MemoryLayout<Integer>.size
        for j in 0..<count {
            let raw = source.loadUnaligned(fromByteOffset: (first + j) * size, as: Integer.self)
            output[j] = Float(bigEndian ? Integer(bigEndian: raw) : Integer(littleEndian: raw))
        }
    }

    @inline(__always)
    private static func integers<Integer: FixedWidthInteger>(_ source: UnsafeRawPointer, _ indices: Range<Int>, _: Integer.Type, bigEndian: Bool,
                                                             _ output: UnsafeMutablePointer<Float>, _ range: inout ValueRange) {
        guard !indices.isEmpty else { return }
        var low = Integer.max, high = Integer.min
        let size = MemoryLayout<Integer>.size
        for index in indices {
            let raw = source.loadUnaligned(fromByteOffset: index * size, as: Integer.self)
            let value = bigEndian ? Integer(bigEndian: raw) : Integer(littleEndian: raw)
            output[index - indices.lowerBound] = Float(value)
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        range.add(Double(low))
        range.add(Double(high))
    }

    @inline(__always)
    private static func singles(_ source: UnsafeRawPointer, _ indices: Range<Int>, bigEndian: Bool, _ output: UnsafeMutablePointer<Float>,
                                _ range: inout ValueRange) {
        var low = Float.infinity, high = -Float.infinity, any = false
        for index in indices {
            let raw = source.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
            let value = Float(bitPattern: bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw))
            output[index - indices.lowerBound] = value
            if value < low { low = value }
            if value > high { high = value }
            if !value.isNaN { any = true }
        }
        if any {
            range.add(Double(low))
            range.add(Double(high))
        }
    }

    @inline(__always)
    private static func doubles(_ source: UnsafeRawPointer, _ indices: Range<Int>, bigEndian: Bool, _ output: UnsafeMutablePointer<Float>,
                                _ range: inout ValueRange) {
        var low = Double.infinity, high = -Double.infinity, any = false
        for index in indices {
            let raw = source.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            let value = Double(bitPattern: bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw))
            output[index - indices.lowerBound] = Float(value)
            if value < low { low = value }
            if value > high { high = value }
            if !value.isNaN { any = true }
        }
        if any {
            range.add(low)
            range.add(high)
        }
    }
}
