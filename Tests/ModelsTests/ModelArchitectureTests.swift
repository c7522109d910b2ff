import Layers
import Tensors
import Testing
@testable import Models

@Suite("Architectures")
struct ModelArchitectureTests {
    static func conv(_ channels: Int, kernel: Int, stride: Int, padding: ConvolutionSettings.Padding) -> any LayerSpecification {
        Conv2d<Float>.Specification(ConvolutionSettings(channels: channels, kernel: (kernel, kernel), stride: (stride, stride), padding: padding))
    }

    @Test("a mirrored decoder brings back sizes a stride does not tile with PyTorch's output_padding, and the plan ends at the data")
    func mirrorOutputPadding() throws {
        // 28 → 3×3 /2 pad 1 → ⌊(28 + 2 − 3)/2⌋ + 1 = 14 → 3×3 /2 same → ⌈14/2⌉ = 7. Back: same 7 → 14; pad 1:
        // (14 − 1)·2 − 2 + 3 = 27, one short of 28, so output_padding 1.
        let encoder = NetworkSpecification(stages: [.init(typeName: "conv", layers: [Self.conv(16, kernel: 3, stride: 2, padding: .explicit(top: 1, bottom: 1, left: 1, right: 1)),
                                                                                      Self.conv(32, kernel: 3, stride: 2, padding: .same)]),
                                                    .init(typeName: "dense", layers: [Dense<Float>.Specification(units: 64)])])
        let layout = Layout.image(channels: 1, height: 28, width: 28)
        let decoder = try ModelArchitecture.mirror(encoder, for: layout)
        let transposed = decoder.layers.compactMap { $0 as? ConvTranspose2d<Float>.Specification }
        #expect(transposed.map(\.settings.outputPadding) == [0, 1])
        let plan = try NetworkPlan(decoder, input: .flat(8), output: .data(layout), activation: .relu)
        #expect(plan.output == layout)
    }

    @Test("a stride that no output_padding can undo names the encoder's layer and the shapes")
    func mirrorRefused() {
        // 7 → 3×3 /2 same → 4; a same transposed convolution gives 8 from 4, one too many.
        let encoder = NetworkSpecification(stages: [.init(typeName: "conv", layers: [Self.conv(8, kernel: 3, stride: 2, padding: .same)])])
        #expect { _ = try ModelArchitecture.mirror(encoder, for: .image(channels: 1, height: 7, width: 7)) } throws: {
            "\($0)".hasPrefix("model.encoder.conv[0]: ") && "\($0)".contains("takes 1×7×7 to 8×4×4") && "\($0)".contains("it gives 8×8")
        }
    }
}
