#include "sha256.h"

void lg_sha256_init(lg_sha256 *s)
{
    sha256_init(&s->ctx);
}

void lg_sha256_update(lg_sha256 *s, const void *data, size_t n)
{
    sha256_update(&s->ctx, n, data);
}

void lg_sha256_final(lg_sha256 *s, unsigned char out[32])
{
    sha256_digest(&s->ctx, SHA256_DIGEST_SIZE, out);
}

void lg_sha256_to_hex(const unsigned char out[32], char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[out[i] >> 4];
        hex[2 * i + 1] = digits[out[i] & 15];
    }
    hex[64] = '\0';
}

void lg_sha256_hex(const void *data, size_t n, char hex[65])
{
    lg_sha256 s;
    unsigned char out[32];
    lg_sha256_init(&s);
    lg_sha256_update(&s, data, n);
    lg_sha256_final(&s, out);
    lg_sha256_to_hex(out, hex);
}
