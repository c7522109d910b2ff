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
        #expect(verdict.description.hasPrefix("global: healthy: 6 of 8 units active, KL 7.25 nats, MI "))
        // log 256 up to rounding: read as the estimator's ceiling either way.
        #expect(verdict.description.hasSuffix("MI 5.55 nats (at most log 256 = 5.55 with this estimator)") || verdict.description.contains("MI ≥ 5.55 nats (estimated 5.55"), "\(verdict.description)")
    }

    @Test("the issue's model: 20 units all active by variance but KL 0.006–0.047 nats each (0.465 in all) is collapsed, not healthy")
    func smallKLPerUnit() throws {
        // 20 dimensions whose posterior means move (variance 1.67 over 4 examples).
        let rows = (0..<4).map { i in (0..<20).map { _ in Double(i) } }
        let active = try ActiveUnits(posteriorMeans: matrix(rows))
        #expect(active.count == 20)
        let perUnit = (0..<20).map { 0.006 + 0.041 * Double($0) / 19 }  // 0.006 … 0.047, Σ ≈ 0.53
        let verdict = CollapseVerdict(term: "kl", activeUnits: active, meanKL: 0.465, klPerDimension: perUnit)
        #expect(verdict.status == .collapsed && verdict.informativeUnits == 0)
        #expect(verdict.description == "kl: collapsed: 0 of 20 units informative (active and KL ≥ 0.1 nats; 20 active by variance alone), KL 0.465 nats")
        // Half the units carrying 1 nat each: healthy; three of eight: partially collapsed.
        let healthy = CollapseVerdict(term: "kl", activeUnits: try Self.units(active: 8), meanKL: 4, klPerDimension: [1, 1, 1, 1, 0, 0, 0, 0])
        #expect(healthy.status == .healthy && healthy.description == "kl: healthy: 4 of 8 units informative (active and KL ≥ 0.1 nats; 8 active by variance alone), KL 4 nats")
        #expect(CollapseVerdict(term: "kl", activeUnits: try Self.units(active: 8), meanKL: 3, klPerDimension: [1, 1, 1, 0, 0, 0, 0, 0]).status == .partiallyCollapsed)
        // A unit with KL but an unmoving mean (a conditional prior it copies) is not informative.
        #expect(CollapseVerdict(term: "kl", activeUnits: try Self.units(active: 2), meanKL: 8, klPerDimension: [1, 1, 1, 1, 1, 1, 1, 1]).informativeUnits == 2)
    }

    @Test("mutual information below 0.05 nats is collapse whatever the KL; its reading is bounded: above log B as ≥ log B, below 0 as ≈ 0")
    func mutualInformationBounds() throws {
        // Identical posteriors N(0, 1), one sample each: MI = −½ + ½·mean z² = −½ + ½·0.075 = −0.4625, below 0 by
        // the one-sample noise: read as ≈ 0, and collapse whatever the KL says.
        let means = Tensor<Double>(rows: 8, columns: 1, scalars: [Double](repeating: 0, count: 8))
        let samples = Tensor<Double>(rows: 8, columns: 1, scalars: [0.3, -0.2, 0.1, 0.5, -0.4, 0.2, -0.1, 0.0])
        let none = try MutualInformation(means: means, logVariances: Tensor(rows: 8, columns: 1), samples: samples)
        #expect(abs(none.nats - -0.4625) < 1e-12)
        #expect(none.reading.hasPrefix("≈ 0 nats (estimated -0.462: the estimate's noise reaches below 0"), "\(none.reading)")
        let verdict = CollapseVerdict(term: "kl", activeUnits: try Self.units(active: 8), meanKL: 4, klPerDimension: [Double](repeating: 1, count: 8), mutualInformation: none)
        #expect(verdict.status == .collapsed)
        // Two posteriors N(0, 1) and N(100, 1), each sampled 1.5 from its mean: MI = −½ − (−1.125 − ln 2) = 1.318,
        // above log 2 = 0.693, the most a batch of 2 resolves: read as ≥ 0.693.
        let far = try MutualInformation(means: Tensor<Double>(rows: 2, columns: 1, scalars: [0, 100]), logVariances: Tensor(rows: 2, columns: 1),
                                        samples: Tensor<Double>(rows: 2, columns: 1, scalars: [1.5, 101.5]), batchSize: 2)
        #expect(abs(far.nats - (0.625 + log(2.0))) < 1e-12)
        #expect(far.reading.hasPrefix("≥ 0.693 nats (estimated 1.32, above log 2 = 0.693, the most this estimator resolves"), "\(far.reading)")
        #expect(MutualInformation.brief(5.61, batchSize: 256) == "≥5.55" && MutualInformation.brief(-0.02, batchSize: 256) == "≈0" && MutualInformation.brief(2.1, batchSize: 256) == "2.10")
    }

    @Test("the thresholds are parameters")
    func parameters() throws {
        let verdict = CollapseVerdict(term: "kl", activeUnits: try Self.units(active: 3), meanKL: 0.5, minimumKL: 1, minimumActiveFraction: 0.25)
        #expect(verdict.status == .collapsed)
        let relaxed = CollapseVerdict(term: "kl", activeUnits: try Self.units(active: 3), meanKL: 0.5, minimumKL: 0.1, minimumActiveFraction: 0.25)
        #expect(relaxed.status == .healthy)
    }
}
