#include "form_protocol.h"

#include <stdio.h>
#include <string.h>

static void put_number(lg_form_put_fn *put, void *ctx, uint32_t row, uint16_t col,
                       unsigned long n)
{
    char num[32];
    snprintf(num, sizeof num, "%lu", n);
    put(ctx, row, col, num);
}

void lg_form_sheet_cells(const lg_form *f, const char *sheet_name, size_t n_rows,
                         const uint32_t *first, uint32_t end, lg_form_put_fn *put, void *ctx)
{
    uint32_t r = 0;
    for (size_t i = 0; i < f->n_meta; i++, r++) {
        put(ctx, r, 0, f->meta[i].key);
        put(ctx, r, 1, f->meta[i].value);
    }
    put(ctx, r, 0, LG_FORM_KEY_SHEET);
    put(ctx, r++, 1, sheet_name);
    put(ctx, r, 0, LG_FORM_KEY_ROWS);
    put_number(put, ctx, r++, 1, (unsigned long)n_rows);
    for (size_t i = 0; i < n_rows; i++, r++) {
        put(ctx, r, 0, f->row_keys && f->row_keys[i] ? f->row_keys[i] : "");
        uint32_t last = i + 1 < n_rows ? first[i + 1] - 1 : end - 1;
        put_number(put, ctx, r, 1, (unsigned long)first[i] + 1);
        put_number(put, ctx, r, 2, (unsigned long)last + 1);
        if (f->row_done && f->row_done[i] && *f->row_done[i])
            put(ctx, r, 3, f->row_done[i]);
    }
}

int lg_form_yes_no(const char *s, size_t n)
{
    if (n == strlen(LG_FORM_YES) && strncmp(s, LG_FORM_YES, n) == 0)
        return 1;
    if (n == strlen(LG_FORM_NO) && strncmp(s, LG_FORM_NO, n) == 0)
        return 0;
    if (n == strlen(LG_FORM_DONE) && strncmp(s, LG_FORM_DONE, n) == 0)
        return 2;
    return -1;
}
