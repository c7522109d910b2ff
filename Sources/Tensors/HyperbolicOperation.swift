/// The tape entries of the Poincaré-ball operations (`Graph+Hyperbolic.swift`), holding only integers and
/// scalars like `Operation`'s own cases, so recording one allocates nothing.
public enum HyperbolicOperation: Sendable {
    /// y = ψ(‖x‖)·x for each row of x (rows × columns).
    case radialScale(x: Int, map: RadialMap)
    /// y = F(‖x‖) for each row of x (rows × 1).
    case radialFunction(x: Int, function: RadialFunction)
    /// Möbius addition x ⊕ y, row by row, on the ball of curvature −c.
    case mobiusAddition(x: Int, y: Int, curvature: Double)
}
