import Foundation
import Testing
import Tensors
@testable import Evaluation

@Suite("Collapse verdict")
struct CollapseVerdictTests {
    /// Active units over 4 examples in 8 dimensions, the first `active` of them moving (variance 1.67) and
    /// the rest fixed.
    static func units(active: Int) throws -> ActiveUnits {
        let rows = (0..<4).map { i in (0..<8).map { u in u < active ? Double(i) : 0.5 } }
        return try ActiveUnits(posteriorMeans: matrix(rows))
    }

    @Test("no active unit: collapsed, said with the KL")
    func collapsed() throws {
        let verdict = CollapseVerdict(term: "local", activeUnits: try Self.units(active: 0), meanKL: 0.002)
        #expect(verdict.status == .collapsed)
        #expect(verdict.description == "local: collapsed: 0 of 8 units active, KL 0.002 nats")
    }

    @Test("active units but a KL below 0.01 nats: collapsed (a conditional prior the posterior just copies)")
    func negligibleKL() throws {
        let verdict = CollapseVerdict(term: "local", activeUnits: try Self.units(active: 5), meanKL: 0.009)
        #expect(verdict.status == .collapsed)
        #expect(CollapseVerdict(term: "local", activeUnits: try Self.units(active: 5), meanKL: .nan).status == .collapsed)
    }

    @Test("fewer than half the units active: partially collapsed; half or more: healthy", arguments: [(1, "partially collapsed"), (3, "partially collapsed"), (4, "healthy"), (6, "healthy"), (8, "healthy")])
    func fractions(active: Int, expected: String) throws {
        let verdict = CollapseVerdict(term: "kl", activeUnits: try Self.units(active: active), meanKL: 3.4)
        #expect(verdict.status.rawValue == expected)
        #expect(verdict.description == "kl: \(expected): \(active) of 8 units active, KL 3.4 nats")
    }

    @Test("with mutual information: the value and where it saturates")
    func withMutualInformation() throws {
        // 256 well-separated posteriors in one batch of 256: MI = log 256 ≈ 5.545.
        let means = Tensor<Double>(rows: 256, columns: 1, scalars: (0..<256).map { 100 * Double($0) })
        let offsets: [Double] = (0..<256).map { $0 % 2 == 0 ? 1 : -1 }
        let samples = Tensor<Double>(rows: 256, columns: 1, scalars: (0..<256).map { 100 * Double($0) + offsets[$0] })
        let mi = try MutualInformation(means: means, logVariances: Tensor(rows: 256, columns: 1), samples: samples)
        #expect(close(mi.nats, log(256.0), 1e-13))
        let verdict = CollapseVerdict(term: "global", activeUnits: try Self.units(active: 6), meanKL: 7.25, mutualInformation: mi)
        #expect(verdict.description == "global: healthy: 6 of 8 units active, KL 7.25 nats, MI 5.55 nats (saturates at log 256 = 5.55)")
    }

    @Test("the thresholds are parameters")
    func parameters() throws {
        let verdict = CollapseVerdict(term: "kl", activeUnits: try Self.units(active: 3), meanKL: 0.5, minimumKL: 1, minimumActiveFraction: 0.25)
        #expect(verdict.status == .collapsed)
        let relaxed = CollapseVerdict(term: "kl", activeUnits: try Self.units(active: 3), meanKL: 0.5, minimumKL: 0.1, minimumActiveFraction: 0.25)
        #expect(relaxed.status == .healthy)
    }
}
