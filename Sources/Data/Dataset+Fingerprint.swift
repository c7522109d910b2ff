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
        storage.fingerprint(mix)
        for label in labels ?? [] { mix(UInt64(UInt32(bitPattern: label))) }
        for category in categories ?? [] { mix(UInt64(UInt32(bitPattern: category))) }
        let hex = String(hash, radix: 16)
        return "\(count)×\(featureCount):" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
