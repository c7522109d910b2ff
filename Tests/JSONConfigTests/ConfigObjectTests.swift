import Testing
@testable import JSONConfig

@Suite("ConfigObject")
struct ConfigObjectTests {
    func object(_ text: String) throws -> ConfigObject {
        try ConfigObject(try JSONParser.parse(text, file: "f.json"), path: ConfigKeyPath.root.appending("params"), file: "f.json")
    }

    @Test("typed readers return values and record the keys they were asked for")
    func readers() throws {
        let p = try object(#"{"n": 2.0, "s": "x", "b": false, "o": {"k": 1}, "a": [1, 2]}"#)
        #expect(try p.integer("n") == 2)
        #expect(try p.number("n") == 2)
        #expect(try p.string("s") == "x")
        #expect(try p.bool("b") == false)
        #expect(try p.object("o")?.integer("k") == 1)
        #expect(try p.node("a")?.array().count == 2)
        #expect(try p.number("missing") == nil)
        try p.finish(context: "test")
    }

    @Test("errors name the file, line, column, key path and the bad value")
    func typeErrors() throws {
        let p = try object("{\n  \"n\": \"ten\",\n  \"x\": NaN,\n  \"i\": 2.5\n}")
        #expect(throws: ConfigError(file: "f.json", position: SourcePosition(line: 2, column: 8), keyPath: ConfigKeyPath([.key("params"), .key("n")]), message: "must be a number, got \"ten\" (a string)")) {
            try p.number("n")
        }
        do { _ = try p.number("x"); Issue.record("no error") } catch {
            #expect(error.description == "f.json:3:8: params.x: must be a finite number, got NaN")
        }
        do { _ = try p.integer("i"); Issue.record("no error") } catch {
            #expect(error.description == "f.json:4:8: params.i: must be a whole number, got 2.5")
        }
    }

    @Test("an unknown key is an error that suggests the nearest allowed key and lists them")
    func unknownKey() throws {
        let p = try object(#"{"cycle_lenght": 20, "max_beta": 1}"#)
        _ = try p.number("cycle_length")
        _ = try p.number("max_beta")
        do { try p.finish(context: "cyclical schedule"); Issue.record("no error") } catch {
            #expect(error.keyPath?.description == "params.cycle_lenght")
            #expect(error.position == SourcePosition(line: 1, column: 2))
            #expect(error.message == "unknown key for the cyclical schedule; did you mean 'cycle_length'? allowed keys: cycle_length, max_beta")
        }
    }

    @Test("giving two of a set of alternative keys is an error naming both")
    func oneOf() throws {
        let p = try object(#"{"warmup_epochs": 10, "warmup_ratio": 0.5}"#)
        do { _ = try p.oneOf(["warmup_epochs", "warmup_steps", "warmup_ratio"]); Issue.record("no error") } catch {
            #expect(error.message == "give only one of warmup_epochs, warmup_steps, warmup_ratio; this config gives both warmup_epochs and warmup_ratio")
            #expect(error.keyPath?.description == "params.warmup_ratio")
        }
        let single = try object(#"{"warmup_steps": 10}"#)
        #expect(try single.oneOf(["warmup_epochs", "warmup_steps"]) == "warmup_steps")
    }

    @Test("a non-object where an object is needed is an error")
    func notAnObject() throws {
        #expect(throws: ConfigError.self) { try ConfigObject(.array([]), path: .root, file: nil) }
    }

    @Test("choices list what is allowed and suggest the nearest")
    func choice() throws {
        let node = ConfigNode(.string("cosin"), path: ConfigKeyPath([.key("wave_type")]), file: nil)
        do { _ = try node.choice(["cosine", "triangle", "ramp"], what: "wave_type"); Issue.record("no error") } catch {
            #expect(error.message == "unknown wave_type \"cosin\"; did you mean 'cosine'? allowed: cosine, triangle, ramp")
        }
    }
}
