// OpenBLAS's CBLAS interface (Debian: libopenblas-dev; pkg-config openblas adds its include directory).
#include <cblas.h>
