/* The encodings of ledger input, detected and decoded into UTF-8.
 *
 * Files are decoded here rather than by libxml2, which then reads UTF-8
 * only: a problem is reported once, on the line where it is, and only the
 * encodings of the input contract are taken (a file labelled ISO-8859-1 that
 * holds UTF-8 Chinese would otherwise load as nonsense). UTF-16 with a byte
 * order mark, as Windows Notepad saves "Unicode", is unambiguous and taken
 * too; its declaration is not consulted. */
#include "xml_encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "i18n.h"
#include "utf8.h"

long lg_line_at(const char *s, size_t n)
{
    long line = 1;
    for (const char *p = s, *end = s + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        line++;
    return line;
}

static bool ascii_case_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
        char y = *b >= 'a' && *b <= 'z' ? (char)(*b - 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* Copies into BUF (SIZE bytes) the encoding that the XML declaration at the
 * start of TEXT names; BUF is empty when there is no declaration or it names
 * none. A declaration that cannot be read is left to libxml2 to report. */
static void declared_encoding(const char *text, size_t len, char *buf, size_t size)
{
    buf[0] = '\0';
    if (len < 6 || memcmp(text, "<?xml", 5) != 0 || !lg_xml_is_space(text[5]))
        return;
    size_t end = 6;
    while (end + 1 < len && end < 1024 && !(text[end] == '?' && text[end + 1] == '>'))
        end++;
    for (size_t i = 5; i + 8 < end; i++) {
        if (!lg_xml_is_space(text[i]) || memcmp(text + i + 1, "encoding", 8) != 0)
            continue;
        size_t j = i + 9;
        while (j < end && lg_xml_is_space(text[j]))
            j++;
        if (j >= end || text[j] != '=')
            return;
        for (j++; j < end && lg_xml_is_space(text[j]); j++)
            ;
        if (j >= end || (text[j] != '"' && text[j] != '\''))
            return;
        char quote = text[j++];
        size_t k = 0;
        while (j < end && text[j] != quote && k + 1 < size)
            buf[k++] = text[j++];
        buf[j < end && text[j] == quote ? k : 0] = '\0';
        return;
    }
}

/* Up to four bytes at P (N left) as "D6 D0 CE C4". BUF: at least 16 bytes. */
static const char *hex_bytes(const char *p, size_t n, char *buf)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < 4; i++)
        sprintf(buf + strlen(buf), "%s%02X", i ? " " : "", (unsigned)(unsigned char)p[i]);
    return buf;
}

/* BYTES[0..LEN) in the encoding FROM converted into UTF-8 (NUL-terminated),
 * or NULL after reporting the line of the first bytes that are not FROM;
 * ADVICE ends that message. */
static char *convert(const char *path, const char *from, const char *advice,
                     const char *bytes, size_t len, size_t *out_len, lg_diags *d)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        lg_diags_add(d, LG_ERROR, "internal", path, 0,
                     "cannot decode %s on this system: %s", from, strerror(errno));
        return NULL;
    }
    size_t cap = len + len / 2 + 16, used = 0;
    char *out = lg_xmalloc(cap + 1);
    char *in = (char *)bytes;
    size_t in_left = len;
    while (in_left > 0) {
        char *o = out + used;
        size_t o_left = cap - used;
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        int e = errno;
        used = (size_t)(o - out);
        if (r != (size_t)-1)
            break;
        if (e == E2BIG) {
            cap *= 2;
            out = lg_xrealloc(out, cap + 1);
            continue;
        }
        char hex[16];
        lg_diags_add(d, LG_ERROR, "encoding", path, lg_line_at(out, used),
                     "the text is not valid %s (bytes %s): %s", from,
                     hex_bytes(in, in_left, hex), advice);
        free(out);
        iconv_close(cd);
        return NULL;
    }
    iconv_close(cd);
    out[used] = '\0';
    *out_len = used;
    return out;
}

/* Checks that TEXT is UTF-8 without NUL characters. ADVICE ends the message
 * for text that is not UTF-8. */
static bool check_utf8(const char *path, const char *text, size_t len, const char *advice,
                       lg_diags *d)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        if (s[i] == 0) {
            lg_diags_add(d, LG_ERROR, "encoding", path, lg_line_at(text, i),
                         "this line holds a NUL character (byte 0), which no text file "
                         "has: the file is damaged, or it is not a text file");
            return false;
        }
        size_t n = lg_utf8_sequence(s + i, len - i);
        if (!n) {
            char hex[16];
            lg_diags_add(d, LG_ERROR, "encoding", path, lg_line_at(text, i),
                         "the text is not valid UTF-8 (bytes %s): %s",
                         hex_bytes(text + i, len - i, hex), advice);
            return false;
        }
        i += n;
    }
    return true;
}

/* Whether TEXT is valid UTF-8 with at least one character of three bytes
 * or more (a Chinese one, say). */
static bool looks_utf8(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    bool wide = false;
    for (size_t i = 0; i < len;) {
        size_t n = lg_utf8_sequence(s + i, len - i);
        if (!n)
            return false;
        wide |= n >= 3;
        i += n;
    }
    return wide;
}

char *lg_xml_decode(const char *path, char *bytes, size_t len, size_t *out_len, lg_diags *d)
{
    const unsigned char *b = (const unsigned char *)bytes;
    /* UTF-32 and UTF-16, by their byte order mark or by how "<?" looks. */
    if (len >= 4 && ((b[0] == 0 && b[1] == 0 && (b[2] == 0xFE || b[2] == 0)) ||
                     (b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) ||
                     (b[0] == '<' && b[1] == 0 && b[2] == 0 && b[3] == 0))) {
        lg_diags_add(d, LG_ERROR, "encoding", path, 1,
                     "the file is UTF-32, which ledger input is not; save it as UTF-8");
        return NULL;
    }
    const char *utf16 = NULL;
    size_t skip = 0;
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        utf16 = "UTF-16LE", skip = 2;
    else if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        utf16 = "UTF-16BE", skip = 2;
    else if (len >= 4 && b[0] == '<' && b[1] == 0 && b[2] == '?' && b[3] == 0)
        utf16 = "UTF-16LE";
    else if (len >= 4 && b[0] == 0 && b[1] == '<' && b[2] == 0 && b[3] == '?')
        utf16 = "UTF-16BE";
    else if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        skip = 3; /* UTF-8's byte order mark */

    char *text;
    size_t n;
    if (utf16) {
        text = convert(path, utf16,
                       _("the file starts as UTF-16 does; save it as UTF-8 (in Notepad: "
                         "Save As, Encoding UTF-8)"),
                       bytes + skip, len - skip, &n, d);
        if (!text || !check_utf8(path, text, n, "", d)) {
            free(text);
            return NULL;
        }
        *out_len = n;
        return text;
    }
    text = bytes + skip;
    n = len - skip;
    char enc[64];
    declared_encoding(text, n, enc, sizeof enc);
    char *said = enc[0] ? lg_xasprintf(_("the file declares encoding=\"%s\""), enc)
                        : lg_xstrdup(_("the file declares no encoding, which means UTF-8"));
    char *out = NULL;
    if (!enc[0] || ascii_case_eq(enc, "UTF-8") || ascii_case_eq(enc, "UTF8") ||
        ascii_case_eq(enc, "US-ASCII") || ascii_case_eq(enc, "ASCII")) {
        /* ASCII is a part of UTF-8: a file that says ASCII but holds UTF-8
         * means UTF-8. */
        char *advice = lg_xasprintf(_("%s; save it as UTF-8, or declare the encoding it is "
                                      "saved in, e.g. <?xml version=\"1.0\" "
                                      "encoding=\"GB18030\"?>"),
                                    said);
        if (check_utf8(path, text, n, advice, d)) {
            memmove(bytes, text, n + 1);
            out = bytes;
            *out_len = n;
        }
        free(advice);
    } else if (ascii_case_eq(enc, "GB18030") || ascii_case_eq(enc, "GBK") ||
               ascii_case_eq(enc, "GB2312") || ascii_case_eq(enc, "CP936")) {
        /* A file saved as UTF-8 but labelled GBK decodes without error into
         * nonsense, mostly: its text is valid UTF-8, which Chinese text in
         * GBK practically never is, so that is checked first. GB2312 and GBK
         * are parts of GB18030, and files labelled GB2312 often hold GBK
         * characters: all three decode as GB18030. */
        if (looks_utf8(text, n)) {
            lg_diags_add(d, LG_ERROR, "encoding", path, 1,
                         "%s, but it is saved as UTF-8 (its text is valid UTF-8, which "
                         "Chinese text in %s never is); declare "
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                         said, enc);
        } else {
            char *advice = lg_xasprintf(_("%s; save it in that encoding, or declare the one "
                                          "it is saved in, e.g. <?xml version=\"1.0\" "
                                          "encoding=\"UTF-8\"?>"),
                                        said);
            out = convert(path, "GB18030", advice, text, n, out_len, d);
            if (out && !check_utf8(path, out, *out_len, "", d)) {
                free(out);
                out = NULL;
            }
            free(advice);
        }
    } else if (ascii_case_eq(enc, "UTF-16") || ascii_case_eq(enc, "UTF16") ||
               ascii_case_eq(enc, "UTF-16LE") || ascii_case_eq(enc, "UTF-16BE")) {
        lg_diags_add(d, LG_ERROR, "encoding", path, 1,
                     "%s, but it is not UTF-16 (it has no byte order mark and its "
                     "characters are single bytes); declare the encoding it is saved in, "
                     "e.g. <?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     said);
    } else {
        lg_diags_add(d, LG_ERROR, "encoding", path, 1,
                     "%s, which ledger input may not use; save the file as UTF-8 "
                     "(or GB18030 or GBK) and declare that, e.g. "
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     said);
    }
    free(said);
    return out;
}
