/// CRC-32C (Castagnoli; reflected polynomial 0x82F63B78, initial and final value 0xFFFFFFFF), and the masked
/// form TFRecord framing stores: `((crc >> 15) | (crc << 17)) &+ 0xA282EAD8`
/// (tensorflow/core/lib/hash/crc32c.h; ../shared/reference/tensorboard-format.md §1).
public enum CRC32C {
    static let table: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }

    public static func mask(_ crc: UInt32) -> UInt32 { ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8 }

    public static func masked<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 { mask(checksum(bytes)) }
}
