/// Sentences shared by the warnings of several schedule kinds.
enum WarningText {
    /// A periodic schedule whose last period is cut short, or whose first period never finishes.
    static func cutShort(period: Double, window: RunWindow, unit: String, peak: Double?, schedule: any ScheduleKind) -> [String] {
        let epochs = Double(window.numEpochs)
        let count = epochs / period
        if count < 1 {
            var message = "the first \(unit) (\(Format.short(period)) epochs) never finishes within \(window.name) of \(window.numEpochs) epochs"
            if let peak {
                let highest = (0..<window.numEpochs).map { schedule.value(at: .epoch($0, stepsPerEpoch: window.stepsPerEpoch)) }.max() ?? 0
                if highest < peak { message += "; β peaks at \(Format.short(highest)), below max_beta \(Format.short(peak))" }
            }
            return [message]
        }
        let whole = count.rounded(.down)
        let remainder = epochs - whole * period
        guard remainder > 1e-9 * max(1, epochs) && abs(count - count.rounded()) > 1e-9 else { return [] }
        return ["the last \(unit) is cut short: \(window.numEpochs) epochs hold \(Format.number(whole)) full \(unit)\(whole == 1 ? "" : "s") of \(Format.short(period)) epochs and \(Format.short(remainder)) epochs (\(Format.percent(remainder / period)) of a \(unit)); a multiple of \(Format.short(period)) epochs, such as \(Format.number(whole * period)) or \(Format.number((whole + 1) * period)), ends on a whole \(unit)"]
    }

    /// How far `value` is from `low` to `high`, as a fraction (1 when the range is empty).
    static func fractionOfRange(_ value: Double, _ low: Double, _ high: Double) -> Double {
        high == low ? 1 : (value - low) / (high - low)
    }
}
