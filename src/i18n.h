/* Messages in the user's language (GNU gettext); see po/. */
#ifndef LG_I18N_H
#define LG_I18N_H
#include <libintl.h>
#define _(s) gettext(s)
#define N_(s) (s)
#endif
