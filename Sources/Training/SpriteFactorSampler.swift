import Data
import Evaluation
import Models
import Tensors

/// FactorVAE's and the β-VAE score's batches for dsprites, drawn by the renderer as disentanglement_lib draws
/// them from the full factor grid: every factor uniform, one fixed at the given value; each image encoded by the
/// model (its posterior mean, every latent block side by side) and the columns `columns` of the code kept.
struct SpriteFactorSampler: FixedFactorSampler {
    let images: SpriteImages
    let encoder: RepresentationEncoder
    let columns: Range<Int>

    var factorNames: [String] { SpriteImages.factorNames }
    var codeDimensions: Int { columns.count }

    mutating func fixedValue(factor: Int, count: Int, generator: inout RandomGenerator) -> Int? {
        Int(generator.next() % UInt64(SpriteImages.factorSizes[factor]))
    }

    mutating func codes(count: Int, factor: Int, value: Int, generator: inout RandomGenerator) -> [Double] {
        encode((0..<count).map { _ in
            var factors = SpriteImages.factorSizes.map { Int(generator.next() % UInt64($0)) }
            factors[factor] = value
            return Int32(SpriteImages.index(of: factors))
        })
    }

    mutating func randomCodes(count: Int, generator: inout RandomGenerator) -> [Double] {
        encode((0..<count).map { _ in Int32(generator.next() % UInt64(SpriteImages.count)) })
    }

    private func encode(_ indices: [Int32]) -> [Double] {
        let dataset = images.dataset(indices: indices)
        let codes = encoder.codes(dataset, rows: Array(0..<dataset.count))
        let width = encoder.width
        var result = [Double]()
        result.reserveCapacity(indices.count * columns.count)
        for row in 0..<indices.count { for column in columns { result.append(Double(codes[row * width + column])) } }
        return result
    }
}
