import Foundation
import Testing
@testable import Data
import Tensors

@Suite("Images with channels")
struct ImageChannelsTests {
    /// Two examples of a 2 × 3 image with 3 channels, value = 100·n + 10·c + (y·3 + x) at (n, c, y, x), written in
    /// `order` ("nchw" or "nhwc") as float32.
    static func file(_ order: String) -> String {
        var values: [Float] = []
        for n in 0..<2 {
            if order == "nchw" {
                for c in 0..<3 { for y in 0..<2 { for x in 0..<3 { values.append(Float(100 * n + 10 * c + y * 3 + x)) } } }
            } else {
                for y in 0..<2 { for x in 0..<3 { for c in 0..<3 { values.append(Float(100 * n + 10 * c + y * 3 + x)) } } }
            }
        }
        let shape = order == "nchw" ? "(2, 3, 2, 3)" : "(2, 2, 3, 3)"
        return TestFiles.temporary("images.npy", TestFiles.npy(descr: "<f4", shape: shape, data: TestFiles.floats(values)))
    }

    @Test("(N, C, H, W) and (N, H, W, C) arrays are both stored channels first; the layout is C × H × W")
    func layouts() throws {
        // (2, 3, 2, 3): the second side is 3 (channels), the last 3 too: ambiguous without data.layout.
        var first = DataSource(kind: .npy, path: Self.file("nchw"))
        first.scale = .none
        #expect { _ = try first.load() } throws: { "\($0)".contains("cannot tell channels first (N, C, H, W) from channels last (N, H, W, C); give data.layout") }
        first.layout = "nchw"
        let a = try first.load()
        var last = DataSource(kind: .npy, path: Self.file("nhwc"))
        last.scale = .none
        last.layout = "nhwc"
        let b = try last.load()
        #expect(a.layout == Layout.image(channels: 3, height: 2, width: 3) && b.layout == a.layout)
        #expect(a.features == b.features)
        // Example 1, channel 2, row 1, column 0: 100 + 20 + 3 = 123, at 1·18 + (2·2 + 1)·3 + 0 = 33.
        #expect(b.features[33] == 123)
        #expect(DataDescription(b).imageChannels == 3 && Dataset(describedBy: DataDescription(b)).layout == b.layout)
    }

    @Test("the side of size 1, 3 or 4 settles the layout when only one side is; the start line says which")
    func settled() throws {
        // (2, 5, 4, 3): channels last.
        let values: [Float] = (0..<120).map { (index: Int) -> Float in Float(index % 7) / 7 }
        var source = DataSource(kind: .npy, path: TestFiles.temporary("rgb.npy", TestFiles.npy(descr: "<f4", shape: "(2, 5, 4, 3)", data: TestFiles.floats(values))))
        let dataset = try source.load()
        #expect(dataset.layout == Layout.image(channels: 3, height: 5, width: 4))
        #expect(dataset.notes.contains { $0.contains("read as (N, H, W, C), channels last") })
        source.layout = "nchw"  // (2, 5, 4, 3) as N, C, H, W: 5 channels of 4 × 3
        #expect(try source.load().layout == Layout.image(channels: 5, height: 4, width: 3))
    }
}
