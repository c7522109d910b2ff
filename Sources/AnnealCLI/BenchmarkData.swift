import Tensors

/// The benchmark data, stored compactly (one byte per binary feature or ternary digit) and expanded to floats
/// one batch at a time, so memory stays a fraction of a float matrix's.
struct BenchmarkData {
    let model: BenchmarkModel
    /// mlp-784: 0/1 per feature, examples × 784. ternary: the 9 digits of each operation, examples × 9.
    let bytes: [UInt8]
    let width: Int
    let count: Int

    /// The model's data set; `examples` below its full size keeps only the first examples.
    init(model: BenchmarkModel, generator: inout RandomGenerator, examples: Int) {
        self.model = model
        if model == .mlp784 {
            width = 784
            var bytes = [UInt8](repeating: 0, count: model.examples * 784)
            var word: UInt64 = 0
            for i in bytes.indices {
                if i % 64 == 0 { word = generator.next() }
                bytes[i] = UInt8(truncatingIfNeeded: word >> UInt64(i % 64)) & 1
            }
            self.bytes = bytes
            count = examples
        } else {
            width = 9
            var bytes = [UInt8](repeating: 0, count: model.examples * 9)
            for index in 0..<model.examples {
                var value = index
                for position in stride(from: 8, through: 0, by: -1) {  // most significant digit first
                    bytes[index * 9 + position] = UInt8(value % 3)
                    value /= 3
                }
            }
            self.bytes = bytes
            count = examples
        }
    }


    /// Rows `order[start..<start + rows]` as float inputs (binary features, or one-hot digits).
    func fillInputs(_ order: [Int], _ start: Int, _ rows: Int, _ buffer: UnsafeMutableBufferPointer<Float>) {
        bytes.withUnsafeBufferPointer { source in
            if model == .mlp784 {
                for row in 0..<rows {
                    let from = order[start + row] * 784
                    for j in 0..<784 { buffer[row * 784 + j] = Float(source[from + j]) }
                }
            } else {
                buffer.update(repeating: 0)
                for row in 0..<rows {
                    let from = order[start + row] * 9
                    for position in 0..<9 { buffer[row * 27 + position * 3 + Int(source[from + position])] = 1 }
                }
            }
        }
    }

    /// The ternary digits of rows `order[start..<start + rows]` as class labels, rows × 9.
    func fillLabels(_ order: [Int], _ start: Int, _ rows: Int, _ buffer: UnsafeMutableBufferPointer<Int32>) {
        bytes.withUnsafeBufferPointer { source in
            for row in 0..<rows {
                let from = order[start + row] * 9
                for position in 0..<9 { buffer[row * 9 + position] = Int32(source[from + position]) }
            }
        }
    }
}
