extension Schedule {
    /// Warnings for this schedule over `window`: warm-ups that do not finish, cycles and repetitions cut
    /// short, restarts that never happen, knots and pieces after the end.
    public func warnings(over window: RunWindow) -> [String] {
        guard window.numEpochs >= 1 else { return [] }
        let last = window.last
        let epochs = Double(window.numEpochs)
        switch self {
        case .constant:
            return []
        case .ramp(let ramp):
            let peak = ramp.value(at: last)
            guard peak != ramp.end else { return [] }
            let reach: String
            switch ramp.length {
            case .epochs(let length): reach = "epoch \(Format.short(length))"
            case .steps(let length): reach = "step \(length)"
            }
            return ["the \(ramp.shape.typeName) warm-up reaches max_beta \(Format.short(ramp.end)) at \(reach), but \(window.name) ends at \(window.lastDescription): β peaks at \(Format.short(peak)) (\(Format.percent(fractionOfRange(peak, ramp.start, ramp.end))) of the way from min_beta to max_beta)"]
        case .sigmoid(let sigmoid):
            let peak = sigmoid.value(at: last)
            let fraction = fractionOfRange(peak, sigmoid.start, sigmoid.end)
            guard fraction < 0.99 else { return [] }
            return ["the sigmoid reaches only \(Format.percent(fraction)) of the way to max_beta \(Format.short(sigmoid.end)) by the end of \(window.name) (β = \(Format.short(peak)) at \(window.lastDescription)); move the midpoint earlier or raise steepness"]
        case .cyclical(let cyclical):
            return cutShort(period: cyclical.cycleLength, epochs: epochs, window: window, unit: "cycle", peak: cyclical.end, schedule: self)
        case .repeated(let repeated):
            var result = cutShort(period: repeated.period, epochs: epochs, window: window, unit: "repetition", peak: nil, schedule: self)
            if repeated.period == repeated.period.rounded(), repeated.period < 1e9 {
                let each = RunWindow(numEpochs: Int(repeated.period), stepsPerEpoch: window.stepsPerEpoch, name: "each repetition")
                result += repeated.schedule.warnings(over: each)
            }
            return result
        case .warmRestart(let restart):
            var result: [String] = []
            let first = restart.restartEpoch(1)
            if first >= epochs || first <= 0 {
                let at = first.isFinite ? "epoch \(Format.number(first))" : "infinitely far"
                result.append("no restart happens within \(window.name) (\(window.numEpochs) epochs): the first restart is at \(at)")
            } else {
                // Within the first interval, does the base schedule finish its warm-up before it restarts?
                let interval = RunWindow(numEpochs: Int(first), stepsPerEpoch: window.stepsPerEpoch, name: "the first restart interval")
                result += restart.base.warnings(over: interval).map { "before the restart at epoch \(Format.number(first)), \($0)" }
            }
            return result
        case .adaptiveWarmup(let adaptive):
            let peak = adaptive.value(at: last)
            guard peak < adaptive.maxBeta else { return [] }
            return ["adaptive warm-up over T·r = \(Format.short(adaptive.warmupEpochs)) epochs reaches max_beta \(Format.short(adaptive.maxBeta)) only at 0-based epoch \(Format.number((adaptive.warmupEpochs - 1).rounded(.up))), but \(window.name) ends at \(window.lastDescription): β peaks at \(Format.short(peak))"]
        case .piecewise(let piecewise):
            guard let lastKnot = piecewise.knots.last, lastKnot.epoch > last.epoch else { return [] }
            let final = piecewise.value(at: last)
            return ["knots after \(window.lastDescription) are never reached: the last knot is at epoch \(Format.short(lastKnot.epoch)), so β ends at \(Format.short(final)), not \(Format.short(lastKnot.value))"]
        case .joined(let joined):
            return joined.boundaries.enumerated().compactMap { index, boundary in
                boundary > last.epoch ? "piece \(index + 2) (\(joined.pieces[index + 1].typeName)) starts at epoch \(Format.short(boundary)), after \(window.name) ends at \(window.lastDescription); it never runs" : nil
            }
        case .scaled(let scaled):
            return scaled.schedule.warnings(over: window)
        case .clamped(let clamped):
            return clamped.schedule.warnings(over: window)
        }
    }

    private func cutShort(period: Double, epochs: Double, window: RunWindow, unit: String, peak: Double?, schedule: Schedule) -> [String] {
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

    private func fractionOfRange(_ value: Double, _ low: Double, _ high: Double) -> Double {
        high == low ? 1 : (value - low) / (high - low)
    }
}

extension KLWeightSchedule {
    /// Warnings for every term, each naming the quantity it is about.
    public func warnings(over window: RunWindow) -> [ScheduleWarning] {
        terms.indices.flatMap { index in
            terms[index].schedule.warnings(over: window).map { ScheduleWarning(subject: reportedName(ofTerm: index), message: $0) }
        }
    }
}

extension LearningRateSchedule {
    /// Warnings for the learning rate over `window`.
    public func warnings(over window: RunWindow) -> [ScheduleWarning] {
        guard window.numEpochs >= 1 else { return [] }
        var messages: [String] = []
        var main = self
        var offset = 0.0
        if case .warmup(let warmup) = self {
            main = warmup.then
            let warmupEpochs = warmup.length.inEpochs(stepsPerEpoch: window.stepsPerEpoch)
            offset = warmupEpochs
            if warmup.isWarmingUp(at: window.last) {
                messages.append("the learning-rate warm-up (\(warmup.length)) does not finish within \(window.name) (\(window.numEpochs) epochs)")
            }
        }
        let end = Double(window.numEpochs) - offset
        switch main {
        case .cosine(let cosine) where cosine.tMax > end + 1e-9:
            messages.append("cosine annealing reaches eta_min \(Format.short(cosine.etaMin)) after T_max = \(Format.short(cosine.tMax)) epochs, but \(window.name) leaves it \(Format.short(end)): the final learning rate is \(Format.short(value(at: window.last)))")
        case .cosineWarmRestarts(let restarts) where end > 0:
            let (index, timeInCycle, length) = restarts.cycle(at: end)
            if timeInCycle > 1e-9 {
                let start = restarts.cycleStart(index) + offset
                let next = restarts.cycleStart(index + 1) + offset
                let suggestion = start > 0 ? "runs of \(Format.short(start)) or \(Format.short(next)) epochs end" : "a run of \(Format.short(next)) epochs ends"
                messages.append("\(window.name) ends \(Format.percent(timeInCycle / length)) of the way through warm-restart cycle \(index + 1) (epochs \(Format.short(start))–\(Format.short(next))): the final learning rate is \(Format.short(value(at: window.last))), not eta_min \(Format.short(restarts.etaMin)); \(suggestion) on a cycle boundary")
            }
        default:
            break
        }
        return messages.map { ScheduleWarning(subject: "lr", message: $0) }
    }
}

extension ScheduleConfiguration {
    /// Warnings for every KL term and for the learning rate over `window`.
    public func warnings(over window: RunWindow) -> [ScheduleWarning] {
        beta.warnings(over: window) + (learningRate?.warnings(over: window) ?? [])
    }
}
