import Foundation
import JSONConfig
import Testing
@testable import Sweeps

@Suite("TrialIdentifier")
struct TrialIdentifierTests {
    @Test("the id is the first 16 hex digits of SHA-256 of the compact config (as sha256sum and hashlib give)")
    func knownDigest() throws {
        // printf '{"a":1}' | sha256sum → 015abd7f5cc57a2d…
        #expect(TrialIdentifier.identifier(.object([("a", .number(1))]), baseDirectory: "/") == "015abd7f5cc57a2d")
    }

    @Test("the description is left out and data paths are taken relative to the base config's folder")
    func canonicalText() throws {
        let resolved = try JSONParser.parse(#"{"description": "x", "data": {"source": "npy", "path": "/sweeps/data/x.npy"}, "training": {"seed": 3}}"#)
        let text = TrialIdentifier.canonicalText(resolved, baseDirectory: "/sweeps")
        #expect(text == #"{"data":{"source":"npy","path":"data/x.npy"},"training":{"seed":3}}"#)
        // Same sweep mounted elsewhere: same id.
        let moved = try JSONParser.parse(#"{"data": {"source": "npy", "path": "/mnt/b/data/x.npy"}, "training": {"seed": 3}}"#)
        #expect(TrialIdentifier.identifier(resolved, baseDirectory: "/sweeps") == TrialIdentifier.identifier(moved, baseDirectory: "/mnt/b"))
        #expect(TrialIdentifier.identifier(resolved, baseDirectory: "/sweeps") == "672a1ba1f25b6702")
    }

    @Test("relative paths climb out of the base folder when needed")
    func relativePaths() {
        #expect(TrialIdentifier.relativePath("/a/b/c.npy", from: "/a/b") == "c.npy")
        #expect(TrialIdentifier.relativePath("/a/d/c.npy", from: "/a/b") == "../d/c.npy")
        #expect(TrialIdentifier.relativePath("/a/b", from: "/a/b") == ".")
    }
}
