/* Lower bound (ii) of the benchmark: libxlsxwriter writes the same cells.
 *
 *   lb_xlsx TEMPLATE VIEW CORPUS PERIOD OUT.xlsx
 *
 * The rows of the by-task ledger (lb_corpus.c) in VIEW's column order, one
 * worksheet row each, every cell with worksheet_write_string: no formats, no
 * row heights, no merges, no layout. Prints "rows N" on stdout. */
#include <stdio.h>

#include <xlsxwriter.h>

#include "lb_corpus.h"

typedef struct state {
    const lb_template *tpl;
    lxw_worksheet *ws;
    lxw_row_t row;
    lxw_error err;
} state;

static void row(const char *const *cells, void *ctx)
{
    state *s = ctx;
    for (size_t c = 0; c < s->tpl->n_columns; c++) {
        int f = s->tpl->columns[c].field;
        lxw_error e = worksheet_write_string(s->ws, s->row, (lxw_col_t)c, f >= 0 ? cells[f] : "",
                                             NULL);
        if (e && !s->err)
            s->err = e;
    }
    s->row++;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fputs("usage: lb_xlsx TEMPLATE VIEW CORPUS-DIR PERIOD OUT.xlsx\n", stderr);
        return 2;
    }
    lb_template tpl;
    lb_template_load(&tpl, argv[1], argv[2]);
    lb_corpus *corpus = lb_corpus_load(argv[3], argv[4]);

    lxw_workbook *wb = workbook_new(argv[5]);
    if (!wb) {
        fprintf(stderr, "lb_xlsx: cannot create %s\n", argv[5]);
        return 1;
    }
    state s = {.tpl = &tpl, .ws = workbook_add_worksheet(wb, NULL)};
    size_t rows = lb_corpus_rows(corpus, row, &s);
    lxw_error e = workbook_close(wb);
    lb_corpus_free(corpus);
    if (s.err || e) {
        fprintf(stderr, "lb_xlsx: %s: %s\n", argv[5], lxw_strerror(s.err ? s.err : e));
        return 1;
    }
    printf("rows %zu\n", rows);
    return 0;
}
