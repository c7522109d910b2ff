#if os(Linux) && canImport(CConvolution)
import CConvolution
import CKernels
import Foundation

/// Single-precision convolutions through oneDNN's primitives (`CConvolution`, Debian's libdnnl), the library
/// PyTorch uses for its CPU convolutions; im2col + BLAS (`TensorScalar+Convolution.swift`) where that measured
/// faster, or where oneDNN has only its reference implementation.
///
/// Measured on conv-64's shapes, one core (BENCHMARKS.md, `scripts/conv-shapes.c`): oneDNN's primitives with the
/// reorders of NCHW activations in and out take 108 ms per step of 64 images against im2col + OpenBLAS's 135 ms,
/// except on the layers whose sliding side has one channel (the first convolution, the last transposed one:
/// 11.5 and 14.7 ms against 5.5 and 6.9 ms), which im2col takes.
extension Float {
    /// Which way convolutions run: `automatic` (as above), or one way for every layer (tests compare the two;
    /// `ANNEAL_CONVOLUTION=im2col` or `onednn` sets it for a process).
    public enum ConvolutionBackend: String, Sendable {
        case automatic, im2col, onednn
    }

    nonisolated(unsafe) public static var convolutionBackend: ConvolutionBackend = {
        ProcessInfo.processInfo.environment["ANNEAL_CONVOLUTION"].flatMap(ConvolutionBackend.init(rawValue:)) ?? .automatic
    }()

    static func oneDNNShape(_ g: ConvolutionGeometry, batch: Int) -> AnnealConvolutionShape {
        AnnealConvolutionShape(transposed: g.transposed ? 1 : 0, batch: Int32(batch),
                               input_channels: Int32(g.inputChannels), input_height: Int32(g.inputHeight), input_width: Int32(g.inputWidth),
                               output_channels: Int32(g.outputChannels), output_height: Int32(g.outputHeight), output_width: Int32(g.outputWidth),
                               kernel_height: Int32(g.kernelHeight), kernel_width: Int32(g.kernelWidth),
                               stride_height: Int32(g.strideHeight), stride_width: Int32(g.strideWidth),
                               padding_top: Int32(g.paddingTop), padding_bottom: Int32(g.paddingBottom),
                               padding_left: Int32(g.paddingLeft), padding_right: Int32(g.paddingRight))
    }

    /// The layer's shape for oneDNN when oneDNN has an optimised implementation of it.
    static func oneDNN(_ g: ConvolutionGeometry, batch: Int) -> AnnealConvolutionShape? {
        BLAS.ensureSingleThreadedLibrary()
        var shape = oneDNNShape(g, batch: batch)
        return anneal_convolution_available(&shape) != 0 ? shape : nil
    }

    /// A oneDNN call, its time counted with the matrix products' (`anneal bench`'s "products and convolutions").
    static func timed(_ call: () -> Int32) -> Int32 {
        let started = anneal_product_timing_enabled() != 0 ? anneal_monotonic_nanoseconds() : 0
        let status = call()
        if started != 0 { anneal_product_timing_add(anneal_monotonic_nanoseconds() - started) }
        return status
    }

    /// The layer's oneDNN shape when it runs through oneDNN (see the type's description), else nil.
    static func usesOneDNN(_ g: ConvolutionGeometry, batch: Int) -> AnnealConvolutionShape? {
        switch convolutionBackend {
        case .im2col: return nil
        case .automatic where g.sliding.channels == 1: return nil
        default: return oneDNN(g, batch: batch)
        }
    }

    public static func convolutionForward(_ g: ConvolutionGeometry, batch: Int, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                          bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>, column: UnsafeMutablePointer<Float>) {
        if var shape = usesOneDNN(g, batch: batch), timed({ anneal_convolution_forward(&shape, x, weight, bias, y) }) == 0 { return }
        im2colForward(g, batch: batch, x: x, weight: weight, bias: bias, y: y, column: column)
    }

    public static func convolutionBackwardData(_ g: ConvolutionGeometry, batch: Int, dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                               dx: UnsafeMutablePointer<Float>, accumulate: Bool, column: UnsafeMutablePointer<Float>) {
        if var shape = usesOneDNN(g, batch: batch), timed({ anneal_convolution_backward_data(&shape, dy, weight, dx, accumulate ? 1 : 0) }) == 0 {
            return
        }
        im2colBackwardData(g, batch: batch, dy: dy, weight: weight, dx: dx, accumulate: accumulate, column: column)
    }

    public static func convolutionBackwardWeights(_ g: ConvolutionGeometry, batch: Int, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                                  dWeight: UnsafeMutablePointer<Float>?, accumulateWeight: Bool,
                                                  dBias: UnsafeMutablePointer<Float>?, accumulateBias: Bool, column: UnsafeMutablePointer<Float>) {
        if var shape = usesOneDNN(g, batch: batch),
           timed({ anneal_convolution_backward_weights(&shape, x, dy, dWeight, accumulateWeight ? 1 : 0, dBias, accumulateBias ? 1 : 0) }) == 0 {
            return
        }
        im2colBackwardWeights(g, batch: batch, x: x, dy: dy, dWeight: dWeight, accumulateWeight: accumulateWeight, dBias: dBias,
                              accumulateBias: accumulateBias, column: column)
    }
}
#endif
