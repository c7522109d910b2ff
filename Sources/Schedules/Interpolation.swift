/// `start + (end − start)·f`, returning `end` exactly when `f = 1` (so a finished warm-up is exactly
/// `max_beta`, not one rounding error away from it). At `start = 0` this is `end·f`, as in the seed formulas.
@inline(__always)
func interpolate(_ start: Double, _ end: Double, _ fraction: Double) -> Double {
    if fraction >= 1 { return end }
    if fraction <= 0 { return start }
    return start + (end - start) * fraction
}
