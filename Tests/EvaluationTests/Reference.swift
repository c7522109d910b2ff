import Foundation
import Tensors

/// Fixtures/reference.json: inputs and expected values from independent Python implementations (scikit-learn,
/// SciPy, NumPy and the `prdc` package), written by Fixtures/generate_reference.py, which records the versions.
struct Reference: Decodable {
    struct Distances: Decodable {
        var x: [[Double]], y: [[Double]]
        var x_y: [[Double]], x_x: [[Double]]
    }
    struct PRDCValues: Decodable { var precision: Double, recall: Double, density: Double, coverage: Double }
    struct PRDC: Decodable {
        var real: [[Double]], fake: [[Double]]
        var results: [String: PRDCValues]
    }
    struct MMDValues: Decodable { var unbiased: Double, biased: Double }
    struct MMD: Decodable {
        var real: [[Double]], fake: [[Double]]
        var fixed_bandwidth: Double, fixed: MMDValues
        var median_bandwidth: Double, median: MMDValues
    }
    struct Frechet: Decodable {
        var real: [[Double]], fake: [[Double]], samples_distance: Double
        var mean1: [Double], covariance1: [[Double]], mean2: [Double], covariance2: [[Double]], statistics_distance: Double
    }
    struct Similarity: Decodable {
        var real: [[Double]], fake: [[Double]]
        var nearest_neighbour_l2: Double, nearest_neighbour_cosine: Double
        var mean_embedding_l2: Double, mean_embedding_cosine: Double
        var standard_deviations: [Double], mean_pairwise_distance: Double
    }
    struct Posterior: Decodable {
        var means: [[Double]], log_variances: [[Double]], samples: [[Double]]
        var active_unit_variances: [Double], active_units: Int
        var batch_size: Int, mutual_information: Double
    }
    struct LogMeanExp: Decodable { var values: [Double], log_mean_exp: Double }

    var python: String, numpy: String, scipy: String, scikit_learn: String, prdc_package: String
    var distances: Distances
    var prdc: PRDC
    var mmd: MMD
    var frechet: Frechet
    var similarity: Similarity
    var posterior: Posterior
    var log_mean_exp: [LogMeanExp]

    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/reference.json")

    static func load() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: path))
    }
}

/// A tensor whose rows are `rows`.
func matrix(_ rows: [[Double]]) -> Tensor<Double> { Tensor(rows) }

/// A one-column tensor: each value a 1-D point.
func points(_ values: [Double]) -> Tensor<Double> { Tensor(rows: values.count, columns: 1, scalars: values) }

/// `rows` × `columns` standard normal values from a seeded generator.
func gaussian(rows: Int, columns: Int, seed: UInt64, scale: Double = 1, shift: Double = 0) -> Tensor<Double> {
    var generator = RandomGenerator(seed: seed)
    var values = [Double](repeating: 0, count: rows * columns)
    values.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
    return Tensor(rows: rows, columns: columns, scalars: values.map { $0 * scale + shift })
}

/// |a − b| ≤ tolerance·max(1, |b|).
func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }
