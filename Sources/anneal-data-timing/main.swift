// Loads one data file with Anneal's readers and prints how long it took, for scripts/benchmark-data-loading:
//
//     anneal-data-timing FILE [--label-column NAME_OR_INDEX] [--threads N] [--progress]
//
// The reader follows the extension (.npy, .csv, anything else IDX). Prints one line of JSON: rows, columns,
// element type, minimum, maximum, seconds, and the peak resident memory the kernel saw (VmHWM).
import Data
import Dispatch
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...(index + 1)) }
    return arguments[index + 1]
}
let labelColumn = option("--label-column")
let threads = option("--threads").flatMap(Int.init)
let showProgress = arguments.contains("--progress")
arguments.removeAll { $0 == "--progress" }
guard let path = arguments.first else {
    FileHandle.standardError.write(Data("usage: anneal-data-timing FILE [--label-column C] [--threads N] [--progress]\n".utf8))
    exit(64)
}

var options = DataReadOptions()
if let threads { options.threads = threads }
if showProgress {
    options.progress = { fraction in
        FileHandle.standardError.write(Data(String(format: "\rloading %@ %3.0f%%", (path as NSString).lastPathComponent, fraction * 100).utf8))
        if fraction == 1 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// The peak resident set size in bytes, from /proc/self/status (0 where there is none).
@MainActor func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes * 1024
}

let start = DispatchTime.now().uptimeNanoseconds
do {
    let array: NumericArray
    if path.hasSuffix(".csv") {
        array = try CSVReader.read(path, labelColumn: labelColumn, options: options).features
    } else if path.hasSuffix(".npy") {
        array = try NPYReader.read(path, options: options)
    } else {
        array = try IDXReader.read(path, options: options)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let minimum = array.minimum.map { "\($0)" } ?? "null", maximum = array.maximum.map { "\($0)" } ?? "null"
    print("{\"rows\": \(array.rows), \"columns\": \(array.columns), \"element_type\": \"\(array.elementType)\", \"minimum\": \(minimum), "
        + "\"maximum\": \(maximum), \"seconds\": \(String(format: "%.3f", seconds)), \"peak_resident_bytes\": \(peakResidentBytes())}")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
