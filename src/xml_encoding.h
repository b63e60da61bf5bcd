/* The encodings of ledger input (xml_encoding.c): UTF-8 (with or without a
 * byte order mark, or declared ASCII), GB18030/GBK/GB2312 as declared, and
 * UTF-16 with a byte order mark, detected and decoded into UTF-8 before
 * libxml2 sees the file. */
#ifndef LG_XML_ENCODING_H
#define LG_XML_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/** The file PATH's BYTES[0..LEN) as UTF-8 without NUL characters, NUL-
 * terminated, its length in *OUT_LEN: BYTES itself (moved to its start) when
 * they are UTF-8 already, else a new buffer the caller frees besides BYTES.
 * NULL after adding an error to D that names the line of the first bytes
 * that are wrong and says how to save the file. */
char *lg_xml_decode(const char *path, char *bytes, size_t len, size_t *out_len, lg_diags *d);

/** Whether C is XML white space. */
static inline bool lg_xml_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/** 1 + the line feeds in S[0..N): the line that byte N is on. */
long lg_line_at(const char *s, size_t n);

#endif
