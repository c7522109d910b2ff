import Foundation
import Testing
@testable import Data

@Suite("Folders of PNG images")
struct PNGFolderReaderTests {
    static let fixtures = TestFiles.fixtures + "/png"

    /// A new temporary folder holding `files` (relative path → fixture name, or nil for a text file).
    static func folder(_ files: [String: String?]) -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-png-\(UUID().uuidString)").path
        for (relative, fixture) in files {
            let path = root + "/" + relative
            try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if let fixture { try! FileManager.default.copyItem(atPath: fixtures + "/" + fixture, toPath: path) }
            else if relative.hasSuffix("/") { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
            else { try! Data("not an image".utf8).write(to: URL(fileURLWithPath: path)) }
        }
        return root
    }

    static func load(_ folder: String, scale: DataSource.Scale = .none) throws -> Dataset {
        var source = DataSource(kind: .pngFolder, path: folder)
        source.scale = scale
        return try source.load()
    }

    /// gray.png: 4 × 3, value 20·(y·4 + x).
    static let gray: [Float] = (0..<12).map { Float(20 * $0) }
    /// rgb.png: value ((y·4 + x)·3 + c)·7 mod 256 at (y, x, c), here channels first (c, y, x).
    static let rgb: [Float] = (0..<3).flatMap { c in (0..<12).map { pixel in Float((pixel * 3 + c) * 7 % 256) } }

    @Test("one subfolder per class in sorted byte order, files in sorted path order (subfolders too), other files skipped and said")
    func classFolders() throws {
        let root = Self.folder(["9/b.png": "gray.png", "9/a.png": "gray.png", "10/x/deep.png": "gray.png", "10/top.png": "gray.png",
                                "10/README.txt": nil, ".DS_Store": nil])
        let dataset = try Self.load(root)
        // "10" sorts before "9" (byte order, as Python's sorted and torchvision's ImageFolder).
        #expect(dataset.classNames == ["10", "9"] && dataset.labels == [0, 0, 1, 1] && dataset.count == 4)
        #expect(dataset.imageShape! == (4, 3) && dataset.imageChannels == 1 && dataset.features == Array([[Float]](repeating: Self.gray, count: 4).joined()))
        #expect(dataset.notes.contains { $0.contains("4 PNG images of 4×3 gray in 2 classes, by sorted folder name: 0 = \"10\", 1 = \"9\"") })
        #expect(dataset.notes.contains { $0.contains("2 files that are not .png skipped (\".DS_Store\", \"10/README.txt\")") })
        // Unlabelled: images directly in the folder.
        let flat = try Self.load(Self.folder(["1.png": "gray.png", "2.png": "gray.png"]))
        #expect(flat.labels == nil && flat.count == 2 && flat.notes[0].contains("unlabelled"))
    }

    @Test("RGB stored channels first; a palette image is expanded and an opaque alpha channel dropped, exactly")
    func colour() throws {
        let dataset = try Self.load(Self.folder(["a/1.png": "rgb.png", "a/2.png": "palette.png", "b/3.png": "opaque-alpha.png"]))
        #expect(dataset.imageChannels == 3 && dataset.featureCount == 36)
        // All three are the same picture: Pillow's expansion of the palette gives rgb.png's values.
        #expect(dataset.features == Self.rgb + Self.rgb + Self.rgb)
        #expect(dataset.notes.contains { $0.contains("1 palette image expanded to their colours") })
        #expect(dataset.notes.contains { $0.contains("the alpha channel of 1 image dropped (opaque everywhere)") })
        // 8-bit pixels: data.scale "auto" divides by 255 as for a uint8 array.
        let scaled = try Self.load(Self.folder(["a/1.png": "rgb.png"]), scale: .auto)
        #expect(scaled.features == Self.rgb.map { $0 / 255 } && scaled.scaleDivisor == 255)
    }

    @Test("bad images and folders are one-line errors naming the file and what is allowed", arguments: [
        (["a/1.png": "gray.png", "a/2.png": "truncated.png"], "a/2.png: cannot be decoded, it is corrupt or truncated"),
        (["a/1.png": "gray.png", "a/2.png": "not-png.png"], "a/2.png: is not a PNG file libpng can read"),
        (["a/1.png": "sixteen-bit.png"], "a/1.png: is a 16-bit PNG; anneal reads 8-bit images"),
        (["a/1.png": "transparent.png"], "a/1.png: has transparent pixels (alpha 10 at column 2, row 1)"),
        (["a/1.png": "gray.png", "b/2.png": "rgb.png"], "b/2.png: is 4×3 RGB, but a/1.png, the first image, is 4×3 gray; every image of a folder must have the same size and channels"),
        (["a/1.png": "gray.png", "b/": nil], "/b: is a class folder with no .png file"),
        (["a/1.png": "gray.png", "loose.png": "gray.png"], "loose.png: lies beside the class folders"),
        (["notes.txt": nil], ": holds no .png file and no class folder (1 other file, e.g. notes.txt)"),
    ] as [([String: String?], String)])
    func badInput(files: [String: String?], phrase: String) {
        let root = Self.folder(files)
        #expect { _ = try Self.load(root) } throws: { error in
            "\(error)".contains(phrase) && "\(error)".contains(root) && !"\(error)".contains("\n")
        }
    }

    @Test("a palette of grays reads as gray, 1-bit images as 0 and 255 (said), transparency is named even in a gray folder")
    func conversions() throws {
        let dataset = try Self.load(Self.folder(["a/1.png": "gray.png", "a/2.png": "gray-palette.png", "a/3.png": "one-bit.png"]))
        // one-bit.png: pixel p is 1 (255) when p is odd.
        #expect(dataset.imageChannels == 1 && dataset.features == Self.gray + Self.gray + (0..<12).map { Float($0 % 2 * 255) })
        #expect(dataset.notes.contains { $0.contains("1 image of 1, 2 or 4 bits a pixel expanded exactly to 0–255") })
        #expect(dataset.notes.contains { $0.contains("1 palette image expanded to their colours") })
        let root = Self.folder(["a/1.png": "gray.png", "a/2.png": "transparent.png"])
        #expect { _ = try Self.load(root) } throws: { "\($0)".contains("a/2.png: has transparent pixels") }
    }

    @Test("a symbolic link back to a folder already read, and an empty file, are named")
    func linksAndEmptyFiles() throws {
        let root = Self.folder(["a/1.png": "gray.png", "b/2.png": "gray.png"])
        try FileManager.default.createSymbolicLink(atPath: root + "/b/loop", withDestinationPath: "..")
        #expect { _ = try Self.load(root) } throws: { "\($0)".contains("b/loop: leads (through a symbolic link) to") && "\($0)".contains("a folder already read") }
        let twin = Self.folder(["a/1.png": "gray.png"])
        try FileManager.default.createSymbolicLink(atPath: twin + "/b", withDestinationPath: twin + "/a")
        #expect { _ = try Self.load(twin) } throws: { "\($0)".contains("/b: leads (through a symbolic link) to") }
        let empty = Self.folder(["a/1.png": "gray.png", "a/2.png": "empty.png"])
        #expect { _ = try Self.load(empty) } throws: { "\($0)".contains("a/2.png: is empty (0 bytes), not a PNG image") }
    }

    @Test("a file or a missing path is not a folder")
    func notAFolder() {
        #expect { _ = try Self.load(Self.fixtures + "/gray.png") } throws: { "\($0)".contains("is a file, not a folder of PNG images") }
        #expect { _ = try Self.load("/no/such/folder") } throws: { "\($0)".contains("/no/such/folder: no such folder") }
    }
}
