/// Convolutions by im2col / col2im around BLAS gemm (Chellapilla et al. 2006; Caffe's scheme), one image at a
/// time: the default for every `TensorScalar`, and the exact Double reference that gradient checks use. `Float`
/// takes oneDNN's convolution primitives instead where they are available (`Float+Convolution.swift`).
///
/// With the kernel sliding over S (a convolution's input; a transposed convolution's output) and P the grid it
/// visits (the other side), one image's column matrix is col[(c·kh + ky)·kw + kx, p] = s[c, p_y·stride − pad + ky,
/// p_x·stride − pad + kx] (0 outside), (C_S·kh·kw) × |P|, and
///
///     convolution:   y = W·col(x) + b            dx = col2im(Wᵀ·dy)      dW += dy·col(x)ᵀ
///     transposed:    y = col2im(Wᵀ·x) + b        dx = W·col(dy)          dW += x·col(dy)ᵀ
///
/// with W as PyTorch stores it (out × in·kh·kw, or in × out·kh·kw transposed) and db += Σ over positions of dy.
extension TensorScalar {
    /// The positions px whose source column px·stride − pad + k lies inside [0, extent): lo..<hi (maybe empty).
    @inline(__always)
    static func insideRange(positions: Int, stride: Int, offset: Int, extent: Int) -> Range<Int> {
        // px·stride + offset >= 0  ⇔  px >= ⌈−offset/stride⌉;  px·stride + offset < extent  ⇔  px < ⌈(extent − offset)/stride⌉
        func ceilingDivision(_ a: Int, _ b: Int) -> Int { a >= 0 ? (a + b - 1) / b : -((-a) / b) }
        let lo = min(max(ceilingDivision(-offset, stride), 0), positions)
        let hi = max(min(ceilingDivision(extent - offset, stride), positions), lo)
        return lo..<hi
    }

    /// One image's column matrix of `source` (the sliding side) into `column`. Each row of positions is split
    /// into the part inside the image (a strided copy without bounds checks) and the padded ends (zeros).
    @inline(__always)
    static func im2col(_ source: UnsafePointer<Self>, _ g: ConvolutionGeometry, _ column: UnsafeMutablePointer<Self>) {
        let (channels, height, width) = g.sliding
        let (_, rows, columns) = g.positions
        let positions = rows * columns
        let stride = g.strideWidth
        for c in 0..<channels {
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let out = column + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * positions
                    let offset = kx - g.paddingLeft
                    let inside = insideRange(positions: columns, stride: stride, offset: offset, extent: width)
                    for py in 0..<rows {
                        let sy = py * g.strideHeight - g.paddingTop + ky
                        let line = out + py * columns
                        guard sy >= 0 && sy < height else {
                            fill(line, 0, columns)
                            continue
                        }
                        let sourceLine = source + (c * height + sy) * width + offset
                        for px in 0..<inside.lowerBound { line[px] = 0 }
                        if stride == 1 {
                            (line + inside.lowerBound).update(from: sourceLine + inside.lowerBound, count: inside.count)
                        } else {
                            for px in inside { line[px] = sourceLine[px * stride] }
                        }
                        for px in inside.upperBound..<columns { line[px] = 0 }
                    }
                }
            }
        }
    }

    /// Adds one image's column matrix back into `destination` (the sliding side), each column entry to the pixel it
    /// was read from: the adjoint of `im2col`. `destination` is zeroed first unless `accumulate`.
    @inline(__always)
    static func col2im(_ column: UnsafePointer<Self>, _ g: ConvolutionGeometry, _ destination: UnsafeMutablePointer<Self>, accumulate: Bool) {
        let (channels, height, width) = g.sliding
        let (_, rows, columns) = g.positions
        let positions = rows * columns
        if !accumulate { fill(destination, 0, channels * height * width) }
        for c in 0..<channels {
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let input = column + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * positions
                    let offset = kx - g.paddingLeft
                    let inside = insideRange(positions: columns, stride: g.strideWidth, offset: offset, extent: width)
                    for py in 0..<rows {
                        let sy = py * g.strideHeight - g.paddingTop + ky
                        guard sy >= 0 && sy < height else { continue }
                        let line = input + py * columns
                        let destinationLine = destination + (c * height + sy) * width + offset
                        for px in inside { destinationLine[px * g.strideWidth] += line[px] }
                    }
                }
            }
        }
    }

    /// y = conv(x, W) + b for `batch` images (NCHW), with `column` scratch of `geometry.columnCount`.
    public static func im2colForward(_ g: ConvolutionGeometry, batch: Int, x: UnsafePointer<Self>, weight: UnsafePointer<Self>,
                                          bias: UnsafePointer<Self>?, y: UnsafeMutablePointer<Self>, column: UnsafeMutablePointer<Self>) {
        let inputCount = g.inputCount, outputCount = g.outputCount
        let outputPositions = g.outputHeight * g.outputWidth
        for n in 0..<batch {
            let xn = x + n * inputCount, yn = y + n * outputCount
            if let bias {
                for c in 0..<g.outputChannels { fill(yn + c * outputPositions, bias[c], outputPositions) }
            }
            if g.transposed {
                let rows = g.outputChannels * g.kernelCount, positions = g.inputHeight * g.inputWidth
                gemm(transposeA: true, transposeB: false, m: rows, n: positions, k: g.inputChannels, alpha: 1, a: weight, lda: rows,
                     b: xn, ldb: positions, beta: 0, c: column, ldc: positions)
                col2im(column, g, yn, accumulate: bias != nil)
            } else {
                let depth = g.inputChannels * g.kernelCount
                im2col(xn, g, column)
                gemm(transposeA: false, transposeB: false, m: g.outputChannels, n: outputPositions, k: depth, alpha: 1, a: weight, lda: depth,
                     b: column, ldb: outputPositions, beta: bias == nil ? 0 : 1, c: yn, ldc: outputPositions)
            }
        }
    }

    /// dx (+)= the input gradient of `batch` images from dy.
    public static func im2colBackwardData(_ g: ConvolutionGeometry, batch: Int, dy: UnsafePointer<Self>, weight: UnsafePointer<Self>,
                                               dx: UnsafeMutablePointer<Self>, accumulate: Bool, column: UnsafeMutablePointer<Self>) {
        let inputCount = g.inputCount, outputCount = g.outputCount
        for n in 0..<batch {
            let dyn = dy + n * outputCount, dxn = dx + n * inputCount
            if g.transposed {
                let depth = g.outputChannels * g.kernelCount, positions = g.inputHeight * g.inputWidth
                im2col(dyn, g, column)
                gemm(transposeA: false, transposeB: false, m: g.inputChannels, n: positions, k: depth, alpha: 1, a: weight, lda: depth,
                     b: column, ldb: positions, beta: accumulate ? 1 : 0, c: dxn, ldc: positions)
            } else {
                let depth = g.inputChannels * g.kernelCount, positions = g.outputHeight * g.outputWidth
                gemm(transposeA: true, transposeB: false, m: depth, n: positions, k: g.outputChannels, alpha: 1, a: weight, lda: depth,
                     b: dyn, ldb: positions, beta: 0, c: column, ldc: positions)
                col2im(column, g, dxn, accumulate: accumulate)
            }
        }
    }

    /// dW (+)= and db (+)= the weight and bias gradients of `batch` images.
    public static func im2colBackwardWeights(_ g: ConvolutionGeometry, batch: Int, x: UnsafePointer<Self>, dy: UnsafePointer<Self>,
                                                  dWeight: UnsafeMutablePointer<Self>?, accumulateWeight: Bool,
                                                  dBias: UnsafeMutablePointer<Self>?, accumulateBias: Bool, column: UnsafeMutablePointer<Self>) {
        let inputCount = g.inputCount, outputCount = g.outputCount
        let outputPositions = g.outputHeight * g.outputWidth
        for n in 0..<batch {
            let xn = x + n * inputCount, dyn = dy + n * outputCount
            if let dBias {
                sumOverColumns(dyn, rows: g.outputChannels, columns: outputPositions, factor: 1, dBias, accumulate: accumulateBias || n > 0)
            }
            guard let dWeight else { continue }
            let beta: Self = accumulateWeight || n > 0 ? 1 : 0
            if g.transposed {
                let depth = g.outputChannels * g.kernelCount, positions = g.inputHeight * g.inputWidth
                im2col(dyn, g, column)
                gemm(transposeA: false, transposeB: true, m: g.inputChannels, n: depth, k: positions, alpha: 1, a: xn, lda: positions,
                     b: column, ldb: positions, beta: beta, c: dWeight, ldc: depth)
            } else {
                let depth = g.inputChannels * g.kernelCount
                im2col(xn, g, column)
                gemm(transposeA: false, transposeB: true, m: g.outputChannels, n: depth, k: outputPositions, alpha: 1, a: dyn, lda: outputPositions,
                     b: column, ldb: outputPositions, beta: beta, c: dWeight, ldc: depth)
            }
        }
    }

    // The protocol's convolution kernels default to im2col.
    public static func convolutionForward(_ g: ConvolutionGeometry, batch: Int, x: UnsafePointer<Self>, weight: UnsafePointer<Self>,
                                          bias: UnsafePointer<Self>?, y: UnsafeMutablePointer<Self>, column: UnsafeMutablePointer<Self>) {
        im2colForward(g, batch: batch, x: x, weight: weight, bias: bias, y: y, column: column)
    }

    public static func convolutionBackwardData(_ g: ConvolutionGeometry, batch: Int, dy: UnsafePointer<Self>, weight: UnsafePointer<Self>,
                                               dx: UnsafeMutablePointer<Self>, accumulate: Bool, column: UnsafeMutablePointer<Self>) {
        im2colBackwardData(g, batch: batch, dy: dy, weight: weight, dx: dx, accumulate: accumulate, column: column)
    }

    public static func convolutionBackwardWeights(_ g: ConvolutionGeometry, batch: Int, x: UnsafePointer<Self>, dy: UnsafePointer<Self>,
                                                  dWeight: UnsafeMutablePointer<Self>?, accumulateWeight: Bool,
                                                  dBias: UnsafeMutablePointer<Self>?, accumulateBias: Bool, column: UnsafeMutablePointer<Self>) {
        im2colBackwardWeights(g, batch: batch, x: x, dy: dy, dWeight: dWeight, accumulateWeight: accumulateWeight, dBias: dBias,
                              accumulateBias: accumulateBias, column: column)
    }
}
