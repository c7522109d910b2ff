import Testing
@testable import Tensors

@Suite("Tensor")
struct TensorTests {
    @Test("row-major storage, subscripts and copy-on-write")
    func valueSemantics() {
        var a = Tensor<Float>([[1, 2, 3], [4, 5, 6]])
        #expect(a.rows == 2 && a.columns == 3 && a[1, 0] == 4)
        #expect(a.scalars == [1, 2, 3, 4, 5, 6])
        let b = a
        a[0, 0] = 10
        #expect(b[0, 0] == 1 && a[0, 0] == 10)
    }

    @Test("matmul through BLAS: a 2 × 3 by 3 × 2 product by hand")
    func matmul() {
        let graph = Graph<Float>()
        let product = graph.matmul(graph.constant(Tensor([[1, 2, 3], [4, 5, 6]])), graph.constant(Tensor([[7, 8], [9, 10], [11, 12]])))
        // [1·7 + 2·9 + 3·11, 1·8 + 2·10 + 3·12; 4·7 + 5·9 + 6·11, 4·8 + 5·10 + 6·12]
        #expect(graph.tensor(product) == Tensor([[58, 64], [139, 154]]))
        let transposed = graph.matmul(graph.constant(Tensor([[1, 2, 3], [4, 5, 6]])), graph.constant(Tensor([[1, 2, 3], [4, 5, 6]])), transposeB: true)
        #expect(graph.tensor(transposed) == Tensor([[14, 32], [32, 77]]))
    }

    @Test("BLAS threads can be set")
    func threads() {
        // Two values, so a setter that ignores its argument cannot pass.
        BLAS.setThreads(2)
        #expect(BLAS.threads == 2)
        BLAS.setThreads(1)
        #expect(BLAS.threads == 1)
    }
}
