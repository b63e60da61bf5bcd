/* UTF-8, byte by byte: the one place that knows how characters are encoded. */
#ifndef LG_UTF8_H
#define LG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/** Writes code point C (at most U+10FFFF) to OUT as UTF-8 and returns how many
 * bytes that took (1 to 4). OUT is not NUL-terminated. */
size_t lg_utf8_encode(uint32_t c, char out[4]);

/** The length of the valid UTF-8 sequence at S (N bytes left), or 0 when S
 * does not start one: a stray or missing continuation byte, an overlong
 * form, a surrogate or a code point past U+10FFFF. */
size_t lg_utf8_sequence(const unsigned char *s, size_t n);

/** The length of the character at S (a NUL-terminated string) from its first
 * byte, cut short at a NUL; 1 for a stray byte. For text already checked. */
size_t lg_utf8_char_len(const char *s);

/** The number of characters (code points) in S. */
size_t lg_utf8_length(const char *s);

/** Whether byte B continues a character (10xxxxxx). */
static inline int lg_utf8_is_cont(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

#endif
