// LAPACK routines that OpenBLAS exports (Debian's libopenblas-dev builds it with LAPACK and without LAPACKE,
// so there is no C header for them: these are the Fortran symbols, declared by hand).
// Fortran conventions: every argument by reference, column-major matrices, 32-bit integers (OpenBLAS's
// USE_64BITINT is off on Debian), and one hidden length argument per CHARACTER argument, passed by value
// after the others (the gfortran ABI that OpenBLAS's LAPACK is compiled with).
#include <stddef.h>

/// Eigenvalues (ascending) and optionally eigenvectors of a real symmetric matrix, divide and conquer.
/// jobz 'N' values only, 'V' values and vectors (overwriting a); uplo 'U' or 'L': which triangle of a is read.
/// lwork = -1 or liwork = -1 is a workspace query: the sizes come back in work[0] and iwork[0].
/// info = 0 on success, -i when argument i is bad, > 0 when the algorithm failed to converge.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_length, size_t uplo_length);
