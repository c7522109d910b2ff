// swift-tools-version: 6.0
import PackageDescription

// Anneal: β (KL-weight) annealing schedules and VAE training.
// Module arrows point one way (docs/ARCHITECTURE.md):
//   JSONConfig ← Schedules;  JSONConfig, ZIPFoundation ← RunLog;  COpenBLAS, CKernels, CConvolution ← Tensors ← Layers (also ← JSONConfig) ← Models (also ← JSONConfig);
//   Tensors, Imaging ← Data;  Models, Data, Schedules, RunLog, Imaging ← Training;  Tensors, CLAPACK ← Evaluation;  CPNG, RunLog ← Imaging;
//   JSONConfig, Schedules, RunLog, Training, CLibCrypto ← Sweeps;  all ← AnnealCLI ← anneal.
let package = Package(
    name: "Anneal",
    products: [
        .library(name: "Schedules", targets: ["Schedules"]),
        .library(name: "RunLog", targets: ["RunLog"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "Layers", targets: ["Layers"]),
        .library(name: "Models", targets: ["Models"]),
        .library(name: "Data", targets: ["Data"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "Sweeps", targets: ["Sweeps"]),
        .executable(name: "anneal", targets: ["anneal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // RealModule: the platform's libm (cos, exp, log, pow, expm1) on Linux and macOS alike.
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        // The ZIP container of NumPy .npz exports (stored, uncompressed, as numpy.savez writes them).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // JSON with source positions, key order and duplicate-key detection; typed, path-aware readers.
        .target(name: "JSONConfig"),
        // Every β / learning-rate / temperature schedule: pure functions of training progress. No tensors.
        .target(
            name: "Schedules",
            dependencies: ["JSONConfig", .product(name: "RealModule", package: "swift-numerics")]
        ),
        // OpenBLAS's CBLAS on Linux (Debian: libopenblas-dev, installed by .ci/run and the README's command).
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // The step's single-precision element-wise kernels (Adam, the Bernoulli loss, ReLU, reductions) in C:
        // clang vectorises them where Swift lowers SIMD square roots, minima and maxima lane by lane, and on
        // x86-64 Linux compiles each for AVX-512, AVX2 and the baseline, picking one at start-up (no unsafe flags).
        .target(name: "CKernels"),
        // Float convolutions through oneDNN (Debian's libdnnl-dev, the library PyTorch uses for CPU convolutions):
        // primitives cached per shape, NCHW activations and PyTorch-layout weights reordered in and out.
        .target(name: "CConvolution", linkerSettings: [.linkedLibrary("dnnl", .when(platforms: [.linux]))]),
        // Heap allocations counted for `anneal bench` (malloc, calloc and realloc wrapped on Linux with glibc).
        .target(name: "CAllocationCounter"),
        // Float32 tensors, BLAS-backed kernels, reverse-mode autodiff, seeded RNG.
        .target(
            name: "Tensors",
            dependencies: [
                "CKernels",
                .target(name: "COpenBLAS", condition: .when(platforms: [.linux])),
                .target(name: "CConvolution", condition: .when(platforms: [.linux])),
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        // Layers (dense, convolutions) and the networks built of them, their config specifications and registry,
        // named parameters, optimisers, gradient clipping.
        .target(name: "Layers", dependencies: ["Tensors", "JSONConfig"]),
        // VAE models and their losses.
        .target(name: "Models", dependencies: ["Layers", "Tensors", "JSONConfig", .product(name: "RealModule", package: "swift-numerics")]),
        // Built-in data sets, .npy / CSV / IDX loaders and PNG folders (decoded by Imaging's libpng), sources, splits.
        .target(name: "Data", dependencies: ["Tensors", "Imaging"]),
        // The trainer: run configs, the training loop, checkpoints and exact resume, metrics.
        .target(name: "Training", dependencies: ["Models", "Layers", "Tensors", "Data", "Schedules", "JSONConfig", "RunLog", "Evaluation", "Imaging"]),
        // Run outputs that need only Foundation: SVG charts, CSV, atomic file writes.
        .target(name: "RunLog", dependencies: ["JSONConfig", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The command-line interface as a library, so tests can drive it in-process.
        .target(
            name: "AnnealCLI",
            dependencies: [
                "Schedules", "RunLog", "JSONConfig", "Tensors", "Layers", "Models", "Data", "Training", "Evaluation", "Imaging", "Sweeps",
                "CAllocationCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "anneal", dependencies: ["AnnealCLI"]),
        // anneal compare: trial plans with deterministic ids, shards, claims, child processes, result tables.
        // SHA-256 for trial ids from the system's libcrypto (Debian: libssl-dev; CommonCrypto on macOS): swift-crypto
        // built BoringSSL from source in every clean build, about 60 % of a cold build's CPU time, for one digest.
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "Sweeps", dependencies: ["JSONConfig", "Schedules", "RunLog", "Training",
                                               .target(name: "CLibCrypto", condition: .when(platforms: [.linux]))]),

        // LAPACK's symmetric eigensolver (dsyevd_) from OpenBLAS, which ships LAPACK (Debian: libopenblas-dev).
        .systemLibrary(name: "CLAPACK", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // Collapse diagnostics on arrays (active units, mutual information, importance sampling) and generator
        // metrics (PRDC, MMD, Fréchet distance, seed 001's similarity and diversity). BLAS for every product.
        .target(
            name: "Evaluation",
            dependencies: ["Tensors", .target(name: "CLAPACK", condition: .when(platforms: [.linux]))]
        ),
        // libpng (Debian: libpng-dev), through its simplified API, which reports errors without longjmp.
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        // Image grids written as PNG files (libpng), atomically.
        .target(name: "Imaging", dependencies: ["CPNG", "RunLog"]),

        .testTarget(name: "JSONConfigTests", dependencies: ["JSONConfig"]),
        .testTarget(
            name: "SchedulesTests",
            dependencies: ["Schedules", "JSONConfig", .product(name: "RealModule", package: "swift-numerics")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "RunLogTests", dependencies: ["RunLog"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", .product(name: "RealModule", package: "swift-numerics")], exclude: ["Fixtures"]),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "Tensors"], exclude: ["Fixtures"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Layers", "Tensors"]),
        .testTarget(name: "DataTests", dependencies: ["Data", "Tensors"]),
        // The test process's own TMPDIR, removed at its exit (one test bundle holds every test target).
        .target(name: "TestTemporaryDirectory", path: "Tests/TestTemporaryDirectory"),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Data", "Imaging", "Models", "Layers", "Tensors", "Schedules", "JSONConfig", "RunLog", "TestTemporaryDirectory"], exclude: ["Fixtures"]),
        .testTarget(name: "AnnealCLITests", dependencies: ["AnnealCLI", "anneal"], exclude: ["Fixtures"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Tensors"], exclude: ["Fixtures"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(name: "SweepsTests", dependencies: ["Sweeps", "JSONConfig", "Training"]),
    ]
)

// Data loading: the data tests' NumPy fixtures are not sources; a timing tool for scripts/benchmark-data-loading.
package.targets.first { $0.name == "DataTests" }?.exclude.append("Fixtures")
package.targets.append(.executableTarget(name: "anneal-data-timing", dependencies: ["Data"]))

// Fuzzing: a target per parser (AnnealFuzzing), the driver that replays inputs or runs libFuzzer
// (scripts/fuzz), and tests that replay every seed and every input that ever failed.
package.targets += [
    .target(name: "AnnealFuzzing", dependencies: ["Data", "JSONConfig", "Schedules", "Training"]),
    .executableTarget(name: "anneal-fuzz", dependencies: ["AnnealFuzzing"]),
    .testTarget(name: "AnnealFuzzingTests", dependencies: ["AnnealFuzzing", "Data", "JSONConfig", "Training", "Tensors"],
                exclude: ["Corpus", "Regressions"]),
]
