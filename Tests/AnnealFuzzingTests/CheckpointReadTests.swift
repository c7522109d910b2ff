import Foundation
import Tensors
import Testing
@testable import AnnealFuzzing
@testable import Training

/// `Checkpoint.read` on the checkpoints the fuzz seeds and the fuzzer found wanting: each is refused with a
/// one-line reason instead of being read and failing later (a three-word generator state crashed the first
/// `next()`; a zero state gives zeros forever; a repeated tensor name wrote back differently).
@Suite("Checkpoint.read on damaged headers")
struct CheckpointReadTests {
    /// The error for a checkpoint whose bytes between the magic and the checksum are `body`.
    static func reason(_ body: [UInt8]) -> String? {
        var bytes = Array("ANNEALCK".utf8) + body
        withUnsafeBytes(of: FuzzTarget.fnv1a(bytes).littleEndian) { bytes.append(contentsOf: $0) }
        let path = NSTemporaryDirectory() + "anneal-checkpoint-\(UUID().uuidString).ckpt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            _ = try Checkpoint.read(path)
            return nil
        } catch {
            #expect(error.path == path)
            return error.reason
        }
    }

    /// A format-2 body: the header's length, the header, the tensor data.
    static func body(_ header: String, _ data: [UInt8] = []) -> [UInt8] {
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8) + data
    }

    static let optimizer = #"{"configuration":{"adam":{"beta1":0.9,"beta2":0.999,"epsilon":1e-08,"weightDecay":0}},"step":0,"skipped_steps":0}"#
    static func header(state: String = #"{"generator":{"state":[1,2,3,4]}}"#, tensors: String) -> String {
        #"{"format_version":2,"state":\#(state),"optimizer":\#(optimizer),"configuration":"{}","tensors":\#(tensors)}"#
    }

    @Test("a good body reads; the same with damage says what is wrong", arguments: [
        (body(header(tensors: #"[{"name":"w","count":2}]"#), [0, 0, 128, 63, 0, 0, 0, 64]), nil),
        (body(header(state: #"{"generator":{"state":[1,2,3]}}"#, tensors: "[]")),
         "has a damaged random generator state (3 words; xoshiro256** needs four words, not all zero)"),
        (body(header(state: #"{"generator":{"state":[0,0,0,0]}}"#, tensors: "[]")),
         "has a damaged random generator state (4 words, all zero; xoshiro256** needs four words, not all zero)"),
        (body(header(state: #"{"generator":{"state":[1,2,3,4]},"position":{"epoch":0,"order":[],"order_generator":{"state":[5,6]},"nextBatch":1,"sums":{"examples":0,"loss":0,"terms":[],"klPerDimension":[],"skippedSteps":0,"gradientNormSum":0,"steps":0}}}"#, tensors: "[]")),
         "has a damaged epoch order's generator state (2 words; xoshiro256** needs four words, not all zero)"),
        (body(header(tensors: #"[{"name":"w","count":1},{"name":"w","count":1}]"#), [0, 0, 0, 0, 0, 0, 0, 0]), "holds the tensor \"w\" twice"),
        (body(header(tensors: #"[{"name":"w","count":-1}]"#)), "is truncated in tensor \"w\" (-1 values, 0 left in the file)"),
        (body(header(tensors: #"[{"name":"w\u001b[2J","count":4611686018427387904}]"#)),
         "is truncated in tensor \"w\\u{1B}[2J\" (4611686018427387904 values, 0 left in the file)"),
        (body(header(tensors: "[]"), [1, 2, 3]), "has 3 bytes after its last tensor; the header does not match the data"),
        (withUnsafeBytes(of: (UInt64(1) << 63).littleEndian, Array.init) + Array("{}".utf8), "has an unreadable header (it says it is 9223372036854775808 bytes, 2 follow)"),
        (body(#"{"format_version":2}"#), "has an unreadable header (no \"state\" in the header)"),
        (body(#"{"format_version":"2"}"#), "has an unreadable header (\"format_version\" is not Int)"),
        (body(#"{"format_version":2"#), "has an unreadable header (the header: The given data was not valid JSON.)"),
        (body(#"{"format_version":7}"#), "has format version 7; this anneal reads versions 1 and 2"),
    ] as [([UInt8], String?)])
    func damaged(body: [UInt8], expected: String?) {
        #expect(Self.reason(body) == expected)
    }

    @Test("not a checkpoint, a directory, a missing file")
    func notCheckpoints() throws {
        let path = NSTemporaryDirectory() + "anneal-checkpoint-\(UUID().uuidString).ckpt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data("not a checkpoint at all".utf8))
        #expect { try Checkpoint.read(path) } throws: { ($0 as? CheckpointError)?.reason == "is not an anneal checkpoint" }
        #expect { try Checkpoint.read(NSTemporaryDirectory()) } throws: { ($0 as? CheckpointError)?.reason == "is a directory, not a checkpoint" }
        #expect { try Checkpoint.read("/no/such.ckpt") } throws: { ($0 as? CheckpointError)?.reason == "no such checkpoint" }
    }
}
