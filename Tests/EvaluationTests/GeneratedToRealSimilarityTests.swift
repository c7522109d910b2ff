import Testing
import Tensors
@testable import Evaluation

@Suite("Similarity to real data (seed 001)")
struct GeneratedToRealSimilarityTests {
    @Test("hand example: real (1,0), (0,1); generated (2,0), (0,3)")
    func handExample() throws {
        let result = try GeneratedToRealSimilarity(real: matrix([[1, 0], [0, 1]]), generated: matrix([[2, 0], [0, 3]]))
        // Nearest real: (2,0)→(1,0) at 1, (0,3)→(0,1) at 2 → mean 1.5. Most similar: cos 1 both → 1.
        #expect(result.nearestNeighbourL2Distance == 1.5)
        #expect(close(result.nearestNeighbourCosineSimilarity, 1, 1e-15))
        // Means: generated (1, 1.5), real (0.5, 0.5): difference (0.5, 1) → √1.25;
        // cosine (0.5 + 0.75)/(√3.25·√0.5) = 1.25/√1.625 ≈ 0.980581.
        #expect(close(result.meanEmbeddingL2Distance, 1.25.squareRoot(), 1e-15))
        #expect(close(result.meanEmbeddingCosineSimilarity, 1.25 / 1.625.squareRoot(), 1e-15))
        #expect(result.description == "nearest-neighbour L2 1.5, cosine 1; mean-embedding L2 1.12, cosine 0.981 (2 generated vs 2 real, 2-D)")
    }

    @Test("each variant takes its own nearest: by distance and by angle")
    func separateNearest() throws {
        // Generated (1, 0). Real (1, 0.5): distance 0.5, cos 1/√1.25 ≈ 0.894; real (10, 0): distance 9, cos 1.
        let result = try GeneratedToRealSimilarity(real: matrix([[1, 0.5], [10, 0]]), generated: matrix([[1, 0]]))
        #expect(close(result.nearestNeighbourL2Distance, 0.5, 1e-15))
        #expect(close(result.nearestNeighbourCosineSimilarity, 1, 1e-15))
    }

    @Test("a zero vector has cosine similarity 0 with everything")
    func zeroVector() throws {
        let result = try GeneratedToRealSimilarity(real: matrix([[1, 2], [3, 4]]), generated: matrix([[0, 0]]))
        #expect(result.nearestNeighbourCosineSimilarity == 0)
        #expect(result.meanEmbeddingCosineSimilarity == 0)
    }

    @Test("equals scikit-learn's euclidean_distances / cosine_similarity on 60 generated vs 80 real in 7-D")
    func matchesReference() throws {
        let reference = try Reference.load().similarity
        let result = try GeneratedToRealSimilarity(real: matrix(reference.real), generated: matrix(reference.fake))
        #expect(close(result.nearestNeighbourL2Distance, reference.nearest_neighbour_l2, 1e-12))
        #expect(close(result.nearestNeighbourCosineSimilarity, reference.nearest_neighbour_cosine, 1e-12))
        #expect(close(result.meanEmbeddingL2Distance, reference.mean_embedding_l2, 1e-12))
        #expect(close(result.meanEmbeddingCosineSimilarity, reference.mean_embedding_cosine, 1e-12))
    }

    @Test("an empty set is an error")
    func errors() {
        #expect(throws: EvaluationError(metric: "similarity to real", "the generated set is empty")) {
            try GeneratedToRealSimilarity(real: matrix([[1, 2]]), generated: Tensor<Double>(rows: 0, columns: 2))
        }
    }
}
