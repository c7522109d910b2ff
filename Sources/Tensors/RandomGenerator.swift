import CKernels
import RealModule

/// A seeded random generator whose whole state is four 64-bit words (xoshiro256**, Blackman & Vigna 2018,
/// seeded through SplitMix64): the same seed gives the same numbers on every run and machine, and the
/// state can be saved in a checkpoint and restored to continue the exact same sequence.
public struct RandomGenerator: RandomNumberGenerator, Codable, Hashable, Sendable {
    public private(set) var state: [UInt64]

    public init(seed: UInt64) {
        var splitMix = seed
        var words: [UInt64] = []
        for _ in 0..<4 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            words.append(z ^ (z >> 31))
        }
        state = words
    }

    /// A generator continuing from a saved `state` (four words, not all zero).
    public init(state: [UInt64]) {
        precondition(state.count == 4 && state.contains { $0 != 0 }, "a xoshiro256 state is four words, not all zero")
        self.state = state
    }

    public mutating func next() -> UInt64 {
        var words = Words(state)
        let result = words.next()
        words.store(into: &state)
        return result
    }

    /// The four state words as locals: one xoshiro256** step on them, and the way back into `state`. Loops over
    /// many draws keep them here (each access to the stored array checks its uniqueness and bounds).
    private struct Words {
        var s0, s1, s2, s3: UInt64
        @inline(__always) init(_ state: [UInt64]) { (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3]) }

        @inline(__always) mutating func next() -> UInt64 {
            let result = Words.rotateLeft(s1 &* 5, 7) &* 9
            let t = s1 << 17
            s2 ^= s0
            s3 ^= s1
            s1 ^= s2
            s0 ^= s3
            s2 ^= t
            s3 = Words.rotateLeft(s3, 45)
            return result
        }

        @inline(__always) func store(into state: inout [UInt64]) {
            state[0] = s0
            state[1] = s1
            state[2] = s2
            state[3] = s3
        }

        @inline(__always)
        static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's method).
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var result = Array(0..<count)
        shuffle(&result)
        return result
    }

    /// Shuffles `values` in place (Fisher–Yates), reusing its storage.
    @specialized(where T == Int)
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, integer(below: i + 1))
        }
    }

    /// Fills `buffer` with uniform values in [low, high).
    public mutating func fillUniform<Scalar: TensorScalar>(_ buffer: UnsafeMutableBufferPointer<Scalar>, low: Scalar, high: Scalar) {
        let width = Double(high - low)
        for i in buffer.indices { buffer[i] = low + Scalar(uniform() * width) }
    }

    /// Moves the state on exactly as `fillNormal` of `count` values would (two words per pair of values, an odd
    /// last value a whole pair), without computing them: for draws that would be multiplied by 0.
    public mutating func skipNormals(_ count: Int) {
        var words = Words(state)
        for _ in 0..<(2 * ((count + 1) / 2)) { _ = words.next() }
        words.store(into: &state)
    }

    /// Fills `buffer` with standard normal values (Box–Muller, one pair of uniforms per pair of values; an odd
    /// last value uses a fresh pair), so the sequence depends only on the state and the count.
    ///
    /// The state words live in locals for the loop (`Words`), and the sine and cosine of an angle come from one `sincos` call, which glibc
    /// computes with the same routines as `sin` and `cos` (identical results; checked on 5·10⁷ angles).
    public mutating func fillNormal<Scalar: TensorScalar>(_ buffer: UnsafeMutableBufferPointer<Scalar>) {
        var words = Words(state)
        @inline(__always) func uniform() -> Double { Double(words.next() >> 11) * 0x1.0p-53 }
        var i = 0
        let count = buffer.count
        var sine = 0.0, cosine = 0.0
        while i < count {
            let u1 = 1 - uniform()  // (0, 1]: log is finite
            let u2 = uniform()
            let radius = (-2 * Double.log(u1)).squareRoot()
            anneal_sin_cos(2 * Double.pi * u2, &sine, &cosine)
            buffer[i] = Scalar.fromDouble(radius * cosine)
            if i + 1 < count { buffer[i + 1] = Scalar.fromDouble(radius * sine) }
            i += 2
        }
        words.store(into: &state)
    }
}
