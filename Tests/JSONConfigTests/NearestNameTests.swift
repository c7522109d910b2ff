import Testing
@testable import JSONConfig

@Suite("NearestName")
struct NearestNameTests {
    @Test("edit distance counts insertions, deletions, substitutions and adjacent swaps")
    func distance() {
        #expect(NearestName.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(NearestName.editDistance(Array("cyclic"), Array("cyclical")) == 2)
        #expect(NearestName.editDistance(Array("lienar"), Array("linear")) == 1)
        #expect(NearestName.editDistance(Array(""), Array("abc")) == 3)
    }

    @Test("suggests plausible typos only")
    func suggestions() {
        let types = ["linear", "cosine", "cyclical", "warm_restart"]
        #expect(NearestName.suggestion(for: "cyclic", among: types) == "cyclical")
        #expect(NearestName.suggestion(for: "Linear", among: types) == "linear")
        #expect(NearestName.suggestion(for: "warm_restarts", among: types) == "warm_restart")
        #expect(NearestName.suggestion(for: "banana", among: types) == nil)
    }
}
