import Foundation

/// Files for the data tests: temporary files with given bytes, .npy and IDX files built byte by byte.
enum TestFiles {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// A new file named `name` in a new temporary folder, holding `bytes`.
    static func temporary(_ name: String, _ bytes: [UInt8]) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-data-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        } catch {
            fatalError("cannot write a test file: \(error)")
        }
    }

    /// A temporary text file.
    static func text(_ name: String, _ text: String) -> String { temporary(name, Array(text.utf8)) }

    /// A .npy file (format 1.0) with the header dictionary `header` written as given, padded as NumPy pads it.
    static func npy(header: String, data: [UInt8], version: UInt8 = 1) -> [UInt8] {
        var text = header
        let prefix = version == 1 ? 10 : 12
        while (prefix + text.utf8.count + 1) % 64 != 0 { text += " " }
        text += "\n"
        let length = text.utf8.count
        let lengthBytes: [UInt8] = version == 1
            ? [UInt8(length & 0xFF), UInt8(length >> 8)]
            : [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
        return [0x93] + Array("NUMPY".utf8) + [version, 0] + lengthBytes + Array(text.utf8) + data
    }

    /// A .npy file (format 1.0) with the usual header for `descr` and `shape`.
    static func npy(descr: String, shape: String, data: [UInt8], fortran: Bool = false) -> [UInt8] {
        npy(header: "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }", data: data)
    }

    /// An IDX file: type code, sizes, then `data`.
    static func idx(type: UInt8, shape: [UInt32], data: [UInt8]) -> [UInt8] {
        [0, 0, type, UInt8(shape.count)] + shape.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) } + data
    }

    static func floats(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
    static func doubles(_ values: [Double]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
}
