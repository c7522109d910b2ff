/// The type of the values in a data file, as the file stores them: what later code needs to decide how to
/// scale the values (8-bit pixels 0–255, say) and what `NumericArray.minimum`/`maximum` mean.
public enum NumericElementType: String, CaseIterable, Sendable, CustomStringConvertible {
    case bool
    case uint8
    case uint16
    case uint32
    case uint64
    case int8
    case int16
    case int32
    case int64
    case float32
    case float64
    /// Numbers written as decimal text (CSV), read as double precision.
    case text

    /// Bytes per value in a binary file (nil for text).
    public var byteSize: Int? {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .text: return nil
        }
    }

    /// Whether every value is a whole number (bool and the integer types).
    public var isInteger: Bool {
        switch self {
        case .float32, .float64, .text: return false
        default: return true
        }
    }

    /// The NumPy name (`uint8`, `float32`, …; `text` for CSV).
    public var description: String { rawValue }
}
