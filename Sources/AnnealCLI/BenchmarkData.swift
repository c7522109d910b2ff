import Data
import Tensors

/// The benchmark data as a data set: mlp-784's 60,000 random binary vectors stored one byte per feature
/// (expanded to floats per batch, as training does for any byte data), or the ternary operations.
enum BenchmarkData {
    /// The first `examples` examples of `model`'s data set.
    static func dataset(_ model: BenchmarkModel, examples: Int) -> Dataset {
        func randomBits(_ count: Int) -> [UInt8] {
            var generator = RandomGenerator(seed: 0xDA7A)
            var bytes = [UInt8](repeating: 0, count: count)
            var word: UInt64 = 0
            for i in bytes.indices {
                if i % 64 == 0 { word = generator.next() }
                bytes[i] = UInt8(truncatingIfNeeded: word >> UInt64(i % 64)) & 1
            }
            return bytes
        }
        switch model {
        case .mlp784:
            return Dataset(name: "60,000 random binary vectors", count: examples, featureCount: 784, storage: ByteRows(randomBits(examples * 784), width: 784))
        case .conv64:
            return Dataset(name: "2,048 random binary 64×64 images", count: examples, featureCount: 64 * 64, storage: ByteRows(randomBits(examples * 64 * 64), width: 64 * 64),
                           imageShape: (64, 64))
        case .ternary:
            let all = TernaryOperations.dataset()
            guard examples < all.count else { return all }
            return Dataset(name: all.name, kind: all.kind, count: examples, featureCount: all.featureCount,
                           features: Array(all.features.prefix(examples * all.featureCount)),
                           categories: all.categories.map { Array($0.prefix(examples * TernaryOperations.positions)) },
                           labels: all.labels.map { Array($0.prefix(examples)) }, classCount: all.classCount, classNames: all.classNames,
                           difficulty: all.difficulty.map { Array($0.prefix(examples)) })
        }
    }
}
