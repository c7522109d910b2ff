import JSONConfig
import Testing
@testable import Schedules

@Suite("Phases: named epoch ranges compiled into one schedule per quantity")
struct PhasePlanTests {
    /// The four phases of the phased recipe: explore 0–40 (β_A linear 0.3 → 0.8), consolidate 40–49 (β_B
    /// linear 0 → 0.1 over 9 epochs), disrupt at 50 (β_B jumps to 0.5, then rises to 1.0 over 50 epochs;
    /// temperature from 0.8 to 0.7 over the same 50), converge from 51 (the radial loss switches on).
    static let recipe = """
        {"num_epochs": 120, "phases": [
          {"name": "explore", "start_epoch": 0, "quantities": {
             "A_kl_weight": {"type": "linear", "min_beta": 0.3, "max_beta": 0.8, "warmup_epochs": 40}, "B_kl_weight": 0, "temperature": 1}},
          {"name": "consolidate", "start_epoch": 40, "quantities": {
             "B_kl_weight": {"type": "linear", "max_beta": 0.1, "warmup_epochs": 9}, "temperature": 0.9}},
          {"name": "disrupt", "start_epoch": 50, "quantities": {
             "B_kl_weight": {"type": "linear", "min_beta": 0.5, "max_beta": 1.0, "warmup_epochs": 50},
             "temperature": {"type": "piecewise", "knots": [[0, 0.8], [50, 0.7]]}}},
          {"name": "converge", "start_epoch": 51, "quantities": {"radial_weight": {"type": "linear", "max_beta": 1, "warmup_epochs": 10}}}
        ]}
        """

    @Test("the recipe's table: β_A, β_B and temperature at the epochs that matter")
    func recipeTable() throws {
        let plan = try Fixtures.configuration(Self.recipe).quantities()
        let table = ScheduleTable(plan: plan, window: RunWindow(numEpochs: 120, stepsPerEpoch: 1))
        func column(_ name: String) -> [Double] { table.numbers(name)! }
        let epochs = [0, 20, 40, 45, 49, 50, 75, 100, 119]
        // β_A: 0.3 + 0.5·e/40 until 40, then held (no later phase names it): 0.3, 0.55, 0.8, 0.8 …
        #expect(epochs.map { column("A_kl_weight")[$0] } == [0.3, 0.55, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8])
        // β_B: 0 until 40; 0.1·((e − 40)/9), the ramp's order of operations → 0.1·(5/9) at 45, 0.1 at 49; 0.5 at 50; 0.5 + 0.5·(e − 50)/50 → 0.75 at 75, 1 at 100.
        #expect(epochs.map { column("B_kl_weight")[$0] } == [0, 0, 0, 0.1 * (5.0 / 9), 0.1, 0.5, 0.75, 1.0, 1.0])
        // temperature: 1 until 40, 0.9 in consolidate, 0.8 at 50 → 0.7 at 100 linearly (0.75 at 75), then held.
        #expect(epochs.map { column("temperature")[$0] } == [1, 1, 0.9, 0.9, 0.9, 0.8, 0.75, 0.7, 0.7])
        // The converge phase switches the radial loss on (weight 1 before it: its default) and ramps it from 0.
        #expect(column("radial_weight")[50] == 1 && column("radial_weight")[51] == 0 && column("radial_weight")[56] == 0.5)
        let phaseColumn = table.columns.firstIndex(of: "phase")!
        #expect(epochs.map { table.rows[$0][phaseColumn] } == ["explore", "explore", "consolidate", "consolidate", "consolidate", "disrupt", "converge", "converge", "converge"].map { .text($0) })
        #expect(table.phaseStarts.map(\.epoch) == [0, 40, 50, 51])
    }

    @Test("before its first phase a quantity follows its own setting; an unnamed phase continues its clock")
    func continuesAndDefaults() throws {
        let plan = try Fixtures.configuration("""
            {"num_epochs": 30, "beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 10},
             "learning_rate": 0.01, "temperature": 2,
             "phases": [{"name": "a", "start_epoch": 5, "quantities": {"beta": 0.25}},
                        {"name": "b", "start_epoch": 10, "quantities": {"temperature": 0.5, "lr": {"type": "cosine", "T_max": 10}}},
                        {"name": "c", "start_epoch": 20, "quantities": {"beta": {"type": "linear", "warmup_epochs": 10}}}]}
            """).quantities()
        #expect(plan.phases?.phase(atEpoch: 4) == nil && plan.phases?.phase(atEpoch: 12)?.name == "b")
        let beta = plan["beta"]!.schedule, temperature = plan["temperature"]!.schedule, lr = plan["lr"]!.schedule
        // β: its linear warm-up until phase a (0.1·e), 0.25 through a and b, then a ramp seeing epochs since 20.
        #expect([0, 4, 5, 12, 19, 20, 25].map { beta.value(atEpoch: $0) } == [0, 0.4, 0.25, 0.25, 0.25, 0, 0.5])
        #expect([0, 9, 10, 29].map { temperature.value(atEpoch: $0) } == [2, 2, 0.5, 0.5])
        // lr: 0.01 until 10, then cosine annealing from the learning rate over the phase: 0.005 at 15.
        #expect(lr.value(atEpoch: 9) == 0.01 && abs(lr.value(atEpoch: 15) - 0.005) < 1e-15)
    }

    @Test("a phased config writes back as it reads")
    func roundTrip() throws {
        let configuration = try Fixtures.configuration(Self.recipe)
        let again = try ScheduleConfiguration.parse(configuration.json)
        #expect(again == configuration && JSONWriter.compact(again.json) == JSONWriter.compact(configuration.json))
        #expect(try again.quantities() == configuration.quantities())
    }

    @Test("mistakes are named with their key path", arguments: [
        (#"[]"#, "training.phases", "needs at least one phase"),
        (#"[{"name": "a", "start_epoch": 0, "quantities": {"beta": 1}}, {"name": "a", "start_epoch": 5, "quantities": {"beta": 1}}]"#, "training.phases[1].name", "given twice"),
        (#"[{"name": "a", "start_epoch": 5, "quantities": {"beta": 1}}, {"name": "b", "start_epoch": 5, "quantities": {"beta": 1}}]"#, "training.phases[1].start_epoch", "increasing order"),
        (#"[{"name": "a", "start_epoch": -1, "quantities": {"beta": 1}}]"#, "training.phases[0].start_epoch", "must be ≥ 0"),
        (#"[{"name": "a", "start_epoch": 0, "quantities": {}}]"#, "training.phases[0].quantities", "at least one quantity"),
        (#"[{"name": "a", "start_epoch": 0, "quantities": {"beta": "high"}}]"#, "training.phases[0].quantities.beta", "must be a number or a schedule"),
        (#"[{"name": "a", "start_epoch": 0, "quantities": {"lr": 0.1}}]"#, "training.phases", "sets lr, but the run has no learning rate"),
        (#"[{"name": "a", "start_epoch": 0, "quantities": {"gamma": 0.1}}]"#, "training.phases", "\"gamma\", which is not a quantity"),
        (#"[{"name": "a", "start": 0, "quantities": {"beta": 1}}]"#, "training.phases[0]", "missing required key \"start_epoch\""),
    ])
    func errors(phases: String, keyPath: String, message: String) {
        #expect {
            _ = try Fixtures.configuration(#"{"training": {"num_epochs": 20, "phases": \#(phases)}}"#)
        } throws: { error in
            let error = error as! ConfigError
            return error.keyPath?.description == keyPath && error.description.contains(message)
        }
    }
}
