import ArgumentParser
import JSONConfig
import RunLog
import Schedules
import Training

/// `anneal schedule`: print or plot the β (and learning-rate) schedule a config describes.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Show the β (KL weight) and learning-rate schedule a config describes, as a table, CSV, JSON or SVG plot.",
        discussion: """
            The config is either a bare schedule object ({"beta_scheduler_type": …, "beta_scheduler_params": …}) or a \
            full run config with a "training" section. One column per quantity the run reads (KL weights, capacity, \
            lr, temperature, loss weights); rows are per epoch (0-based); with --steps-per-epoch K > 1 they are per \
            step, with a fractional epoch t = e + b/K, and each quantity is shown as the run evaluates it (β per \
            epoch unless beta_granularity is "step"). Quantities whose feedback controller replaces the schedule \
            (pi, geco) have no value before training (empty cells); a homeostatic controller scales its schedule, \
            which is shown. Warnings (a warm-up that cannot finish, a last cycle cut short, restarts \
            that never happen) go to standard error.

            Schedule types: \(ScheduleRegistry.names.joined(separator: ", ")); for beta_scheduler_type also \
            \(ScheduleRegistry.multiTermNames.joined(separator: ", ")).
            Learning-rate names (training.lr_scheduler): constant, step, exponential, cosine, cosine_warm_restarts, \
            or any schedule type.
            Controllers (training.controllers): \(ControllerRegistry.names.joined(separator: ", ")).
            """
    )

    @Option(name: .long, help: ArgumentHelp("The JSON config file.", valueName: "file"))
    var config: String

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Epochs to show (default: training.num_epochs).", valueName: "n"))
    var epochs: Int?

    @Option(name: .customLong("steps-per-epoch"), parsing: .unconditional, help: ArgumentHelp("Batches per epoch K; K > 1 gives one row per step (default: for a run config, the run's own steps, from its data's size and batch size; else 1).", valueName: "k"))
    var stepsPerEpochOption: Int?

    /// The steps per epoch the table uses (set in `run`).
    var stepsPerEpoch: Int { stepsPerEpochOption ?? 1 }

    @Option(name: .long, help: ArgumentHelp("table, csv, json or svg (default: from --output's extension, else table).", valueName: "format"))
    var format: ScheduleOutputFormat?

    @Option(name: .long, help: ArgumentHelp("Write to this file (atomically; missing folders are created) instead of standard output; - is standard output.", valueName: "path"))
    var output: String?

    /// More rows than this is a mistake: the file would be hundreds of megabytes, and a plot of them no
    /// clearer than one of a hundred thousand (the SVG thins to the pixel columns anyway).
    static let maximumRows = 1_000_000

    func validate() throws {
        if let epochs, epochs < 1 {
            throw ValidationError("--epochs must be at least 1, got \(epochs)")
        }
        if let stepsPerEpochOption, stepsPerEpochOption < 1 {
            throw ValidationError("--steps-per-epoch must be at least 1, got \(stepsPerEpochOption)")
        }
        // Standard output and devices or pipes (/dev/stdout, a FIFO) default to the table, as with no --output.
        if format == nil, let output, !OutputFile.isStandardOutput(output), !AtomicFile.isSpecialFile(output), ScheduleOutputFormat(pathExtensionOf: output) == nil {
            throw ValidationError("cannot tell the format of --output \(output) from its extension; give --format table, csv, json or svg")
        }
        if let format, let output, let implied = ScheduleOutputFormat(pathExtensionOf: output), implied != format {
            throw ValidationError("--format \(format.rawValue) contradicts --output \(output), whose extension means \(implied.rawValue); drop --format (the extension decides) or name the file .\(format == .table ? "txt" : format.rawValue)")
        }
    }

    func run() throws {
        let document = try ConfigFile.load(config)
        // A run config (it has a data section) is read as anneal train reads it: its quantities are the run's
        // (the default learning rate and length, capacity, controllers), each evaluated as the run evaluates it.
        let plan: QuantityPlan
        let configJSON: JSONValue
        let numEpochs: Int
        var stepsPerEpoch = self.stepsPerEpoch
        if document["data"] != nil {
            var run = try RunConfiguration.parse(document, file: config, epochs: epochs)
            // One generator per class or group: each trains on its own examples, so its steps per epoch (and a
            // default β fitted to them) are its own; the table shows the first generator's, and says so.
            if run.granularity != .unified, stepsPerEpochOption == nil {
                do {
                    let members = try GeneratorSet.memberConfigurations(of: run)
                    if let first = members.first {
                        let granularity = run.granularity.name
                        run = first.configuration
                        StandardError.print("note: model.granularity \(granularity) trains \(members.count) generators, each over its own examples with the same schedules; this table is generator \(first.name)'s")
                    }
                } catch {
                    StandardError.print("warning: cannot read the run's data to list its generators (\(error.description)); the table is for the whole data set as one generator")
                }
            }
            // Without --steps-per-epoch, the run's own steps: its data's training examples in batches, as anneal train
            // splits them (one step an epoch hid per-step β and warned that it "reaches at most 0").
            if stepsPerEpochOption == nil {
                do {
                    let (steps, examples) = try TrainingRun.stepsPerEpoch(of: run)
                    if steps * run.training.numEpochs > ScheduleCommand.maximumRows {
                        StandardError.print("note: the run takes \(steps) steps per epoch (\(examples) training examples in batches of \(run.training.batchSize)), more rows than a table holds: one row per epoch; --steps-per-epoch K shows K")
                    } else {
                        stepsPerEpoch = steps
                        StandardError.print("note: \(steps) step\(steps == 1 ? "" : "s") per epoch, as the run takes them (\(examples) training examples in batches of \(run.training.batchSize))")
                    }
                } catch {
                    StandardError.print("warning: cannot read the run's data to count its steps (\(error.description)); one row per epoch, as if each epoch were one step: give --steps-per-epoch K")
                }
            }
            // With the run's steps per epoch given, the default β is fitted as training fits it.
            if stepsPerEpoch > 1, let (fitted, line) = run.fittingDefaultBeta(stepsPerEpoch: stepsPerEpoch) {
                run = fitted
                StandardError.print("note: \(line)")
            }
            plan = run.quantities
            configJSON = run.json
            numEpochs = run.training.numEpochs
        } else {
            let configuration = try ScheduleConfiguration.parse(document, file: config, numEpochs: epochs)
            guard let length = configuration.numEpochs else {
                throw CommandFailure("\(config) gives no training.num_epochs; say how many epochs to show with --epochs N")
            }
            plan = try configuration.quantities()
            configJSON = configuration.json
            numEpochs = length
        }
        let rowCount = numEpochs.multipliedReportingOverflow(by: stepsPerEpoch)
        if rowCount.overflow || rowCount.partialValue > ScheduleCommand.maximumRows {
            throw CommandFailure("\(numEpochs) epochs × \(stepsPerEpoch) steps is more than \(ScheduleCommand.maximumRows) rows; use fewer --steps-per-epoch")
        }
        let window = RunWindow(numEpochs: numEpochs, stepsPerEpoch: stepsPerEpoch)
        let warnings = plan.warnings(over: window)
        for warning in warnings {
            StandardError.print("warning: \(config): \(warning)")
        }
        // A KL weight that changes within an epoch (auto granularity with short cycles, or "step"): per-epoch
        // rows show only its value at each epoch's first step, which can look like a flat line. With the run's own
        // steps (no --steps-per-epoch), such a weight gets a row per step; otherwise a row per epoch suffices.
        // Any scheduled quantity read per step (β, capacity, a learning rate that decays per step) that does
        // change within some epoch counts; one constant over each epoch does not.
        // With one step an epoch shown, a KL weight or capacity read per step is said to change (as it does
        // in the run).
        let perStep = plan.quantities.filter { quantity in
            guard quantity.evaluation == .step, quantity.controller == nil else { return false }
            guard stepsPerEpoch > 1 else { return quantity.role == .klWeight || quantity.role == .capacity }
            return (0..<numEpochs).contains { epoch in
                quantity.scheduledValue(at: .batch(0, ofEpoch: epoch, stepsPerEpoch: stepsPerEpoch))
                    != quantity.scheduledValue(at: .batch(stepsPerEpoch - 1, ofEpoch: epoch, stepsPerEpoch: stepsPerEpoch))
            }
        }
        let rowsPerStep = stepsPerEpochOption.map { $0 > 1 } ?? (stepsPerEpoch > 1 && !perStep.isEmpty)
        if !rowsPerStep, !perStep.isEmpty {
            StandardError.print("note: \(perStep.map(\.name).joined(separator: ", ")) change\(perStep.count == 1 ? "s" : "") within each epoch (evaluated per step); these rows show the value at each epoch's first step; --steps-per-epoch K shows every step")
        }
        let table = ScheduleTable(plan: plan, window: window, rowsPerStep: rowsPerStep)
        let chosen = format ?? output.flatMap(ScheduleOutputFormat.init(pathExtensionOf:)) ?? .table
        let text = ScheduleRendering(plan: plan, table: table, configJSON: configJSON, warnings: warnings, configPath: config).render(chosen)
        if let output {
            do {
                try OutputFile.write(text, to: output)
            } catch {
                throw CommandFailure(error.description)
            }
            if !OutputFile.isStandardOutput(output) { StandardError.print("wrote \(output): \(table.rows.count) rows, \(plan.quantities.first.map { "\($0.name): \($0.summary)" } ?? "no quantities")") }
        } else {
            try StandardOutput.writeResult(text)
        }
    }
}
