/* The language of the messages: the user's, from the locale, for what the
 * program tells its user (i18n.h, GNU gettext); Chinese always, for what an
 * official reads (the 问题清单), from the catalogue compiled into the program. */
#ifndef LG_LANG_H
#define LG_LANG_H

/** Sets the locale from the environment (LC_ALL, LC_MESSAGES, LANG) and binds
 * the message catalogue: the build folder's for a program run from its build
 * folder, else the one installed with the executable (share/locale beside its
 * bin/, see datadir.h). Numbers, sorting and times stay those of the C locale,
 * so that outputs do not depend on it. When the system lacks the locale asked
 * for (zh_CN.UTF-8 not generated), the messages still follow it: the program
 * runs in C.UTF-8 and asks gettext for that language by LANGUAGE. Call once,
 * first thing in main. */
void lg_lang_init(void);

/** MSGID's Chinese translation in the catalogue compiled into the program
 * (po/zh_CN.po), or MSGID itself when it has none; whatever the locale.
 * Thread-safe, allocates nothing. */
const char *lg_zh(const char *msgid);

#endif
