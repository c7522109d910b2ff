import RealModule

/// The row-by-row loops of the ball operations (`Graph+Hyperbolic.swift`). Each entry point calls its generic
/// loop with the concrete scalar type, Float or Double, so the compiler specialises it (a generic loop called
/// from the graph would go through witness tables for every element); values are read into Double per row.
enum BallKernels<Scalar: TensorScalar> {
    @inline(__always)
    private static func cast<T>(_ pointer: UnsafePointer<Scalar>, _: T.Type) -> UnsafePointer<T> {
        UnsafeRawPointer(pointer).assumingMemoryBound(to: T.self)
    }

    @inline(__always)
    private static func cast<T>(_ pointer: UnsafeMutablePointer<Scalar>, _: T.Type) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: T.self)
    }

    static func radialScale(_ map: RadialMap, _ x: UnsafePointer<Scalar>, _ y: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int) {
        if Scalar.self == Float.self {
            Self.radialScaleLoop(map, Self.cast(x, Float.self), Self.cast(y, Float.self), rows: rows, columns: columns)
        } else if Scalar.self == Double.self {
            Self.radialScaleLoop(map, Self.cast(x, Double.self), Self.cast(y, Double.self), rows: rows, columns: columns)
        } else {
            Self.radialScaleLoop(map, x, y, rows: rows, columns: columns)
        }
    }

    static func radialScaleBackward(_ map: RadialMap, _ x: UnsafePointer<Scalar>, _ dy: UnsafePointer<Scalar>, _ dx: UnsafeMutablePointer<Scalar>,
                             accumulate: Bool, rows: Int, columns: Int) {
        if Scalar.self == Float.self {
            Self.radialScaleBackwardLoop(map, Self.cast(x, Float.self), Self.cast(dy, Float.self), Self.cast(dx, Float.self), accumulate: accumulate, rows: rows, columns: columns)
        } else if Scalar.self == Double.self {
            Self.radialScaleBackwardLoop(map, Self.cast(x, Double.self), Self.cast(dy, Double.self), Self.cast(dx, Double.self), accumulate: accumulate, rows: rows, columns: columns)
        } else {
            Self.radialScaleBackwardLoop(map, x, dy, dx, accumulate: accumulate, rows: rows, columns: columns)
        }
    }

    static func radialFunction(_ function: RadialFunction, _ x: UnsafePointer<Scalar>, _ y: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int) {
        if Scalar.self == Float.self {
            Self.radialFunctionLoop(function, Self.cast(x, Float.self), Self.cast(y, Float.self), rows: rows, columns: columns)
        } else if Scalar.self == Double.self {
            Self.radialFunctionLoop(function, Self.cast(x, Double.self), Self.cast(y, Double.self), rows: rows, columns: columns)
        } else {
            Self.radialFunctionLoop(function, x, y, rows: rows, columns: columns)
        }
    }

    static func radialFunctionBackward(_ function: RadialFunction, _ x: UnsafePointer<Scalar>, _ dy: UnsafePointer<Scalar>, _ dx: UnsafeMutablePointer<Scalar>,
                                accumulate: Bool, rows: Int, columns: Int) {
        if Scalar.self == Float.self {
            Self.radialFunctionBackwardLoop(function, Self.cast(x, Float.self), Self.cast(dy, Float.self), Self.cast(dx, Float.self), accumulate: accumulate, rows: rows, columns: columns)
        } else if Scalar.self == Double.self {
            Self.radialFunctionBackwardLoop(function, Self.cast(x, Double.self), Self.cast(dy, Double.self), Self.cast(dx, Double.self), accumulate: accumulate, rows: rows, columns: columns)
        } else {
            Self.radialFunctionBackwardLoop(function, x, dy, dx, accumulate: accumulate, rows: rows, columns: columns)
        }
    }

    static func mobiusAddition(_ x: UnsafePointer<Scalar>, _ y: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int, curvature: Double) {
        if Scalar.self == Float.self {
            Self.mobiusLoop(Self.cast(x, Float.self), Self.cast(y, Float.self), Self.cast(out, Float.self), rows: rows, columns: columns, c: curvature)
        } else if Scalar.self == Double.self {
            Self.mobiusLoop(Self.cast(x, Double.self), Self.cast(y, Double.self), Self.cast(out, Double.self), rows: rows, columns: columns, c: curvature)
        } else {
            Self.mobiusLoop(x, y, out, rows: rows, columns: columns, c: curvature)
        }
    }

    static func mobiusAdditionBackward(_ x: UnsafePointer<Scalar>, _ y: UnsafePointer<Scalar>, _ out: UnsafePointer<Scalar>, _ dOut: UnsafePointer<Scalar>,
                                dx: (UnsafeMutablePointer<Scalar>, Bool)?, dy: (UnsafeMutablePointer<Scalar>, Bool)?, rows: Int, columns: Int, curvature: Double) {
        if Scalar.self == Float.self {
            Self.mobiusBackwardLoop(Self.cast(x, Float.self), Self.cast(y, Float.self), Self.cast(out, Float.self), Self.cast(dOut, Float.self),
                                    dx: dx.map { (Self.cast($0.0, Float.self), $0.1) }, dy: dy.map { (Self.cast($0.0, Float.self), $0.1) },
                                    rows: rows, columns: columns, c: curvature)
        } else if Scalar.self == Double.self {
            Self.mobiusBackwardLoop(Self.cast(x, Double.self), Self.cast(y, Double.self), Self.cast(out, Double.self), Self.cast(dOut, Double.self),
                                    dx: dx.map { (Self.cast($0.0, Double.self), $0.1) }, dy: dy.map { (Self.cast($0.0, Double.self), $0.1) },
                                    rows: rows, columns: columns, c: curvature)
        } else {
            Self.mobiusBackwardLoop(x, y, out, dOut, dx: dx, dy: dy, rows: rows, columns: columns, c: curvature)
        }
    }

    // MARK: The loops

    @inline(__always)
    private static func norm<T: TensorScalar>(_ x: UnsafePointer<T>, _ columns: Int) -> Double {
        var sum = 0.0
        for j in 0..<columns { sum += x[j].doubleValue * x[j].doubleValue }
        return sum.squareRoot()
    }

    @inline(__always)
    private static func store<T: TensorScalar>(_ pointer: UnsafeMutablePointer<T>, _ value: Double, _ accumulate: Bool) {
        if accumulate { pointer.pointee += T.fromDouble(value) } else { pointer.pointee = T.fromDouble(value) }
    }

    /// y = ψ(‖x‖)·x.
    private static func radialScaleLoop<T: TensorScalar>(_ map: RadialMap, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, rows: Int, columns: Int) {
        for i in 0..<rows {
            let row = x + i * columns
            let scale = map.evaluate(norm: norm(row, columns)).value
            for j in 0..<columns { y[i * columns + j] = T.fromDouble(scale * row[j].doubleValue) }
        }
    }

    /// dx = ψ·g + (ψ′/n)·⟨g, x⟩·x.
    private static func radialScaleBackwardLoop<T: TensorScalar>(_ map: RadialMap, _ x: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>,
                                                                 accumulate: Bool, rows: Int, columns: Int) {
        for i in 0..<rows {
            let row = x + i * columns, g = dy + i * columns
            let (value, derivativeOverNorm) = map.evaluate(norm: norm(row, columns))
            var gx = 0.0
            for j in 0..<columns { gx += g[j].doubleValue * row[j].doubleValue }
            let radial = derivativeOverNorm * gx
            for j in 0..<columns { store(dx + i * columns + j, value * g[j].doubleValue + radial * row[j].doubleValue, accumulate) }
        }
    }

    /// y = F(‖x‖) per row.
    private static func radialFunctionLoop<T: TensorScalar>(_ function: RadialFunction, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, rows: Int, columns: Int) {
        for i in 0..<rows { y[i] = T.fromDouble(function.evaluate(norm: norm(x + i * columns, columns)).value) }
    }

    /// dx = dy·(F′/n)·x.
    private static func radialFunctionBackwardLoop<T: TensorScalar>(_ function: RadialFunction, _ x: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>,
                                                                    accumulate: Bool, rows: Int, columns: Int) {
        for i in 0..<rows {
            let row = x + i * columns
            let factor = dy[i].doubleValue * function.evaluate(norm: norm(row, columns)).derivativeOverNorm
            for j in 0..<columns { store(dx + i * columns + j, factor * row[j].doubleValue, accumulate) }
        }
    }

    static var minimumDenominator: Double { 1e-15 }

    /// out = (α·x + β·y)/D with α = 1 + 2c⟨x,y⟩ + c‖y‖², β = 1 − c‖x‖², D = 1 + 2c⟨x,y⟩ + c²‖x‖²‖y‖².
    private static func mobiusLoop<T: TensorScalar>(_ x: UnsafePointer<T>, _ y: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, rows: Int, columns: Int, c: Double) {
        for i in 0..<rows {
            let xr = x + i * columns, yr = y + i * columns
            var xy = 0.0, xx = 0.0, yy = 0.0
            for j in 0..<columns {
                let a = xr[j].doubleValue, b = yr[j].doubleValue
                xy += a * b
                xx += a * a
                yy += b * b
            }
            let alpha = 1 + 2 * c * xy + c * yy, beta = 1 - c * xx
            let denominator = Swift.max(1 + 2 * c * xy + c * c * xx * yy, minimumDenominator)
            for j in 0..<columns { out[i * columns + j] = T.fromDouble((alpha * xr[j].doubleValue + beta * yr[j].doubleValue) / denominator) }
        }
    }

    /// With g = ∂L/∂out, ⟨g,x⟩, ⟨g,y⟩ and ⟨g,out⟩:
    /// ∂L/∂x = (α/D)·g + (2c⟨g,x⟩/D)·y − (2c⟨g,y⟩/D)·x − (⟨g,out⟩/D)·(2c·y + 2c²‖y‖²·x),
    /// ∂L/∂y = (β/D)·g + (⟨g,x⟩/D)·(2c·x + 2c·y) − (⟨g,out⟩/D)·(2c·x + 2c²‖x‖²·y);
    /// the ⟨g,out⟩ terms vanish where the denominator is clamped.
    private static func mobiusBackwardLoop<T: TensorScalar>(_ x: UnsafePointer<T>, _ y: UnsafePointer<T>, _ out: UnsafePointer<T>, _ dOut: UnsafePointer<T>,
                                                            dx: (UnsafeMutablePointer<T>, Bool)?, dy: (UnsafeMutablePointer<T>, Bool)?,
                                                            rows: Int, columns: Int, c: Double) {
        for i in 0..<rows {
            let xr = x + i * columns, yr = y + i * columns, o = out + i * columns, g = dOut + i * columns
            var xy = 0.0, xx = 0.0, yy = 0.0, gx = 0.0, gy = 0.0, go = 0.0
            for j in 0..<columns {
                let a = xr[j].doubleValue, b = yr[j].doubleValue, gj = g[j].doubleValue
                xy += a * b
                xx += a * a
                yy += b * b
                gx += gj * a
                gy += gj * b
                go += gj * o[j].doubleValue
            }
            let alpha = 1 + 2 * c * xy + c * yy, beta = 1 - c * xx
            let raw = 1 + 2 * c * xy + c * c * xx * yy
            let denominator = Swift.max(raw, minimumDenominator)
            let outer = raw > minimumDenominator ? go / denominator : 0
            if let (dx, accumulate) = dx {
                for j in 0..<columns {
                    let a = xr[j].doubleValue, b = yr[j].doubleValue
                    let value = alpha / denominator * g[j].doubleValue + 2 * c * gx / denominator * b - 2 * c * gy / denominator * a - outer * (2 * c * b + 2 * c * c * yy * a)
                    store(dx + i * columns + j, value, accumulate)
                }
            }
            if let (dy, accumulate) = dy {
                for j in 0..<columns {
                    let a = xr[j].doubleValue, b = yr[j].doubleValue
                    let value = beta / denominator * g[j].doubleValue + gx / denominator * (2 * c * a + 2 * c * b) - outer * (2 * c * a + 2 * c * c * xx * b)
                    store(dy + i * columns + j, value, accumulate)
                }
            }
        }
    }
}
