import JSONConfig
import Testing
@testable import Schedules

/// Every bad input the issue lists gets an error naming the key path, the bad value and what is allowed.
@Suite("Config errors")
struct ScheduleConfigurationErrorTests {
    /// A config, the key path the error must name, and phrases its message must contain.
    static let cases: [(String, String, [String])] = [
        // Unknown type: list the valid ones and suggest the nearest.
        (#"{"beta_scheduler_type": "cyclic"}"#, "beta_scheduler_type",
         ["unknown beta_scheduler_type \"cyclic\"", "did you mean 'cyclical'?", "valid types: constant, linear, cosine"]),
        (#"{"beta_scheduler_type": "hierarchical", "beta_scheduler_params": {"global_scheduler": {"type": "cosinee", "warmup_epochs": 1}, "local_scheduler": {"type": "constant"}}}"#,
         "beta_scheduler_params.global_scheduler.type", ["unknown schedule type \"cosinee\"", "did you mean 'cosine'?"]),
        (#"{"beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "warm_restart", "restart_interval": 5}}"#,
         "beta_scheduler_params.base_scheduler_type", ["cannot wrap another warm restart"]),
        (#"{"beta_scheduler_type": "hierarchical", "beta_scheduler_params": {"global_scheduler": {"type": "hierarchical"}, "local_scheduler": {"type": "constant"}}}"#,
         "beta_scheduler_params.global_scheduler.type", ["can only be the top-level beta_scheduler_type"]),
        // Unknown key, with the nearest allowed key.
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_lenght": 20}}"#,
         "beta_scheduler_params.cycle_lenght", ["unknown key; did you mean 'cycle_length'?", "missing required key \"cycle_length\""]),
        (#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epoch": 20}}"#,
         "beta_scheduler_params.warmup_epoch", ["did you mean 'warmup_epochs'?"]),
        (#"{"beta_scheduler_type": "sigmoid", "beta_scheduler_params": {"steepnes": 1, "midpoint_epochs": 3}}"#,
         "beta_scheduler_params.steepnes", ["did you mean 'steepness'?"]),
        (#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"max_beta": 0.5}}"#,
         "beta_scheduler_params", ["missing warmup_epochs, warmup_steps or warmup_ratio (the length of the warm-up"]),
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 20, "max_bata": 1}}"#,
         "beta_scheduler_params.max_bata", ["unknown key for the cyclical schedule", "did you mean 'max_beta'?", "allowed keys: min_beta, max_beta, cycle_length"]),
        (#"{"training": {"num_epochs": 10, "beta_scheduler_typ": "linear"}}"#,
         "training.beta_scheduler_typ", ["unknown key for the training section", "did you mean 'beta_scheduler_type'?"]),
        (#"{"training": {"num_epochs": 10}, "traning": {}}"#, "traning", ["unknown key for the run config", "did you mean 'training'?"]),
        // Wrong types and non-finite numbers.
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": "20"}}"#,
         "beta_scheduler_params.cycle_length", ["must be a number, got \"20\" (a string)"]),
        (#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 10, "max_beta": NaN}}"#,
         "beta_scheduler_params.max_beta", ["must be a finite number, got NaN"]),
        (#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": Infinity}}"#,
         "beta_scheduler_params.warmup_epochs", ["must be a finite number, got Infinity"]),
        (#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 1e999}}"#,
         "beta_scheduler_params.warmup_epochs", ["must be a finite number, got 1e999"]),
        (#"{"training": {"num_epochs": 10.5}}"#, "training.num_epochs", ["must be a whole number, got 10.5"]),
        (#"{"training": {"num_epochs": 0}}"#, "training.num_epochs", ["must be at least 1, got 0"]),
        (#"{"training": {"num_epochs": 5, "use_hierarchical_model": "yes"}}"#, "training.use_hierarchical_model", ["must be true or false, got \"yes\""]),
        (#"{"beta_scheduler_type": "linear", "beta_scheduler_params": [1]}"#, "beta_scheduler_params", ["must be an object"]),
        (#"{"training": []}"#, "training", ["must be an object"]),
        // Ranges.
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 20, "min_beta": 0.8, "max_beta": 0.2}}"#,
         "beta_scheduler_params.min_beta", ["min_beta (0.8) must not exceed max_beta (0.2)"]),
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 0}}"#,
         "beta_scheduler_params.cycle_length", ["must be greater than 0, got 0"]),
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": -5}}"#,
         "beta_scheduler_params.cycle_length", ["must be greater than 0, got -5"]),
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 10, "wave_type": "ramp", "ratio": 1.5}}"#,
         "beta_scheduler_params.ratio", ["must be in (0, 1]", "got 1.5"]),
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 10, "wave_type": "ramp", "ratio": 0}}"#,
         "beta_scheduler_params.ratio", ["must be in (0, 1]", "got 0"]),
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 10, "ratio": 0.5}}"#,
         "beta_scheduler_params.ratio", ["ratio only applies to wave_type \"ramp\""]),
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 10, "wave_type": "square"}}"#,
         "beta_scheduler_params.wave_type", ["unknown wave_type \"square\"", "allowed: cosine, triangle, ramp"]),
        (#"{"beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "cosine", "base_scheduler_kwargs": {"warmup_epochs": 5}, "restart_interval": 0}}"#,
         "beta_scheduler_params.restart_interval", ["must be greater than 0, got 0"]),
        (#"{"beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "cosine", "base_scheduler_kwargs": {"warmup_epochs": 5}, "restart_interval": 10, "restart_multiplier": -1.2}}"#,
         "beta_scheduler_params.restart_multiplier", ["must be greater than 0, got -1.2"]),
        // Lengths below a millionth of an epoch: 5e-324 made the restart search run for ever and 1e-9 hung
        // `anneal train` past SIGTERM; a subnormal cycle_length kept β at 0.
        (#"{"beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "cosine", "base_scheduler_kwargs": {"warmup_epochs": 5}, "restart_interval": 5e-324}}"#,
         "beta_scheduler_params.restart_interval", ["must be at least 1e-06 epochs (a millionth of an epoch), got 5e-324"]),
        (#"{"beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "cosine", "base_scheduler_kwargs": {"warmup_epochs": 5}, "restart_interval": 1e-9}}"#,
         "beta_scheduler_params.restart_interval", ["must be at least 1e-06 epochs", "got 1e-9"]),
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 1e-310}}"#,
         "beta_scheduler_params.cycle_length", ["must be at least 1e-06 epochs", "got 1e-310"]),
        (#"{"num_epochs": 10, "beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 1e300}}"#,
         "beta_scheduler_params.num_cycles", ["cycles shorter than 1e-06 epochs", "use at most 10000000"]),
        (#"{"num_epochs": 5, "lr_scheduler": {"type": "cosine_warm_restarts", "T_0": 5e-324}}"#, "lr_scheduler.T_0", ["must be at least 1e-06 epochs"]),
        (#"{"num_epochs": 5, "lr_scheduler": {"type": "step", "step_size": 1e-7}}"#, "lr_scheduler.step_size", ["must be at least 1e-06 epochs"]),
        (#"{"beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "cosine", "base_scheduler_kwargs": {"warmup_epoch": 5}, "restart_interval": 10}}"#,
         "beta_scheduler_params.base_scheduler_kwargs.warmup_epoch", ["did you mean 'warmup_epochs'?", "missing warmup_epochs, warmup_steps or warmup_ratio"]),
        (#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": -1}}"#,
         "beta_scheduler_params.warmup_epochs", ["must be ≥ 0, got -1"]),
        (#"{"beta_scheduler_type": "constant", "beta_scheduler_params": {"beta": -0.1}}"#,
         "beta_scheduler_params.beta", ["must be ≥ 0, got -0.1"]),
        // Missing pieces.
        (#"{"beta_scheduler_type": "hierarchical", "beta_scheduler_params": {"global_scheduler": {"type": "constant"}}}"#,
         "beta_scheduler_params", ["missing required key \"local_scheduler\""]),
        (#"{"beta_scheduler_type": "hierarchical", "beta_scheduler_params": {"global_scheduler": {"beta": 1}, "local_scheduler": {"type": "constant"}}}"#,
         "beta_scheduler_params.global_scheduler", ["missing required key \"type\""]),
        (#"{"beta_scheduler_params": {"cycle_length": 20}}"#, "beta_scheduler_params", ["beta_scheduler_type is not"]),
        (#"{"learning_rate": 0.1}"#, "", ["no β schedule", "num_epochs for the recommended cyclical default"]),
        // Two ways of saying one thing.
        (#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 10, "warmup_steps": 100}}"#,
         "beta_scheduler_params.warmup_steps", ["give only one of warmup_epochs, warmup_steps, warmup_ratio"]),
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 10, "num_cycles": 4}}"#,
         "beta_scheduler_params.num_cycles", ["give only one of cycle_length, num_cycles"]),
        (#"{"beta_scheduler_type": "hierarchical", "beta_scheduler_params": {}, "hierarchical_beta_config": {}}"#,
         "hierarchical_beta_config", ["give only one of beta_scheduler_params, hierarchical_beta_config"]),
        (#"{"beta_scheduler_type": "linear", "hierarchical_beta_config": {"warmup_epochs": 1}}"#,
         "hierarchical_beta_config", ["only for beta_scheduler_type \"hierarchical\""]),
        // Values that need the run length.
        (#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 4}}"#,
         "beta_scheduler_params.num_cycles", ["num_cycles needs the run length"]),
        (#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_ratio": 0.5}}"#,
         "beta_scheduler_params.warmup_ratio", ["warmup_ratio is a fraction of the run"]),
        (#"{"beta_scheduler_type": "adaptive_warmup"}"#, "beta_scheduler_params", ["adaptive_warmup needs the run length"]),
        // Piecewise and join shapes.
        (#"{"beta_scheduler_type": "piecewise", "beta_scheduler_params": {"knots": [[0, 0], [10, 1], [5, 0.5]]}}"#,
         "beta_scheduler_params.knots[2][0]", ["knot epochs must not decrease: 5 comes after 10"]),
        (#"{"beta_scheduler_type": "piecewise", "beta_scheduler_params": {"knots": [[0, 0, 1]]}}"#,
         "beta_scheduler_params.knots[0]", ["each knot is a pair [epoch, value], got 3 elements"]),
        (#"{"beta_scheduler_type": "piecewise", "beta_scheduler_params": {"knots": []}}"#,
         "beta_scheduler_params.knots", ["needs at least one knot"]),
        (#"{"beta_scheduler_type": "join", "beta_scheduler_params": {"schedules": [{"type": "constant"}, {"type": "constant"}], "boundaries": []}}"#,
         "beta_scheduler_params.boundaries", ["needs 1 boundary for 2 schedules, got 0"]),
        (#"{"beta_scheduler_type": "join", "beta_scheduler_params": {"schedules": [{"type": "constant"}, {"type": "constant"}, {"type": "constant"}], "boundaries": [10, 5]}}"#,
         "beta_scheduler_params.boundaries[1]", ["boundaries must be greater than 0 and increasing"]),
        (#"{"beta_scheduler_type": "clamp", "beta_scheduler_params": {"schedule": {"type": "constant"}}}"#,
         "beta_scheduler_params", ["clamp needs \"min\", \"max\" or both"]),
        (#"{"beta_scheduler_type": "per_term", "beta_scheduler_params": {"terms": {"global-term": {"type": "constant"}}}}"#,
         "beta_scheduler_params.terms.global-term", ["a term name must be letters, digits and underscores, starting with a letter"]),
        (#"{"beta_scheduler_type": "per_term", "beta_scheduler_params": {"terms": [{"name": "a", "type": "constant"}, {"name": "a", "type": "constant"}]}}"#,
         "beta_scheduler_params.terms[1].name", ["the term \"a\" is given twice"]),
        (#"{"beta_scheduler_type": "per_term", "beta_scheduler_params": {"terms": {}}}"#,
         "beta_scheduler_params.terms", ["needs at least one term"]),
        // Learning rates.
        (#"{"num_epochs": 5, "learning_rate": 0}"#, "learning_rate", ["must be greater than 0, got 0"]),
        (#"{"num_epochs": 5, "lr_scheduler": {"type": "cosine_restarts"}}"#, "lr_scheduler.type",
         ["unknown lr_scheduler type \"cosine_restarts\"", "valid types: constant, cosine, exponential, step, cosine_warm_restarts (PyTorch's names), or any schedule type: linear"]),
        (#"{"num_epochs": 5, "lr_scheduler": {"type": "cosine_warm_restarts", "T_0": 10, "T_mult": 0.5}}"#, "lr_scheduler.T_mult", ["must be ≥ 1"]),
        (#"{"num_epochs": 5, "lr_scheduler": {"type": "cosine_warm_restarts", "T_0": 0}}"#, "lr_scheduler.T_0", ["must be greater than 0, got 0"]),
        (#"{"num_epochs": 5, "learning_rate": 0.001, "lr_scheduler": {"type": "cosine", "eta_min": 0.01}}"#, "lr_scheduler.eta_min", ["eta_min (0.01) must not exceed learning_rate (0.001)"]),
        (#"{"num_epochs": 5, "lr_scheduler": {"type": "step"}}"#, "lr_scheduler", ["missing required key \"step_size\""]),
        (#"{"num_epochs": 5, "lr_scheduler": {"type": "step", "step_size": 2, "gama": 0.5}}"#, "lr_scheduler.gama", ["did you mean 'gamma'?"]),
        (#"{"num_epochs": 5, "lr_scheduler": {"type": "constant", "warmup_start_factor": 0.5}}"#, "lr_scheduler.warmup_start_factor", ["needs warmup_epochs"]),
    ]

    @Test("a bad config is an error at the right key, with the bad value and what is allowed", arguments: cases)
    func badConfig(text: String, path: String, phrases: [String]) {
        do {
            _ = try Fixtures.configuration(text)
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.file == "test.json")
            #expect((error.keyPath ?? .root).description == path, "\(error)")
            for phrase in phrases {
                #expect(error.message.contains(phrase), "\(error.message) does not contain \(phrase)")
            }
            #expect(error.position != nil || path.isEmpty, "\(error)")
        }
    }

    @Test("the error text is file:line:column: key.path: message")
    func errorText() {
        let text = "{\n  \"beta_scheduler_type\": \"cyclical\",\n  \"beta_scheduler_params\": {\"cycle_length\": -5}\n}"
        do {
            _ = try ScheduleConfiguration.parse(try JSONParser.parse(text, file: "bad.json"), file: "bad.json")
            Issue.record("no error")
        } catch {
            #expect(error.description == "bad.json:3:45: beta_scheduler_params.cycle_length: must be greater than 0, got -5")
        }
    }

    @Test("a missing file and malformed JSON are errors too")
    func files() {
        #expect(throws: ConfigError(file: "/nonexistent.json", message: "no such file")) {
            try ScheduleConfiguration.load(file: "/nonexistent.json")
        }
    }
}
