/// Reads a part of a text file in pieces of whole lines: each `nextRegion()` gives bytes that end in a line
/// break ('\n', '\r\n' or '\r'), so a parser never sees half a line; a last line without a break gets a '\n'.
/// A '\r\n' split between two reads is one break. A line longer than the buffer grows it to fit.
final class CSVChunkReader {
    private let file: OpenFile
    private var offset: Int
    private let end: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes in the buffer; those from `used` on are the start of an unfinished line.
    private var filled = 0
    private var used = 0
    /// The last region ended with '\r': a '\n' at the start of the next is part of that break.
    private var endedWithCarriageReturn = false
    private var finished = false
    /// Bytes of the file consumed so far (for progress).
    private(set) var consumed = 0

    /// Reads `file` from `start` to `end` (a line start and a line end, or the end of the file).
    init(file: OpenFile, start: Int, end: Int, bufferSize: Int) {
        self.file = file
        offset = start
        self.end = end
        capacity = max(16, bufferSize)
        buffer = .allocate(capacity: capacity + 1)
    }

    deinit { buffer.deallocate() }

    /// The next bytes of whole lines, or nil at the end. Valid until the next call.
    func nextRegion() throws(DataError) -> UnsafeBufferPointer<UInt8>? {
        guard !finished else { return nil }
        // Keep the unfinished line, at the front.
        let tail = filled - used
        if used > 0, tail > 0 { (buffer).update(from: buffer + used, count: tail) }
        filled = tail
        used = 0
        while true {
            if filled == capacity {
                // One line fills the buffer: double it.
                let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2 + 1)
                larger.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = larger
                capacity *= 2
            }
            let wanted = min(capacity - filled, end - offset)
            let readCount = wanted > 0 ? try file.read(into: buffer + filled, count: wanted, at: offset) : 0
            var got = readCount
            offset += readCount
            if got > 0, filled == 0, endedWithCarriageReturn {
                endedWithCarriageReturn = false
                if buffer[0] == 0x0A {
                    // The '\n' of a '\r\n' that the last region ended inside: part of that break.
                    buffer.update(from: buffer + 1, count: got - 1)
                    got -= 1
                    consumed += 1
                }
            }
            filled += got
            if readCount == 0 {
                // The end of the part: what is left is the last line.
                finished = true
                guard filled > 0 else { return nil }
                consumed += filled
                used = filled
                guard buffer[filled - 1] != 0x0A, buffer[filled - 1] != 0x0D else { return UnsafeBufferPointer(start: buffer, count: filled) }
                buffer[filled] = 0x0A  // the buffer has room for this one byte
                return UnsafeBufferPointer(start: buffer, count: filled + 1)
            }
            // The last line break in the buffer ends the region.
            var last = filled - 1
            while last >= 0, buffer[last] != 0x0A, buffer[last] != 0x0D { last -= 1 }
            if last >= 0 {
                endedWithCarriageReturn = buffer[last] == 0x0D && last == filled - 1
                used = last + 1
                consumed += used
                return UnsafeBufferPointer(start: buffer, count: used)
            }
        }
    }
}
