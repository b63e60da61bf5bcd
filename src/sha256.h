/* SHA-256 (FIPS 180-4), for the fixity manifest (manifest.c) and each
 * PDF's /ID (pdfa.c): nettle's, which on x86-64 uses the CPU's SHA
 * instructions where it has them (1.1 GB/s measured on the benchmark's
 * machine, 6 times what portable C did there: a province's month hashes
 * some 200 MB). This interface keeps the callers free of nettle's names;
 * tests/test_sha256.c checks it against the standard's vectors. */
#ifndef LG_SHA256_H
#define LG_SHA256_H

#include <stddef.h>

#include <nettle/sha2.h>

typedef struct lg_sha256 {
    struct sha256_ctx ctx;
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
