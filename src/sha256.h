/* SHA-256 (FIPS 180-4), for the fixity manifest (manifest.c). Written here
 * rather than taken from GnuTLS or nettle: none of the libraries ledgerc
 * links has one, and a hundred lines checked against the standard's vectors
 * (tests/test_sha256.c) cost less than a new dependency. */
#ifndef LG_SHA256_H
#define LG_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct lg_sha256 {
    uint32_t h[8];
    uint64_t bytes;       /* message length so far */
    unsigned char buf[64];
    size_t fill;          /* bytes waiting in buf */
} lg_sha256;

/** Starts a digest. */
void lg_sha256_init(lg_sha256 *s);

/** Adds N bytes of DATA to the message. */
void lg_sha256_update(lg_sha256 *s, const void *data, size_t n);

/** Finishes the digest into OUT (32 bytes); S must be started again to be reused. */
void lg_sha256_final(lg_sha256 *s, unsigned char out[32]);

/** The digest of N bytes of DATA as 64 lowercase hex digits and a NUL into HEX. */
void lg_sha256_hex(const void *data, size_t n, char hex[65]);

/** Writes the digest OUT as 64 lowercase hex digits and a NUL into HEX. */
void lg_sha256_to_hex(const unsigned char out[32], char hex[65]);

#endif
