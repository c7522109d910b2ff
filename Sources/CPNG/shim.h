// libpng 1.6 (Debian: libpng-dev; pkg-config libpng). Anneal uses only its simplified API
// (png_image_write_to_memory, png_image_begin_read_from_memory, png_image_finish_read), which returns
// errors in png_image.message instead of longjmp-ing through Swift frames.
#include <png.h>
