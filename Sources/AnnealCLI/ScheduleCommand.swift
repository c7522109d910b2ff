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
            full run config with a "training" section. Rows are per epoch (0-based); with --steps-per-epoch K > 1 they \
            are per step, with a fractional epoch t = e + b/K. Warnings (a warm-up that cannot finish, a last cycle cut \
            short, restarts that never happen) go to standard error.

            β schedule types: \(ScheduleType.allCases.map(\.rawValue).joined(separator: ", ")).
            Learning-rate types (training.lr_scheduler): constant, step, exponential, cosine, cosine_warm_restarts.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The JSON config file.", valueName: "file"))
    var config: String

    @Option(name: .long, help: ArgumentHelp("Epochs to show (default: training.num_epochs).", valueName: "n"))
    var epochs: Int?

    @Option(name: .long, help: ArgumentHelp("Batches per epoch K; K > 1 gives one row per step.", valueName: "k"))
    var stepsPerEpoch: Int = 1

    @Option(name: .long, help: ArgumentHelp("table, csv, json or svg (default: from --output's extension, else table).", valueName: "format"))
    var format: ScheduleOutputFormat?

    @Option(name: .long, help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "path"))
    var output: String?

    /// More rows than this is a mistake: the file would be hundreds of megabytes, and a plot of them no
    /// clearer than one of a hundred thousand (the SVG thins to the pixel columns anyway).
    static let maximumRows = 1_000_000

    func validate() throws {
        if let epochs, epochs < 1 {
            throw ValidationError("--epochs must be at least 1, got \(epochs)")
        }
        if stepsPerEpoch < 1 {
            throw ValidationError("--steps-per-epoch must be at least 1, got \(stepsPerEpoch)")
        }
        if format == nil, let output, ScheduleOutputFormat(pathExtensionOf: output) == nil {
            throw ValidationError("cannot tell the format of --output \(output) from its extension; give --format table, csv, json or svg")
        }
    }

    func run() throws {
        let document = try ConfigFile.load(config)
        // A run config (it has a data section) trains for the trainer's default length when it gives none;
        // show that, as anneal train would run it.
        var length = epochs
        if length == nil, document["data"] != nil, document["training"]?["num_epochs"] == nil { length = TrainingSettings.defaultEpochs }
        // A full run config's training section also holds the trainer's keys (batch_size, optimizer, …).
        let configuration = try ScheduleConfiguration.parse(document, file: config, numEpochs: length, otherTrainingKeys: RunConfiguration.trainingKeys)
        guard let numEpochs = configuration.numEpochs else {
            throw CommandFailure("\(config) gives no training.num_epochs; say how many epochs to show with --epochs N")
        }
        let rowCount = numEpochs.multipliedReportingOverflow(by: stepsPerEpoch)
        if rowCount.overflow || rowCount.partialValue > ScheduleCommand.maximumRows {
            throw CommandFailure("\(numEpochs) epochs × \(stepsPerEpoch) steps is more than \(ScheduleCommand.maximumRows) rows; use fewer --steps-per-epoch")
        }
        let window = RunWindow(numEpochs: numEpochs, stepsPerEpoch: stepsPerEpoch)
        for warning in configuration.warnings(over: window) {
            StandardError.print("warning: \(config): \(warning)")
        }
        let table = ScheduleTable(configuration: configuration, window: window)
        let chosen = format ?? output.flatMap(ScheduleOutputFormat.init(pathExtensionOf:)) ?? .table
        let text = ScheduleRendering(configuration: configuration, table: table, configPath: config).render(chosen)
        if let output {
            do {
                try AtomicFile.write(text, to: output)
            } catch {
                throw CommandFailure(error.description)
            }
            StandardError.print("wrote \(output): \(table.rows.count) rows, \(configuration.beta.summary)")
        } else {
            StandardOutput.write(text)
        }
    }
}
