import JSONConfig
import Testing
@testable import Layers
@testable import Tensors

@Suite("Network plans")
struct NetworkPlanTests {
    static func conv(_ channels: Int?, _ kernel: Int, _ stride: Int, _ padding: ConvolutionSettings.Padding) -> ConvolutionSettings {
        ConvolutionSettings(channels: channels, kernel: (kernel, kernel), stride: (stride, stride), padding: padding)
    }

    static func network(_ json: String, decoder: Bool = false) throws -> NetworkSpecification {
        try NetworkSpecification.read(ConfigNode(try JSONParser.parse(json), path: .root, file: "test.json"), decoder: decoder)
    }

    @Test("an MLP's network draws the same parameters, names them layers.<i>, and computes bit for bit what MLP computed")
    func mlpUnchanged() throws {
        var a = RandomGenerator(seed: 4), b = RandomGenerator(seed: 4)
        let mlp = MLP<Float>(sizes: [7, 5, 3, 4], activation: .tanh, generator: &a)
        let plan = try NetworkPlan(.dense([5, 3]), input: .flat(6), sideWidth: 1, output: .statistics(4), activation: .tanh)
        let network = Network<Float>(plan, generator: &b)
        #expect(network.parameters(prefix: "encoder").map(\.name) == mlp.parameters(prefix: "encoder").map(\.name))
        #expect(network.parameters(prefix: "e").map(\.name).first == "e.layers.0.weight")
        for (p, q) in zip(network.parameters(prefix: ""), mlp.parameters(prefix: "")) { #expect(p.tensor.tensor.scalars == q.tensor.tensor.scalars && p.shape == q.shape) }
        let graph = Graph<Float>()
        let x = graph.constant(Tensor<Float>(rows: 2, columns: 6, scalars: (0..<12).map { Float($0) / 7 - 0.5 }))
        let side = graph.constant(Tensor<Float>(rows: 2, columns: 1, scalars: [1, 0]))
        let joined = graph.value(network(x, joining: [side], in: graph))
        let direct = graph.value(mlp(graph.concatenateColumns(x, side), in: graph))
        #expect(Array(joined) == Array(direct))
        #expect(plan.parameterCount == Double(7 * 5 + 5 + 5 * 3 + 3 + 3 * 4 + 4))
    }

    @Test("conv64 is disentanglement_lib's model exactly: PyTorch's layouts, 309,204 + 381,313 parameters, 13.9 M multiply-adds forward")
    func conv64() throws {
        let encoder = try NetworkPlan(try Self.network(#"{"conv": [{"channels": 32, "kernel": 4, "stride": 2, "padding": 1}, {"channels": 32, "kernel": 4, "stride": 2, "padding": 1}, {"channels": 64, "kernel": 2, "stride": 2}, {"channels": 64, "kernel": 2, "stride": 2}], "dense": [256]}"#),
                                      input: .image(channels: 1, height: 64, width: 64), output: .statistics(20), activation: .relu)
        #expect(encoder.summary == "conv 1×64×64 → 32×32×32, conv 32×32×32 → 32×16×16, conv 32×16×16 → 64×8×8, conv 64×8×8 → 64×4×4, dense 1024 → 256, dense 256 → 20")
        let decoder = try NetworkPlan(try Self.network(#"{"dense": [256, 1024], "reshape": [64, 4, 4], "conv_transpose": [{"channels": 64, "kernel": 4, "stride": 2, "padding": 1}, {"channels": 32, "kernel": 4, "stride": 2, "padding": 1}, {"channels": 32, "kernel": 4, "stride": 2, "padding": 1}, {"kernel": 4, "stride": 2, "padding": 1}]}"#, decoder: true),
                                      input: .flat(10), output: .data(.image(channels: 1, height: 64, width: 64)), activation: .relu)
        #expect(decoder.summary == "dense 10 → 256, dense 256 → 1024, conv_transpose 64×4×4 → 64×8×8, conv_transpose 64×8×8 → 32×16×16, conv_transpose 32×16×16 → 32×32×32, conv_transpose 32×32×32 → 1×64×64")
        // PyTorch's sum(p.numel()) of ref_torch_vae.py's enc and dec.
        #expect(encoder.parameterCount == 309_204 && decoder.parameterCount == 381_313)
        // e1 32·32·32·16 = 524,288; e2 16·16·32·512 = 4,194,304; e3 8·8·64·128 = 524,288; e4 4·4·64·256 = 262,144;
        // dense 262,144 + 5,120; decoder 2,560 + 262,144; transposed 4·4·64·1024 = 1,048,576, 8·8·64·512 = 2,097,152,
        // 16·16·32·512 = 4,194,304, 32·32·32·16 = 524,288: 13,901,312 in all (27.8 MFLOP, the reference's figure).
        #expect(encoder.multiplyAddsPerExample + decoder.multiplyAddsPerExample == 13_901_312)
        // The last layer has no activation; the others ReLU.
        let activations = decoder.steps.compactMap { step -> UnaryOperation?? in if case .layer(_, _, _, _, let activation) = step { activation } else { nil } }
        #expect(activations.last! == nil && activations.dropLast().allSatisfy { $0 == .relu })
        var generator = RandomGenerator(seed: 1)
        let built = Network<Float>(decoder, generator: &generator)
        #expect(built.parameters(prefix: "decoder").map(\.name) == ["decoder.dense.0.weight", "decoder.dense.0.bias", "decoder.dense.1.weight", "decoder.dense.1.bias"]
            + (0..<4).flatMap { ["decoder.conv_transpose.\($0).weight", "decoder.conv_transpose.\($0).bias"] })
        #expect(built.parameters(prefix: "decoder")[4].shape == [64, 64, 4, 4] && built.parameters(prefix: "decoder").last!.shape == [1])
    }

    @Test("a decoder's image is worked out backwards from the data; a dense layer to its size is added; side inputs join at the first dense layer")
    func derivedReshapeAndJoin() throws {
        // 28×28: two "same" transposed convs of stride 2 read 7×7, with the first's 32 channels.
        let decoder = try NetworkPlan(try Self.network(#"{"dense": [256], "conv_transpose": [{"channels": 32, "kernel": 4, "stride": 2, "padding": "same"}, {"kernel": 4, "stride": 2, "padding": "same"}]}"#, decoder: true),
                                      input: .flat(8), sideWidth: 10, output: .data(.image(channels: 1, height: 28, width: 28)), activation: .relu)
        #expect(decoder.summary == "dense 18 → 256, dense 256 → 1568, conv_transpose 32×7×7 → 32×14×14, conv_transpose 32×14×14 → 1×28×28")
        // Explicit padding with output_padding: (7 − 1)·2 − 1 − 0 + 3 = 14.
        let padded = try NetworkPlan(try Self.network(#"{"conv_transpose": [{"channels": 1, "kernel": 3, "stride": 2, "padding": 1, "output_padding": 1}]}"#, decoder: true),
                                     input: .flat(4), output: .data(.image(channels: 1, height: 14, width: 14)), activation: .relu)
        #expect(padded.summary == "dense 4 → 49, conv_transpose 1×7×7 → 1×14×14")
        // An encoder: the image through its convolutions, flattened, the label joined before the dense layers.
        let encoder = try NetworkPlan(try Self.network(#"{"conv": [{"channels": 4, "kernel": 3, "stride": 2, "padding": "same"}]}"#),
                                      input: .image(channels: 1, height: 5, width: 5), sideWidth: 3, output: .statistics(4), activation: .relu)
        #expect(encoder.summary == "conv 1×5×5 → 4×3×3, dense 39 → 4")
        #expect(encoder.steps.contains { if case .join = $0 { true } else { false } })
    }

    @Test("shapes that cannot work are errors in words: a kernel larger than its input, a decoder that misses the data, convolutions after dense layers, channels left out")
    func errors() throws {
        func message(_ json: String, decoder: Bool = false, input: Layout, output: NetworkPlan.Output) throws -> String {
            do {
                _ = try NetworkPlan(try Self.network(json, decoder: decoder), input: input, output: output, activation: .relu)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let image = Layout.image(channels: 1, height: 4, width: 4)
        #expect(try message(#"{"conv": [{"channels": 2, "kernel": 5}]}"#, input: image, output: .statistics(2))
            == "conv 2 5×5 /1 pad 0 on its 1×4×4 input: the kernel 5×5 is larger than the 4×4 input")
        #expect(try message(#"{"dense": [8], "reshape": [1, 3, 3], "conv_transpose": [{"kernel": 2, "stride": 1}]}"#, decoder: true, input: .flat(2), output: .data(.image(channels: 1, height: 5, width: 5)))
            == "the decoder ends at 1×4×4, but the data is 1×5×5: its last layers (or decoder.reshape) must come back to 1×5×5")
        #expect(try message(#"{"conv_transpose": [{"kernel": 3, "stride": 2}]}"#, decoder: true, input: .flat(2), output: .data(.image(channels: 1, height: 6, width: 6)))
            .hasPrefix("cannot work out the image that conv_transpose 1 3×3 /2 pad 0 reads to end at 1×6×6; give decoder.reshape"))
        #expect(try message(#"{"dense": [4], "conv": [{"channels": 2, "kernel": 1}]}"#, input: image, output: .statistics(2))
            == "conv 2 1×1 /1 pad 0 follows flat features: an encoder's image layers come before its dense layers")
        #expect(try message(#"{"conv_transpose": [{"kernel": 2, "stride": 2}, {"channels": 1, "kernel": 1}]}"#, decoder: true, input: .flat(2), output: .data(image))
            .hasPrefix("conv_transpose data 2×2 /2 pad 0 needs \"channels\""))
        #expect(try message(#"{"conv": [{"channels": 2, "kernel": 3}]}"#, input: .flat(16), output: .statistics(2))
            == "conv 2 3×3 /1 pad 0 follows flat features: an encoder's image layers come before its dense layers")
    }

    @Test("config errors name the key: unknown stage, empty stage, reshape on an encoder, output_padding on a convolution, bad sizes")
    func configErrors() throws {
        func error(_ json: String, decoder: Bool = false) -> String {
            do { _ = try Self.network(json, decoder: decoder); return "no error" } catch { return "\(error)" }
        }
        #expect(error(#"{"convolution": [{"channels": 2, "kernel": 3}]}"#).contains("convolution: unknown layer type \"convolution\"; the stages of a network are dense, conv, conv_transpose"))
        #expect(error(#"{"dense": []}"#).contains("dense: a stage needs at least one layer"))
        #expect(error(#"{"reshape": [1, 2, 2]}"#).contains("reshape: reshape is for a decoder"))
        #expect(error(#"{"conv": [{"channels": 2, "kernel": 3, "output_padding": 1}]}"#).contains("conv[0].output_padding: output_padding is for a transposed convolution"))
        #expect(error(#"{"conv": [{"channels": 0, "kernel": 3}]}"#).contains("conv[0].channels: must be a whole number from 1 to 65536, got 0"))
        #expect(error(#"{"conv": [{"channels": 2, "kernel": [3, 3, 3]}]}"#).contains("conv[0].kernel: must be a number or [height, width]"))
        #expect(error(#"{"conv": [{"channels": 2}]}"#).contains("missing required key \"kernel\""))
        #expect(error(#"{"conv": [{"channels": 2, "kernel": 3, "padding": "full"}]}"#).contains("conv[0].padding: unknown padding \"full\""))
        #expect(error(#"{"dense": [0]}"#).contains("dense[0]: a dense layer's width must be a whole number from 1 to 16777216, got 0"))
        #expect(error(#"{"conv_transpose": [{"kernel": 4, "stride": 2, "output_padding": 2}]}"#, decoder: true).contains("output_padding: must be a whole number from 0 to the stride − 1, got 2"))
        // Written back as read.
        let text = #"{"conv":[{"channels":32,"kernel":4,"stride":2,"padding":"same"},{"channels":8,"kernel":[3,1],"stride":[1,2],"padding":[1,0,1,0]}],"dense":[256]}"#
        #expect(JSONWriter.compact(try Self.network(text).json) == text)
    }
}
