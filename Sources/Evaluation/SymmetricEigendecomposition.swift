#if canImport(Accelerate)
import Accelerate
#else
import CLAPACK
#endif

/// Eigenvalues (ascending) and eigenvectors of a real symmetric matrix, by LAPACK's divide-and-conquer
/// `dsyevd` (OpenBLAS's LAPACK on Linux, Accelerate on macOS).
struct SymmetricEigendecomposition: Sendable {
    /// The n eigenvalues, ascending.
    let values: [Double]
    /// Row-major n × n; row j is the unit eigenvector of `values[j]` (empty when only values were asked for).
    let vectors: [Double]

    /// Decomposes the symmetric n × n `matrix` (row-major; only one triangle is read, so it should be
    /// symmetric to begin with).
    init(_ matrix: [Double], n: Int, vectors wantVectors: Bool, metric: String) throws(EvaluationError) {
        precondition(matrix.count == n * n)
        guard n > 0 else {
            values = []
            vectors = []
            return
        }
        // A symmetric matrix is its own transpose, so the row-major array is also the column-major one; the
        // eigenvectors come back as columns of the column-major result, that is as rows of the row-major one.
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        var jobz = Int8(UInt8(ascii: wantVectors ? "V" : "N"))
        var uplo = Int8(UInt8(ascii: "L"))
        var order = Int32(n), lda = Int32(n), info: Int32 = 0
        // Workspace query first, then the call.
        var workSize = 0.0
        var iworkSize: Int32 = 0
        var workQuery: Int32 = -1, iworkQuery: Int32 = -1
        Self.dsyevd(&jobz, &uplo, &order, &a, &lda, &w, &workSize, &workQuery, &iworkSize, &iworkQuery, &info)
        guard info == 0 else {
            throw EvaluationError(metric: metric, "LAPACK dsyevd's workspace query failed (info \(info))")
        }
        var lwork = Int32(workSize.rounded(.up)), liwork = max(1, iworkSize)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        Self.dsyevd(&jobz, &uplo, &order, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
        guard info == 0 else {
            let reason = info < 0 ? "argument \(-info) was invalid" : "the algorithm failed to converge (info \(info))"
            throw EvaluationError(metric: metric, "LAPACK dsyevd failed on a \(n) × \(n) matrix: \(reason)")
        }
        values = w
        vectors = wantVectors ? a : []
    }

    private static func dsyevd(_ jobz: UnsafeMutablePointer<Int8>, _ uplo: UnsafeMutablePointer<Int8>, _ n: UnsafeMutablePointer<Int32>,
                               _ a: UnsafeMutablePointer<Double>, _ lda: UnsafeMutablePointer<Int32>, _ w: UnsafeMutablePointer<Double>,
                               _ work: UnsafeMutablePointer<Double>, _ lwork: UnsafeMutablePointer<Int32>,
                               _ iwork: UnsafeMutablePointer<Int32>, _ liwork: UnsafeMutablePointer<Int32>,
                               _ info: UnsafeMutablePointer<Int32>) {
        #if canImport(Accelerate)
        // Accelerate's classic CLAPACK interface (not verified on macOS by this package's tests on Linux).
        dsyevd_(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info)
        #else
        dsyevd_(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info, 1, 1)
        #endif
    }
}
