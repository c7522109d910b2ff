import Foundation
import Testing
@testable import Imaging

/// A fresh directory for one test's files.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-imaging-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Image grids as PNG files")
struct ImageGridTests {
    @Test("values map to bytes as round(255·clamp(v, 0, 1))")
    func byteConversion() {
        #expect([0, 1, 0.5, 0.25, -0.2, 1.7, 0.001, 0.999].map(ImageGrid.byte) == [0, 255, 128, 64, 0, 255, 0, 255])
        // 127.5 → 128 and 63.75 → 64 (half away from zero); 0.255 → 0, 254.745 → 255.
    }

    @Test("three 2 × 2 images, 2 columns, padding 1, scale 2: an 11 × 11 grid read back pixel by pixel")
    func layoutReadBack() throws {
        // Image k has pixels (row-major) [k/4, k/4 + 0.25; 0.5, 1] for k = 0, 1, 2.
        let pixels: [Double] = (0..<3).flatMap { k -> [Double] in [Double(k) / 4, Double(k) / 4 + 0.25, 0.5, 1] }
        let grid = try ImageGrid(pixels: pixels, imageCount: 3, width: 2, height: 2, columns: 2, padding: 1, paddingValue: 0.2, scale: 2)
        // Width: 2 columns·(2·2 + 1) + 1 = 11; height: 2 rows·(2·2 + 1) + 1 = 11.
        #expect(grid.columns == 2 && grid.rows == 2 && grid.width == 11 && grid.height == 11)
        let path = temporaryDirectory().appendingPathComponent("grid.png").path
        try grid.write(to: path)
        let image = try PNGImage(contentsOf: path)
        #expect(image.width == 11 && image.height == 11 && image.format == .grayscale)
        let pad: UInt8 = 51  // round(255·0.2)
        // Borders and gutters: row 0, column 0, column 5 (between the images), row 5.
        #expect((0..<11).allSatisfy { image[$0, 0] == pad && image[0, $0] == pad && image[5, $0] == pad && image[$0, 5] == pad })
        // Image 0 at (1, 1), each source pixel a 2 × 2 block: (0, 0) = 0, (1, 0) = 0.25 → 64, (0, 1) = 0.5 → 128, (1, 1) = 1 → 255.
        #expect([image[1, 1], image[2, 2], image[3, 1], image[4, 2], image[1, 3], image[2, 4], image[3, 3], image[4, 4]] == [0, 0, 64, 64, 128, 128, 255, 255])
        // Image 1 at (6, 1): top-left 0.25 → 64, top-right 0.5 → 128.
        #expect(image[6, 1] == 64 && image[9, 2] == 128)
        // Image 2 at (1, 6): top-left 0.5 → 128, top-right 0.75 → 191 (191.25).
        #expect(image[1, 6] == 128 && image[3, 6] == 191 && image[4, 9] == 255)
        // The fourth cell is empty: padding throughout.
        #expect((6..<10).allSatisfy { x in (6..<10).allSatisfy { y in image[x, y] == pad } })
        // The whole picture is exactly what the grid composed.
        #expect(image == (try grid.image()))
    }

    @Test("RGB images keep their channels through libpng")
    func rgbRoundTrip() throws {
        // One 2 × 1 image: a red pixel and a half-grey one.
        let grid = try ImageGrid(pixels: [1.0, 0, 0, 0.5, 0.5, 0.5], imageCount: 1, width: 2, height: 1, format: .rgb, padding: 0)
        let data = try grid.image().encoded()
        let image = try PNGImage(pngData: data)
        #expect(image.format == .rgb && image.width == 2 && image.height == 1)
        #expect(image.pixels == [255, 0, 0, 128, 128, 128])
    }

    @Test("the file is a real PNG (signature, IHDR of the right size, 8-bit grey) and no temporary file is left")
    func fileFormat() throws {
        let directory = temporaryDirectory()
        let path = directory.appendingPathComponent("digits.png").path
        // 16 images of 8 × 8, scale 4, 8 columns, padding 2: 8·(32 + 2) + 2 = 274 by 2·(32 + 2) + 2 = 70.
        let digits = (0..<(16 * 64)).map { Double($0 % 64) / 63 }
        let grid = try ImageGrid(pixels: digits, imageCount: 16, width: 8, height: 8, scale: 4)
        try grid.write(to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR")
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 274 && height == 70)
        #expect(bytes[24] == 8 && bytes[25] == 0)  // bit depth 8, colour type 0 (greyscale)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["digits.png"])
        let image = try PNGImage(contentsOf: path)
        #expect(image[2, 2] == 0 && image[2 + 31, 2 + 31] == 255)  // first digit: value 0 top-left, 1 bottom-right
    }

    @Test("a missing directory, a directory in the way and an empty path are errors naming the path; nothing is written")
    func badPaths() throws {
        let grid = try ImageGrid(pixels: [0.0, 1, 1, 0], imageCount: 1, width: 2, height: 2)
        let directory = temporaryDirectory()
        let missing = directory.appendingPathComponent("no/such/dir/grid.png").path
        #expect(throws: ImagingError("cannot write \(missing): the directory \(directory.path)/no/such/dir does not exist")) {
            try grid.write(to: missing)
        }
        #expect(throws: ImagingError("cannot write \(directory.path): it is a directory")) { try grid.write(to: directory.path) }
        #expect(throws: ImagingError("cannot write an image to an empty path")) { try grid.write(to: "") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("bad grids and unreadable files are errors")
    func badInput() throws {
        #expect(throws: ImagingError("3 values for 1 images of 2 × 2 × 1; expected 4")) {
            try ImageGrid(pixels: [0.0, 1, 1], imageCount: 1, width: 2, height: 2)
        }
        #expect(throws: ImagingError("value 5 (image 1) is NaN")) {
            try ImageGrid(pixels: [0, 0, 0, 0, 0, Double.nan, 0, 0], imageCount: 2, width: 2, height: 2)
        }
        #expect(throws: ImagingError("scale must be at least 1, not 0")) {
            try ImageGrid(pixels: [0.0], imageCount: 1, width: 1, height: 1, scale: 0)
        }
        let path = temporaryDirectory().appendingPathComponent("not.png").path
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ImagingError.self) { try PNGImage(contentsOf: path) }
        do { _ = try PNGImage(contentsOf: path) } catch {
            #expect(error.path == path && error.message.hasPrefix("not a PNG file libpng can read: "))
        }
        #expect(throws: ImagingError.self) { try PNGImage(contentsOf: path + ".missing") }
        #expect(throws: ImagingError("4 bytes for a 2 × 2 rgb image, which needs 12")) {
            try PNGImage(width: 2, height: 2, format: .rgb, pixels: [0, 0, 0, 0])
        }
    }

    @Test("fewer images than columns: the grid is only as wide as the images")
    func fewImages() throws {
        let grid = try ImageGrid(pixels: [0.0, 1, 0.5], imageCount: 3, width: 1, height: 1, columns: 8, padding: 2)
        #expect(grid.columns == 3 && grid.width == 3 * 3 + 2 && grid.height == 5)
    }
}
