import ArgumentParser

/// `anneal`: train VAEs under exact, inspectable β schedules.
public struct Anneal: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "anneal",
        abstract: "Train variational autoencoders under exact, inspectable β (KL-weight) schedules.",
        version: "0.1.0",
        subcommands: [TrainCommand.self, ScheduleCommand.self, EvaluateCommand.self, SampleCommand.self, ExportCommand.self, ReportCommand.self, BenchCommand.self, CompareCommand.self]
    )

    public init() {}
}
