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

    @Test("every data file's path is relative in the id: validation, test, difficulty and label files too, so a sweep moved to another mount keeps its ids")
    func everyDataPathRelative() throws {
        func config(_ root: String) throws -> JSONValue {
            try JSONParser.parse(#"{"data": {"source": "npy", "path": "ROOT/d/x.npy", "labels_path": "ROOT/d/y.npy", "validation_path": "ROOT/d/vx.npy", "validation_labels_path": "ROOT/d/vy.npy", "test_path": "ROOT/d/tx.npy", "test_labels_path": "ROOT/d/ty.npy", "difficulty_path": "ROOT/d/h.npy"}}"#
                .replacingOccurrences(of: "ROOT", with: root))
        }
        let text = TrialIdentifier.canonicalText(try config("/sweeps"), baseDirectory: "/sweeps")
        #expect(!text.contains("/sweeps"), "\(text)")
        #expect(text.contains(#""validation_path":"d/vx.npy""#) && text.contains(#""difficulty_path":"d/h.npy""#) && text.contains(#""test_labels_path":"d/ty.npy""#))
        #expect(TrialIdentifier.identifier(try config("/sweeps"), baseDirectory: "/sweeps") == TrialIdentifier.identifier(try config("/mnt/other"), baseDirectory: "/mnt/other"))
    }

    @Test("SHA-256 of the system's libcrypto gives the standard digests (FIPS 180-4 examples)")
    func digests() {
        #expect(SHA256Digest.hexadecimal([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hexadecimal(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hexadecimal(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("relative paths climb out of the base folder when needed")
    func relativePaths() {
        #expect(TrialIdentifier.relativePath("/a/b/c.npy", from: "/a/b") == "c.npy")
        #expect(TrialIdentifier.relativePath("/a/d/c.npy", from: "/a/b") == "../d/c.npy")
        #expect(TrialIdentifier.relativePath("/a/b", from: "/a/b") == ".")
    }
}
