/// The shapes of one 2-D convolution or transposed convolution over a batch of NCHW images, PyTorch's
/// `Conv2d` and `ConvTranspose2d` (no dilation, one group):
///
///     convolution:             out = ⌊(in + padding_low + padding_high − kernel) / stride⌋ + 1
///     transposed convolution:  out = (in − 1)·stride − padding_low − padding_high + kernel
///                              (PyTorch's padding p and output_padding q: low = p, high = p − q)
///
/// per spatial dimension. Weights are stored as PyTorch stores them: a convolution's out × in × kh × kw, a
/// transposed convolution's in × out × kh × kw. Padding may differ between the low and high side (TensorFlow's
/// "same" pads the extra pixel at the bottom and right).
public struct ConvolutionGeometry: Hashable, Sendable, CustomStringConvertible {
    public var transposed: Bool
    public var inputChannels: Int, inputHeight: Int, inputWidth: Int
    public var outputChannels: Int, outputHeight: Int, outputWidth: Int
    public var kernelHeight: Int, kernelWidth: Int
    public var strideHeight: Int, strideWidth: Int
    /// Zero padding above, below, left and right (of the input for a convolution; cut from the output of a
    /// transposed convolution).
    public var paddingTop: Int, paddingBottom: Int, paddingLeft: Int, paddingRight: Int

    /// The geometry of a layer on `input` (channels × height × width) with the given parameters; nil when the
    /// output would be empty or the padding is not smaller than the kernel.
    public init?(transposed: Bool, input: (channels: Int, height: Int, width: Int), outputChannels: Int,
                 kernel: (height: Int, width: Int), stride: (height: Int, width: Int),
                 padding: (top: Int, bottom: Int, left: Int, right: Int)) {
        guard input.channels > 0, input.height > 0, input.width > 0, outputChannels > 0, kernel.height > 0, kernel.width > 0,
              stride.height > 0, stride.width > 0, padding.top >= 0, padding.bottom >= 0, padding.left >= 0, padding.right >= 0 else { return nil }
        self.transposed = transposed
        inputChannels = input.channels; inputHeight = input.height; inputWidth = input.width
        self.outputChannels = outputChannels
        kernelHeight = kernel.height; kernelWidth = kernel.width
        strideHeight = stride.height; strideWidth = stride.width
        paddingTop = padding.top; paddingBottom = padding.bottom; paddingLeft = padding.left; paddingRight = padding.right
        if transposed {
            outputHeight = (input.height - 1) * stride.height - padding.top - padding.bottom + kernel.height
            outputWidth = (input.width - 1) * stride.width - padding.left - padding.right + kernel.width
        } else {
            let spanHeight = input.height + padding.top + padding.bottom - kernel.height
            let spanWidth = input.width + padding.left + padding.right - kernel.width
            guard spanHeight >= 0, spanWidth >= 0 else { return nil }
            outputHeight = spanHeight / stride.height + 1
            outputWidth = spanWidth / stride.width + 1
        }
        guard outputHeight > 0, outputWidth > 0 else { return nil }
    }

    public var inputLayout: Layout { .image(channels: inputChannels, height: inputHeight, width: inputWidth) }
    public var outputLayout: Layout { .image(channels: outputChannels, height: outputHeight, width: outputWidth) }
    public var inputCount: Int { inputChannels * inputHeight * inputWidth }
    public var outputCount: Int { outputChannels * outputHeight * outputWidth }
    public var kernelCount: Int { kernelHeight * kernelWidth }
    /// Weight values: in·out·kh·kw.
    public var weightCount: Int { inputChannels * outputChannels * kernelCount }

    /// The side the kernel slides over (a convolution's input, a transposed convolution's output) and the side
    /// it produces one value per position of (the other).
    var sliding: (channels: Int, height: Int, width: Int) {
        transposed ? (outputChannels, outputHeight, outputWidth) : (inputChannels, inputHeight, inputWidth)
    }
    var positions: (channels: Int, height: Int, width: Int) {
        transposed ? (inputChannels, inputHeight, inputWidth) : (outputChannels, outputHeight, outputWidth)
    }

    /// Multiply-adds per example of the forward pass (the input gradient and the weight gradient take as many).
    public var multiplyAddsPerExample: Int { positions.height * positions.width * positions.channels * sliding.channels * kernelCount }

    /// Floats of one image's column matrix, (sliding channels · kh · kw) × (positions): the im2col scratch.
    public var columnCount: Int { sliding.channels * kernelCount * positions.height * positions.width }

    /// `conv 1×64×64 → 32×32×32, 4×4 /2, padding 1`.
    public var description: String {
        let pad = paddingTop == paddingBottom && paddingLeft == paddingRight && paddingTop == paddingLeft ? "\(paddingTop)"
            : "\(paddingTop),\(paddingBottom),\(paddingLeft),\(paddingRight)"
        return "\(transposed ? "transposed conv" : "conv") \(inputLayout) → \(outputLayout), \(kernelHeight)×\(kernelWidth) /\(strideHeight == strideWidth ? "\(strideHeight)" : "\(strideHeight)×\(strideWidth)"), padding \(pad)"
    }
}
