#define _POSIX_C_SOURCE 200809L /* setenv */
#include "lang.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"
#include "i18n.h"

#ifndef LG_BUILD_LOCALEDIR
#define LG_BUILD_LOCALEDIR ""
#endif

/* The compiled po/zh_CN.po (CMakeLists.txt embeds it). */
extern const unsigned char lg_mo_ledgerc[];
extern const unsigned long lg_mo_ledgerc_size;

/* The first of the variables that name the messages' locale, as setlocale reads them. */
static const char *asked_locale(void)
{
    static const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return v;
    }
    return NULL;
}

/* When the locale asked for is not on the system: C.UTF-8, and its language by
 * LANGUAGE (which gettext reads in any locale but C), unless the user set it. */
static void fall_back(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const char *want = asked_locale(), *language = getenv("LANGUAGE");
    if (!want || strcmp(want, "C") == 0 || strcmp(want, "POSIX") == 0 ||
        strncmp(want, "C.", 2) == 0 || (language && *language))
        return;
    char lang[64];
    size_t n = strcspn(want, ".@");
    if (n == 0 || n >= sizeof lang)
        return;
    memcpy(lang, want, n);
    lang[n] = '\0';
    setenv("LANGUAGE", lang, 1);
}

void lg_lang_init(void)
{
    if (!setlocale(LC_ALL, ""))
        fall_back();
    /* Only the messages follow the locale: Pango takes its default language,
     * and with it the fonts it falls back to, from LC_CTYPE */
    setlocale(LC_CTYPE, "C.UTF-8"); /* UTF-8 still, for the system's messages (strerror) */
    setlocale(LC_NUMERIC, "C");
    setlocale(LC_COLLATE, "C");
    setlocale(LC_TIME, "C");
    char dir[4096];
    if (lg_datadir_in_build_tree())
        bindtextdomain("ledgerc", LG_BUILD_LOCALEDIR);
    else if (lg_datadir_installed("locale", dir, sizeof dir))
        bindtextdomain("ledgerc", dir);
    bind_textdomain_codeset("ledgerc", "UTF-8");
    textdomain("ledgerc");
}

/* The I-th 32-bit word of the catalogue. */
static uint32_t word(size_t offset)
{
    uint32_t v;
    memcpy(&v, lg_mo_ledgerc + offset, sizeof v);
    return v;
}

/* The string of the table at TABLE, entry I (a length and an offset), checked
 * to lie inside the catalogue; NULL when it does not. */
static const char *mo_string(uint32_t table, uint32_t i)
{
    size_t at = (size_t)table + 8 * (size_t)i;
    if (at + 8 > lg_mo_ledgerc_size)
        return NULL;
    uint32_t len = word(at), off = word(at + 4);
    if ((size_t)off + len >= lg_mo_ledgerc_size)
        return NULL;
    return (const char *)lg_mo_ledgerc + off;
}

const char *lg_zh(const char *msgid)
{
    if (lg_mo_ledgerc_size < 28 || word(0) != 0x950412deu || !*msgid)
        return msgid;
    uint32_t n = word(8), originals = word(12), translations = word(16);
    /* msgfmt writes the originals sorted, by strcmp */
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *s = mo_string(originals, mid);
        if (!s)
            return msgid;
        int c = strcmp(msgid, s);
        if (c == 0) {
            const char *t = mo_string(translations, mid);
            return t && *t ? t : msgid;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return msgid;
}
