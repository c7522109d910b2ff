import Foundation
import Testing
@testable import Schedules

@Suite("Codable")
struct ScheduleCodableTests {
    @Test("schedules, KL weights and learning rates survive JSONEncoder and JSONDecoder", arguments: ScheduleConfigurationTests.roundTripConfigs)
    func roundTrip(text: String) throws {
        let configuration = try Fixtures.configuration(text, numEpochs: 60)
        let encoder = JSONEncoder()
        let beta = try JSONDecoder().decode(KLWeightSchedule.self, from: try encoder.encode(configuration.beta))
        #expect(beta == configuration.beta)
        for term in configuration.beta.terms {
            #expect(try JSONDecoder().decode(Schedule.self, from: try encoder.encode(term.schedule)) == term.schedule)
        }
        if let learningRate = configuration.learningRate {
            #expect(try JSONDecoder().decode(LearningRate.self, from: try encoder.encode(learningRate)) == learningRate)
        }
    }

    @Test("decoding checks values like reading a config does")
    func invalid() {
        let data = Data(#"{"type": "cyclical", "cycle_length": -1}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Schedule.self, from: data) }
    }
}
