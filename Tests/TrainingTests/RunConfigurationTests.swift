import Schedules
import Data
import JSONConfig
import Models
import Testing
@testable import Training

@Suite("Run configuration")
struct RunConfigurationTests {
    @Test("defaults for everything but the data, chosen by the data")
    func defaults() throws {
        let ternary = try TrainingFixtures.configuration(#"{"data": {"source": "ternary_operations"}}"#)
        #expect(ternary.model.specification.isEqual(to: VAE(latentSize: 8)) && ternary.model.hiddenSizes == [128, 128])
        #expect(ternary.model.likelihood == .categorical)
        #expect(ternary.training.numEpochs == 20 && ternary.training.batchSize == 128 && ternary.training.seed == 0)
        #expect(ternary.training.optimizer == .adam() && ternary.schedules.betaGranularity == .auto && ternary.training.gradientClipNorm == 1)
        // The default learning rate is a quantity of the run even when the config gives none.
        #expect(ternary.quantities.names == ["beta", "lr"] && ternary.quantities["lr"]?.schedule == .constant(ConstantSchedule(value: 1e-3)))
        #expect(ternary.schedules.beta.typeName == "cyclical")  // the recommended default
        #expect(ternary.validationFraction == 0.1)
        let shapes = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}, "training": {"use_hierarchical_model": true}}"#)
        #expect(shapes.model.specification.isEqual(to: HierarchicalCVAE(globalSize: 8, localSize: 8)) && shapes.model.likelihood == .bernoulli)
    }

    @Test("the seed's keys and the trainer's keys together, round-tripped through the resolved JSON")
    func roundTrip() throws {
        let text = #"""
        {"data": {"source": "shapes", "validation_fraction": 0.2},
         "model": {"type": "hierarchical_cvae", "hidden_sizes": [64, 32], "global_latent_dim": 3, "local_latent_dim": 5, "likelihood": "gaussian", "gaussian_variance": "fixed", "activation": "elu"},
         "training": {"num_epochs": 30, "batch_size": 32, "learning_rate": 0.002, "optimizer": {"type": "adamw", "betas": [0.8, 0.99], "weight_decay": 0.05},
                      "lr_scheduler": {"type": "cosine_warm_restarts", "T_0": 10}, "beta_scheduler_type": "hierarchical",
                      "beta_scheduler_params": {"global_scheduler": {"type": "linear", "warmup_epochs": 5}, "local_scheduler": {"type": "cyclical", "cycle_length": 10}},
                      "beta_granularity": "step", "free_bits": {"lambda": 0.25, "variant": "per_example"}, "grad_clip_norm": null, "seed": 9, "checkpoint_every": 5}}
        """#
        let configuration = try TrainingFixtures.configuration(text)
        #expect(configuration.model.likelihood == .gaussian(learnedVariance: false) && configuration.model.activation == .elu)
        #expect(configuration.training.optimizer == .adamW(beta1: 0.8, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.05))
        #expect(configuration.klShaping?.shaping as? FreeBits == FreeBits(lambda: 0.25, variant: .perExample) && configuration.training.gradientClipNorm == nil)
        #expect(configuration.schedules.betaGranularity == .step)
        let again = try RunConfiguration.parse(try JSONParser.parse(JSONWriter.pretty(configuration.json)))
        #expect(again.json == configuration.json)
        #expect(again.schedules == configuration.schedules && again.quantities == configuration.quantities && again.training == configuration.training)
        #expect(again.model.specification.isEqual(to: configuration.model.specification) && again.model.hiddenSizes == [64, 32])
    }

    static let errors: [(String, String, String)] = [
        (#"{"training": {"num_epochs": 3}}"#, "", "missing required key \"data\""),
        (#"{"data": {"source": "mnist"}}"#, "data.source", "unknown data source \"mnist\""),
        (#"{"data": {"source": "npy"}}"#, "data", "a npy source needs \"path\""),
        (#"{"data": {"source": "shapes", "path": "x.npy"}}"#, "data.path", "the built-in shapes data set takes no path"),
        (#"{"data": {"source": "shapes", "validation_fraction": 1}}"#, "data.validation_fraction", "must be in [0, 1)"),
        (#"{"data": {"source": "shapes"}, "model": {"type": "gan"}}"#, "model.type", "unknown model type \"gan\""),
        (#"{"data": {"source": "shapes"}, "model": {"type": "vae"}, "training": {"use_hierarchical_model": true}}"#,
         "training.use_hierarchical_model", "contradict each other"),
        (#"{"data": {"source": "shapes"}, "model": {"likelihood": "categorical"}}"#, "model.likelihood", "needs categorical data"),
        (#"{"data": {"source": "ternary_operations"}, "model": {"likelihood": "bernoulli"}}"#, "model.likelihood", "use the categorical likelihood"),
        (#"{"data": {"source": "shapes"}, "model": {"latent_dim": 0}}"#, "model.latent_dim", "must be at least 1, got 0"),
        (#"{"data": {"source": "shapes"}, "model": {"global_latent_dim": 4}}"#, "model.global_latent_dim", "is for the hierarchical_cvae model"),
        (#"{"data": {"source": "shapes"}, "model": {"hidden_sizes": [64, -1]}}"#, "model.hidden_sizes[1]", "a hidden size must be at least 1"),
        (#"{"data": {"source": "shapes"}, "training": {"beta_scheduler_type": "hierarchical", "beta_scheduler_params": {"global_scheduler": {"type": "constant"}, "local_scheduler": {"type": "constant"}}}}"#,
         "training.beta_scheduler_params", "but the vae model's terms are kl; a hierarchical schedule needs model.type \"hierarchical_cvae\""),
        (#"{"data": {"source": "shapes"}, "training": {"batch_size": 0}}"#, "training.batch_size", "must be at least 1, got 0"),
        (#"{"data": {"source": "shapes"}, "training": {"batchsize": 10}}"#, "training.batchsize", "did you mean 'batch_size'?"),
        (#"{"data": {"source": "shapes"}, "training": {"optimizer": {"type": "rmsprop"}}}"#, "training.optimizer.type", "unknown optimizer type \"rmsprop\""),
        (#"{"data": {"source": "shapes"}, "training": {"optimizer": {"type": "adam", "betas": [0.9]}}}"#, "training.optimizer.betas", "betas is a pair"),
        (#"{"data": {"source": "shapes"}, "training": {"beta_granularity": "batch"}}"#, "training.beta_granularity", "allowed: auto, epoch, step"),
        (#"{"data": {"source": "shapes"}, "training": {"free_bits": {"lambda": -1}}}"#, "training.free_bits.lambda", "must be ≥ 0 nats"),
        (#"{"data": {"source": "shapes"}, "training": {"grad_clip_norm": 0}}"#, "training.grad_clip_norm", "must be greater than 0 (or null for no clipping)"),
        (#"{"data": {"source": "shapes"}, "trainig": {}}"#, "trainig", "did you mean 'training'?"),
        (#"{"data": {"source": "dsprites", "resolution": 48}}"#, "data.resolution", "must be one of 64, 32 (pixels a side), got 48"),
        (#"{"data": {"source": "dsprites", "subset": 0}}"#, "data.subset", "must be"),
        (#"{"data": {"source": "dsprites", "subset": 737281}}"#, "data.subset", "must be a number of images from 1 to 737280, got 737281"),
        (#"{"data": {"source": "dsprites", "subset_seed": 3}}"#, "data.subset_seed", "seeds data.subset, which is not given"),
        (#"{"data": {"source": "dsprites", "path": "x.npy"}}"#, "data.path", "the built-in dsprites data set takes no path"),
        (#"{"data": {"source": "dsprites", "standardize": true}}"#, "data.standardize", "the built-in dsprites data set takes no standardize"),
        (#"{"data": {"source": "shapes", "resolution": 32}}"#, "data.resolution", "resolution is for the built-in dsprites data set, not shapes"),
        (#"{"data": {"path": "x.csv", "layout": "nhwc"}}"#, "data.layout", "settles a four-dimensional .npy array's channels; the csv source has none"),
        (#"{"data": {"path": "x.npy", "layout": "hwc"}}"#, "data.layout", "hwc"),
        (#"{"data": {"source": "dsprites", "factors_path": "f.npy"}}"#, "data.factors_path", "the built-in dsprites data set takes no factors_path"),
        (#"{"data": {"path": "x.npy", "factor_names": ["a"]}}"#, "data.factor_names", "names the columns of data.factors_path, which is not given"),
        (#"{"data": {"path": "x.npy", "factors_path": "f.npy", "factor_names": ["a", "a"]}}"#, "data.factor_names", "distinct"),
        (#"{"data": {"path": "x.npy", "factors_path": "f.npy", "validation_path": "v.npy"}}"#, "data.factors_path", "cannot be combined with data.factors_path yet"),
        (#"{"data": {"path": "images/", "labels_path": "y.npy"}}"#, "data.labels_path", "a png_folder takes its labels from its class folders (one subfolder per class), not labels_path"),
        (#"{"data": {"source": "png_folder", "path": "images", "label_column": 0}}"#, "data.label_column", "a png_folder takes its labels from its class folders"),
        (#"{"data": {"source": "png_folder", "path": "images", "layout": "nchw"}}"#, "data.layout", "the png_folder source has none"),
        (#"{"data": {"path": "images.tiff"}}"#, "data.path", "give data.source: npy, csv, idx, png_folder"),
        (#"{"data": {"path": "digit.png"}}"#, "data.path", "names one PNG file \"digit.png\"; data.path takes a folder of PNG images"),
    ]

    @Test("bad run configs: the key path, the value and what is allowed", arguments: errors)
    func badConfig(text: String, path: String, phrase: String) {
        do {
            _ = try TrainingFixtures.configuration(text)
            Issue.record("no error for \(text)")
        } catch {
            #expect((error.keyPath ?? .root).description == path, "\(error)")
            #expect(error.message.contains(phrase), "\(error)")
            #expect(error.file == "run.json")
        }
    }

    @Test("models that need labels refuse data without them")
    func needsLabels() throws {
        let configuration = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}, "model": {"type": "cvae"}}"#)
        let unlabelled = Data.Dataset(name: "plain", count: 2, featureCount: 2, features: [0, 1, 1, 0])
        do {
            _ = try Trainer(configuration: configuration, dataset: unlabelled, runDirectory: TrainingFixtures.temporaryDirectory())
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("model.type cvae conditions on class labels, but the plain data has none"))
        }
    }
}

@Suite("Capacity annealing")
struct CapacityAnnealingTests {
    @Test("γ·|KL − C| pulls the KL to the capacity C")
    func pullsToCapacity() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", epochs: 6, extra: #", "capacity": {"gamma": 50, "schedule": {"type": "constant", "beta": 4}}"#))
        #expect(configuration.klShaping?.shaping as? CapacityAnnealing == CapacityAnnealing(gamma: 50, schedule: .constant(ConstantSchedule(value: 4))))
        // Capacity replaces β: the run has a capacity quantity and no KL weight.
        #expect(configuration.quantities.names == ["capacity", "lr"])
        let trainer = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: TrainingFixtures.temporaryDirectory())
        _ = try trainer.run(observers: [])
        let kl = try #require(trainer.lastMetrics?.kl.first?.value)
        #expect(abs(kl - 4) < 0.5, "KL \(kl) should sit near the capacity 4")
        #expect(trainer.lastMetrics?.beta.first?.name == "capacity")
    }

    @Test("capacity with a β schedule or free bits is an error; it needs gamma and a schedule")
    func errors() {
        let cases: [(String, String)] = [
            (#", "capacity": {"gamma": 10, "schedule": {"type": "constant"}}, "beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 2}"#, "replaces the β schedule"),
            (#", "capacity": {"gamma": 10, "schedule": {"type": "constant"}}, "free_bits": 0.1"#, "give one"),
            (#", "capacity": {"schedule": {"type": "constant"}}"#, "missing required key \"gamma\""),
            (#", "capacity": {"gamma": 0, "schedule": {"type": "constant"}}"#, "must be greater than 0"),
            (#", "capacity": {"gamma": 1, "schedule": {"type": "lienar"}}"#, "did you mean 'linear'?"),
        ]
        for (extra, phrase) in cases {
            do {
                _ = try TrainingFixtures.configuration(TrainingFixtures.small("vae", extra: extra))
                Issue.record("no error for \(extra)")
            } catch {
                #expect(error.message.contains(phrase), "\(error)")
            }
        }
    }

    @Test("a seed up to 2⁶³ − 1 is read exactly and written back in its digits; beyond, the error says the range, not 'a whole number'")
    func largeSeeds() throws {
        let configuration = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}, "training": {"num_epochs": 1, "seed": 9223372036854775807}}"#)
        #expect(configuration.training.seed == 9_223_372_036_854_775_807)
        let written = JSONWriter.compact(configuration.json)
        #expect(written.contains(#""seed":9223372036854775807"#), "\(written)")
        #expect(try RunConfiguration.parse(try JSONParser.parse(written)).training.seed == 9_223_372_036_854_775_807)
        #expect { _ = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}, "training": {"seed": 18446744073709551616}}"#) } throws: { error in
            "\(error)".contains("training.seed: must be a whole number from 0 to 9223372036854775807, got 18446744073709551616")
        }
        #expect { _ = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}, "training": {"batch_size": 1e17}}"#) } throws: { error in
            "\(error)".contains("training.batch_size: must be a whole number from 1 to 9000000000000000, got 1e17")  // it said "between -9000000000000000 and …" of a key that must be ≥ 1
        }
    }

    @Test("checkpoints by default: last.ckpt after every epoch and inside an epoch every 10 minutes (every 10 epochs lost up to 9 to a kill); null turns the latter off")
    func checkpointDefaults() throws {
        let configuration = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}}"#)
        #expect(configuration.training.checkpointEvery == 1 && configuration.training.checkpointEveryMinutes == 10)
        let json = JSONWriter.compact(configuration.json)
        #expect(json.contains(#""checkpoint_every":1"#) && json.contains(#""checkpoint_every_minutes":10"#))
        let off = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}, "training": {"checkpoint_every_minutes": null}}"#)
        #expect(off.training.checkpointEveryMinutes == nil && JSONWriter.compact(off.json).contains(#""checkpoint_every_minutes":null"#))
        #expect { _ = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}, "training": {"checkpoint_every_minutes": 0}}"#) } throws: { error in
            "\(error)".contains("training.checkpoint_every_minutes: must be a number of minutes greater than 0")
        }
    }
}
