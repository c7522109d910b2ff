/// Counts the lines of a part of a text file without parsing them: how many rows a CSV reader must make room
/// for, read at the speed of the disk.
enum CSVLineCounter {
    /// Lines in `file` from `start` to `end` (a line start and a line end, or the end of the file): line breaks
    /// ('\n', '\r\n' or '\r'), plus one for a last line without a break. `progress` gets the bytes counted.
    static func count(_ file: OpenFile, from start: Int, to end: Int, bufferSize: Int, progress: (Int) -> Void) throws(DataError) -> Int {
        let capacity = max(16, bufferSize)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var lines = 0
        var offset = start
        var previousWasReturn = false
        var lastByte: UInt8?
        while offset < end {
            let got = try file.read(into: buffer, count: min(capacity, end - offset), at: offset)
            if got == 0 { break }
            offset += got
            var newlines = 0, returns = 0
            for index in 0..<got {
                let byte = buffer[index]
                newlines &+= byte == 0x0A ? 1 : 0
                returns &+= byte == 0x0D ? 1 : 0
            }
            var pairs = 0
            if returns > 0 {
                // '\r\n' is one break.
                if previousWasReturn, buffer[0] == 0x0A { pairs += 1 }
                for index in 0..<(got - 1) where buffer[index] == 0x0D && buffer[index + 1] == 0x0A { pairs += 1 }
            } else if previousWasReturn, buffer[0] == 0x0A {
                pairs += 1
            }
            lines += newlines + returns - pairs
            previousWasReturn = buffer[got - 1] == 0x0D
            lastByte = buffer[got - 1]
            progress(offset - start)
        }
        if let lastByte, lastByte != 0x0A, lastByte != 0x0D { lines += 1 }
        return lines
    }
}
