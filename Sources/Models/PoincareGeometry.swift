import Foundation
import JSONConfig
import Tensors

/// Latent codes on the Poincaré ball of curvature −c (radius 1/√c), with wrapped-normal posterior and prior
/// (Nagano et al. 2019, "A Wrapped Normal Distribution on Hyperbolic Space"; Mathieu et al. 2019, "Continuous
/// Hierarchical Representations with Poincaré VAEs", pvae), and seed 004's radial loss. Formulas and clamps as
/// summarised in `shared/reference/hyperbolic.md`; the graph operations are in `Tensors/Graph+Hyperbolic.swift`.
///
/// - **Posterior**: the encoder gives a tangent mean μ̃ and log σ² (rows × d each). The location on the ball is
///   μ = exp₀(μ̃) = tanh(√c‖μ̃‖)·μ̃/(√c‖μ̃‖), its norm at most R = `maxRadius`/√c. A code is
///   z = μ ⊕ tanh(√c‖v‖/2)·v/(√c‖v‖) = exp_μ(PT₀→μ(v/2)) with v = τ·σ ⊙ ε, ε ~ N(0, I) and τ the temperature
///   (z = μ at τ = 0), then projected onto the ball of radius R. Then d(μ, z) = ‖v‖ (before the projection).
/// - **Density** (Riemannian volume): with u = 2·log₀((−μ) ⊕ z) (the tangent vector that maps to z, so ‖u‖ =
///   r = d(μ, z)), log N_W(z | μ, σ) = Σᵢ [−½ log 2π − log σᵢ − uᵢ²/(2σᵢ²)] − (d − 1)·log(sinh(√c·r)/(√c·r)).
///   The prior is N_W(· | 0, I), with u₀ = 2·log₀(z) and r₀ = ‖u₀‖.
/// - **KL**: no closed form; one-sample Monte Carlo, log q(z | x) − log p(z) at the drawn z, as pvae does. It
///   is reported per dimension (rows × d) so that per-dimension free bits, the KL-per-dimension metrics and
///   heat maps work: column i is the Gaussian part of dimension i, −½·log σᵢ² − uᵢ²/(2σᵢ²) + u₀ᵢ²/2 (the
///   log 2π terms cancel), plus an equal share of the volume terms, −((d − 1)/d)·[log(sinh(√c·r)/(√c·r)) −
///   log(sinh(√c·r₀)/(√c·r₀))]. The columns sum exactly to the one-sample estimate; a single column or a
///   single example may be negative (the estimate is unbiased, not a bound per draw).
/// - **Decoder** reads the ball coordinates z (bounded by R), as pvae's decoders do (no log map back).
/// - **Radial loss** (term `radial`, weight quantity `radial_weight`, default 0 = off): Σ over latent blocks
///   of (‖μ‖ − t(d))² per example, with the block's posterior location μ and the example's difficulty d
///   (`ModelBatch.difficulty`; the ternary operations' 3-adic valuation, 0…9). The target radius is
///   t(d) = R·clamp(1 − d/d_max, 0, 1) with d_max = `maxDifficulty` (default 9): seed 004 puts the "easy"
///   high-valuation operations near the origin and the "hard" valuation-0 ones near the boundary, so the zero
///   operation (valuation 9) sits at the centre and valuation 0 at the projection radius R. Without
///   difficulties in the batch the term is 0.
/// - **Measurements**: `radius`, the Euclidean norm ‖μ‖ of the posterior location in the ball's coordinates
///   (the mean over blocks for several), and `radius.<block>` per block when there are several.
///
/// Config: `{"latent_geometry": "poincare", "curvature": 1, "max_radius": 0.95, "radial_max_difficulty": 9}`.
public struct PoincareGeometry: LatentGeometry, Hashable {
    /// c > 0: the ball has curvature −c and radius 1/√c.
    public var curvature: Double
    /// The projection radius as a fraction of the ball's radius (0 < r ≤ 0.996): codes satisfy
    /// ‖z‖ ≤ `maxRadius`/√c. Seed 004's 0.95 is the default; 0.996 is geoopt's float32 limit (eps 4e-3).
    public var maxRadius: Double
    /// The difficulty whose target radius is 0 (the ternary operations' largest valuation, 9).
    public var maxDifficulty: Double

    public static let defaultMaxRadius = 0.95
    public static let largestMaxRadius = 0.996
    public static let defaultMaxDifficulty = 9.0

    public init(curvature: Double = 1, maxRadius: Double = PoincareGeometry.defaultMaxRadius, maxDifficulty: Double = PoincareGeometry.defaultMaxDifficulty) {
        precondition(curvature > 0 && maxRadius > 0 && maxRadius <= Self.largestMaxRadius && maxDifficulty > 0, "invalid Poincaré geometry")
        self.curvature = curvature
        self.maxRadius = maxRadius
        self.maxDifficulty = maxDifficulty
    }

    /// R, the largest norm of a code in the ball's coordinates.
    public var maxNorm: Double { maxRadius / curvature.squareRoot() }

    /// The largest posterior log σ²: 2·log of the tangent length 2·artanh(max_radius)/√c that exp₀(v/2) maps to
    /// the projection radius.
    public var maximumLogVariance: Double { 2 * Foundation.log(2 * Foundation.atanh(maxRadius) / curvature.squareRoot()) }

    /// The radial loss's target radius for difficulty `d`: R·clamp(1 − d/d_max, 0, 1).
    public func targetRadius(difficulty d: Double) -> Double {
        maxNorm * Swift.min(1, Swift.max(0, 1 - d / maxDifficulty))
    }

    public var name: String { "poincare" }
    public var parametersJSON: [(String, JSONValue)] {
        [("latent_geometry", .string(name)), ("curvature", .number(curvature)), ("max_radius", .number(maxRadius)),
         ("radial_max_difficulty", .number(maxDifficulty))]
    }
    public var penaltyTerms: [String] { ["radial"] }
    public var quantities: [ModelQuantity] {
        [ModelQuantity(name: "radial_weight", defaultValue: 0, meaning: "the weight of the radial loss pulling each code's radius towards its difficulty's target (0: off)")]
    }
    public var isDiagonalGaussian: Bool { false }

    /// The wrapped normal's log-density (`logDensity`), for the mutual-information estimate.
    public func posteriorLogDensity(_ z: ArraySlice<Double>, mean: ArraySlice<Double>, logVariance: ArraySlice<Double>) -> Double {
        logDensity(z, mean: mean, logVariance: logVariance)
    }

    public func measurementNames(blocks: [String]) -> [String] {
        blocks.count == 1 ? ["radius"] : ["radius"] + blocks.map { "radius.\($0)" }
    }

    public func sample<Scalar: TensorScalar>(_ statistics: Graph<Scalar>.Variable, size: Int, temperature: Double, noise: inout RandomGenerator,
                                             in graph: Graph<Scalar>) -> LatentSample<Scalar> {
        let c = curvature
        let (tangentMean, encodedLogVariance) = graph.splitColumns(statistics, at: size)
        // σ at most the tangent length that reaches max_radius, L = 2·log(2·artanh(max_radius)/√c): a wider
        // posterior only lands on the rim, where the clamped log-densities no longer follow the draw, and an
        // unbounded σ let training drive the Monte Carlo KL towards −∞ (seen with cyclical β at lr 5e-3).
        let logVariance = graph.scale(graph.clampMin(graph.scale(encodedLogVariance, by: -1), -maximumLogVariance), by: -1)
        let mean = graph.poincareExpMapZero(tangentMean, curvature: c, maxNorm: maxNorm)
        let rows = graph.shape(statistics).rows
        let epsilon = GaussianLatent.standardNormal(rows: rows, columns: size, temperature: temperature, noise: &noise, in: graph)
        // v = τ·σ ⊙ ε in the tangent space at the origin, moved to μ: z = μ ⊕ exp₀(v/2).
        let v = graph.reparameterize(mean: graph.constant(rows: rows, columns: size, repeating: 0), logVariance: logVariance, noise: epsilon)
        let unprojected = graph.mobiusAdd(mean, graph.poincareExpMapZero(v, curvature: c, tangentScale: 0.5), curvature: c)
        let z = graph.clipRowNorms(unprojected, maxNorm: maxNorm)
        return LatentSample(mean: mean, logVariance: logVariance, z: z, tangentNoise: v, unprojected: unprojected)
    }

    /// u = 2·log₀((−μ) ⊕ z): the tangent vector at the origin whose wrapped step from μ reaches z (‖u‖ = d(μ, z)).
    func tangent<Scalar: TensorScalar>(at mean: Graph<Scalar>.Variable, of z: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        graph.scale(graph.poincareLogMapZero(graph.mobiusAdd(graph.scale(mean, by: -1), z, curvature: curvature), curvature: curvature), by: 2)
    }

    /// u₀ = 2·log₀(z) (‖u₀‖ = d(0, z)).
    func tangentAtOrigin<Scalar: TensorScalar>(_ z: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        graph.scale(graph.poincareLogMapZero(z, curvature: curvature), by: 2)
    }

    /// Evaluated at the drawn point before its projection to `max_radius`, where the tangent vector from μ is the
    /// noise v itself: evaluating log q at the projected code instead lets training drive codes past the rim with
    /// tiny σ, where log q(z_projected) → −∞ and the "KL" with it (seen: KL −1e8 nats in a 60-epoch run).
    public func kl<Scalar: TensorScalar>(_ sample: LatentSample<Scalar>, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let point = sample.unprojected ?? sample.z
        let u = sample.tangentNoise ?? tangent(at: sample.mean, of: point, in: graph), u0 = tangentAtOrigin(point, in: graph)
        // −½·(log σ² + u²/σ²) + ½·u₀² per column.
        let logQ = graph.scale(graph.add(sample.logVariance, graph.multiply(graph.square(u), graph.exp(graph.scale(sample.logVariance, by: -1)))), by: -0.5)
        let gaussian = graph.subtract(logQ, graph.scale(graph.square(u0), by: -0.5))
        let size = graph.shape(u).columns
        guard size > 1 else { return gaussian }
        // −(d − 1)·[log(sinh(√c r)/(√c r)) − log(sinh(√c r₀)/(√c r₀))], an equal share per column.
        let volume = graph.scale(graph.subtract(graph.logSinhRatio(u, curvature: curvature), graph.logSinhRatio(u0, curvature: curvature)), by: -Double(size - 1) / Double(size))
        return graph.add(gaussian, graph.matmul(volume, graph.constant(rows: 1, columns: size, repeating: 1)))
    }

    /// log N_W(z | 0, I) for the tangent vector u₀ = 2·log₀(z).
    public func logPrior<Scalar: TensorScalar>(_ z: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let u0 = tangentAtOrigin(z, in: graph)
        let size = graph.shape(z).columns
        return wrappedLogDensity(u0, logVariance: graph.constant(rows: 1, columns: size, repeating: 0), in: graph)
    }

    public func logPosterior<Scalar: TensorScalar>(_ sample: LatentSample<Scalar>, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        wrappedLogDensity(sample.tangentNoise ?? tangent(at: sample.mean, of: sample.z, in: graph), logVariance: sample.logVariance, in: graph)
    }

    /// Σᵢ [−½ log 2π − ½ log σᵢ² − uᵢ²/(2σᵢ²)] − (d − 1)·log(sinh(√c‖u‖)/(√c‖u‖)), rows × 1.
    func wrappedLogDensity<Scalar: TensorScalar>(_ u: Graph<Scalar>.Variable, logVariance: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let (rows, size) = graph.shape(u)
        let gaussian = graph.scale(graph.gaussianNegativeLogLikelihood(mean: graph.constant(rows: rows, columns: size, repeating: 0), logVariance: logVariance, target: u), by: -1)
        guard size > 1 else { return gaussian }
        return graph.subtract(gaussian, graph.scale(graph.logSinhRatio(u, curvature: curvature), by: Double(size - 1)))
    }

    /// log N_W(z | μ, σ) of one code in Double, outside any graph, with the graph's formula and clamps: for
    /// estimators over arrays, such as the mutual information's log q(z_i | x_j) for every pair in a batch (the
    /// Gaussian formula of `Evaluation.MutualInformation` does not hold on the ball). μ = 0 and log σ² = 0 give
    /// the prior's density.
    public func logDensity<Values: RandomAccessCollection>(_ z: Values, mean: Values, logVariance: Values) -> Double
        where Values.Element == Double, Values.Index == Int {
        let c = curvature, d = z.count
        // w = (−μ) ⊕ z.
        var xy = 0.0, xx = 0.0, yy = 0.0
        for j in 0..<d {
            let x = -mean[mean.startIndex + j], y = z[z.startIndex + j]
            xy += x * y
            xx += x * x
            yy += y * y
        }
        let alpha = 1 + 2 * c * xy + c * yy, beta = 1 - c * xx
        let denominator = Swift.max(1 + 2 * c * xy + c * c * xx * yy, 1e-15)
        // w_j is computed twice (for its norm, then scaled) rather than stored: this runs for every pair of a batch.
        @inline(__always) func w(_ j: Int) -> Double { (alpha * -mean[mean.startIndex + j] + beta * z[z.startIndex + j]) / denominator }
        var wNorm = 0.0
        for j in 0..<d { wNorm += w(j) * w(j) }
        // u = 2·log₀(w), ‖u‖ = r = d(μ, z).
        let scale = 2 * RadialMap.logMapZero(curvature: c).evaluate(norm: wNorm.squareRoot()).value
        var gaussian = 0.0, uNorm = 0.0
        for j in 0..<d {
            let u = scale * w(j), lv = logVariance[logVariance.startIndex + j]
            gaussian += -0.5 * (Double.log(2 * Double.pi) + lv + u * u * Double.exp(-lv))
            uNorm += u * u
        }
        guard d > 1 else { return gaussian }
        return gaussian - Double(d - 1) * RadialFunction.logSinhRatio(curvature: c).evaluate(norm: uNorm.squareRoot()).value
    }

    /// Wrapped normals at the origin, one block after another from one draw of ε (rows × Σ sizes):
    /// z = exp₀(τ·ε/2), its norm at most R.
    public func samplePrior<Scalar: TensorScalar>(rows: Int, sizes: [Int], temperature: Double, noise: inout RandomGenerator,
                                                  in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let v = GaussianLatent.standardNormal(rows: rows, columns: sizes.reduce(0, +), temperature: temperature, noise: &noise, in: graph)
        var blocks: Graph<Scalar>.Variable?
        var start = 0
        for size in sizes {
            let block = sizes.count == 1 ? v : graph.sliceColumns(v, start: start, count: size)
            let z = graph.poincareExpMapZero(block, curvature: curvature, tangentScale: 0.5, maxNorm: maxNorm)
            blocks = blocks.map { graph.concatenateColumns($0, z) } ?? z
            start += size
        }
        return blocks!
    }

    /// The radial loss Σ_blocks (‖μ‖ − t(d))², rows × 1; zeros without difficulties.
    public func penalties<Scalar: TensorScalar>(_ samples: [LatentSample<Scalar>], batch: ModelBatch<Scalar>, in graph: Graph<Scalar>) -> [Graph<Scalar>.Variable] {
        let rows = graph.shape(samples[0].mean).rows
        guard let difficulty = batch.difficulty else { return [graph.constant(rows: rows, columns: 1, repeating: 0)] }
        precondition(graph.shape(difficulty) == (rows, 1), "the difficulty must be rows × 1")
        let difficulties = graph.value(difficulty)
        let target = graph.constant(rows: rows, columns: 1) { buffer in
            for i in 0..<rows { buffer[i] = Scalar(targetRadius(difficulty: Double(difficulties[i]))) }
        }
        var total: Graph<Scalar>.Variable?
        for sample in samples {
            let deviation = graph.square(graph.subtract(graph.rowNorms(sample.mean), target))
            total = total.map { graph.add($0, deviation) } ?? deviation
        }
        return [total!]
    }

    public func measurements<Scalar: TensorScalar>(_ samples: [LatentSample<Scalar>], in graph: Graph<Scalar>) -> [Graph<Scalar>.Variable] {
        let radii = samples.map { graph.rowNorms($0.mean) }
        guard radii.count > 1 else { return radii }
        let mean = graph.scale(radii.dropFirst().reduce(radii[0]) { graph.add($0, $1) }, by: 1 / Double(radii.count))
        return [mean] + radii
    }
}
