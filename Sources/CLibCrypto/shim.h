// OpenSSL's libcrypto (Debian: libssl-dev), for SHA-256 only: the one-shot SHA256() of <openssl/sha.h>.
#include <openssl/sha.h>
