/* Views: the model turned into tables, once, for every renderer. */
#ifndef LG_VIEW_H
#define LG_VIEW_H

#include "model.h"
#include "table.h"
#include "template.h"

/** The unit ledger of U for month M: the shared tasks, then the unit's own,
 * each in task number order, laid out by the template's "unit" view. A task
 * without an entry shows 未报送. The table lives in arena A. */
lg_table *lg_view_unit(lg_arena *a, const lg_month *m, const lg_unit *u,
                       const lg_view_layout *layout, const char *title_format);

/** The ledger title for the month: the template's title format filled in. */
char *lg_view_title(const lg_month *m, const char *title_format);

#endif
