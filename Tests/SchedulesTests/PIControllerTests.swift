import RealModule
import Testing
@testable import Schedules

/// ControlVAE's PI controller on a synthetic plant: the KL a model settles at for weight β is
/// KL(β) = 10·e^(−5β), from 10 nats at β = 0 down to 0.067 at β = 1.
@Suite("PI controller")
struct PIControllerTests {
    static func plant(_ beta: Double) -> Double { 10 * Double.exp(-5 * beta) }

    /// Runs `steps` steps from `state`, returning the final state and the largest integral seen.
    static func run(_ controller: PIController, from state: ControllerState, steps: Int) -> (state: ControllerState, largestIntegral: Double) {
        var state = state, largest = -Double.infinity
        for _ in 0..<steps {
            let beta = controller.value(in: state, scheduled: 0)
            state = controller.updated(state, observation: Observation([("kl", plant(beta))]), scheduled: 0)
            largest = max(largest, state["integral"])
        }
        return (state, largest)
    }

    @Test("a reachable target: the KL converges to it (β → ln(10/3)/5 = 0.2408 for 3 nats)")
    func converges() {
        let controller = PIController(target: 3, proportionalGain: 0.01, integralGain: 1e-3, measurement: "kl")
        let (state, _) = Self.run(controller, from: controller.initialState(), steps: 5000)
        let beta = controller.value(in: state, scheduled: 0)
        #expect(abs(Self.plant(beta) - 3) < 0.01, "KL \(Self.plant(beta)) at β \(beta)")
        #expect(abs(beta - Double.log(10.0 / 3) / 5) < 1e-3)
    }

    @Test("an unreachable target saturates without winding up; once reachable the output leaves its bound on the next step")
    func antiWindup() {
        // Below the plant's floor (0.067 at β = 1): β pins at max = 1 and stays there for 20,000 steps.
        let unreachable = PIController(target: 0.01, proportionalGain: 0.01, integralGain: 1e-3, measurement: "kl")
        let (saturated, largest) = Self.run(unreachable, from: unreachable.initialState(), steps: 20_000)
        #expect(unreachable.value(in: saturated, scheduled: 0) > 0.999)
        // The integral froze once P + I reached the bound: it never exceeds max − min, whereas a plain integrator
        // would have grown by Ki·0.057 per step to about 1.1 more.
        #expect(largest <= 1, "integral \(largest)")
        // The target becomes reachable (3 nats): the very next step leaves the bound.
        let reachable = PIController(target: 3, proportionalGain: 0.01, integralGain: 1e-3, measurement: "kl")
        let next = reachable.updated(saturated, observation: Observation([("kl", Self.plant(1))]), scheduled: 0)
        #expect(reachable.value(in: next, scheduled: 0) < 1)
        // And it settles at the new target.
        let (settled, _) = Self.run(reachable, from: next, steps: 5000)
        #expect(abs(Self.plant(reachable.value(in: settled, scheduled: 0)) - 3) < 0.01)
    }

    @Test("before any measurement the output is min; a missing or non-finite measurement leaves the state alone")
    func startAndMissing() {
        let controller = PIController(target: 3, minimum: 0.1, maximum: 2, measurement: "kl.local")
        let initial = controller.initialState()
        #expect(controller.value(in: initial, scheduled: 7) == 0.1)
        #expect(controller.updated(initial, observation: Observation([("kl", 1)]), scheduled: 0) == initial)
        #expect(controller.updated(initial, observation: Observation([("kl.local", .nan)]), scheduled: 0) == initial)
    }

    @Test("one step by hand: e = 3 − 5 = −2, P = 0.01/(1 + e^−2) = 0.0088080, I = 0 + 1e-4·2 = 0.0002")
    func oneStep() {
        let controller = PIController(target: 3, measurement: "kl")
        let state = controller.updated(controller.initialState(), observation: Observation([("kl", 5)]), scheduled: 0)
        #expect(state["error"] == -2)
        #expect(abs(state["integral"] - 2e-4) < 1e-18)
        #expect(abs(state["output"] - (0.01 / (1 + Double.exp(-2)) + 2e-4)) < 1e-15)
    }
}
