/* SHA-256 (sha256.c) against the vectors of FIPS 180-4's examples and
 * NIST's byte-oriented test vectors, fed whole and in uneven pieces, so
 * that the block boundaries and the padding of the last block are crossed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"

static const struct {
    const char *msg;
    const char *hex;
} vectors[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

static void known_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        char hex[65];
        lg_sha256_hex(vectors[i].msg, strlen(vectors[i].msg), hex);
        assert_string_equal(hex, vectors[i].hex);
    }
}

/* A million 'a's, fed in pieces of 1 to 130 bytes. */
static void million_a_in_pieces(void **state)
{
    (void)state;
    char piece[130];
    memset(piece, 'a', sizeof piece);
    lg_sha256 s;
    lg_sha256_init(&s);
    size_t left = 1000000, k = 1;
    while (left) {
        size_t n = k < left ? k : left;
        lg_sha256_update(&s, piece, n);
        left -= n;
        k = k % 130 + 1;
    }
    unsigned char out[32];
    char hex[65];
    lg_sha256_final(&s, out);
    lg_sha256_to_hex(out, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Messages of 0..200 bytes fed whole and one byte at a time agree, so
 * every fill of the last block (55, 56, 63, 64 bytes) goes the same way. */
static void pieces_agree_with_whole(void **state)
{
    (void)state;
    unsigned char msg[200];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)(i * 7 + 3);
    for (size_t n = 0; n <= sizeof msg; n++) {
        char whole[65], bytewise[65];
        lg_sha256_hex(msg, n, whole);
        lg_sha256 s;
        unsigned char out[32];
        lg_sha256_init(&s);
        for (size_t i = 0; i < n; i++)
            lg_sha256_update(&s, msg + i, 1);
        lg_sha256_final(&s, out);
        lg_sha256_to_hex(out, bytewise);
        assert_string_equal(whole, bytewise);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_vectors),
        cmocka_unit_test(million_a_in_pieces),
        cmocka_unit_test(pieces_agree_with_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
