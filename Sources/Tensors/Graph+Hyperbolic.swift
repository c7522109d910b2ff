import RealModule

/// The Poincaré-ball operations: exp₀ and log₀, Möbius addition, the projection onto a smaller ball, a row's
/// norm and the wrapped normal's volume term. Formulas from geoopt (`geoopt/manifolds/stereographic/math.py`)
/// and pvae (`pvae/manifolds/poincareball.py`), as summarised in `shared/reference/hyperbolic.md`; each row is
/// one point (or tangent vector) of the ball of curvature −c and radius 1/√c.
///
/// The maps at any point x follow from these: exp_x(u) = x ⊕ exp₀(λ_x·u/2) and
/// log_x(y) = (2/λ_x)·log₀((−x) ⊕ y) with λ_x = 2/(1 − c‖x‖²); parallel transport from the origin to x is
/// u ↦ (2/λ_x)·u. The wrapped normal's sample is therefore x ⊕ exp₀(v/2) = exp_x(PT₀→ₓ(v/2)), which is how
/// the models compose it (`PoincareGeometry`).
///
/// Kernels work row by row in Double whatever the scalar type, and are specialised for Float and Double.
extension Graph {
    /// exp₀(s·x) row by row: tanh(s·√c‖x‖)·x/(√c‖x‖), its norm capped at `maxNorm` (geoopt's projection).
    /// `tangentScale` ½ gives the wrapped normal's step, whose hyperbolic distance from the origin is ‖x‖.
    public func poincareExpMapZero(_ x: Variable, curvature: Double, tangentScale: Double = 1, maxNorm: Double = .infinity) -> Variable {
        precondition(curvature > 0 && tangentScale > 0 && maxNorm > 0, "poincareExpMapZero: curvature, tangent scale and maximum norm must be positive")
        return radialScale(x, .expMapZero(curvature: curvature, tangentScale: tangentScale, maxNorm: maxNorm))
    }

    /// log₀(y) row by row: artanh(√c‖y‖)·y/(√c‖y‖), with the artanh input clamped at 1 − 1e-5.
    public func poincareLogMapZero(_ y: Variable, curvature: Double) -> Variable {
        precondition(curvature > 0, "poincareLogMapZero: curvature must be positive")
        return radialScale(y, .logMapZero(curvature: curvature))
    }

    /// Each row scaled back onto the ball of radius `maxNorm` when it lies outside: x·min(1, R/‖x‖).
    public func clipRowNorms(_ x: Variable, maxNorm: Double) -> Variable {
        precondition(maxNorm > 0, "clipRowNorms: the maximum norm must be positive")
        return radialScale(x, .clipNorm(maxNorm: maxNorm))
    }

    /// ‖x‖ of each row: rows × 1.
    public func rowNorms(_ x: Variable) -> Variable {
        radialFunction(x, .norm)
    }

    /// log(sinh(√c·r)/(√c·r)) with r = ‖x‖ of each row (rows × 1): the wrapped normal's volume term per unit of
    /// (d − 1), from its series r²c/6 near 0.
    public func logSinhRatio(_ x: Variable, curvature: Double) -> Variable {
        precondition(curvature > 0, "logSinhRatio: curvature must be positive")
        return radialFunction(x, .logSinhRatio(curvature: curvature))
    }

    /// Möbius addition row by row on the ball of curvature −c:
    /// x ⊕ y = [(1 + 2c⟨x,y⟩ + c‖y‖²)·x + (1 − c‖x‖²)·y] / [1 + 2c⟨x,y⟩ + c²‖x‖²‖y‖²], the denominator at
    /// least 1e-15.
    public func mobiusAdd(_ x: Variable, _ y: Variable, curvature: Double) -> Variable {
        precondition(curvature > 0, "mobiusAdd: curvature must be positive")
        precondition(shape(x) == shape(y), "mobiusAdd: shapes \(shape(x)) and \(shape(y)) differ")
        let (rows, columns) = shape(x)
        let (variable, out) = result(rows: rows, columns: columns, .hyperbolic(.mobiusAddition(x: x.id, y: y.id, curvature: curvature)), inputs: x.id, y.id)
        BallKernels<Scalar>.mobiusAddition(nodes[x.id].value, nodes[y.id].value, out, rows: rows, columns: columns, curvature: curvature)
        return variable
    }

    private func radialScale(_ x: Variable, _ map: RadialMap) -> Variable {
        let (rows, columns) = shape(x)
        let (variable, y) = result(rows: rows, columns: columns, .hyperbolic(.radialScale(x: x.id, map: map)), inputs: x.id)
        BallKernels<Scalar>.radialScale(map, nodes[x.id].value, y, rows: rows, columns: columns)
        return variable
    }

    private func radialFunction(_ x: Variable, _ function: RadialFunction) -> Variable {
        let (rows, columns) = shape(x)
        let (variable, y) = result(rows: rows, columns: 1, .hyperbolic(.radialFunction(x: x.id, function: function)), inputs: x.id)
        BallKernels<Scalar>.radialFunction(function, nodes[x.id].value, y, rows: rows, columns: columns)
        return variable
    }

    /// The derivative rules of the ball operations (called from `backward(node:dy:)`).
    func hyperbolicBackward(_ operation: HyperbolicOperation, node: Node, dy: UnsafeMutablePointer<Scalar>) {
        let rows = node.rows
        switch operation {
        case .radialScale(let x, let map):
            guard let (dx, accumulate) = target(x) else { return }
            BallKernels<Scalar>.radialScaleBackward(map, nodes[x].value, dy, dx, accumulate: accumulate, rows: rows, columns: nodes[x].columns)
        case .radialFunction(let x, let function):
            guard let (dx, accumulate) = target(x) else { return }
            BallKernels<Scalar>.radialFunctionBackward(function, nodes[x].value, dy, dx, accumulate: accumulate, rows: rows, columns: nodes[x].columns)
        case .mobiusAddition(let x, let y, let curvature):
            let dx = target(x), dyInput = target(y)
            BallKernels<Scalar>.mobiusAdditionBackward(nodes[x].value, nodes[y].value, node.value, dy, dx: dx, dy: dyInput, rows: rows, columns: node.columns, curvature: curvature)
        }
    }
}
