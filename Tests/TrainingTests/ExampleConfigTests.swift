import Foundation
import Schedules
import Testing
@testable import Training

@Suite("Example run configs")
struct ExampleConfigTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples").path

    static var runConfigs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { name in
            guard name.hasSuffix(".json"), let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { return false }
            return text.contains("\"data\"")
        }.sorted()
    }

    @Test("every run config in examples/ loads, gives no schedule warning, and its data loads", arguments: runConfigs)
    func loads(name: String) throws {
        let configuration = try RunConfiguration.load(file: Self.directory + "/" + name)
        #expect(configuration.schedules.warnings(over: RunWindow(numEpochs: configuration.training.numEpochs)).isEmpty)
        let dataset = try configuration.data.load()
        #expect(dataset.count > 0)
        // And anneal schedule reads the same file.
        _ = try ScheduleConfiguration.load(file: Self.directory + "/" + name, otherTrainingKeys: RunConfiguration.trainingKeys)
    }

    @Test("there is a quick start and one run config per seed example")
    func present() {
        for name in ["quickstart.json"] { #expect(Self.runConfigs.contains(name)) }
        #expect(Self.runConfigs.count >= 5)
    }
}
