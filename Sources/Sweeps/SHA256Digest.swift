#if canImport(CommonCrypto)
import CommonCrypto
#elseif canImport(CLibCrypto)
import CLibCrypto
#endif

/// SHA-256 (FIPS 180-4) of a byte string, from the system: OpenSSL's libcrypto on Linux (Debian's libssl-dev),
/// CommonCrypto on macOS. The same digest as `sha256sum`.
public enum SHA256Digest {
    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                #if canImport(CommonCrypto)
                _ = CC_SHA256(input.baseAddress, CC_LONG(input.count), output.baseAddress)
                #else
                _ = SHA256(input.baseAddress, input.count, output.baseAddress)
                #endif
            }
        }
        return digest
    }

    /// The digest in lower-case hexadecimal (64 digits).
    public static func hexadecimal(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(hash(bytes).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }
}
