#include "table.h"

#include <stdint.h>
#include <string.h>

#include "arena.h"

static const lg_table *given_table(void *ctx, size_t i, lg_arena *a)
{
    (void)a;
    return ((const lg_table *const *)ctx)[i];
}

lg_table_source lg_table_source_of(const lg_table *const *tables, size_t n)
{
    return (lg_table_source){n, given_table, (void *)tables};
}

lg_table *lg_table_new(lg_arena *a, const char *name, const char *title,
                       const lg_view_layout *layout)
{
    lg_table *t = lg_arena_alloc(a, sizeof *t);
    t->arena = a;
    t->name = lg_arena_strdup(a, name);
    t->title = lg_arena_strdup(a, title);
    t->columns = layout->columns;
    t->n_columns = layout->n_columns;
    return t;
}

/* Grows the cells to hold CAP rows (views reserve their rows: see
 * lg_arena_regrow). */
static void grow(lg_table *t, size_t cap)
{
    size_t n = t->n_rows * t->n_columns, room = cap * t->n_columns;
    t->cells = lg_arena_regrow(t->arena, t->cells, n, room, sizeof *t->cells);
    if (t->values)
        t->values = lg_arena_regrow(t->arena, t->values, n, room, sizeof *t->values);
    t->cap_rows = cap;
}

void lg_table_reserve(lg_table *t, size_t n)
{
    if (t->n_rows + n > t->cap_rows)
        grow(t, t->n_rows + n);
}

lg_cell *lg_table_add_row(lg_table *t)
{
    if (t->n_rows == t->cap_rows)
        grow(t, t->cap_rows ? t->cap_rows * 2 : 32);
    lg_cell *row = &t->cells[t->n_rows++ * t->n_columns];
    for (size_t c = 0; c < t->n_columns; c++)
        row[c] = (lg_cell){"", LG_CELL_PLAIN};
    return row;
}

lg_cell *lg_table_cell(const lg_table *t, size_t row, size_t col)
{
    return &t->cells[row * t->n_columns + col];
}

/* No run takes in a band row: each is a run of its own. */
static void mark_bands(const lg_table *t, bool *starts)
{
    for (size_t r = 0; r < t->n_rows; r++)
        if (lg_table_is_band(t, r)) {
            starts[r] = true;
            if (r + 1 < t->n_rows)
                starts[r + 1] = true;
        }
}

void lg_table_merge_equal(lg_table *t)
{
    if (!t->n_rows)
        return;
    /* starts[r] is true where a run of some merging column to the left (or
     * this one) begins at row r: no merge to the right may cross it. */
    bool *starts = lg_arena_alloc(t->arena, t->n_rows * sizeof *starts);
    starts[0] = true;
    for (size_t g = 0; g < t->n_groups; g++)
        if (t->groups[g].row0 < t->n_rows)
            starts[t->groups[g].row0] = true;
    mark_bands(t, starts);
    size_t cap = 0;
    for (size_t c = 0; c < t->n_columns; c++) {
        if (!t->columns[c].merge)
            continue;
        size_t r0 = 0;
        for (size_t r = 1; r <= t->n_rows; r++) {
            const char *a = r < t->n_rows ? lg_table_cell(t, r, c)->text : NULL;
            const char *b = lg_table_cell(t, r0, c)->text;
            bool end = !a || starts[r] || (a != b && strcmp(a, b) != 0);
            if (!end)
                continue;
            if (r - 1 > r0) {
                if (t->n_merges == cap) {
                    cap = cap ? cap * 2 : 16;
                    t->merges = lg_arena_regrow(t->arena, t->merges, t->n_merges, cap,
                                                sizeof *t->merges);
                }
                t->merges[t->n_merges++] = (lg_merge){r0, r - 1, c};
            }
            if (r < t->n_rows)
                starts[r] = true;
            r0 = r;
        }
    }
    lg_textstore_trim(t->texts); /* the texts compared */
}

/* Grows the groups to hold CAP. */
static void grow_groups(lg_table *t, size_t cap)
{
    t->groups = lg_arena_regrow(t->arena, t->groups, t->n_groups, cap, sizeof *t->groups);
    t->cap_groups = cap;
}

void lg_table_reserve_groups(lg_table *t, size_t n)
{
    if (t->n_groups + n > t->cap_groups)
        grow_groups(t, t->n_groups + n);
}

lg_group *lg_table_add_group(lg_table *t, const char *label, size_t row0, size_t row1)
{
    if (t->n_groups == t->cap_groups)
        grow_groups(t, t->cap_groups ? 2 * t->cap_groups : 8);
    lg_group *g = &t->groups[t->n_groups++];
    *g = (lg_group){label, row0, row1, false, 0, false};
    return g;
}

size_t lg_table_add_band(lg_table *t, const char *text)
{
    lg_cell *row = lg_table_add_row(t);
    row[0] = (lg_cell){text, LG_CELL_BAND};
    return t->n_rows - 1;
}

bool lg_table_is_band(const lg_table *t, size_t r)
{
    return t->n_columns && (lg_table_cell(t, r, 0)->flags & LG_CELL_BAND);
}

void lg_cell_set_number(lg_table *t, lg_cell *c, double v, bool percent)
{
    if (!t->values) /* read only where a cell says it is a number */
        t->values = lg_arena_alloc(t->arena, (t->cap_rows * t->n_columns + 1) * sizeof *t->values);
    t->values[c - t->cells] = v;
    c->flags |= LG_CELL_NUMBER | (percent ? LG_CELL_PERCENT : 0);
    c->text = percent ? lg_arena_printf(t->arena, "%.1f%%", v * 100)
                      : lg_arena_printf(t->arena, "%.0f", v);
}

double lg_table_value(const lg_table *t, const lg_cell *c)
{
    return t->values && (c->flags & LG_CELL_NUMBER) ? t->values[c - t->cells] : 0;
}

uint32_t *lg_table_merge_cover(const lg_table *t)
{
    size_t nc = t->n_columns;
    uint32_t *cover = lg_xcalloc(t->n_rows * nc + 1, sizeof *cover);
    for (size_t i = 0; i < t->n_merges; i++) {
        const lg_merge *m = &t->merges[i];
        if (m->col >= nc || m->row0 >= m->row1 || m->row1 >= t->n_rows)
            continue;
        bool free_ = true;
        for (size_t r = m->row0; r <= m->row1 && free_; r++)
            free_ = cover[r * nc + m->col] == 0;
        for (size_t r = m->row0; r <= m->row1 && free_; r++)
            cover[r * nc + m->col] = (uint32_t)(i + 1);
    }
    return cover;
}

const lg_merge *lg_table_merge_at(const lg_table *t, size_t row, size_t col)
{
    for (size_t i = 0; i < t->n_merges; i++) {
        const lg_merge *m = &t->merges[i];
        if (m->col == col && row >= m->row0 && row <= m->row1)
            return m;
    }
    return NULL;
}

void lg_cell_set_status(lg_cell *c, lg_status s)
{
    c->flags &= ~(LG_CELL_STATUS | LG_CELL_ESCALATED | 0xFu << LG_CELL_STATUS_SHIFT);
    c->flags |= LG_CELL_STATUS | (s.escalated ? LG_CELL_ESCALATED : 0) |
                ((unsigned)s.kind & 0xFu) << LG_CELL_STATUS_SHIFT;
}

bool lg_cell_status(const lg_cell *c, lg_status *s)
{
    if (!(c->flags & LG_CELL_STATUS))
        return false;
    unsigned k = c->flags >> LG_CELL_STATUS_SHIFT & 0xFu;
    *s = (lg_status){k < LG_STATUS_COUNT ? (lg_status_kind)k : LG_STATUS_NORMAL,
                     (c->flags & LG_CELL_ESCALATED) != 0};
    return true;
}

const lg_link *lg_table_link_at(const lg_table *t, size_t row, size_t col)
{
    size_t lo = 0, hi = t->n_links; /* the first link at or after (row, col) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const lg_link *k = &t->links[mid];
        if (k->row < row || (k->row == row && k->col < col))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < t->n_links && t->links[lo].row == row && t->links[lo].col == col)
        return &t->links[lo];
    return NULL;
}

bool lg_table_is_label(const lg_table *t, const uint32_t *cover, size_t r, size_t c)
{
    lg_field f = t->columns[c].field;
    return (f == LG_FIELD_UNIT || f == LG_FIELD_TASK) && !cover[r * t->n_columns + c] &&
           *lg_table_cell(t, r, c)->text;
}

char *lg_table_continued_label(const lg_table *t, size_t r, size_t col)
{
    const char *s = lg_table_cell(t, r, col)->text;
    size_t n = strlen(s);
    if (t->columns[col].field == LG_FIELD_TASK) {
        size_t digits = strspn(s, "0123456789");
        if (digits && s[digits] == '.')
            n = digits + 1;
    }
    return lg_xasprintf("%.*s%s", (int)n, s, LG_TABLE_CONT_MARK);
}
