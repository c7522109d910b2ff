import JSONConfig
import RealModule
import Testing
@testable import Schedules

/// GECO on a synthetic plant: the reconstruction error a model settles at for KL weight λ is
/// r(λ) = 20 + 30·λ/(1 + λ) nats (20 with no KL pressure, 50 when the KL dominates).
@Suite("GECO controller")
struct GECOControllerTests {
    static func plant(_ lambda: Double) -> Double { 20 + 30 * lambda / (1 + lambda) }

    static func run(_ controller: GECOController, from state: ControllerState, steps: Int) -> ControllerState {
        var state = state
        for _ in 0..<steps {
            let lambda = controller.value(in: state, scheduled: 0)
            state = controller.updated(state, observation: Observation([("reconstruction", plant(lambda))]), scheduled: 0)
        }
        return state
    }

    @Test("by hand: ema starts at the first error; c = goal − ema; λ·exp(step·c), ×speedup when c > 0")
    func byHand() {
        let controller = GECOController(goal: 40, step: 0.01)
        var state = controller.updated(controller.initialState(), observation: Observation([("reconstruction", 30)]), scheduled: 0)
        // c = 40 − 30 = 10 > 0: λ = 1·exp(0.01·10·10) = e.
        #expect(state["ema"] == 30 && state["constraint"] == 10 && abs(state["lambda"] - Double.exp(1)) < 1e-12)
        // ema = 0.99·30 + 0.01·50 = 30.2, c = 9.8: λ = e·exp(0.98).
        state = controller.updated(state, observation: Observation([("reconstruction", 50)]), scheduled: 0)
        #expect(abs(state["ema"] - 30.2) < 1e-12 && abs(state["lambda"] - Double.exp(1.98)) < 1e-9)
        // On the reconstruction weight the value is 1/λ.
        let reconstruction = GECOController(goal: 40, step: 0.01, weighsReconstruction: true)
        #expect(abs(reconstruction.value(in: state, scheduled: 0) - Double.exp(-1.98)) < 1e-9)
    }

    @Test("a reachable goal: the error converges to it (r(λ) = 35 at λ = 1)")
    func converges() {
        let controller = GECOController(goal: 35, step: 1e-3)
        let state = Self.run(controller, from: controller.initialState(), steps: 20_000)
        #expect(abs(Self.plant(state["lambda"]) - 35) < 0.1, "r \(Self.plant(state["lambda"])) at λ \(state["lambda"])")
    }

    /// A goal of 10 nats is below the plant's floor (20): c < 0 forever, λ falls to its bound 1e-3 and stays
    /// exactly there. With the goal at 35 again the average (≈ 20.03) is below it, c > 0, and the very next step
    /// raises λ above the bound.
    @Test("an unreachable goal pins λ at its bound without winding up; reachable again, it leaves on the next step")
    func saturation() {
        let unreachable = GECOController(goal: 10, step: 1e-3, minimum: 1e-3, maximum: 1e3)
        let saturated = Self.run(unreachable, from: unreachable.initialState(), steps: 20_000)
        #expect(saturated["lambda"] == 1e-3)
        let reachable = GECOController(goal: 35, step: 1e-3, minimum: 1e-3, maximum: 1e3)
        let next = reachable.updated(saturated, observation: Observation([("reconstruction", Self.plant(1e-3))]), scheduled: 0)
        #expect(next["lambda"] > 1e-3)
        let settled = Self.run(reachable, from: next, steps: 40_000)
        #expect(abs(Self.plant(settled["lambda"]) - 35) < 0.1)
    }

    @Test("config: the goal is required, the quantity decides λ or 1/λ, bad values are named")
    func config() throws {
        func read(_ text: String, quantity: String = "beta") throws(ConfigError) -> Controller {
            let node = ConfigNode(try JSONParser.parse(text), path: ConfigKeyPath.root.appending("training").appending("controllers").appending(quantity), file: "run.json")
            return try ControllerRegistry.read(node, context: .init(quantity: quantity, defaultMeasurement: "kl"))
        }
        let controller = try read(#"{"type": "geco", "goal": 60}"#)
        #expect(controller.kind as? GECOController == GECOController(goal: 60))
        #expect(controller.measurement == "reconstruction")
        #expect(try read(controller.json.description) == controller)
        #expect((try read(#"{"type": "geco", "goal": 60}"#, quantity: "reconstruction_weight").kind as? GECOController)?.weighsReconstruction == true)
        for (text, message) in [(#"{"type": "geco"}"#, "goal"), (#"{"type": "geco", "goal": 1, "alpha": 1}"#, "alpha"),
                                (#"{"type": "geco", "goal": 1, "initial": 0}"#, "initial"), (#"{"type": "geco", "goal": 1, "speedup": 0.5}"#, "speedup")] {
            #expect { _ = try read(text) } throws: { "\($0)".contains("training.controllers.beta") && "\($0)".contains(message) }
        }
    }
}
