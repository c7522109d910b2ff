import Foundation
import RunLog
import Testing

@Suite("anneal evaluate --codes --factors")
struct CodeDisentanglementTests {
    /// A folder with codes.npy (N × 3: the two factors and a column independent of both) and factors.npy (N × 2).
    static func files(rows: Int = 120) throws -> (folder: URL, codes: String, factors: String) {
        let folder = try AnnealProcess.temporaryDirectory()
        var codes = [Float](), factors = [Int32]()
        for r in 0..<rows {
            let a = r % 3, b = (r / 3) % 4
            codes += [Float(a), Float(b), Float((r / 12) % 10) / 10]  // the third independent of both factors
            factors += [Int32(a), Int32(b)]
        }
        let codesPath = folder.appendingPathComponent("codes.npy").path, factorsPath = folder.appendingPathComponent("factors.npy").path
        try NPYWriter.write(codes, shape: [rows, 3], to: codesPath)
        try NPYWriter.write(factors, shape: [rows, 2], to: factorsPath)
        return (folder, codesPath, factorsPath)
    }

    @Test("JSON: each metric with its definition, figures, sample sizes, seed and the fallback notes")
    func json() throws {
        let (_, codes, factors) = try Self.files()
        let result = try AnnealProcess.run(["evaluate", "--codes", codes, "--factors", factors, "--factor-names", "shape,size",
                                            "--metrics", "mig,dci,unsupervised", "--seed", "3", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
        #expect(object["seed"] as? Int == 3)
        let metrics = object["metrics"] as! [String: Any]
        #expect(Set(metrics.keys) == ["mig", "dci", "unsupervised"])
        let mig = metrics["mig"] as! [String: Any]
        let figures = mig["figures"] as! [String: Any]
        #expect(abs((figures["score"] as! Double) - 1) < 1e-12)  // codes 0 and 1 are the factors exactly
        #expect((mig["definition"] as! String).contains("20 equal-width bins"))
        #expect((mig["notes"] as! [String]).contains { $0.contains("all 120 are used") })
        let dci = metrics["dci"] as! [String: Any]
        #expect((dci["sample_sizes"] as! [String: Int]) == ["train": 80, "test": 40])
        #expect(dci["seed"] as? Int == 3)
        #expect(((object["input"] as! [String: Any])["factor_names"] as! [String]) == ["shape", "size"])
    }

    @Test("text: figures with their names, definitions, sample sizes and seed; --codes alone gives the unsupervised scores")
    func text() throws {
        let (_, codes, factors) = try Self.files()
        let result = try AnnealProcess.run(["evaluate", "--codes", codes, "--factors", factors, "--metrics", "mig"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("MIG\n  MIG: 1.0000") && result.standardOutput.contains("definition: mutual information gap"))
        #expect(result.standardOutput.contains("sample sizes: examples 120; no random draws"))
        let alone = try AnnealProcess.run(["evaluate", "--codes", codes])
        #expect(alone.status == 0 && alone.standardOutput.contains("unsupervised scores") && !alone.standardOutput.contains("MIG"))
        #expect(alone.standardOutput.contains("Gaussian total correlation:") && alone.standardOutput.contains("seed 0"))
    }

    @Test("a factor with a single value is left out with a note")
    func singleValuedFactor() throws {
        let folder = try AnnealProcess.temporaryDirectory()
        let codes = folder.appendingPathComponent("c.npy").path, factors = folder.appendingPathComponent("f.npy").path
        try NPYWriter.write((0..<60).flatMap { [Float($0 % 3), Float($0 % 5)] }, shape: [60, 2], to: codes)
        try NPYWriter.write((0..<60).flatMap { [Int32($0 % 3), 4] }, shape: [60, 2], to: factors)
        let result = try AnnealProcess.run(["evaluate", "--codes", codes, "--factors", factors, "--metrics", "mig"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("note: factor factor_1 has a single value in every row (entropy 0): it is left out of every metric"))
    }

    @Test("bad input: a one-line error naming the file or flag, non-zero exit")
    func badInput() throws {
        let (folder, codes, factors) = try Self.files()
        func write(_ values: [Float], _ shape: [Int], _ name: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try NPYWriter.write(values, shape: shape, to: path)
            return path
        }
        let shortFactors = try write([0, 1, 0, 1], [2, 2], "short.npy")
        let nanCodes = try write([0, 1, .nan, 1], [2, 2], "nan-codes.npy")
        let halfFactors = try write((0..<240).map { $0 == 5 ? 0.5 : Float($0 % 2) }, [120, 2], "half.npy")
        let negativeFactors = try write((0..<240).map { $0 == 7 ? -1 : Float($0 % 2) }, [120, 2], "negative.npy")
        let nanFactors = try write((0..<240).map { $0 == 9 ? .nan : Float($0 % 2) }, [120, 2], "nan-factors.npy")
        let tinyCodes = try write([0, 1, 2, 3, 4, 5], [3, 2], "tiny-codes.npy")
        let tinyFactors = try write([0, 1, 0], [3, 1], "tiny-factors.npy")
        let cases: [([String], String)] = [
            (["--codes", codes, "--factors", shortFactors], "has 2 rows but --codes"),
            (["--codes", nanCodes], "row 1, column 0 is nan"),
            (["--codes", codes, "--factors", halfFactors], "row 2, factor 1 is 0.5"),
            (["--codes", codes, "--factors", negativeFactors], "row 3, factor 1 is -1.0"),
            (["--codes", codes, "--factors", nanFactors], "row 4, factor 1 is nan"),
            (["--codes", codes, "--factors", factors, "--metrics", "mig,bogus"], "unknown metric \"bogus\""),
            (["--codes", codes, "--metrics", "dci"], "needs the examples' factors"),
            (["--codes", codes, "--factors", factors, "--factor-names", "a"], "--factor-names names 1 factors"),
            (["--codes", tinyCodes, "--factors", tinyFactors, "--metrics", "sap"], "needs at least 10"),
            (["--codes", folder.appendingPathComponent("missing.npy").path], "no such file"),
            (["--factors", factors], "give a run folder or checkpoint"),
        ]
        for (arguments, expected) in cases {
            let result = try AnnealProcess.run(["evaluate"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.standardError.contains(expected), "\(arguments): \(result.standardError)")
            #expect(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1 || expected == "give a run folder or checkpoint", "\(arguments): \(result.standardError)")
        }
    }
}
