import Tensors
import Testing
@testable import Evaluation

@Suite("Factor table sampler")
struct FactorTableSamplerTests {
    @Test("a batch is distinct rows that all have the fixed value; values with too few rows are never fixed")
    func batches() throws {
        // Factor 0: value 0 in 6 rows, value 1 in 3 rows, value 2 in 1 row (an incomplete grid).
        let values = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2]
        let factors = try GroundTruthFactors(names: ["a"], count: values.count, values: values)
        let codes = values.indices.map { Double($0) }  // the code is the row's index
        var sampler = try FactorTableSampler(codes: codes, codeDimensions: 1, factors: factors)
        var generator = RandomGenerator(seed: 0)
        for _ in 0..<50 {
            let batch = try sampler.codes(count: 3, factor: 0, value: 0, generator: &generator).map { Int($0) }
            #expect(Set(batch).count == 3 && batch.allSatisfy { values[$0] == 0 })
            let value = try sampler.fixedValue(factor: 0, count: 3, generator: &generator)
            #expect(value == 0 || value == 1)
            #expect(try sampler.fixedValue(factor: 0, count: 4, generator: &generator) == 0)
        }
        #expect(try sampler.fixedValue(factor: 0, count: 7, generator: &generator) == nil)
        #expect(throws: EvaluationError.self) { try sampler.codes(count: 2, factor: 0, value: 2, generator: &generator) }
        #expect(sampler.rowCount(factor: 0, value: 1) == 3 && sampler.values(factor: 0, atLeast: 3) == [0, 1])
        let all = try sampler.randomCodes(count: 100, generator: &generator).map { Int($0) }
        #expect(all.sorted() == Array(0..<10))
    }
}
