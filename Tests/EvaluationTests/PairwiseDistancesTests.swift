import Testing
import Tensors
@testable import Evaluation

@Suite("Pairwise distances")
struct PairwiseDistancesTests {
    @Test("a 3-4-5 triangle and a zero distance")
    func handExample() throws {
        let distances = try PairwiseDistances.euclidean(matrix([[0, 0], [3, 4]]), matrix([[3, 4], [0, 0], [6, 8]]))
        // (0,0)→(3,4) = 5, →(0,0) = 0, →(6,8) = 10; (3,4)→(3,4) = 0, →(0,0) = 5, →(6,8) = 5.
        #expect(distances == matrix([[5, 0, 10], [0, 5, 5]]))
        let squared = try PairwiseDistances.euclidean(matrix([[0, 0], [3, 4]]), matrix([[6, 8]]), squared: true)
        #expect(squared == matrix([[100], [25]]))
    }

    @Test("equals scikit-learn's euclidean_distances, across sets and within one (zero diagonal)")
    func matchesScikitLearn() throws {
        let reference = try Reference.load().distances
        let across = try PairwiseDistances.euclidean(matrix(reference.x), matrix(reference.y))
        let within = try PairwiseDistances.euclidean(matrix(reference.x))
        for (computed, expected) in [(across, reference.x_y), (within, reference.x_x)] {
            #expect(computed.rows == expected.count && computed.columns == expected[0].count)
            for i in 0..<computed.rows {
                for j in 0..<computed.columns { #expect(close(computed[i, j], expected[i][j], 1e-12), "[\(i), \(j)]") }
            }
        }
        #expect((0..<within.rows).allSatisfy { within[$0, $0] == 0 })
    }

    @Test("points far from the origin keep their small distances, and duplicates are exactly 0 apart")
    func cancellation() throws {
        // ‖x‖² ≈ 10¹⁶ here: the expanded form alone would lose every digit of a 10⁻³ distance.
        let far = matrix([[1e8, 1], [1e8, 1], [1e8 + 1e-3, 1], [1e8, 1 + 2e-3]])
        let distances = try PairwiseDistances.euclidean(far)
        #expect(distances[0, 1] == 0 && distances[1, 0] == 0)
        let step = (1e8 + 1e-3) - 1e8  // the representable offset, exactly (Sterbenz)
        #expect(close(distances[0, 2], step, 1e-12))
        #expect(close(distances[2, 3], (step * step + 2e-3 * 2e-3).squareRoot(), 1e-12))
    }

    @Test("blocks of any size give the same matrix as one block (to rounding), with the last block short", arguments: [1, 7, 40, 1_000_000])
    func blocks(maximumElements: Int) throws {
        let x = try FeatureMatrix(gaussian(rows: 23, columns: 5, seed: 3), set: "x", metric: "test")
        let y = try FeatureMatrix(gaussian(rows: 9, columns: 5, seed: 4, shift: 0.5), set: "y", metric: "test")
        var whole = [Double](), blocked = [Double](), starts = [Int]()
        PairwiseBlocks.forEachDistanceBlock(x, y, squared: false) { _, count, block in whole += block }
        PairwiseBlocks.forEachDistanceBlock(x, y, squared: false, maximumElements: maximumElements) { start, count, block in
            #expect(start == blocked.count / 9 && block.count == count * 9)
            starts.append(start)
            blocked += block
        }
        // The same to rounding, not always bit for bit: a BLAS kernel may sum a block's edge rows in another order
        // than the same rows inside a larger block (OpenBLAS's Nehalem kernel does).
        #expect(blocked.count == whole.count && whole.count == 23 * 9)
        #expect(zip(blocked, whole).allSatisfy { close($0, $1, 1e-13) })
        #expect(starts.count == (23 + max(1, maximumElements / 9) - 1) / max(1, maximumElements / 9))
        // Every entry against the direct formula √Σ(x − y)².
        for i in 0..<23 {
            for j in 0..<9 {
                var sum = 0.0
                for c in 0..<5 { sum += (x.values[i * 5 + c] - y.values[j * 5 + c]) * (x.values[i * 5 + c] - y.values[j * 5 + c]) }
                #expect(close(whole[i * 9 + j], sum.squareRoot(), 1e-12))
            }
        }
    }

    @Test("the k-th smallest of a row, ties counted separately")
    func rankSelector() {
        var selector = RankSelector(rank: 3)
        #expect([5.0, 1, 4, 1, 3, 9, 2].withUnsafeBufferPointer { selector.select($0) } == 2)  // sorted 1, 1, 2, 3, …
        #expect([0.0, 0, 0, 10, 11].withUnsafeBufferPointer { selector.select($0) } == 0)
        #expect([3.0, 2, 1].withUnsafeBufferPointer { selector.select($0) } == 3)
        var first = RankSelector(rank: 1)
        #expect([3.0, -2, 7].withUnsafeBufferPointer { first.select($0) } == -2)
    }
}
