import JSONConfig
import Testing
@testable import Sweeps

@Suite("SweepAxis")
struct SweepAxisTests {
    @Test("values are JSON split at top-level commas; bare words are strings")
    func values() throws {
        let axis = try SweepAxis.parse(#"model.hidden_sizes=[64,64],[128],"a,b",adam,true,1e-3"#)
        #expect(axis.path == ["model", "hidden_sizes"] && axis.keyPath == "model.hidden_sizes")
        #expect(axis.texts == ["[64,64]", "[128]", #""a,b""#, "adam", "true", "1e-3"])
        #expect(axis.values.map(JSONWriter.compact) == ["[64,64]", "[128]", #""a,b""#, #""adam""#, "true", "0.001"])
    }

    @Test("errors name the flag and say what is allowed", arguments: [
        ("training.learning_rate", "expected KEY.PATH=VALUE"),
        ("training=1", "is a whole section"),
        ("training..x=1", "must be keys of letters"),
        ("training.learning_rate=0.1,,0.2", "value 2 is empty"),
        ("training.learning_rate=0.1,1e-1", "the value 1e-1 is given twice"),
        ("training.learning_rate=NaN", "is not a JSON value"),
    ])
    func errors(argument: String, expected: String) {
        #expect {
            try SweepAxis.parse(argument)
        } throws: { error in
            let error = error as! SweepError
            return error.isUsage && error.message.hasPrefix("--set ") && error.message.contains(expected)
        }
    }
}
