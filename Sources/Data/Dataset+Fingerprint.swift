/// A short fingerprint of a data set's contents, to notice a data file that changed between the sessions of
/// one run: its shape and an FNV-1a 64-bit hash of every feature's bits, every label and every category.
extension Dataset {
    public var fingerprint: String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        @inline(__always) func mix(_ word: UInt64) {
            var value = word
            for _ in 0..<8 {
                hash ^= value & 0xFF
                hash &*= 0x0000_0100_0000_01B3
                value >>= 8
            }
        }
        switch storage {
        case .float32(let values): for value in values { mix(UInt64(value.bitPattern)) }
        case .uint8(let bytes, let scale):
            mix(UInt64(scale.bitPattern))
            for byte in bytes { mix(UInt64(byte)) }
        case .sprites(let images, let indices):
            // Drawn from a written-down geometry: which images at which resolution is the whole content.
            mix(UInt64(images.resolution))
            for index in indices ?? [] { mix(UInt64(UInt32(bitPattern: index))) }
        }
        for label in labels ?? [] { mix(UInt64(UInt32(bitPattern: label))) }
        for category in categories ?? [] { mix(UInt64(UInt32(bitPattern: category))) }
        let hex = String(hash, radix: 16)
        return "\(count)×\(featureCount):" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
