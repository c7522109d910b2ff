extension Int {
    /// `value` rounded toward zero and clamped to `Int`'s range; NaN gives 0. For numbers read from files that
    /// may be damaged or hostile (`Int(1e300)` stops the program; this gives `Int.max`).
    public init(saturating value: Double) {
        if value.isNaN { self = 0 }
        else if value >= 9.223372036854775807e18 { self = .max }
        else if value <= -9.223372036854775808e18 { self = .min }
        else { self = Int(value) }
    }
}
