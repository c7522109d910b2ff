import Foundation
import Imaging

/// Reads a folder of PNG files (`data.source: "png_folder"`): one subfolder per class, as torchvision's
/// `ImageFolder` (classes are the subfolders in sorted name order, their files in sorted path order, subfolders
/// of a class searched too), or PNG files directly in the folder for unlabelled data. Images are decoded once by
/// libpng (`PNGExample`: 8-bit gray or RGB, exact values; palette images expanded, opaque alpha dropped) and kept as
/// bytes, channels first; every image must have the first one's size and channels.
///
/// Hidden entries (`.ipynb_checkpoints`, `.DS_Store`) are skipped, folders too (torchvision would make a hidden
/// folder a class); files that are not `.png` (a README) are skipped and counted on the start line; PNG files beside
/// class folders, an empty class folder, a folder with no image, a PNG that cannot be decoded, 16-bit or
/// transparent images and images that differ in size or channels are errors naming the file.
public enum PNGFolderReader {
    /// The folder's images, labels and class names. `options` report progress (one step per image) and get the
    /// early check on the first images.
    public static func read(_ folder: String, options: DataReadOptions = DataReadOptions()) throws(DataError) -> (bytes: [UInt8], shape: [Int], labels: [Double]?, classNames: [String]?, notes: [String]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else { throw DataError(file: folder, "no such folder") }
        guard isDirectory.boolValue else { throw DataError(file: folder, "is a file, not a folder of PNG images (data.source \"png_folder\" reads a folder: one subfolder per class, or PNG files)") }
        let top = try entries(of: folder)
        var skipped: [String] = []
        var files: [(path: String, label: Int?)] = []
        var classNames: [String]?
        if !top.folders.isEmpty {
            if let loose = top.images.first {
                throw DataError(file: loose, "lies beside the class folders of \(folder); put it in a class folder or remove it (a folder holds either one subfolder per class or images)")
            }
            classNames = top.folders.map { URL(fileURLWithPath: $0).lastPathComponent }
            skipped += top.others
            var visited: Set<String> = [realPath(folder)]
            for (label, classFolder) in top.folders.enumerated() {
                var found: [String] = []
                try collect(classFolder, into: &found, skipped: &skipped, visited: &visited)
                guard !found.isEmpty else {
                    throw DataError(file: classFolder, "is a class folder with no .png file; add its images or remove the folder")
                }
                files += found.map { ($0, label) }
            }
        } else {
            skipped += top.others
            files = top.images.map { ($0, nil) }
        }
        guard let first = files.first else {
            throw DataError(file: folder, "holds no .png file and no class folder\(skipped.isEmpty ? "" : " (\(skipped.count == 1 ? "1 other file" : "\(skipped.count) other files"), e.g. \(URL(fileURLWithPath: skipped[0]).lastPathComponent))")")
        }
        let monitor = ReadMonitor(options)
        let firstHeader = try header(first.path)
        let (width, height) = (firstHeader.width, firstHeader.height)
        var firstFormat: PixelFormat?
        var bytes: [UInt8] = []
        var palettes = 0, opaqueAlphas = 0, lowBitDepths = 0
        let firstName = relative(first.path, to: folder)
        for (index, file) in files.enumerated() {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file.path), options: .alwaysMapped) } catch { throw DataError(file: file.path, "cannot be read") }
            // The size from the header before decoding; the channels after (a gray palette decodes gray).
            let shape = try header(file.path, data: data)
            guard shape.width == width, shape.height == height else {
                throw DataError(file: file.path, "is \(shape.width)×\(shape.height) pixels, but \(firstName), the first image, is \(width)×\(height); every image of a folder must have the same size and channels")
            }
            let example: PNGExample
            do { example = try PNGExample(pngData: data) } catch { throw DataError(file: file.path, error.message) }
            if let firstFormat, example.image.format != firstFormat {
                throw DataError(file: file.path, "is \(describe(example)), but \(firstName), the first image, is \(describe((width, height, firstFormat))); every image of a folder must have the same size and channels")
            }
            if firstFormat == nil {
                firstFormat = example.image.format
                let perImage = width * height * example.image.format.channels
                guard perImage.multipliedReportingOverflow(by: files.count).partialValue <= 1 << 34 else {
                    throw DataError(file: folder, "holds \(files.count) images of \(perImage) values, more than memory can hold")
                }
                bytes = [UInt8](repeating: 0, count: perImage * files.count)
            }
            if example.expandedPalette { palettes += 1 } else if example.bitDepth < 8 { lowBitDepths += 1 }
            if example.droppedOpaqueAlpha { opaqueAlphas += 1 }
            // Interleaved (y, x, c) to channels first (c, y, x), as the convolutions read it.
            let channels = example.image.format.channels, perImage = width * height * channels, base = index * perImage
            example.image.pixels.withUnsafeBufferPointer { pixels in
                for c in 0..<channels {
                    for pixel in 0..<(width * height) { bytes[base + c * width * height + pixel] = pixels[pixel * channels + c] }
                }
            }
            if index + 1 == min(files.count, 64) {
                let preview = bytes[..<(perImage * (index + 1))]
                try monitor.check(DataPreview(file: folder, elementType: .uint8, rows: index + 1, columns: perImage, values: preview.map(Float.init),
                                              minimum: preview.min().map(Double.init), maximum: preview.max().map(Double.init), totalRows: files.count))
            }
            monitor.report(Double(index + 1) / Double(files.count))
        }
        let format = firstFormat!
        monitor.finish()
        let name = URL(fileURLWithPath: folder).lastPathComponent
        var notes = ["\(name): \(files.count) PNG images of \(width)×\(height) \(format == .rgb ? "RGB" : "gray")"
                     + (classNames.map { names in " in \(names.count) class\(names.count == 1 ? "" : "es"), by sorted folder name: " + names.enumerated().prefix(12).map { "\($0.offset) = \(DisplayText.quoted($0.element))" }.joined(separator: ", ") + (names.count > 12 ? ", …" : "") } ?? ", unlabelled (no class folders)")]
        if lowBitDepths > 0 { notes.append("\(name): \(lowBitDepths == 1 ? "1 image" : "\(lowBitDepths) images") of 1, 2 or 4 bits a pixel expanded exactly to 0–255 (v·255/(2^bits − 1))") }
        if palettes > 0 { notes.append("\(name): \(palettes == 1 ? "1 palette image" : "\(palettes) palette images") expanded to their colours") }
        if opaqueAlphas > 0 { notes.append("\(name): the alpha channel of \(opaqueAlphas == 1 ? "1 image" : "\(opaqueAlphas) images") dropped (opaque everywhere)") }
        if !skipped.isEmpty {
            notes.append("\(name): \(skipped.count == 1 ? "1 file that is not .png" : "\(skipped.count) files that are not .png") skipped (\(skipped.prefix(3).map { DisplayText.quoted(relative($0, to: folder)) }.joined(separator: ", "))\(skipped.count > 3 ? ", …" : ""))")
        }
        let shape = format == .rgb ? [files.count, 3, height, width] : [files.count, height, width]
        return (bytes, shape, classNames == nil ? nil : files.map { Double($0.label!) }, classNames, notes)
    }

    /// The sorted class folders, PNG files and other files directly in `folder` (hidden entries included among
    /// the others, so they are counted).
    static func entries(of folder: String) throws(DataError) -> (folders: [String], images: [String], others: [String]) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }
        catch { throw DataError(file: folder, "cannot be listed") }
        var result: (folders: [String], images: [String], others: [String]) = ([], [], [])
        for name in names {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue && !name.hasPrefix(".") { result.folders.append(path) }
            else if !isDirectory.boolValue && name.lowercased().hasSuffix(".png") && !name.hasPrefix(".") { result.images.append(path) }
            else { result.others.append(path) }
        }
        return result
    }

    /// Every PNG file under `folder`, its own sorted before its subfolders' (torchvision walks a class folder the
    /// same way), and the other files.
    /// A folder that resolves (through links) to one already read is an error: a link back up would read the
    /// same images again, and two class folders linked to one would give them two labels.
    static func collect(_ folder: String, into images: inout [String], skipped: inout [String], visited: inout Set<String>) throws(DataError) {
        let real = realPath(folder)
        guard visited.insert(real).inserted else {
            throw DataError(file: folder, "leads (through a symbolic link) to \(real), a folder already read; its images would be read twice: remove the link")
        }
        let here = try entries(of: folder)
        images += here.images
        skipped += here.others
        for subfolder in here.folders { try collect(subfolder, into: &images, skipped: &skipped, visited: &visited) }
    }

    static func realPath(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path }

    static func header(_ path: String, data: Data? = nil) throws(DataError) -> (width: Int, height: Int, format: PixelFormat) {
        let bytes: Data
        if let data { bytes = data } else {
            do { bytes = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch { throw DataError(file: path, "cannot be read") }
        }
        do { return try PNGExample.header(of: bytes) } catch { throw DataError(file: path, error.message) }
    }

    static func describe(_ shape: (width: Int, height: Int, format: PixelFormat)) -> String {
        "\(shape.width)×\(shape.height) \(shape.format == .rgb ? "RGB" : "gray")"
    }

    static func describe(_ example: PNGExample) -> String {
        describe((example.image.width, example.image.height, example.image.format)) + (example.expandedPalette ? " (a palette image)" : "")
    }

    static func relative(_ path: String, to folder: String) -> String {
        path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
    }
}
