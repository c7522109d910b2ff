import JSONConfig
import Tensors

/// What a convolution or transposed convolution's config entry says: `{"channels": 32, "kernel": 4, "stride": 2,
/// "padding": "same"}`. `kernel` and `stride` are a number or [height, width]; `padding` is a number (every
/// side), [top, bottom, left, right], `"same"` (TensorFlow's rule: the output is ⌈input / stride⌉, or input × stride
/// transposed, the odd pixel of padding at the bottom and right) or `"valid"` (0). A transposed convolution also
/// takes `output_padding` (PyTorch's: extra rows and columns at the bottom and right) and may leave `channels` out
/// on a decoder's last layer, which then gives the data's channels.
public struct ConvolutionSettings: Hashable, Sendable {
    public enum Padding: Hashable, Sendable {
        case explicit(top: Int, bottom: Int, left: Int, right: Int)
        case same
    }

    public var channels: Int?
    public var kernel: (height: Int, width: Int)
    public var stride: (height: Int, width: Int)
    public var padding: Padding
    public var outputPadding: Int

    public init(channels: Int?, kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: Padding = .explicit(top: 0, bottom: 0, left: 0, right: 0), outputPadding: Int = 0) {
        self.channels = channels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
    }

    public static func == (a: ConvolutionSettings, b: ConvolutionSettings) -> Bool {
        a.channels == b.channels && a.kernel == b.kernel && a.stride == b.stride && a.padding == b.padding && a.outputPadding == b.outputPadding
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(channels); hasher.combine(kernel.height); hasher.combine(kernel.width)
        hasher.combine(stride.height); hasher.combine(stride.width); hasher.combine(padding); hasher.combine(outputPadding)
    }

    /// The geometry on `input`, or why there is none.
    public func geometry(transposed: Bool, input: Layout, outputChannels: Int) -> Result<ConvolutionGeometry, LayerShapeError> {
        guard case .image(let c, let h, let w) = input else {
            return .failure(LayerShapeError("needs an image input, but its input is \(input.count) flat features"))
        }
        var top = 0, bottom = 0, left = 0, right = 0
        switch padding {
        case .explicit(let t, let b, let l, let r):
            (top, bottom, left, right) = (t, b, l, r)
            if transposed {
                bottom -= outputPadding
                right -= outputPadding
                guard bottom >= 0 && right >= 0 else { return .failure(LayerShapeError("output_padding \(outputPadding) is larger than the padding")) }
            }
        case .same:
            func split(_ size: Int, _ k: Int, _ s: Int) -> (Int, Int)? {
                if transposed {
                    guard k >= s else { return nil }
                    let total = k - s
                    return (total / 2, total - total / 2)
                }
                let out = (size + s - 1) / s
                let total = max(0, (out - 1) * s + k - size)
                return (total / 2, total - total / 2)
            }
            guard let (t, b) = split(h, kernel.height, stride.height), let (l, r) = split(w, kernel.width, stride.width) else {
                return .failure(LayerShapeError("\"same\" padding for a transposed convolution needs a kernel at least as large as its stride"))
            }
            (top, bottom, left, right) = (t, b, l, r)
        }
        if !transposed && (kernel.height > h + top + bottom || kernel.width > w + left + right) {
            return .failure(LayerShapeError("the kernel \(kernel.height)×\(kernel.width) is larger than the \(h)×\(w) input\(top + bottom + left + right > 0 ? " with its padding" : "")"))
        }
        guard let geometry = ConvolutionGeometry(transposed: transposed, input: (c, h, w), outputChannels: outputChannels, kernel: kernel, stride: stride,
                                                 padding: (top, bottom, left, right)) else {
            return .failure(LayerShapeError("gives no output on the \(c)×\(h)×\(w) input (kernel \(kernel.height)×\(kernel.width), stride \(stride.height), padding \(top),\(bottom),\(left),\(right))"))
        }
        return .success(geometry)
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = []
        if let channels { members.append(("channels", .number(channels))) }
        members.append(("kernel", kernel.height == kernel.width ? .number(kernel.height) : .array([.number(kernel.height), .number(kernel.width)])))
        members.append(("stride", stride.height == stride.width ? .number(stride.height) : .array([.number(stride.height), .number(stride.width)])))
        switch padding {
        case .same: members.append(("padding", .string("same")))
        case .explicit(let t, let b, let l, let r):
            members.append(("padding", t == b && l == r && t == l ? .number(t) : .array([.number(t), .number(b), .number(l), .number(r)])))
        }
        if outputPadding != 0 { members.append(("output_padding", .number(outputPadding))) }
        return .object(members)
    }

    /// `32 4×4 /2 same`.
    public var summary: String {
        let pad: String
        switch padding {
        case .same: pad = "same"
        case .explicit(let t, let b, let l, let r): pad = t == b && l == r && t == l ? "pad \(t)" : "pad \(t),\(b),\(l),\(r)"
        }
        return "\(channels.map(String.init) ?? "data") \(kernel.height)×\(kernel.width) /\(stride.height)\(stride.height == stride.width ? "" : "×\(stride.width)") \(pad)\(outputPadding == 0 ? "" : " +\(outputPadding)")"
    }

    /// Reads an entry; `channelsOptional` lets a transposed convolution leave `channels` to the data.
    public static func read(_ node: ConfigNode, what: String, transposed: Bool) throws(ConfigError) -> ConvolutionSettings {
        let object = try node.object()
        func pair(_ key: String, default fallback: (Int, Int)?, minimum: Int) throws(ConfigError) -> (Int, Int) {
            guard let value = object.node(key) else {
                if let fallback { return fallback }
                throw object.missing([key], "missing required key \"\(key)\" (a number or [height, width])")
            }
            func whole(_ node: ConfigNode) throws(ConfigError) -> Int {
                let n = try node.integer()
                guard n >= minimum && n <= 4096 else { throw node.error("must be a whole number from \(minimum) to 4096, got \(node.value.briefDescription)") }
                return n
            }
            if case .array = value.value.kind {
                let items = try value.array()
                guard items.count == 2 else { throw value.error("must be a number or [height, width], got \(value.value.briefDescription)") }
                return (try whole(items[0]), try whole(items[1]))
            }
            let n = try whole(value)
            return (n, n)
        }
        var channels: Int?
        if let node = object.node("channels") {
            let n = try node.integer()
            guard n >= 1 && n <= 65_536 else { throw node.error("must be a whole number from 1 to 65536, got \(node.value.briefDescription)") }
            channels = n
        } else if !transposed {
            throw object.missing(["channels"], "missing required key \"channels\" (the layer's output channels)")
        }
        let kernel = try pair("kernel", default: nil, minimum: 1)
        let stride = try pair("stride", default: (1, 1), minimum: 1)
        var padding = Padding.explicit(top: 0, bottom: 0, left: 0, right: 0)
        if let node = object.node("padding") {
            switch node.value.kind {
            case .string:
                switch try node.choice(["same", "valid"], what: "padding") {
                case "same": padding = .same
                default: break
                }
            case .array:
                let items = try node.array()
                guard items.count == 4 else { throw node.error("must be a number, [top, bottom, left, right], \"same\" or \"valid\"; got \(node.value.briefDescription)") }
                var values: [Int] = []
                for item in items {
                    let n = try item.integer()
                    guard n >= 0 && n <= 4096 else { throw item.error("must be a whole number from 0 to 4096, got \(item.value.briefDescription)") }
                    values.append(n)
                }
                padding = .explicit(top: values[0], bottom: values[1], left: values[2], right: values[3])
            default:
                let n = try node.integer()
                guard n >= 0 && n <= 4096 else { throw node.error("must be a whole number from 0 to 4096, \"same\" or \"valid\"; got \(node.value.briefDescription)") }
                padding = .explicit(top: n, bottom: n, left: n, right: n)
            }
        }
        var outputPadding = 0
        if !transposed, object.keys.contains("output_padding") {
            throw object.error(at: "output_padding", "output_padding is for a transposed convolution (conv_transpose)")
        }
        if transposed, let node = object.node("output_padding") {
            outputPadding = try node.integer()
            guard outputPadding >= 0 && outputPadding < max(stride.0, stride.1) else {
                throw node.error("must be a whole number from 0 to the stride − 1, got \(node.value.briefDescription)")
            }
        }
        try object.finish(context: what)
        return ConvolutionSettings(channels: channels, kernel: kernel, stride: stride, padding: padding, outputPadding: outputPadding)
    }
}
