import JSONConfig
import RealModule
import Testing
@testable import Schedules

/// The homeostatic controller on synthetic plants: the KL a model settles at for weight β is
/// KL(β) = 10·e^(−5β) (10 nats at β = 0, 0.067 at β = 1).
@Suite("Homeostatic controller")
struct HomeostaticControllerTests {
    static func plant(_ beta: Double) -> Double { 10 * Double.exp(-5 * beta) }

    static func run(_ controller: HomeostaticController, from state: ControllerState, steps: Int, scheduled: Double = 0.5,
                    plant: (Double) -> Double = plant) -> ControllerState {
        var state = state
        for _ in 0..<steps {
            let beta = controller.value(in: state, scheduled: scheduled)
            state = controller.updated(state, observation: Observation([("kl", plant(beta))]), scheduled: scheduled)
        }
        return state
    }

    @Test("by hand: the first measurement starts the average; then ema = 0.9·ema + 0.1·m; factors by band")
    func byHand() {
        let controller = HomeostaticController(target: 5, measurement: "kl")
        var state = controller.initialState()
        #expect(controller.value(in: state, scheduled: 0.4) == 0.4)
        // m = 10 > 1.5·5 = 7.5 → ×0.95: scale 0.95, value 0.4·0.95 = 0.38.
        state = controller.updated(state, observation: Observation([("kl", 10)]), scheduled: 0.4)
        #expect(state["ema"] == 10 && state["scale"] == 0.95)
        #expect(abs(controller.value(in: state, scheduled: 0.4) - 0.38) < 1e-15)
        // m = 0: ema = 0.9·10 = 9 → still above: scale 0.95² = 0.9025.
        state = controller.updated(state, observation: Observation([("kl", 0)]), scheduled: 0.4)
        #expect(abs(state["ema"] - 9) < 1e-12 && abs(state["scale"] - 0.9025) < 1e-12)
        // Per-step (the recipe's code): the scale is this step's factor only.
        let perStep = HomeostaticController(target: 5, measurement: "kl", accumulate: false)
        var s = perStep.updated(perStep.initialState(), observation: Observation([("kl", 1)]), scheduled: 1)
        #expect(s["scale"] == 1.05)  // 1 < 2.5
        s = perStep.updated(s, observation: Observation([("kl", 40)]), scheduled: 1)
        #expect(s["scale"] == 1)  // ema = 0.9 + 4 = 4.9, inside [2.5, 7.5]
        // A missing or non-finite measurement leaves the state alone.
        #expect(controller.updated(state, observation: Observation([("kl", .nan)]), scheduled: 0.4) == state)
    }

    @Test("holding a target: with the stabilising factors the KL settles inside the band")
    func reachable() {
        // β = 0.5·scale. The band for target 2 is [1, 3] nats, i.e. β in [ln(10/3)/5, ln 10/5] = [0.241, 0.461].
        let controller = HomeostaticController(target: 2, measurement: "kl", scaleBelow: 0.95, scaleAbove: 1.05)
        let state = Self.run(controller, from: controller.initialState(), steps: 2000, scheduled: 0.05)
        let kl = Self.plant(controller.value(in: state, scheduled: 0.05))
        #expect(kl >= 1 && kl <= 3, "KL \(kl)")
    }

    /// Unreachable: a target of 0.001 nats is below the plant's floor, 10·e^−5 = 0.067 at β = 0.5·max_scale = 1.
    /// The scale pins at max_scale = 2 and stays exactly there (its state is its clamped output: nothing winds
    /// up). With a target of 2 nats again (band [1, 3]) the average, ≈ 0.067, is below the band, so the very
    /// next step multiplies by 0.95.
    @Test("an unreachable target pins the scale at its bound without winding up; reachable again, it leaves on the first step")
    func saturation() {
        let unreachable = HomeostaticController(target: 0.001, measurement: "kl", scaleBelow: 0.95, scaleAbove: 1.05, maximumScale: 2)
        let saturated = Self.run(unreachable, from: unreachable.initialState(), steps: 10_000)
        #expect(saturated["scale"] == 2)
        // Reachable again (target 2, band [1, 3]); the average, ≈ plant(1) = 0.067, is below the band, so the very
        // next step multiplies by 0.95: 2 → 1.9.
        let reachable = HomeostaticController(target: 2, measurement: "kl", scaleBelow: 0.95, scaleAbove: 1.05, maximumScale: 2)
        let next = reachable.updated(saturated, observation: Observation([("kl", Self.plant(1))]), scheduled: 0.5)
        #expect(abs(next["scale"] - 1.9) < 1e-12)
        let settled = Self.run(reachable, from: next, steps: 2000)
        let kl = Self.plant(reachable.value(in: settled, scheduled: 0.5))
        #expect(kl >= 1 && kl <= 3, "KL \(kl)")
    }

    /// The lag of the average is the only delay. Pinned at min_scale by a KL of 0.067 (below the band [1, 3],
    /// factor 0.95), the scale rises again only once the average is above the band (factor 1.05); inside the
    /// band it holds. With a steady measurement of 10 from ema = 0.067 that takes
    /// n = ⌈ln((3 − 10)/(0.067 − 10)) / ln 0.9⌉ = ⌈0.3500/0.1054⌉ = ⌈3.32⌉ = 4 steps.
    @Test("steps to leave a bound follow the average's lag")
    func lag() {
        let controller = HomeostaticController(target: 2, measurement: "kl", scaleBelow: 0.95, scaleAbove: 1.05, minimumScale: 0.5)
        var state = Self.run(controller, from: controller.initialState(), steps: 500, plant: { _ in 0.067 })
        #expect(state["scale"] == 0.5)
        let expected = Int((Double.log((3 - 10) / (state["ema"] - 10)) / Double.log(0.9)).rounded(.up))
        var steps = 0
        while state["scale"] <= 0.5 && steps < 100 {
            state = controller.updated(state, observation: Observation([("kl", 10)]), scheduled: 1)
            steps += 1
        }
        #expect(expected == 4 && steps == expected)
    }

    @Test("config: defaults, round trip through JSON, bad values named")
    func config() throws {
        let read = { (text: String) throws(ConfigError) -> Controller in
            let node = ConfigNode(try JSONParser.parse(text), path: ConfigKeyPath.root.appending("training").appending("controllers").appending("beta"), file: "run.json")
            return try ControllerRegistry.read(node, context: .init(quantity: "beta", defaultMeasurement: "kl"))
        }
        let controller = try read(#"{"type": "homeostatic", "target": 5}"#)
        #expect(controller.kind as? HomeostaticController == HomeostaticController(target: 5, measurement: "kl"))
        #expect(try read(controller.json.description) == controller)
        for (text, message) in [(#"{"type": "homeostatic"}"#, "target"), (#"{"type": "homeostatic", "target": 5, "rate": 2}"#, "rate"),
                                (#"{"type": "homeostatic", "target": 5, "low": 2, "high": 1}"#, "high"),
                                (#"{"type": "homeostatic", "target": 5, "accumulate": false, "max_scale": 3}"#, "max_scale")] {
            #expect { _ = try read(text) } throws: { "\($0)".contains("training.controllers.beta") && "\($0)".contains(message) }
        }
    }
}
