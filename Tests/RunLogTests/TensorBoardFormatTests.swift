import Foundation
import Testing
@testable import RunLog

/// The test vectors and byte-exact records of ../shared/reference/tensorboard-format.md.
@Suite("TensorBoard format")
struct TensorBoardFormatTests {
    static func hex(_ text: String) -> [UInt8] {
        var result: [UInt8] = []
        for token in text.split(separator: " ") {
            if token.hasPrefix("\"") { result += Array(token.dropFirst().dropLast().utf8) } else { result.append(UInt8(token, radix: 16)!) }
        }
        return result
    }

    @Test("CRC-32C table and vectors (RFC 3720 B.4 among them), and masking")
    func crc() {
        #expect(CRC32C.table[1] == 0xF26B_8303 && CRC32C.table[128] == 0x82F6_3B78 && CRC32C.table[255] == 0xAD7D_5351)
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.masked(Array("123456789".utf8)) == 0xC78A_B0E5)
        #expect(CRC32C.checksum([UInt8]()) == 0 && CRC32C.masked([UInt8]()) == 0xA282_EAD8)
        #expect(CRC32C.checksum(Array("a".utf8)) == 0xC1D0_4330 && CRC32C.masked(Array("a".utf8)) == 0x28E4_6E78)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map(UInt8.init)) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map(UInt8.init)) == 0x113F_DB5C)
        #expect(CRC32C.masked([0x1A, 0x11] + Array("CRC test, one two".utf8)) == 0x5794_D08A)
    }

    @Test("a scalar record and the file-version record, byte for byte")
    func records() {
        let scalar = TensorBoardEvents.record(TensorBoardEvents.scalarsEvent(wallTime: 1, step: 3, scalars: [("a", 0.5)]))
        #expect(scalar == Self.hex("17 00 00 00 00 00 00 00 e7 ce f8 1e 09 00 00 00 00 00 00 f0 3f 10 03 2a 0a 0a 08 0a 01 61 15 00 00 00 3f a4 69 2d 17"))
        let version = TensorBoardEvents.record(TensorBoardEvents.fileVersionEvent(wallTime: 1))
        #expect(version == Self.hex("18 00 00 00 00 00 00 00 a3 7f 4b 22 09 00 00 00 00 00 00 f0 3f 1a 0d 62 72 61 69 6e 2e 45 76 65 6e 74 3a 32 86 bf 57 7a"))
        var negative = ProtobufWriter()
        negative.varint(UInt64(bitPattern: -1))
        #expect(negative.bytes == Self.hex("ff ff ff ff ff ff ff ff ff 01"))
        var three = ProtobufWriter()
        three.varint(300)
        #expect(three.bytes == [0xAC, 0x02])
    }

    @Test("the Custom Scalars layout summary and record, byte for byte")
    func customScalars() {
        var summary = ProtobufWriter()
        TensorBoardEvents.customScalarsSummary([("Hierarchical_Comparison", [("loss", ["loss/train", "loss/val"])])])(&summary)
        let expected = Self.hex(#"0a 71 0a 18 "custom_scalars__config__" 42 41 08 07 12 00 42 3b 12 39 0a 17 "Hierarchical_Comparison" 12 1e 0a 04 "loss" 12 16 0a 0a "loss/train" 0a 08 "loss/val" 4a 12 0a 10 0a 0e "custom_scalars""#)
        #expect(summary.bytes == expected)
        let record = TensorBoardEvents.record(TensorBoardEvents.summaryEvent(wallTime: 1, step: 0) { $0 = summary })
        #expect(record.count == 142)
        #expect(Array(record.prefix(23)) == Self.hex("7e 00 00 00 00 00 00 00 d8 c6 5c 75 09 00 00 00 00 00 00 f0 3f 2a 73"))
        #expect(Array(record.suffix(4)) == Self.hex("f4 8b e0 fa"))
    }

    @Test("HParams experiment, session start and session end summaries, byte for byte")
    func hparams() {
        var experiment = ProtobufWriter()
        TensorBoardEvents.hparamsExperimentSummary(hparams: [("lr", .number(0.01))], metrics: ["hparam/accuracy"])(&experiment)
        #expect(experiment.bytes == Self.hex(#"0a 44 0a 14 "_hparams_/experiment" 4a 2c 0a 2a 0a 07 "hparams" 12 1f 12 1d 22 06 0a 02 "lr" 20 03 2a 13 0a 11 12 0f "hparam/accuracy""#))
        var start = ProtobufWriter()
        TensorBoardEvents.hparamsSessionStartSummary(hparams: [("lr", .number(0.01))])(&start)
        #expect(start.bytes == Self.hex(#"0a 40 0a 1c "_hparams_/session_start_info" 4a 20 0a 1e 0a 07 "hparams" 12 13 1a 11 0a 0f 0a 02 "lr" 12 09 11 7b 14 ae 47 e1 7a 84 3f"#))
        var end = ProtobufWriter()
        TensorBoardEvents.hparamsSessionEndSummary(success: true)(&end)
        #expect(end.bytes == Self.hex(#"0a 2f 0a 1a "_hparams_/session_end_info" 4a 11 0a 0f 0a 07 "hparams" 12 04 22 02 08 01"#))
    }

    @Test("the writer names the file as TensorBoard expects, starts with the version record, and keeps steps increasing per tag")
    func writer() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-tb-\(UUID().uuidString)/run").path
        let writer = try EventFileWriter(directory: directory, clock: { 1_795_263_096.5 })
        let name = URL(fileURLWithPath: writer.path).lastPathComponent
        #expect(name.hasPrefix("events.out.tfevents.1795263096."))
        writer.addScalars([("Batch/Beta", 0.25), ("Batch/KL_Loss", 3)], step: 0)
        writer.addScalars([("Batch/Beta", 0.5)], step: 1)
        writer.addScalars([("Batch/Beta", 0.75)], step: 1)  // a repeated step is dropped, not written
        writer.flush()
        let records = try EventFileReader.records(writer.path)
        #expect(records.count == 3)
        #expect(records[0] == TensorBoardEvents.fileVersionEvent(wallTime: 1_795_263_096.5))
        let scalars = try EventFileReader.scalars(writer.path)
        #expect(scalars.map(\.tag) == ["Batch/Beta", "Batch/KL_Loss", "Batch/Beta"])
        #expect(scalars.map(\.value) == [0.25, 3, 0.5] && scalars.map(\.step) == [0, 0, 1])
        #expect(writer.droppedScalars == 1)
        // A corrupted byte fails the strict reader instead of silently truncating.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: writer.path))
        bytes[bytes.count - 10] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: writer.path + ".bad"))
        #expect(throws: EventFileReader.Failure.self) { try EventFileReader.records(writer.path + ".bad") }
    }
}
