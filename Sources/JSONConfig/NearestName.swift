/// Finds the name a user probably meant, for "did you mean …?" hints.
public enum NearestName {
    /// The candidate closest to `name` by edit distance (case-insensitive), if it is close enough to be a
    /// plausible typo: at most a third of the longer name's length, and at most 3 edits.
    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        let lowered = Array(name.lowercased())
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, Array(candidate.lowercased()))
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let limit = min(3, max(1, max(lowered.count, best.candidate.count) / 3))
        return best.distance <= limit ? best.candidate : nil
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment).
    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// "did you mean 'x'? " when there is a plausible suggestion, otherwise "".
    public static func hint(for name: String, among candidates: [String]) -> String {
        guard let suggestion = suggestion(for: name, among: candidates) else { return "" }
        return "did you mean '\(suggestion)'? "
    }
}
