import Foundation
import Testing
@testable import Tensors

/// The Poincaré-ball operations: hyperbolic.md's test vectors (float64), the identities the models rely on, and
/// every operation's gradient against central finite differences, in the closed-form, series and clamped
/// regimes.
@Suite("Poincaré-ball operations")
struct HyperbolicOperationTests {
    /// Rows of `tensor` as arrays.
    static func rows(_ graph: Graph<Double>, _ variable: Graph<Double>.Variable) -> [[Double]] {
        let tensor = graph.tensor(variable)
        return (0..<tensor.rows).map { r in (0..<tensor.columns).map { tensor[r, $0] } }
    }

    /// d(x, y) = (2/√c)·artanh(√c‖(−x) ⊕ y‖) = 2‖log₀((−x) ⊕ y)‖, row by row.
    static func distance(_ graph: Graph<Double>, _ x: Graph<Double>.Variable, _ y: Graph<Double>.Variable, curvature c: Double) -> Graph<Double>.Variable {
        graph.scale(graph.rowNorms(graph.poincareLogMapZero(graph.mobiusAdd(graph.scale(x, by: -1), y, curvature: c), curvature: c)), by: 2)
    }

    @Test("Möbius addition: (0.1, 0.2) ⊕ (0.3, −0.1) = (0.38731707, 0.12585366) at c = 1; left cancellation")
    func mobiusVector() {
        // ⟨x,y⟩ = 0.03 − 0.02 = 0.01, ‖x‖² = 0.05, ‖y‖² = 0.1: numerator (1 + 0.02 + 0.1)·x + (1 − 0.05)·y
        // = 1.12·(0.1, 0.2) + 0.95·(0.3, −0.1) = (0.397, 0.129); denominator 1 + 0.02 + 0.05·0.1 = 1.025.
        let graph = Graph<Double>()
        let x = graph.constant(Tensor([[0.1, 0.2]])), y = graph.constant(Tensor([[0.3, -0.1]]))
        let sum = Self.rows(graph, graph.mobiusAdd(x, y, curvature: 1))[0]
        #expect(abs(sum[0] - 0.397 / 1.025) < 1e-15 && abs(sum[1] - 0.129 / 1.025) < 1e-15)
        #expect(abs(sum[0] - 0.38731707) < 1e-8 && abs(sum[1] - 0.12585366) < 1e-8)
        // (−x) ⊕ (x ⊕ y) = y, at several curvatures and in 3 dimensions.
        for c in [0.5, 1, 2] {
            let a = graph.constant(Tensor([[0.1, -0.2, 0.3], [0.4, 0.1, -0.2]])), b = graph.constant(Tensor([[-0.2, 0.4, 0.1], [0.05, -0.3, 0.2]]))
            let back = Self.rows(graph, graph.mobiusAdd(graph.scale(a, by: -1), graph.mobiusAdd(a, b, curvature: c), curvature: c))
            #expect(zip(back.joined(), Self.rows(graph, b).joined()).allSatisfy { abs($0 - $1) < 1e-14 }, "c = \(c)")
        }
    }

    @Test("exp₀((0.3, 0.4)) has norm tanh(0.5) = 0.4621171573 at c = 1; log₀ inverts exp₀")
    func expLogVectors() {
        let graph = Graph<Double>()
        let u = graph.constant(Tensor([[0.3, 0.4]]))
        // ‖u‖ = 0.5, so exp₀(u) = tanh(0.5)·u/0.5.
        let y = graph.poincareExpMapZero(u, curvature: 1)
        #expect(abs(graph.value(graph.rowNorms(y))[0] - 0.4621171573) < 1e-10)
        #expect(abs(graph.value(graph.rowNorms(y))[0] - Foundation.tanh(0.5)) < 1e-15)
        for c in [0.5, 1, 2] {
            let tangent = graph.constant(Tensor([[0.3, -0.4, 0.2], [1e-6, 0, -2e-6], [2, 1, -1]]))
            let back = Self.rows(graph, graph.poincareLogMapZero(graph.poincareExpMapZero(tangent, curvature: c), curvature: c))
            #expect(zip(back.joined(), Self.rows(graph, tangent).joined()).allSatisfy { abs($0 - $1) < 1e-10 }, "c = \(c): \(back)")
        }
    }

    /// hyperbolic.md's distances: r = d(μ, z).
    @Test("distances of the reference's vectors: ln 3; 0.6899918011; 1.7144984267 at c = 2")
    func distanceVectors() {
        let cases: [(mu: [Double], z: [Double], c: Double, r: Double)] = [
            ([0, 0], [0.5, 0], 1, 1.0986122887),  // 2·artanh(0.5) = ln 3
            ([0.3, 0], [0.5, 0.2], 1, 0.6899918011),
            ([0.1, -0.2, 0.3], [-0.2, 0.4, 0.1], 2, 1.7144984267),
        ]
        for entry in cases {
            let graph = Graph<Double>()
            let r = graph.value(Self.distance(graph, graph.constant(Tensor([entry.mu])), graph.constant(Tensor([entry.z])), curvature: entry.c))[0]
            #expect(abs(r - entry.r) < 1e-9, "\(entry.mu) → \(entry.z): \(r)")
        }
        #expect(abs(1.0986122887 - Foundation.log(3.0)) < 1e-10)
    }

    /// The wrapped normal's sample z = μ ⊕ tanh(√c‖v‖/2)·v/(√c‖v‖) is exp_μ(PT₀→μ(v/2)) written out with the
    /// general maps: exp_x(u) = x ⊕ tanh(√c·λ_x‖u‖/2)·u/(√c‖u‖), PT₀→ₓ(u) = (2/λ_x)·u, λ_x = 2/(1 − c‖x‖²).
    /// Then d(μ, z) = ‖v‖ and 2·log₀((−μ) ⊕ z) = v (hyperbolic.md).
    @Test("the wrapped sample μ ⊕ exp₀(v/2) is exp_μ(PT₀→μ(v/2)), at distance ‖v‖, and its tangent recovers v")
    func wrappedSample() {
        for c in [0.7, 1, 2] {
            let mu: [Double] = [0.2, -0.3, 0.1], v: [Double] = [0.8, 0.5, -1.1]
            let graph = Graph<Double>()
            let muVariable = graph.constant(Tensor([mu])), vVariable = graph.constant(Tensor([v]))
            let z = graph.mobiusAdd(muVariable, graph.poincareExpMapZero(vVariable, curvature: c, tangentScale: 0.5), curvature: c)
            // exp_μ(PT(v/2)) by the general formula, in plain arithmetic.
            let lambda = 2 / (1 - c * mu.reduce(0) { $0 + $1 * $1 })
            let u = v.map { $0 / 2 * 2 / lambda }
            let uNorm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let step = u.map { Foundation.tanh(c.squareRoot() * lambda * uNorm / 2) * $0 / (c.squareRoot() * uNorm) }
            let expected = Self.rows(graph, graph.mobiusAdd(muVariable, graph.constant(Tensor([step])), curvature: c))[0]
            #expect(zip(Self.rows(graph, z)[0], expected).allSatisfy { abs($0 - $1) < 1e-14 }, "c = \(c)")
            let vNorm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(graph.value(Self.distance(graph, muVariable, z, curvature: c))[0] - vNorm) < 1e-12)
            let tangent = graph.scale(graph.poincareLogMapZero(graph.mobiusAdd(graph.scale(muVariable, by: -1), z, curvature: c), curvature: c), by: 2)
            #expect(zip(Self.rows(graph, tangent)[0], v).allSatisfy { abs($0 - $1) < 1e-12 }, "c = \(c)")
        }
    }

    @Test("clamps: norms capped at the maximum, artanh at 1 − 1e-5, tanh at 15; the volume term from its series near 0")
    func clamps() {
        let graph = Graph<Double>()
        let big = graph.constant(Tensor([[30, 40], [0.3, 0.4], [0, 0]]))
        let capped = graph.value(graph.rowNorms(graph.poincareExpMapZero(big, curvature: 1, maxNorm: 0.95)))
        #expect(abs(capped[0] - 0.95) < 1e-15 && abs(capped[1] - Foundation.tanh(0.5)) < 1e-15 && capped[2] == 0)
        let clipped = graph.value(graph.rowNorms(graph.clipRowNorms(big, maxNorm: 0.45)))
        #expect(abs(clipped[0] - 0.45) < 1e-15 && abs(clipped[1] - 0.45) < 1e-15 && clipped[2] == 0)
        // Beyond the clamp, log₀ is artanh(1 − 1e-5) along y: finite.
        let boundary = graph.value(graph.rowNorms(graph.poincareLogMapZero(graph.constant(Tensor([[1, 0], [0.6, 0.8]])), curvature: 1)))
        #expect(boundary.allSatisfy { abs($0 - Foundation.atanh(1 - 1e-5)) < 1e-12 })
        // tanh(15) in Double is below 1, and a huge tangent vector lands on the clamp, not at infinity.
        let huge = graph.value(graph.rowNorms(graph.poincareExpMapZero(graph.constant(Tensor([[1e6, 0]])), curvature: 1)))[0]
        #expect(abs(huge - Foundation.tanh(15)) < 1e-15 && huge < 1)
        // log(sinh r / r): r²/6 near 0 (0/0 when computed directly), log(sinh 2/2) at r = 2.
        let volume = graph.value(graph.logSinhRatio(graph.constant(Tensor([[1e-9, 0], [0, 0], [1.2, 1.6]])), curvature: 1))
        #expect(abs(volume[0] - 1e-18 / 6) < 1e-30 && volume[1] == 0 && abs(volume[2] - Foundation.log(Foundation.sinh(2) / 2)) < 1e-14)
        // Float: the series keeps small norms finite and exact.
        let floatGraph = Graph<Float>()
        let small = floatGraph.value(floatGraph.logSinhRatio(floatGraph.constant(Tensor<Float>([[1e-4, 0], [0, 0]])), curvature: 1))
        #expect(small.allSatisfy(\.isFinite) && abs(small[0] - 1e-8 / 6) < 1e-14)
    }

    /// Points and tangent vectors for the gradient checks: ordinary rows, a tiny row (series regime) and, for
    /// maps with a cap, a row beyond it.
    static let tangents = Tensor<Double>([[0.3, -0.5, 0.2], [-1.2, 0.4, 0.9], [2e-5, -1e-5, 3e-5], [0.05, 0.02, -0.04]])
    static let points = Tensor<Double>([[0.1, -0.2, 0.3], [0.4, 0.1, -0.2], [-0.3, 0.25, 0.1], [0.02, -0.05, 0.01]])
    static let others = Tensor<Double>([[-0.2, 0.4, 0.1], [0.05, -0.3, 0.2], [0.3, 0.1, -0.35], [1e-5, 2e-5, 0]])

    @Test("gradients of exp₀, log₀, clipping, norms and the volume term match finite differences", arguments: [0.5, 1.0, 2.0])
    func radialGradients(curvature c: Double) {
        GradientCheck(inputs: [Self.tangents]).run("exp₀ c = \(c)") { g, v in g.poincareExpMapZero(v[0], curvature: c) }
        GradientCheck(inputs: [Self.tangents]).run("exp₀(v/2) c = \(c)") { g, v in g.poincareExpMapZero(v[0], curvature: c, tangentScale: 0.5) }
        // Rows 1 and 0 go past the cap √c·R = 0.5 (tanh(√c·1.55) and tanh(√c·0.62)); the others stay inside.
        GradientCheck(inputs: [Self.tangents]).run("exp₀ capped c = \(c)") { g, v in g.poincareExpMapZero(v[0], curvature: c, maxNorm: 0.5 / c.squareRoot()) }
        GradientCheck(inputs: [Self.tangents]).run("exp₀ beyond the tanh clamp") { g, v in g.poincareExpMapZero(g.scale(v[0], by: 40), curvature: c) }
        GradientCheck(inputs: [Self.points]).run("log₀ c = \(c)") { g, v in g.poincareLogMapZero(v[0], curvature: c) }
        GradientCheck(inputs: [Self.points]).run("log₀ at the artanh clamp") { g, v in g.poincareLogMapZero(g.scale(v[0], by: 5 / c.squareRoot()), curvature: c) }
        GradientCheck(inputs: [Self.points]).run("clip at 0.3") { g, v in g.clipRowNorms(v[0], maxNorm: 0.3) }
        // The norm bends by 1/‖x‖: finite differences of step 1e-6 need rows well away from 0.
        GradientCheck(inputs: [Self.points]).run("row norms") { g, v in g.rowNorms(v[0]) }
        GradientCheck(inputs: [Self.tangents]).run("log sinh ratio c = \(c)") { g, v in g.logSinhRatio(v[0], curvature: c) }
        GradientCheck(inputs: [Self.tangents]).run("log sinh ratio, large") { g, v in g.logSinhRatio(g.scale(v[0], by: 30), curvature: c) }
    }

    @Test("gradients of Möbius addition match finite differences", arguments: [0.5, 1.0, 2.0])
    func mobiusGradients(curvature c: Double) {
        let scale = 1 / c.squareRoot()
        GradientCheck(inputs: [Self.points, Self.others]).run("x ⊕ y c = \(c)") { g, v in
            g.mobiusAdd(g.scale(v[0], by: scale), g.scale(v[1], by: scale), curvature: c)
        }
        GradientCheck(inputs: [Self.points]).run("x ⊕ x") { g, v in g.mobiusAdd(v[0], v[0], curvature: c) }
        GradientCheck(inputs: [Self.points, Self.tangents]).run("the wrapped sample μ ⊕ exp₀(v/2), clipped") { g, v in
            g.clipRowNorms(g.mobiusAdd(g.scale(v[0], by: scale), g.poincareExpMapZero(v[1], curvature: c, tangentScale: 0.5), curvature: c), maxNorm: 0.9 * scale)
        }
    }

    @Test("the Float kernels agree with the Double ones")
    func floatAgreesWithDouble() {
        let double = Graph<Double>(), float = Graph<Float>()
        func both(_ build: (Graph<Double>, Graph<Double>.Variable, Graph<Double>.Variable) -> Graph<Double>.Variable,
                  _ buildFloat: (Graph<Float>, Graph<Float>.Variable, Graph<Float>.Variable) -> Graph<Float>.Variable) {
            let d = Array(double.value(build(double, double.constant(Self.points), double.constant(Self.others))))
            let f = Array(float.value(buildFloat(float, float.constant(Tensor(rows: 4, columns: 3, scalars: Self.points.scalars.map(Float.init))),
                                                 float.constant(Tensor(rows: 4, columns: 3, scalars: Self.others.scalars.map(Float.init))))))
            #expect(zip(d, f).allSatisfy { abs($0 - Double($1)) < 1e-6 * max(1, abs($0)) }, "\(d) vs \(f)")
        }
        both({ g, x, y in g.mobiusAdd(x, y, curvature: 1.5) }, { g, x, y in g.mobiusAdd(x, y, curvature: 1.5) })
        both({ g, x, _ in g.poincareExpMapZero(x, curvature: 1.5, maxNorm: 0.3) }, { g, x, _ in g.poincareExpMapZero(x, curvature: 1.5, maxNorm: 0.3) })
        both({ g, x, _ in g.poincareLogMapZero(x, curvature: 1.5) }, { g, x, _ in g.poincareLogMapZero(x, curvature: 1.5) })
        both({ g, _, y in g.logSinhRatio(y, curvature: 1.5) }, { g, _, y in g.logSinhRatio(y, curvature: 1.5) })
    }
}
