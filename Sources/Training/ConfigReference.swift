import Data
import Layers
import Models
import Schedules

/// Every key a run config may hold, with its type, default and meaning: the README's "Config reference" is
/// `markdown`, and a test checks both that the README holds exactly this text and that the keys listed for
/// each object are exactly the keys the parsers ask for there (`ConfigKeyRecorder` over the examples and a
/// corpus that reaches every object). Names of types, choices and metrics come from the registries and enums
/// the parsers read, so they cannot drift either.
public enum ConfigReference {
    /// One key: its JSON type, its default ("required", or "—" when absence means "off"), and what it does.
    public struct Key: Sendable {
        public var name: String
        public var type: String
        public var defaultValue: String
        public var meaning: String

        public init(_ name: String, _ type: String, _ defaultValue: String, _ meaning: String) {
            self.name = name
            self.type = type
            self.defaultValue = defaultValue
            self.meaning = meaning
        }
    }

    /// The keys of one config object, and the parser context that reads it (`ConfigObject.finish(context:)`).
    public struct Section: Sendable {
        public var title: String
        public var context: String
        public var keys: [Key]
    }

    /// A family of typed objects (schedules, controllers, samplers, optimisers): one row per type with its
    /// parameters; `context(type)` is the parser context of each.
    public struct Family: Sendable {
        public var title: String
        public var introduction: String
        public var members: [(type: String, meaning: String, parameters: [Key])]
        public var context: @Sendable (String) -> String
    }

    static func list(_ names: [String]) -> String { names.map { "`\($0)`" }.joined(separator: ", ") }

    public static var sections: [Section] {
        [
            Section(title: "Top level", context: "run config (top level)", keys: [
                Key("data", "object", "required", "where the examples come from (below)"),
                Key("model", "object", "{}", "the model (below)"),
                Key("training", "object", "{}", "schedules, optimiser and loop (below); a schedule-only file is this section alone"),
                Key("logging", "object", "{}", "TensorBoard and step logging (below)"),
                Key("description", "string", "—", "recorded in the run's config.json"),
            ]),
            Section(title: "`data`", context: "data section", keys: [
                Key("source", "string", "from `path`'s extension (a folder: `png_folder`)", "one of \(list(DataSource.Kind.allCases.map(\.rawValue)))"),
                Key("path", "string", "—", "the data file or PNG folder (relative paths resolve against the config file's folder)"),
                Key("labels_path", "string", "—", "npy/idx labels, one class index per example"),
                Key("label_column", "string or integer", "—", "CSV: the label column, by header name or 0-based index"),
                Key("difficulty_path", "string", "—", "one difficulty per example (npy, csv, idx) for the curriculum and stratified samplers and the radial loss"),
                Key("validation_path", "string", "—", "a separate validation file (same format and features); replaces `validation_fraction`"),
                Key("validation_labels_path", "string", "—", "its labels (npy/idx; a CSV uses the same `label_column`)"),
                Key("test_path", "string", "—", "a test file training never reads, judged by `anneal evaluate RUN --split test`"),
                Key("test_labels_path", "string", "—", "its labels (npy/idx)"),
                Key("scale", "string or number", "`\"auto\"`", "`\"auto\"` (whole numbers from 0 to 255 of any type are pixels: divided by 255 past 127, by their maximum below), `\"none\"`, `\"max\"` (divide by the largest |value|) or a number to divide by; config.json records the divisor used"),
                Key("standardize", "boolean", "false", "standardise each feature with the training examples' mean and standard deviation (saved in checkpoints; samples are written back in the data's units)"),
                Key("image_shape", "[height, width]", "from the file", "the examples of a flat file (N × height·width) are images of this shape, drawn in sample grids"),
                Key("layout", "string", "from the shape", "a four-dimensional .npy array's order: `nchw` (channels first, PyTorch's) or `nhwc` (channels last); left out, the side of size 1, 3 or 4 is the channels'"),
                Key("factors_path", "string", "—", "an N × K array (npy/idx) of each example's generative factors, whole numbers ≥ 0, for the stratified sampler's `\"by\": \"factor:NAME\"`"),
                Key("factor_names", "array of strings", "`factor_0`, …", "the factors' names, in column order"),
                Key("resolution", "integer", "64", "`dsprites`: 64 or 32 pixels a side"),
                Key("subset", "integer ≥ 1", "all 737,280", "`dsprites`: train on a seeded subset of this many images"),
                Key("subset_seed", "integer ≥ 0", "0", "`dsprites`: the subset's seed"),
                Key("validation_fraction", "number in [0, 1)", "0.1", "share of the examples held out for validation"),
                Key("split_seed", "integer ≥ 0", "`training.seed`", "seed of the train/validation split alone"),
                Key("classes", "array of integers", "all", "train on the examples with these labels only"),
            ]),
            Section(title: "`model`", context: "model section", keys: [
                Key("type", "string", "`vae`", "one of \(list(ModelRegistry.names))"),
                Key("hidden_sizes", "array of integers", "from the data", "hidden layer widths of every MLP ([400] for files, [256] for shapes, [128, 128] for the ternary operations)"),
                Key("architecture", "string", "from the data", "`mlp` (dense layers, `hidden_sizes`; flat data's default), `conv` (convolutions sized to the image: image data's default) or `conv64` (disentanglement_lib's model for 64×64 images)"),
                Key("encoder", "object", "—", "the encoder's stages in order, each a layer type and its entries: `{\"conv\": [{\"channels\": 32, \"kernel\": 4, \"stride\": 2, \"padding\": \"same\"}], \"dense\": [256]}`; types: \(list(LayerRegistry.names))"),
                Key("decoder", "object", "mirrors `encoder`", "the decoder's stages, and `reshape` [channels, height, width]: the image its dense part becomes (worked out from the data when left out)"),
                Key("latent_dim", "integer", "from the data", "latent size (block A's for `dual_vae`): 20 for files, 8 for the built-in sets"),
                Key("latent_dim_b", "integer", "`latent_dim`", "`dual_vae`: block B's latent size"),
                Key("global_latent_dim", "integer", "`latent_dim`", "`hierarchical_cvae`: the global latent's size"),
                Key("local_latent_dim", "integer", "`latent_dim`", "`hierarchical_cvae`: the local latent's size"),
                Key("likelihood", "string", "from the data", "`bernoulli`, `gaussian`, `mse` or `categorical`; files: Bernoulli when every value is in [0, 1], else Gaussian"),
                Key("gaussian_variance", "string", "`\"learned\"`", "`learned` or `fixed` (the Gaussian likelihood's variance)"),
                Key("activation", "string", "`relu`", "one of \(list(Activation.allCases.map(\.rawValue)))"),
                Key("latent_geometry", "string", "`euclidean`", "`euclidean` or `poincare` (hyperbolic latents)"),
                Key("curvature", "number > 0", "1", "Poincaré ball of curvature −c"),
                Key("max_radius", "number in (0, 0.996]", "0.95", "codes are projected to this fraction of the ball's radius"),
                Key("radial_max_difficulty", "number > 0", "9", "difficulty that maps to the ball's centre in the radial loss"),
                Key("granularity", "string", "`unified`", "`unified`, `per_class` or `per_group`: one generator, or one per class or group"),
                Key("groups", "object", "—", "`per_group`: {name: [labels]}"),
            ]),
            Section(title: "`model.encoder.dense[i]` (object form; a number is `units`)", context: "dense layer", keys: [
                Key("units", "integer ≥ 1", "required", "the layer's width"),
            ]),
            Section(title: "`model.encoder.conv[i]` (PyTorch's `Conv2d`)", context: "conv layer", keys: [
                Key("channels", "integer ≥ 1", "required", "output channels"),
                Key("kernel", "integer or [height, width]", "required", "kernel size"),
                Key("stride", "integer or [height, width]", "1", "stride"),
                Key("padding", "integer, [top, bottom, left, right], `\"same\"` or `\"valid\"`", "0", "zero padding; `same` is TensorFlow's rule (output ⌈input/stride⌉, the odd pixel at the bottom and right)"),
            ]),
            Section(title: "`model.decoder.conv_transpose[i]` (PyTorch's `ConvTranspose2d`)", context: "conv_transpose layer", keys: [
                Key("channels", "integer ≥ 1", "the data's, on the last layer", "output channels"),
                Key("kernel", "integer or [height, width]", "required", "kernel size"),
                Key("stride", "integer or [height, width]", "1", "stride"),
                Key("padding", "integer, [top, bottom, left, right], `\"same\"` or `\"valid\"`", "0", "cut from the output (PyTorch's `padding`); `same`: output = input × stride"),
                Key("output_padding", "integer", "0", "extra rows and columns at the bottom and right (PyTorch's)"),
            ]),
            Section(title: "`training`", context: "training section", keys: [
                Key("num_epochs", "integer ≥ 1", "\(TrainingSettings.defaultEpochs)", "run length (`--epochs` overrides)"),
                Key("generator_training_epochs", "integer ≥ 1", "—", "the β-scheduler's name for `num_epochs`"),
                Key("batch_size", "integer ≥ 1", "128", "examples per step"),
                Key("learning_rate", "number", "0.001", "the base learning rate"),
                Key("lr_scheduler", "object", "constant", "a learning-rate schedule (PyTorch names: `step`, `exponential`, `cosine`, `cosine_warm_restarts`, `linear_warmup`, or any schedule type)"),
                Key("optimizer", "object", "`{\"type\": \"adam\"}`", "optimiser and its options (below)"),
                Key("grad_clip_norm", "number > 0 or null", "1.0", "clip the global gradient norm; null for none"),
                Key("seed", "integer ≥ 0", "0", "initialisation, data order and every posterior sample (`--seed` overrides)"),
                Key("checkpoint_every", "integer ≥ 1", "1", "epochs between `last.ckpt` writes (and at the end, on a stop, and the best)"),
                Key("checkpoint_every_minutes", "number > 0 or null", "10", "also write `last.ckpt` inside an epoch, at the exact step, once this many minutes have passed since the last checkpoint; null: only between epochs"),
                Key("steps_per_epoch", "integer ≥ 1 or null", "null", "at most this many steps an epoch: each epoch draws its order as ever and trains on its first batches (as Keras's `steps_per_epoch`); null is one pass over the training examples"),
                Key("checkpoint_every_steps", "integer ≥ 1 or null", "null", "also write `last.ckpt` inside an epoch every this many of its steps (as Keras's `save_freq`)"),
                Key("max_consecutive_skipped_steps", "integer ≥ 1", "10", "steps with non-finite gradients in a row before the run stops as diverged"),
                Key("beta_scheduler_type", "string", "`cyclical`", "the β schedule: a schedule type (below), `hierarchical` or `per_term`"),
                Key("beta_scheduler_params", "object", "4 ramp cycles", "its parameters (below)"),
                Key("hierarchical_beta_config", "object", "—", "`hierarchical`: `global_scheduler` and `local_scheduler`, each {type, params}"),
                Key("use_hierarchical_model", "boolean", "false", "train a `hierarchical_cvae`"),
                Key("beta_granularity", "string", "`auto`", "`auto` (per epoch, unless a cycle is shorter than 4 epochs), `epoch` or `step`"),
                Key("free_bits", "number or object", "—", "free bits on the KL (below)"),
                Key("capacity", "object", "—", "capacity annealing γ·|KL − C(t)| in place of β·KL (below)"),
                Key("temperature", "number or schedule", "1", "the posterior noise scale in training"),
                Key("loss_weights", "object", "{}", "a number or schedule per loss term, e.g. {\"reconstruction\": 2}"),
                Key("controllers", "object", "{}", "feedback controllers keyed by quantity (below)"),
                Key("phases", "array", "—", "named epoch ranges that set quantities (below)"),
                Key("sampler", "string or object", "`shuffled`", "the order examples are drawn in (below)"),
                Key("early_stopping", "object", "—", "stop when a metric stops improving (below)"),
                Key("gradient_balancing", "object", "—", "scales for named groups of loss terms (below)"),
                Key("keep_best", "array", "validation ELBO", "the rules that choose `best.ckpt` (below)"),
            ]),
            Section(title: "`logging`", context: "logging section", keys: [
                Key("tensorboard", "boolean", "true", "write the TensorBoard event file"),
                Key("log_every_n_batches", "integer ≥ 1", "1", "steps between per-step records"),
                Key("disentanglement_at_end", "boolean", "true", "score a run that ended against the data's factors (MIG, DCI, FactorVAE, SAP, unsupervised) into `disentanglement.json` (about 50 s for the quick start)"),
                Key("disentanglement_every", "integer ≥ 1 or null", "—", "epochs between MIG, SAP and the unsupervised scores of 1,500 fixed examples in the epoch's metrics (epoch 0 and every n-th after it)"),
            ]),
            Section(title: "`training.beta_scheduler_type: \"hierarchical\"` (`hierarchical_beta_config`)", context: "hierarchical schedule", keys: [
                Key("global_scheduler", "object", "required", "{\"type\": …, \"params\": {…}} for the global KL weight"),
                Key("local_scheduler", "object", "required", "the same for the local KL weight"),
            ]),
            Section(title: "`training.beta_scheduler_type: \"per_term\"`", context: "per_term schedule", keys: [
                Key("terms", "object", "required", "a schedule per KL term name"),
            ]),
            Section(title: "`training.phases[i]`", context: "phase", keys: [
                Key("name", "string", "required", "shown in metrics, tables and the epoch line"),
                Key("start_epoch", "integer ≥ 0", "required", "the first phase starts at 0"),
                Key("quantities", "object", "required", "a number or schedule per quantity; schedules see the epochs since the phase began"),
            ]),
            Section(title: "`training.free_bits` (object form; a number is `lambda`)", context: "free_bits", keys: [
                Key("lambda", "number ≥ 0", "required", "nats of KL that are free (0 is off)"),
                Key("variant", "string", "`per_dimension`", "`per_dimension` (Kingma et al.) or `per_example`"),
            ]),
            Section(title: "`training.capacity`", context: "capacity", keys: [
                Key("gamma", "number > 0", "required", "γ"),
                Key("schedule", "schedule", "required", "C(t) in nats"),
            ]),
            Section(title: "`training.early_stopping`", context: "early_stopping", keys: [
                Key("metric", "string", "`validation_elbo`", "one of \(list(EpochMetricName.allCases.map(\.rawValue)))"),
                Key("patience", "integer ≥ 1", "required", "epochs without improvement before stopping"),
                Key("min_delta", "number ≥ 0", "0", "the least change that counts as an improvement"),
            ]),
            Section(title: "`training.gradient_balancing`", context: "gradient_balancing", keys: [
                Key("groups", "object", "required", "{group: [loss term names]}"),
                Key("rate", "number in (0, 1]", "0.1", "moving-average rate of each group's gradient norm"),
                Key("min_scale", "number > 0", "0.5", "smallest scale"),
                Key("max_scale", "number", "2", "largest scale"),
            ]),
            Section(title: "`training.keep_best[i]`", context: "keep_best rule", keys: [
                Key("metric", "string", "required", "one of \(list(EpochMetricName.allCases.map(\.rawValue)))"),
                Key("name", "string", "the metric", "recorded as `best_rule`"),
                Key("better", "string", "the metric's", "`higher` or `lower`"),
                Key("keeping", "object", "—", "{metric: tolerance}: fire only while these stay within the tolerance of their best"),
            ]),
        ]
    }

    public static var families: [Family] {
        [
            Family(title: "Schedules (`beta_scheduler_type` with `beta_scheduler_params`, or `{\"type\": …, …}` anywhere a schedule goes)",
                   introduction: "`linear`, `cosine` and `exponential` are warm-ups; `step`, `exponential` and `cosine` in `lr_scheduler` are PyTorch's StepLR, ExponentialLR and CosineAnnealingLR. A length is given in epochs (`…_epochs`), steps (`…_steps`) or as a share of the run (`…_ratio`).",
                   members: ScheduleRegistry.definitions.flatMap { definition in definition.names.map { ($0, definition.meaning, scheduleParameters[$0] ?? []) } },
                   context: { "\($0) schedule" }),
            Family(title: "Controllers (`training.controllers`, keyed by quantity)", introduction: "Each reacts to a measurement (`measure`: `kl`, `kl.<term>`, `reconstruction`, `loss`, …).",
                   members: ControllerRegistry.definitions.map { ($0.name, $0.meaning, controllerParameters[$0.name] ?? []) },
                   context: { "\($0) controller" }),
            Family(title: "Samplers (`training.sampler`)", introduction: "A name, or an object with `type`.",
                   members: SamplerRegistry.definitions.map { ($0.name, $0.meaning, samplerParameters[$0.name] ?? []) },
                   context: { "\($0) sampler" }),
            Family(title: "Optimisers (`training.optimizer`)", introduction: "PyTorch's options and defaults.",
                   members: [("adam", "Adam", adamParameters(decay: "0")), ("adamw", "AdamW (decoupled weight decay)", adamParameters(decay: "0.01")),
                             ("sgd", "SGD", [Key("momentum", "number in [0, 1]", "0", ""), Key("dampening", "number in [0, 1]", "0", ""),
                                             Key("nesterov", "boolean", "false", ""), Key("weight_decay", "number in [0, 1]", "0", "")])],
                   context: { "\($0) optimizer" }),
        ]
    }

    static func adamParameters(decay: String) -> [Key] {
        [Key("betas", "[number, number]", "[0.9, 0.999]", ""), Key("eps", "number", "1e-8", ""), Key("weight_decay", "number in [0, 1]", decay, "")]
    }

    static let warmupSpan = [Key("warmup_epochs", "number", "one of the three", ""), Key("warmup_steps", "integer", "", ""), Key("warmup_ratio", "number", "", "")]
    static let betaRange = [Key("min_beta", "number ≥ 0", "0", ""), Key("max_beta", "number ≥ 0", "1", "")]
    static let lrWarmup = [Key("base", "number", "`learning_rate`", ""), Key("warmup_epochs", "number", "no warm-up", ""), Key("warmup_steps", "integer", "", ""),
                           Key("warmup_ratio", "number", "", ""), Key("warmup_start_factor", "number", "0.1", "")]

    static let scheduleParameters: [String: [Key]] = [
        "constant": [Key("value", "number ≥ 0", "required", "or `beta`"), Key("beta", "number ≥ 0", "", "")],
        "linear": betaRange + warmupSpan,
        "cosine": betaRange + warmupSpan,
        "exponential": betaRange + warmupSpan + [Key("rate", "number > 0", "5", "")],
        "sigmoid": betaRange + [Key("steepness", "number > 0", "required", ""), Key("midpoint_epochs", "number", "one of the three", ""),
                                Key("midpoint_steps", "integer", "", ""), Key("midpoint_ratio", "number", "", "")],
        "cyclical": betaRange + [Key("cycle_length", "number ≥ 1e-6", "or `num_cycles`", ""), Key("num_cycles", "number > 0", "", ""),
                                 Key("wave_type", "string", "`cosine`", "`cosine`, `triangle`, `ramp`"), Key("ratio", "number in (0, 1]", "0.5", "ramp only")],
        "warm_restart": [Key("base_scheduler_type", "string", "required", ""), Key("base_scheduler_kwargs", "object", "{}", ""),
                         Key("restart_interval", "number ≥ 1e-6", "required", ""), Key("restart_multiplier", "number > 0", "1", "")],
        "adaptive_warmup": [Key("max_beta", "number ≥ 0", "1", ""), Key("beta_warmup_ratio", "number > 0", "0.5", ""), Key("total_epochs", "integer", "`num_epochs`", "")],
        "piecewise": [Key("knots", "[[epoch, value], …]", "required", ""), Key("interpolation", "string", "`linear`", "`linear`, `cosine`, `step`")],
        "join": [Key("schedules", "array of schedules", "required", ""), Key("boundaries", "array of epochs", "required", "")],
        "repeat": [Key("schedule", "schedule", "required", ""), Key("period", "number ≥ 1e-6", "required", "")],
        "scale": [Key("schedule", "schedule", "required", ""), Key("factor", "number ≥ 0", "required", "")],
        "clamp": [Key("schedule", "schedule", "required", ""), Key("min", "number", "—", ""), Key("max", "number", "—", "")],
        "step_decay": [Key("base", "number", "`learning_rate`", ""), Key("step_size", "number ≥ 1e-6", "required", ""), Key("gamma", "number > 0", "0.1", "")],
        "exponential_decay": [Key("gamma", "number > 0", "required", "")] + lrWarmup,
        "cosine_annealing": [Key("T_max", "number > 0", "`num_epochs`", ""), Key("eta_min", "number ≥ 0", "0", "")] + lrWarmup,
        "cosine_warm_restarts": [Key("T_0", "number ≥ 1e-6", "required", ""), Key("T_mult", "number > 0", "1", ""), Key("eta_min", "number ≥ 0", "0", ""),
                                 Key("cycle_decay", "number > 0", "1", "")] + lrWarmup,
        "linear_warmup": [Key("then", "schedule", "constant `base`", "")] + lrWarmup,
    ]

    static let controllerParameters: [String: [Key]] = [
        "pi": [Key("target", "number", "required", "KL to hold"), Key("kp", "number", "0.01", ""), Key("ki", "number", "1e-4", ""),
               Key("min", "number", "0", ""), Key("max", "number", "1", ""), Key("measure", "string", "the term's KL", "")],
        "homeostatic": [Key("target", "number", "required", ""), Key("rate", "number", "0.1", ""), Key("high", "number", "1.5", ""), Key("low", "number", "0.5", ""),
                        Key("scale_above", "number", "0.95", ""), Key("scale_below", "number", "1.05", ""), Key("min_scale", "number", "0.01", ""),
                        Key("max_scale", "number", "100", ""), Key("accumulate", "boolean", "true", ""), Key("measure", "string", "the term's KL", "")],
        "geco": [Key("goal", "number", "required", "reconstruction error to hold"), Key("step", "number > 0", "1e-3", ""), Key("alpha", "number in [0, 1)", "0.99", ""),
                 Key("speedup", "number ≥ 1", "10", ""), Key("initial", "number", "1", ""), Key("min", "number > 0", "1e-10", ""), Key("max", "number", "1e10", ""),
                 Key("measure", "string", "`reconstruction`", "")],
    ]

    static let samplerParameters: [String: [Key]] = [
        "curriculum": [Key("pace", "number > 0", "0.1", ""), Key("start", "number in [0, 1]", "0", ""), Key("easiest", "string", "`low`", "`low` or `high`")],
        "stratified": [Key("by", "string", "`difficulty`", "`difficulty`, `label` or `factor:NAME` (a generative factor: dsprites' `shape`, `scale`, `orientation`, `position_x`, `position_y`, or `data.factor_names`)")],
    ]

    /// The reference as Markdown: a table per section, a table per family (one row per type).
    public static var markdown: String {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var lines: [String] = []
        for section in sections {
            lines += ["", "#### \(section.title)", "", "| key | type | default | meaning |", "|---|---|---|---|"]
            for key in section.keys { lines.append("| `\(key.name)` | \(cell(key.type)) | \(cell(key.defaultValue)) | \(cell(key.meaning)) |") }
        }
        for family in families {
            lines += ["", "#### \(family.title)", "", family.introduction, "", "| type | what it does | parameters (default) |", "|---|---|---|"]
            for member in family.members {
                let parameters = member.parameters.map { key in
                    "`\(key.name)`" + (key.defaultValue.isEmpty ? "" : " (\(key.defaultValue))") + (key.meaning.isEmpty ? "" : ": \(key.meaning)")
                }.joined(separator: "; ")
                lines.append("| `\(member.type)` | \(cell(member.meaning)) | \(cell(parameters.isEmpty ? "none" : parameters)) |")
            }
        }
        return lines.dropFirst().joined(separator: "\n") + "\n"
    }
}
