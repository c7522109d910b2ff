// swift-tools-version: 6.0
import PackageDescription

// Anneal: β (KL-weight) annealing schedules and VAE training.
// Module arrows point one way (see ../shared/design/ARCHITECTURE.md):
//   JSONConfig ← Schedules;  RunLog (Foundation only);  AnnealCLI ← Schedules, RunLog;  anneal ← AnnealCLI.
let package = Package(
    name: "Anneal",
    products: [
        .library(name: "Schedules", targets: ["Schedules"]),
        .library(name: "RunLog", targets: ["RunLog"]),
        .executable(name: "anneal", targets: ["anneal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // RealModule: the platform's libm (cos, exp, log, pow, expm1) on Linux and macOS alike.
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // JSON with source positions, key order and duplicate-key detection; typed, path-aware readers.
        .target(name: "JSONConfig"),
        // Every β / learning-rate / temperature schedule: pure functions of training progress. No tensors.
        .target(
            name: "Schedules",
            dependencies: ["JSONConfig", .product(name: "RealModule", package: "swift-numerics")]
        ),
        // Run outputs that need only Foundation: SVG charts, CSV, atomic file writes.
        .target(name: "RunLog"),
        // The command-line interface as a library, so tests can drive it in-process.
        .target(
            name: "AnnealCLI",
            dependencies: [
                "Schedules", "RunLog", "JSONConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "anneal", dependencies: ["AnnealCLI"]),

        .testTarget(name: "JSONConfigTests", dependencies: ["JSONConfig"]),
        .testTarget(
            name: "SchedulesTests",
            dependencies: ["Schedules", "JSONConfig", .product(name: "RealModule", package: "swift-numerics")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "RunLogTests", dependencies: ["RunLog"]),
        .testTarget(name: "AnnealCLITests", dependencies: ["AnnealCLI", "anneal"]),
    ]
)
