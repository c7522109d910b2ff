import Foundation

/// `data.source: "png_folder"`: a folder of PNG images, one subfolder per class (`PNGFolderReader`), decoded once
/// and kept as bytes, channels first.
public struct PNGFolderSource: DataSourceKind {
    public let name = "png_folder"

    /// A folder (an existing one, or a path ending in "/").
    public func claims(path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    public func load(_ source: DataSource, path: String?, labelsPath: String?, scale: DataSource.Scale, options: DataReadOptions) throws(DataError) -> Dataset {
        let folder = try PNGFolderReader.read(path!, options: options)
        let largest = folder.bytes.max() ?? 0
        var summary = ArraySummary()
        summary.largestMagnitude = Float(largest)
        (summary.minimum, summary.maximum) = (Double(folder.bytes.min() ?? 0), Double(largest))
        let width = folder.shape.dropFirst().reduce(1, *)
        var dataset = try DataSource.dataset(shape: folder.shape, elementType: .uint8, summary: summary, labels: folder.labels, file: path!, labelsFile: path!,
                                             scale: scale, layout: "nchw", classNames: folder.classNames) { divisor, _ in
            ByteRows(folder.bytes, width: width, divisor: divisor ?? 1)
        }
        dataset.notes.insert(contentsOf: folder.notes, at: 0)
        return dataset
    }
}
