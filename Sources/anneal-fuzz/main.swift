// The fuzz driver for Anneal's parsers (see AnnealFuzzing.FuzzTarget and scripts/fuzz).
//
//     anneal-fuzz TARGET [FILE_OR_FOLDER…]          replays inputs through TARGET's checks (any build)
//     anneal-fuzz TARGET [libFuzzer flags] [CORPUS…]  fuzzes TARGET (built with -D ANNEAL_LIBFUZZER; see scripts/fuzz)
//
// TARGET is one of json, run-config, npy, csv, idx, checkpoint. A broken check stops the process with a
// trap, which libFuzzer records as a crash and saves the input.
import AnnealFuzzing
import Foundation

let targets = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
guard CommandLine.arguments.count >= 2, let target = FuzzTarget(rawValue: CommandLine.arguments[1]) else {
    FileHandle.standardError.write(Data("usage: anneal-fuzz TARGET [inputs or libFuzzer flags…]; targets: \(targets)\n".utf8))
    exit(64)
}

#if ANNEAL_LIBFUZZER
/// libFuzzer's entry point (in libclang_rt.fuzzer_no_main, linked by scripts/fuzz).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

nonisolated(unsafe) var selectedTarget = target

// libFuzzer sees the program name and its own flags, not the target's name.
var arguments = [CommandLine.arguments[0]] + CommandLine.arguments.dropFirst(2)
var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
var argc = Int32(arguments.count)
let status = cArguments.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var argv = buffer.baseAddress!
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
        let problems = selectedTarget.run(bytes)
        if !problems.isEmpty {
            fatalError("\(selectedTarget.rawValue): " + problems.joined(separator: "; "))
        }
        return 0
    }
}
exit(status)
#else
var inputs: [String] = []
for argument in CommandLine.arguments.dropFirst(2) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
        FileHandle.standardError.write(Data("anneal-fuzz: no such file \(argument)\n".utf8))
        exit(66)
    }
    if isDirectory.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
        inputs += names.sorted().map { argument + "/" + $0 }
    } else {
        inputs.append(argument)
    }
}
var failures = 0
for input in inputs {
    guard let data = FileManager.default.contents(atPath: input) else { continue }
    let problems = target.run([UInt8](data))
    if !problems.isEmpty {
        failures += 1
        print("\(input): " + problems.joined(separator: "; "))
    }
}
print("\(target.rawValue): \(inputs.count) inputs, \(failures) with problems")
exit(failures == 0 ? 0 : 1)
#endif
