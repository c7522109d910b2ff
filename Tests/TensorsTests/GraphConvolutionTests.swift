import Foundation
#if os(Linux) && canImport(CConvolution)
import CConvolution
#endif
import Testing
@testable import Tensors

/// Convolutions in the graph: shapes, gradients against finite differences (Double, im2col), and values worked
/// by hand.
@Suite("Convolutions")
struct GraphConvolutionTests {
    static func geometry(_ transposed: Bool, _ input: (Int, Int, Int), _ out: Int, kernel: Int, stride: Int, padding: (Int, Int, Int, Int)) -> ConvolutionGeometry {
        ConvolutionGeometry(transposed: transposed, input: input, outputChannels: out, kernel: (kernel, kernel), stride: (stride, stride), padding: padding)!
    }

    @Test("output sizes as PyTorch computes them, TensorFlow's asymmetric same padding, and empty outputs refused")
    func sizes() {
        // Conv2d(1, 32, 4, 2, 1) on 64×64: ⌊(64 + 2 − 4)/2⌋ + 1 = 32. ConvTranspose2d(64, 64, 4, 2, 1) on 4×4: 3·2 − 2 + 4 = 8.
        #expect(Self.geometry(false, (1, 64, 64), 32, kernel: 4, stride: 2, padding: (1, 1, 1, 1)).outputLayout == .image(channels: 32, height: 32, width: 32))
        #expect(Self.geometry(true, (64, 4, 4), 64, kernel: 4, stride: 2, padding: (1, 1, 1, 1)).outputLayout == .image(channels: 64, height: 8, width: 8))
        // "same" on 5 with kernel 2, stride 2: out 3, total padding (3 − 1)·2 + 2 − 5 = 1, at the bottom and right.
        #expect(Self.geometry(false, (1, 5, 5), 1, kernel: 2, stride: 2, padding: (0, 1, 0, 1)).outputLayout == .image(channels: 1, height: 3, width: 3))
        #expect(ConvolutionGeometry(transposed: false, input: (1, 3, 3), outputChannels: 1, kernel: (5, 5), stride: (1, 1), padding: (0, 0, 0, 0)) == nil)
        // conv-64's e2: 16·16 positions × 32 out × 32 in × 16 = 4,194,304 multiply-adds, as the reference counts.
        #expect(Self.geometry(false, (32, 32, 32), 32, kernel: 4, stride: 2, padding: (1, 1, 1, 1)).multiplyAddsPerExample == 4_194_304)
    }

    /// im2col copies the inside of each row without bounds checks and zero-fills the padded ends; col2im adds back
    /// the inside only. Both against the definition (col[(c·kh + ky)·kw + kx, p] = s[c, p_y·stride − pad_top + ky,
    /// p_x·stride − pad_left + kx], 0 outside) on every stride, padding (asymmetric, and larger than the kernel's
    /// reach) and size up to 7, for a convolution and a transposed one.
    @Test("im2col and col2im equal their definition on every small geometry")
    func columnsByDefinition() {
        var checked = 0
        for transposed in [false, true] {
            for size in 1...7 {
                for kernel in 1...4 {
                    for stride in 1...3 {
                        for padding in [(0, 0, 0, 0), (1, 1, 1, 1), (0, 1, 2, 0), (3, 2, 1, 3)] {
                            guard let g = ConvolutionGeometry(transposed: transposed, input: (2, size, size + 1), outputChannels: 2, kernel: (kernel, kernel),
                                                              stride: (stride, stride), padding: padding) else { continue }
                            let (channels, height, width) = g.sliding, (_, rows, columns) = g.positions
                            let source = (0..<channels * height * width).map { Double($0 % 11) - 5 }
                            var column = [Double](repeating: .nan, count: channels * g.kernelCount * rows * columns)
                            var expected = column
                            for c in 0..<channels { for ky in 0..<kernel { for kx in 0..<kernel { for py in 0..<rows { for px in 0..<columns {
                                let sy = py * stride - g.paddingTop + ky, sx = px * stride - g.paddingLeft + kx
                                let row = (c * kernel + ky) * kernel + kx
                                let inside = sy >= 0 && sy < height && sx >= 0 && sx < width
                                let value: Double = inside ? source[(c * height + sy) * width + sx] : 0
                                expected[row * rows * columns + py * columns + px] = value
                            } } } } }
                            Double.im2col(source, g, &column)
                            #expect(column == expected, "im2col \(g)")
                            // col2im is im2col's adjoint: ⟨col2im(v), s⟩ = ⟨v, im2col(s)⟩ for every v.
                            let v: [Double] = (0..<column.count).map { Double(($0 * 7) % 13) - 6 }
                            var back = [Double](repeating: 0, count: source.count)
                            Double.col2im(v, g, &back, accumulate: false)
                            let left: Double = zip(back, source).map(*).reduce(0, +)
                            let right: Double = zip(v, expected).map(*).reduce(0, +)
                            #expect(left == right, "col2im \(g)")
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked > 300)
    }

    @Test("a 3×3 image, a 2×2 kernel of ones, stride 1: each output is the sum of its window plus the bias")
    func byHand() {
        let g = Self.geometry(false, (1, 3, 3), 1, kernel: 2, stride: 1, padding: (0, 0, 0, 0))
        let graph = Graph<Double>()
        let x = graph.constant(Tensor(rows: 1, columns: 9, scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9]))
        let w = graph.constant(Tensor(rows: 1, columns: 4, scalars: [1, 1, 1, 1]))
        let b = graph.constant(Tensor(rows: 1, columns: 1, scalars: [0.5]))
        let y = graph.convolution(x, weight: w, bias: b, geometry: g)
        // 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28; plus 0.5.
        #expect(Array(graph.value(y)) == [12.5, 16.5, 24.5, 28.5])
        #expect(graph.layout(y) == .image(channels: 1, height: 2, width: 2))
        // The transposed convolution of a 2×2 image of ones with the same kernel spreads each pixel over a 2×2
        // window of a 3×3 output: corners 1, edges 2, centre 4.
        let t = Self.geometry(true, (1, 2, 2), 1, kernel: 2, stride: 1, padding: (0, 0, 0, 0))
        let ones = graph.constant(Tensor(rows: 1, columns: 4, scalars: [1, 1, 1, 1]))
        #expect(Array(graph.value(graph.convolution(ones, weight: w, bias: nil, geometry: t))) == [1, 2, 1, 2, 4, 2, 1, 2, 1])
    }

    @Test("gradients of convolutions against finite differences: strides, padding (asymmetric too), several channels, bias, fused ReLU",
          arguments: [
            (false, 2, 5, 5, 3, 3, 1, (1, 1, 1, 1)),
            (false, 3, 6, 6, 2, 4, 2, (1, 1, 1, 1)),
            (false, 2, 5, 5, 2, 2, 2, (0, 1, 0, 1)),
            (true, 3, 3, 3, 2, 4, 2, (1, 1, 1, 1)),
            (true, 2, 2, 3, 3, 3, 1, (0, 0, 0, 0)),
            (true, 2, 3, 3, 2, 3, 2, (1, 0, 1, 0)),
          ])
    func gradients(_ transposed: Bool, _ c: Int, _ h: Int, _ w: Int, _ out: Int, _ kernel: Int, _ stride: Int, _ padding: (Int, Int, Int, Int)) {
        let g = Self.geometry(transposed, (c, h, w), out, kernel: kernel, stride: stride, padding: padding)
        let x = TestTensors.uniform(2, g.inputCount, seed: 31)
        let weight = TestTensors.uniform(transposed ? c : out, (transposed ? out : c) * kernel * kernel, seed: 32)
        let bias = TestTensors.uniform(1, out, seed: 33)
        GradientCheck(inputs: [x, weight, bias]).run("\(g)") { graph, v in graph.convolution(v[0], weight: v[1], bias: v[2], geometry: g) }
        GradientCheck(inputs: [x, weight]).run("\(g) without bias") { graph, v in graph.convolution(v[0], weight: v[1], bias: nil, geometry: g) }
        GradientCheck(inputs: [x, weight, bias]).run("\(g) + ReLU") { graph, v in graph.convolution(v[0], weight: v[1], bias: v[2], geometry: g, activation: .relu) }
        GradientCheck(inputs: [x, weight, bias]).run("\(g) + softplus") { graph, v in graph.convolution(v[0], weight: v[1], bias: v[2], geometry: g, activation: .softplus) }
    }

    @Test("a stack: convolution, ReLU, flatten, dense, then dense, reshape, transposed convolution; the input used twice")
    func stack() {
        let e = Self.geometry(false, (1, 4, 4), 2, kernel: 2, stride: 2, padding: (0, 0, 0, 0))
        let d = Self.geometry(true, (2, 2, 2), 1, kernel: 2, stride: 2, padding: (0, 0, 0, 0))
        let x = TestTensors.uniform(3, 16, seed: 41)
        let we = TestTensors.uniform(2, 4, seed: 42), wd = TestTensors.uniform(2, 4, seed: 43)
        let dense = TestTensors.uniform(8, 8, seed: 44)
        GradientCheck(inputs: [x, we, wd, dense]).run("conv stack") { graph, v in
            let h = graph.convolution(v[0], weight: v[1], bias: nil, geometry: e, activation: .relu)
            let flat = graph.reshape(h, to: .flat(8))
            let hidden = graph.linear(flat, weight: v[3], bias: nil, activation: .tanh)
            let image = graph.reshape(hidden, to: .image(channels: 2, height: 2, width: 2))
            return graph.add(graph.convolution(image, weight: v[2], bias: nil, geometry: d), v[0])
        }
    }
}

/// Anneal's convolutions against PyTorch's `Conv2d` and `ConvTranspose2d` on fixed inputs and weights
/// (Fixtures/pytorch_convolutions.json, written by scripts/generate-convolution-fixture.py): outputs and the
/// gradients of L = Σ y⊙R, in Double (im2col) to 1e-12 and in Float (the training kernels) to 1e-5 relative.
@Suite("Convolutions against PyTorch")
struct PyTorchConvolutionTests {
    struct Case {
        var name: String
        var geometry: ConvolutionGeometry
        var batch: Int
        var x, weight, bias, r, y, dx, dweight, dbias: [Double]
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pytorch_convolutions.json")
        guard let data = try? Data(contentsOf: url), let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = document["cases"] as? [[String: Any]] else { return [] }
        return cases.map { item in
            func int(_ key: String) -> Int { item[key] as! Int }
            func values(_ key: String) -> [Double] { (item[key] as! [NSNumber]).map(\.doubleValue) }
            let padding = item["padding"] as! [Int]
            let geometry = ConvolutionGeometry(transposed: item["transposed"] as! Bool, input: (int("channels"), int("height"), int("width")),
                                               outputChannels: int("out_channels"), kernel: (int("kernel"), int("kernel")),
                                               stride: (int("stride"), int("stride")), padding: (padding[0], padding[1], padding[2], padding[3]))!
            return Case(name: item["name"] as! String, geometry: geometry, batch: int("batch"), x: values("x"), weight: values("weight"),
                        bias: values("bias"), r: values("r"), y: values("y"), dx: values("dx"), dweight: values("dweight"), dbias: values("dbias"))
        }
    }()

    /// Output and gradients through the graph in `Scalar`.
    static func run<Scalar: TensorScalar>(_ c: Case, as: Scalar.Type) -> (y: [Double], dx: [Double], dweight: [Double], dbias: [Double]) {
        let g = c.geometry
        func tensor(_ values: [Double], _ rows: Int) -> Tensor<Scalar> {
            Tensor(rows: rows, columns: values.count / rows, scalars: values.map { Scalar.fromDouble($0) })
        }
        let x = ParameterTensor(tensor(c.x, c.batch)), weight = ParameterTensor(tensor(c.weight, g.transposed ? g.inputChannels : g.outputChannels))
        let bias = ParameterTensor(tensor(c.bias, 1))
        let graph = Graph<Scalar>()
        let y = graph.convolution(graph.parameter(x), weight: graph.parameter(weight), bias: graph.parameter(bias), geometry: g)
        graph.backward(graph.sum(graph.multiply(y, graph.constant(tensor(c.r, c.batch)))))
        func doubles(_ t: Tensor<Scalar>) -> [Double] { t.scalars.map(\.doubleValue) }
        return (graph.value(y).map(\.doubleValue), doubles(x.gradientTensor), doubles(weight.gradientTensor), doubles(bias.gradientTensor))
    }

    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double) -> Bool {
        let scale = max(1, b.map(abs).max() ?? 1)
        return a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * scale }
    }

    @Test("the fixture holds every kind of layer conv-64 uses", .enabled(if: !cases.isEmpty))
    func coverage() {
        #expect(Self.cases.count == 7 && Self.cases.contains { $0.geometry.transposed } && Self.cases.contains { $0.geometry.paddingTop != $0.geometry.paddingBottom })
    }

    @Test("outputs and gradients equal PyTorch's", arguments: cases.indices)
    func matches(_ index: Int) {
        let c = Self.cases[index]
        let double = Self.run(c, as: Double.self)
        #expect(Self.close(double.y, c.y, 1e-12), "\(c.name): y (Double)")
        #expect(Self.close(double.dx, c.dx, 1e-12) && Self.close(double.dweight, c.dweight, 1e-12) && Self.close(double.dbias, c.dbias, 1e-12), "\(c.name): gradients (Double)")
        let float = Self.run(c, as: Float.self)
        #expect(Self.close(float.y, c.y, 1e-5), "\(c.name): y (Float)")
        #expect(Self.close(float.dx, c.dx, 1e-5) && Self.close(float.dweight, c.dweight, 1e-5) && Self.close(float.dbias, c.dbias, 1e-5), "\(c.name): gradients (Float)")
    }

    #if os(Linux) && canImport(CConvolution)
    /// oneDNN's primitives on each case, called directly (the graph picks them only for some layers): output,
    /// input gradient and weight and bias gradients to 1e-5 of PyTorch's, and accumulation adds to what is there.
    @Test("oneDNN's primitives (Float) equal PyTorch's too, and accumulate", arguments: cases.indices)
    func oneDNNMatches(_ index: Int) throws {
        let c = Self.cases[index], g = c.geometry
        var shape = try #require(Float.oneDNN(g, batch: c.batch), "\(c.name): oneDNN has no optimised implementation")
        let x = c.x.map(Float.init), weight = c.weight.map(Float.init), bias = c.bias.map(Float.init), r = c.r.map(Float.init)
        var y = [Float](repeating: 0, count: c.y.count), dx = [Float](repeating: 1, count: c.dx.count)
        var dweight = [Float](repeating: 0, count: c.dweight.count), dbias = [Float](repeating: 2, count: c.dbias.count)
        #expect(anneal_convolution_forward(&shape, x, weight, bias, &y) == 0)
        #expect(anneal_convolution_backward_data(&shape, r, weight, &dx, 1) == 0)
        #expect(anneal_convolution_backward_weights(&shape, x, r, &dweight, 0, &dbias, 1) == 0)
        #expect(Self.close(y.map(Double.init), c.y, 1e-5), "\(c.name): y")
        #expect(Self.close(dx.map { Double($0) - 1 }, c.dx, 1e-5), "\(c.name): dx accumulated onto ones")
        #expect(Self.close(dweight.map(Double.init), c.dweight, 1e-5), "\(c.name): dW")
        #expect(Self.close(dbias.map { Double($0) - 2 }, c.dbias, 1e-5), "\(c.name): db accumulated onto twos")
    }
    #endif
}
