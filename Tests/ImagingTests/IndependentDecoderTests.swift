import Foundation
import Testing
@testable import Imaging

/// A Python that has Pillow (its own PNG decoder, not libpng), if one is installed: ANNEAL_TENSORBOARD_PYTHON,
/// the environment .ci/run makes, or the reference environment. The test is skipped without one.
let pillowPython: String? = {
    let home = FileManager.default.homeDirectoryForCurrentUser.path
    let candidates = [ProcessInfo.processInfo.environment["ANNEAL_TENSORBOARD_PYTHON"], home + "/.cache/anneal-tensorboard-venv/bin/python",
                      home + "/.cache/anneal-ref-venv/bin/python"].compactMap { $0 }
    return candidates.first { path in
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-c", "import PIL.Image"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}()

@Suite("PNG files read by an independent decoder")
struct IndependentDecoderTests {
    @Test("Pillow reads the grid's size, mode and every pixel", .enabled(if: pillowPython != nil, "no Python with Pillow"))
    func pillowReadsGrid() throws {
        let directory = temporaryDirectory()
        var pixels = [Double]()
        for k in 0..<5 { for p in 0..<12 { pixels.append(Double((k * 12 + p) % 17) / 16) } }  // 5 RGB images of 2 × 2
        let grid = try ImageGrid(pixels: pixels, imageCount: 5, width: 2, height: 2, format: .rgb, columns: 3, padding: 1, paddingValue: 1, scale: 3)
        let path = directory.appendingPathComponent("grid.png").path
        try grid.write(to: path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(pillowPython))
        process.arguments = ["-c", "import sys, PIL.Image; im = PIL.Image.open(sys.argv[1]); im.load(); "
                                + "print(im.format, im.mode, im.size[0], im.size[1]); print(','.join(str(c) for p in im.getdata() for c in p))", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = text.split(separator: "\n")
        // 3·(2·3 + 1) + 1 = 22 wide, 2·(2·3 + 1) + 1 = 15 high.
        #expect(lines.first == "PNG RGB 22 15")
        let decoded = lines.dropFirst().first.map { $0.split(separator: ",").compactMap { UInt8($0) } } ?? []
        #expect(decoded == (try grid.image()).pixels)
    }
}
