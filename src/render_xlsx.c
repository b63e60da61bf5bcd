/* The XLSX renderer: one worksheet per table, with libxlsxwriter.
 *
 * Neither Excel nor LibreOffice sizes a row for wrapped text when the row has
 * a set height or the text is in a merged cell, and LibreOffice does not size
 * rows at all when it opens an XLSX. So every row height is computed here
 * from the shared text layout (layout.c), a little generously, so that no
 * text is hidden on screen or in print.
 *
 * A table body row becomes one or more physical rows: Excel caps a row at
 * 409 pt, so a cell whose text is taller continues on extra rows, split at
 * line boundaries, while the row's other cells are merged over all of its
 * physical rows. Rows are computed and written one at a time, top to bottom:
 * a row's heights depend only on its own cells and on the table merges that
 * end in it. libxlsxwriter (in constant_memory mode) writes each physical row
 * to a temporary file once the next one is begun, so a sheet's memory does
 * not grow with its rows: see write_part for what that asks of the writes. */
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "arena.h"
#include "outfile.h"
#include "form_protocol.h"
#include "page_plan.h"
#include "utf8.h"
#include "xlsx_fonts.h"
#include "xlsx_geometry.h"
#include "xlsx_tmpfile.h"

/* Excel's paper size codes (worksheet_set_paper). */
#define PAPER_A3 8
#define PAPER_A4 9

#define STANDOUT_COLOR 0x9C0006 /* dark red: 未报送, 否 */
#define INPUT_FILL_COLOR 0xFFF2CC /* light yellow: a form's cells to fill in */

/* The template's paper as Excel codes it: A3, or else A4. */
static uint8_t paper_code(const lg_template *tpl)
{
    return tpl->paper && strcmp(tpl->paper, "A3") == 0 ? PAPER_A3 : PAPER_A4;
}

/* ---- sheet names ----------------------------------------------------------- */

/* Whether A and B are equal ignoring ASCII case, as Excel compares sheet names. */
static bool name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a;
        char y = *b >= 'A' && *b <= 'Z' ? *b - 'A' + 'a' : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* NAME made into a valid sheet name in BUF (at least 128 bytes) of at most
 * MAX UTF-16 units: characters Excel forbids become '_', leading and trailing
 * apostrophes too, and it is cut at a character boundary. */
static void sheet_name_base(const char *name, size_t max, char *buf)
{
    size_t len = 0, units = 0;
    for (const char *p = name ? name : ""; *p;) {
        size_t n = lg_utf8_char_len(p);
        size_t u = n == 4 ? 2 : 1;
        if (units + u > max)
            break;
        if (n == 1 && (strchr("[]:*?/\\", *p) || (unsigned char)*p < 0x20))
            buf[len++] = '_';
        else
            memcpy(buf + len, p, n), len += n;
        units += u;
        p += n;
    }
    buf[len] = '\0';
    if (len && buf[0] == '\'')
        buf[0] = '_';
    if (len && buf[len - 1] == '\'')
        buf[len - 1] = '_';
}

/* A valid sheet name for NAME, unique among the N in USED: see sheet_name_base;
 * an empty name becomes "Sheet", Excel's reserved "History" "History_", and a
 * duplicate gets " (2)", " (3)"... Writes into BUF (at least 128 bytes). */
static void sheet_name(const char *name, char *const *used, size_t n, char *buf)
{
    sheet_name_base(name, 31, buf);
    if (!*buf)
        strcpy(buf, "Sheet");
    if (name_eq(buf, "History"))
        strcpy(buf, "History_");
    for (unsigned k = 2;; k++) {
        bool dup = false;
        for (size_t i = 0; i < n && !dup; i++)
            dup = name_eq(buf, used[i]);
        if (!dup)
            return;
        char suffix[16];
        snprintf(suffix, sizeof suffix, " (%u)", k);
        sheet_name_base(name, 31 - strlen(suffix), buf);
        if (!*buf)
            strcpy(buf, "Sheet");
        strcat(buf, suffix);
    }
}

/* ---- the workbook ---------------------------------------------------------- */

/* Internal links (lg_link): every target (a table's name and a group's
 * label) that a cell of a sheet written so far leads to. Rows are written
 * once, in order, so the row of a target in a later sheet is not known when
 * the link is written: the hyperlink leads to the defined name "_link_N" of
 * target N, defined when the target's group is written. A target never
 * written (its sheet earlier than the link's, or not in the workbook) is
 * defined as the first cell that links to it: the link goes nowhere but is
 * not broken. */
typedef struct xlsx_links {
    char **table, **group;
    char **source; /* the first linking cell: 'sheet'!$C$R */
    bool *defined;
    size_t n, cap;
} xlsx_links;

typedef struct xlsx {
    lxw_workbook *wb;
    const lg_template *tpl;
    lg_layout *l;
    lxw_error err; /* the first error of a libxlsxwriter call */
    const char *err_what;
    lxw_format *title, *header;
    /* body formats, made when first needed: [lg_align][stands out][merged over
     * table rows: centred][strong][0 text, 1 whole number, 2 percentage] */
    lxw_format *body[3][2][2][2][3];
    double empty_row;       /* height of a row of empty cells */
    lxw_format *input[3][2][2]; /* a form's cells to fill in: [lg_align][spans rows][figure] */
    lxw_format *band;           /* a band row (LG_CELL_BAND), made when first needed */
    const lg_status_rules *status; /* of the sheet being written, or NULL */
    /* cells that show a status (LG_CELL_STATUS), made when first needed for
     * the rules MARKED_FOR: [kind][escalated][lg_align][stands out][spans rows] */
    const lg_status_rules *marked_for;
    lxw_format *marked[LG_STATUS_COUNT][2][3][2][2];
    xlsx_links links;
} xlsx;

static void check(xlsx *x, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR) {
        x->err = e;
        x->err_what = what;
    }
}

/* The GB2312 character set, which tells Excel and WPS that a font is for
 * Chinese text (written into the file by lg_xlsx_declare_fonts). */
#define CHARSET_GB2312 LG_XLSX_CHARSET_GB2312

/* The face the XLSX declares for F: the template's xlsx-family. */
static const char *xlsx_face(const lg_font *f)
{
    return f->xlsx_family && *f->xlsx_family ? f->xlsx_family : "宋体";
}

/* The family class (OOXML font family: 1 roman, 2 swiss, 3 modern) of the
 * Chinese faces Windows ships, as Excel writes them: they are fixed-pitch
 * faces to GDI, hence modern, whatever their style. 0 (not written) for
 * any other face. */
static uint8_t face_class(const char *face)
{
    static const char *const chinese[] = {"宋体",  "新宋体",      "仿宋", "仿宋_GB2312",
                                          "楷体",  "楷体_GB2312", "黑体", "等线"};
    for (size_t i = 0; i < sizeof chinese / sizeof *chinese; i++)
        if (strcmp(face, chinese[i]) == 0)
            return 3;
    return 0;
}

/* Declares F's XLSX face on FMT: its name, the GB2312 character set and its
 * family class. */
static void set_face(lxw_format *fmt, const lg_font *f)
{
    const char *face = xlsx_face(f);
    format_set_font_name(fmt, face);
    format_set_font_charset(fmt, CHARSET_GB2312);
    if (face_class(face))
        format_set_font_family(fmt, face_class(face));
}

static lxw_format *new_format(xlsx *x, const lg_font *f)
{
    lxw_format *fmt = workbook_add_format(x->wb);
    /* Name the Windows face in every format: with the workbook's default
     * Calibri, Excel and LibreOffice substitute a font for Chinese text. */
    set_face(fmt, f);
    format_set_font_size(fmt, f->size);
    if (f->bold)
        format_set_bold(fmt);
    format_set_text_wrap(fmt);
    return fmt;
}

static void make_formats(xlsx *x)
{
    const lg_template *tpl = x->tpl;
    /* The workbook's default format is its Normal style (font 0), which
     * libxlsxwriter makes Calibri 11: the body's face instead, at 11 pt.
     * Column widths are stored in digits of the Normal font: Excel's digit
     * of a Chinese face at 11 pt is 8 px, not Calibri's 7 that libxlsxwriter
     * converts pixels with; lg_xlsx_lxw_px makes up for it. */
    lxw_format *normal = STAILQ_FIRST(x->wb->formats);
    if (normal) {
        lg_font f = tpl->body_font;
        f.bold = false;
        set_face(normal, &f);
    }
    x->title = new_format(x, &tpl->title_font);
    format_set_align(x->title, LXW_ALIGN_CENTER);
    format_set_align(x->title, LXW_ALIGN_VERTICAL_CENTER);

    x->header = new_format(x, &tpl->header_font);
    format_set_align(x->header, LXW_ALIGN_CENTER);
    format_set_align(x->header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(x->header, LXW_BORDER_THIN);
}

/* The format of a form's cell to fill in (LG_CELL_INPUT): unlocked, so that
 * it can be edited when the sheet is protected, on a light fill that tells
 * it from the locked cells, and text (number format "@"), so that what is
 * typed is kept as typed: "2022" stays text and is not a number or a date;
 * but a cell for a figure (LG_CELL_INPUT_FIGURE) keeps the General number
 * format, so that what is typed is a number that its validation can check. */
static lxw_format *input_format(xlsx *x, const lg_column *col, bool span, bool figure)
{
    unsigned a = col->align <= LG_ALIGN_RIGHT ? (unsigned)col->align : 0;
    lxw_format **slot = &x->input[a][span][figure];
    if (*slot)
        return *slot;
    static const uint8_t halign[3] = {LXW_ALIGN_LEFT, LXW_ALIGN_CENTER, LXW_ALIGN_RIGHT};
    lxw_format *f = new_format(x, &x->tpl->body_font);
    format_set_align(f, halign[a]);
    format_set_align(f, a == LG_ALIGN_CENTER && !span ? LXW_ALIGN_VERTICAL_CENTER
                                                      : LXW_ALIGN_VERTICAL_TOP);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_unlocked(f);
    format_set_pattern(f, LXW_PATTERN_SOLID);
    format_set_bg_color(f, INPUT_FILL_COLOR);
    if (!figure)
        format_set_num_format(f, "@");
    return *slot = f;
}

static lxw_format *status_format(xlsx *x, const lg_column *col, const lg_cell *cell,
                                 bool span);

/* The format of CELL in column COL; SPAN: written over more than one row;
 * MERGED: a cell merged over table rows. */
static lxw_format *body_format(xlsx *x, const lg_column *col, const lg_cell *cell, bool span,
                               bool merged)
{
    if (cell->flags & LG_CELL_INPUT)
        return input_format(x, col, span, (cell->flags & LG_CELL_INPUT_FIGURE) != 0);
    if (x->status && cell->flags & LG_CELL_STATUS)
        return status_format(x, col, cell, span);
    unsigned a = col->align <= LG_ALIGN_RIGHT ? (unsigned)col->align : 0;
    unsigned out = (cell->flags & (LG_CELL_MISSING | LG_CELL_BEHIND)) != 0;
    unsigned strong = (cell->flags & LG_CELL_STRONG) != 0;
    unsigned num = !(cell->flags & LG_CELL_NUMBER) ? 0 : (cell->flags & LG_CELL_PERCENT) ? 2 : 1;
    lxw_format **slot = &x->body[a][out][merged][strong][num];
    if (*slot)
        return *slot;
    static const uint8_t halign[3] = {LXW_ALIGN_LEFT, LXW_ALIGN_CENTER, LXW_ALIGN_RIGHT};
    lg_font font = x->tpl->body_font;
    font.bold = font.bold || strong;
    lxw_format *f = new_format(x, &font);
    format_set_align(f, halign[a]);
    /* As the PDF draws them: a cell's text starts at its top, a cell merged
     * over table rows is centred (in its part of each page: the sheet's page
     * breaks end its merge, see page_range). */
    format_set_align(f, merged ? LXW_ALIGN_VERTICAL_CENTER : LXW_ALIGN_VERTICAL_TOP);
    format_set_border(f, LXW_BORDER_THIN);
    if (out)
        format_set_font_color(f, STANDOUT_COLOR);
    if (num)
        format_set_num_format(f, num == 2 ? "0.0%" : "0");
    return *slot = f;
}

/* The format of a cell that shows a status (LG_CELL_STATUS), as the PDF
 * draws it: a body cell filled with the status's colour, with a thick border
 * when escalated. */
static lxw_format *status_format(xlsx *x, const lg_column *col, const lg_cell *cell, bool span)
{
    lg_status st;
    lg_cell_status(cell, &st);
    unsigned a = col->align <= LG_ALIGN_RIGHT ? (unsigned)col->align : 0;
    unsigned out = (cell->flags & (LG_CELL_MISSING | LG_CELL_BEHIND)) != 0;
    lxw_format **slot = &x->marked[st.kind][st.escalated][a][out][span];
    if (*slot)
        return *slot;
    static const uint8_t halign[3] = {LXW_ALIGN_LEFT, LXW_ALIGN_CENTER, LXW_ALIGN_RIGHT};
    lxw_format *f = new_format(x, &x->tpl->body_font);
    format_set_align(f, halign[a]);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP); /* as body_format says */
    format_set_border(f, st.escalated ? LXW_BORDER_MEDIUM : LXW_BORDER_THIN);
    format_set_pattern(f, LXW_PATTERN_SOLID);
    format_set_bg_color(f, x->status->colours[st.kind]);
    if (out)
        format_set_font_color(f, STANDOUT_COLOR);
    return *slot = f;
}

/* TEXT for a header or footer: '&' doubled, so that it is not read as a
 * code. The caller frees. */
static char *header_escape(const char *text)
{
    char *out = lg_xmalloc(2 * strlen(text) + 1), *o = out;
    for (const char *p = text; *p; p++) {
        *o++ = *p;
        if (*p == '&')
            *o++ = '&';
    }
    *o = '\0';
    return out;
}

/* The sheet of T shows the statuses of T->status: their formats from now on,
 * and the legend in the printed page's header (the cells of a ledger sheet
 * are the ledger's own): each colour as a coloured ■ with its name, and the
 * escalation's thick border. */
static void use_status(xlsx *x, lxw_worksheet *ws, const lg_table *t)
{
    x->status = t->status;
    if (t->status && t->status != x->marked_for) {
        memset(x->marked, 0, sizeof x->marked);
        x->marked_for = t->status;
    }
    if (!t->status || t->list)
        return;
    const lg_status_rules *r = t->status;
    char *legend = lg_xasprintf("&C图例：");
    for (size_t k = 0; k <= LG_STATUS_COUNT; k++) {
        char *name = header_escape(k < LG_STATUS_COUNT ? r->names[k] : r->escalated_name);
        char *more = k < LG_STATUS_COUNT
                         ? lg_xasprintf("%s&K%06X■&K000000%s　", legend,
                                        r->colours[k] & 0xFFFFFFu, name)
                         : lg_xasprintf("%s粗框为%s", legend, name);
        free(name);
        free(legend);
        legend = more;
    }
    if (lg_utf8_length(legend) <= 255) { /* Excel's limit; names that long: no legend */
        lxw_header_footer_options o = {.margin = fmin(0.3, x->tpl->margin_top_mm / 25.4 / 2)};
        check(x, worksheet_set_header_opt(ws, legend, &o), "set_header");
    }
    free(legend);
}

/* Writes TEXT over rows R0..R1 and columns C0..C1, all in row R0 (the
 * title): a merged range, or a cell. */
static void write_span(xlsx *x, lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1, lxw_col_t c0,
                       lxw_col_t c1, const char *text, lxw_format *f)
{
    if (r0 == r1 && c0 == c1)
        check(x, worksheet_write_string(ws, r0, c0, text, f), "write_string");
    else
        check(x, worksheet_merge_range(ws, r0, c0, r1, c1, text, f), "merge_range");
}

/* Writes what physical row ROW of column C holds of a cell of T written over
 * rows FIRST..LAST (LAST may be in a later body row): in row FIRST the value,
 * TEXT if not NULL, else CELL's (a number as a number, so that sums and charts
 * can use it); below it a blank in the same format F. The range is merged when
 * its last row is written.
 *
 * The workbook is in constant_memory mode: rows go to the file strictly in
 * order, a row is flushed when a later one is touched, and a write to an
 * earlier row fails. worksheet_merge_range writes its text into the first
 * row and blanks into every other row at once, so it is called only at the
 * range's last row, when its writes to the rows above fail harmlessly (they
 * hold their value or blank already) and its blank in this row is the same
 * as ours. */
static void write_part(xlsx *x, lxw_worksheet *ws, const lg_table *t, lxw_row_t first,
                       lxw_row_t last, lxw_row_t row, lxw_col_t c, const lg_cell *cell,
                       const char *text, lxw_format *f)
{
    if (row != first)
        check(x, worksheet_write_blank(ws, row, c, f), "write_blank");
    else if (text || !(cell->flags & LG_CELL_NUMBER))
        check(x, worksheet_write_string(ws, row, c, text ? text : cell->text ? cell->text : "", f),
              "write_string");
    else
        check(x, worksheet_write_number(ws, row, c, lg_table_value(t, cell), f), "write_number");
    if (row == last && last > first)
        check(x, worksheet_merge_range(ws, first, c, last, c, "", f), "merge_range");
}

/* ---- a sheet --------------------------------------------------------------- */

typedef struct sheet {
    xlsx *x;
    const lg_table *t;
    lxw_worksheet *ws;
    uint32_t *cover;   /* [row * n_columns + col]: 1 + index of the merge covering it, or 0 */
    size_t *end_first; /* merges ending at row r: ends[end_first[r] .. end_first[r+1]) */
    size_t *ends;
    double *merge_need;  /* a merge's height, from its top cell */
    uint32_t *lines;     /* per cell, 1 + the lines of its text when measured, or 0: the
                          * rows are measured to plan the pages, then again to write them,
                          * and a province's sheet outgrows the layout's cache */
    lxw_row_t *phys;     /* first physical row of each body row */
    double *phys_before; /* a merge's height in rows before its last body row */
    lxw_row_t next;      /* next physical row */
    double scale;        /* column widths: the template's times this (at most 1) */
    lxw_row_t *breaks;   /* physical rows that begin a page */
    size_t n_breaks;
    const char *name;    /* the sheet's name in the workbook */
    size_t *target_of;   /* per body row: 1 + the link target that begins there, or 0 */
    size_t side_next;    /* the cell chart's data: the next of its rows to write */
    /* The pages planned (plan_pages): the body's physical rows from BODY0 on,
     * their heights, and the first and last row of each one's page. */
    bool planned;
    lxw_row_t body0;
    double *row_first; /* per body row: its first part's room (split at a break), or 0 */
    double split_max;  /* the room of a split row's other parts */
    lxw_row_t *pfirst, *plast;
    double title_h, head_h;
} sheet;

/* Fills the merge lookups: which merge covers a cell (lg_table_merge_cover,
 * which leaves out invalid merges and the later of two that overlap), and
 * which merges end in each row. */
static void index_merges(sheet *s)
{
    const lg_table *t = s->t;
    size_t nc = t->n_columns;
    s->cover = lg_table_merge_cover(t);
    s->end_first = lg_xcalloc(t->n_rows + 1, sizeof *s->end_first);
    s->ends = lg_xcalloc(t->n_merges + 1, sizeof *s->ends);
    s->merge_need = lg_xcalloc(t->n_merges + 1, sizeof *s->merge_need);
    s->phys_before = lg_xcalloc(t->n_merges + 1, sizeof *s->phys_before);
    bool *ok = lg_xcalloc(t->n_merges + 1, sizeof *ok);
    for (size_t i = 0; i < t->n_merges; i++) {
        const lg_merge *m = &t->merges[i];
        /* the merges the cover index kept */
        ok[i] = m->col < nc && m->row1 < t->n_rows && s->cover[m->row0 * nc + m->col] == i + 1;
        if (ok[i])
            s->end_first[m->row1 + 1]++;
    }
    for (size_t r = 0; r < t->n_rows; r++)
        s->end_first[r + 1] += s->end_first[r];
    size_t *fill = lg_xcalloc(t->n_rows + 1, sizeof *fill);
    for (size_t i = 0; i < t->n_merges; i++)
        if (ok[i]) {
            size_t r = t->merges[i].row1;
            s->ends[s->end_first[r] + fill[r]++] = i;
        }
    free(fill);
    free(ok);
}

static void sheet_free(sheet *s)
{
    free(s->cover);
    free(s->end_first);
    free(s->ends);
    free(s->merge_need);
    free(s->lines);
    free(s->phys_before);
    free(s->row_first);
    free(s->pfirst);
    free(s->plast);
    free(s->phys);
    free(s->breaks);
    free(s->target_of);
}

/* Column C's width in mm as the sheet sets it. */
static double col_mm(const sheet *s, size_t c)
{
    return s->t->columns[c].width_mm * s->scale;
}

/* The header's row: the first in a list, else below the title. */
static lxw_row_t head_row(const lg_table *t)
{
    return t->list ? 0 : 1;
}

static void set_row(sheet *s, lxw_row_t row, double h)
{
    check(s->x, worksheet_set_row(s->ws, row, h, NULL), "set_row");
}

/* ---- fill-in forms --------------------------------------------------------- */

/* The height of a row of N_LINES empty lines of body text: room to write in. */
static double form_min_height(xlsx *x, unsigned n_lines)
{
    char text[64];
    size_t n = n_lines < sizeof text ? n_lines : sizeof text - 1;
    memset(text, '\n', n - 1);
    text[n - 1] = '\0';
    lg_text_box *b = lg_layout_text(x->l, text, &x->tpl->body_font, 100, LG_ALIGN_LEFT, false);
    double h = fmin(lg_xlsx_lines_height(x->tpl, &x->tpl->body_font, b->n_lines),
                    LG_XLSX_MAX_ROW_PT);
    lg_text_box_free(b);
    return h;
}

/* A drop-down of the column's choices over the body rows of column C. */
static bool write_choices(sheet *s, size_t c, const lg_choices *ch, lg_diags *d,
                          const char *path)
{
    size_t len = 0;
    for (size_t i = 0; i < ch->n; i++)
        len += strlen(ch->items[i]) + 1;
    if (len > 255) {
        /* libxlsxwriter 1.1.4 overflows its buffer on longer lists */
        lg_diags_add(d, LG_ERROR, "xlsx", path, 0,
                     "sheet \"%s\": the choices of column \"%s\" are longer than a "
                     "drop-down holds (255 bytes)", s->t->name, s->t->columns[c].header);
        return false;
    }
    char **items = lg_xcalloc(ch->n + 1, sizeof *items);
    char *msg = lg_xmalloc(len + 64);
    strcpy(msg, "请从下拉列表中选择：");
    for (size_t i = 0; i < ch->n; i++) {
        items[i] = (char *)ch->items[i];
        if (i)
            strcat(msg, "、");
        strcat(msg, ch->items[i]);
    }
    lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_LIST,
                              .value_list = items,
                              .error_type = LXW_VALIDATION_ERROR_TYPE_STOP,
                              .error_title = "请从列表中选择",
                              .error_message = msg};
    lxw_col_t xc = (lxw_col_t)c;
    check(s->x, worksheet_data_validation_range(s->ws, s->phys[0], xc, s->next - 1, xc, &dv),
          "data_validation");
    free(msg);
    free(items);
    return true;
}

/* Excel's check of every cell for a figure (LG_CELL_INPUT_FIGURE): a number,
 * at least 0 unless LG_CELL_INPUT_SIGNED, typed without its unit. */
static void write_figure_checks(sheet *s)
{
    const lg_table *t = s->t;
    lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_DECIMAL,
                              .criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO,
                              .value_number = 0,
                              .error_type = LXW_VALIDATION_ERROR_TYPE_STOP,
                              .error_title = "请填写数字",
                              .error_message = "请填写1月至本月的累计数，只填数字，单位同“目标”，"
                                               "不要带单位，如：62.5"};
    lxw_data_validation signed_dv = dv;
    signed_dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    signed_dv.minimum_number = -1e10;
    signed_dv.maximum_number = 1e10;
    signed_dv.error_message = "请填写1月至本月的累计增长百分数，只填数字，不要带%，如：5.8 或 -1.2";
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_columns; c++) {
            unsigned fl = lg_table_cell(t, r, c)->flags;
            if (!(fl & LG_CELL_INPUT) || !(fl & LG_CELL_INPUT_FIGURE))
                continue;
            check(s->x, worksheet_data_validation_cell(s->ws, s->phys[r], (lxw_col_t)c,
                                                       fl & LG_CELL_INPUT_SIGNED ? &signed_dv
                                                                                 : &dv),
                  "data_validation");
        }
}

/* Writes one cell of a form's hidden sheet (lg_form_put_fn). */
static void put_meta(void *ctx, uint32_t row, uint16_t col, const char *text)
{
    sheet *ms = ctx;
    check(ms->x, worksheet_write_string(ms->ws, row, col, text, NULL), "write_string");
}

/* A form (lg_form): the sheet protected without a password, so that only the
 * input cells can be edited (rows and columns can still be resized, to see
 * long text); its drop-downs; and the hidden, protected sheet of the form
 * protocol (form_protocol.h) that carries what the form needs to be read
 * back. Call after the body rows are written. */
static bool write_form(sheet *s, const char *sheet_name, lg_diags *d, const char *path)
{
    const lg_table *t = s->t;
    const lg_form *f = t->form;
    xlsx *x = s->x;
    if (f->protect) {
        lxw_protection prot = {.format_columns = 1, .format_rows = 1};
        worksheet_protect(s->ws, NULL, &prot);
    }
    if (f->choices && t->n_rows)
        for (size_t c = 0; c < t->n_columns; c++)
            if (f->choices[c].n && !write_choices(s, c, &f->choices[c], d, path))
                return false;
    write_figure_checks(s);
    if (!f->n_meta && !f->row_keys)
        return true;

    lxw_worksheet *ms = workbook_add_worksheet(x->wb, LG_FORM_SHEET);
    if (!ms) {
        lg_diags_add(d, LG_ERROR, "xlsx", path, 0,
                     "cannot add the sheet \"%s\" (a workbook holds one form)", LG_FORM_SHEET);
        return false;
    }
    worksheet_hide(ms);
    worksheet_protect(ms, NULL, NULL);
    check(x, worksheet_set_column(ms, 0, 1, 24, NULL), "set_column");
    sheet meta = {.x = x, .ws = ms};
    lg_form_sheet_cells(f, sheet_name, t->n_rows, s->phys, s->next, put_meta, &meta);
    return true;
}

/* The title row (merged over all columns) and the header row. */
/* ---- internal links ---------------------------------------------------------- */

/* A sheet's NAME quoted for a formula: 'name', a ' doubled. The caller frees. */
static char *quoted_sheet(const char *name)
{
    size_t n = strlen(name), k = 0;
    char *q = lg_xmalloc(2 * n + 3);
    q[k++] = '\'';
    for (size_t i = 0; i < n; i++) {
        q[k++] = name[i];
        if (name[i] == '\'')
            q[k++] = '\'';
    }
    q[k++] = '\'';
    q[k] = '\0';
    return q;
}

/* The target of link L, added when new with the cell (ROW, COL) of S as its
 * source; its index. */
static size_t link_target(sheet *s, const lg_link *l, lxw_row_t row, lxw_col_t col)
{
    xlsx_links *ls = &s->x->links;
    for (size_t i = 0; i < ls->n; i++)
        if (strcmp(ls->table[i], l->table) == 0 && strcmp(ls->group[i], l->group) == 0)
            return i;
    if (ls->n == ls->cap) {
        ls->cap = ls->cap ? 2 * ls->cap : 64;
        ls->table = lg_xrealloc(ls->table, ls->cap * sizeof *ls->table);
        ls->group = lg_xrealloc(ls->group, ls->cap * sizeof *ls->group);
        ls->source = lg_xrealloc(ls->source, ls->cap * sizeof *ls->source);
        ls->defined = lg_xrealloc(ls->defined, ls->cap * sizeof *ls->defined);
    }
    char *q = quoted_sheet(s->name), cell[32];
    lxw_rowcol_to_cell_abs(cell, row, col, true, true);
    ls->table[ls->n] = lg_xstrdup(l->table);
    ls->group[ls->n] = lg_xstrdup(l->group);
    ls->source[ls->n] = lg_xasprintf("%s!%s", q, cell);
    ls->defined[ls->n] = false;
    free(q);
    return ls->n++;
}

/* Defines target I's name as CELL_REF ('sheet'!$A$12). */
static void define_target(xlsx *x, size_t i, const char *cell_ref)
{
    char name[32], *formula = lg_xasprintf("=%s", cell_ref);
    snprintf(name, sizeof name, "_link_%zu", i + 1);
    check(x, workbook_define_name(x->wb, name, formula), "define_name");
    x->links.defined[i] = true;
    free(formula);
}

/* Marks the rows of S's table where a group that some link leads to begins. */
static void find_targets(sheet *s)
{
    const xlsx_links *ls = &s->x->links;
    const lg_table *t = s->t;
    for (size_t k = 0; k < ls->n; k++) {
        if (ls->defined[k] || strcmp(ls->table[k], t->name) != 0)
            continue;
        for (size_t i = 0; i < t->n_groups; i++)
            if (t->groups[i].row0 < t->n_rows && strcmp(t->groups[i].label, ls->group[k]) == 0) {
                if (!s->target_of)
                    s->target_of = lg_xcalloc(t->n_rows + 1, sizeof *s->target_of);
                if (!s->target_of[t->groups[i].row0])
                    s->target_of[t->groups[i].row0] = k + 1;
                break;
            }
    }
}

/* Body row R of S, at physical row ROW, begins the group of every target
 * marked there (several links to one group share a target). */
static void define_targets_at(sheet *s, size_t r, lxw_row_t row)
{
    if (!s->target_of || !s->target_of[r])
        return;
    char *q = quoted_sheet(s->name), cell[32];
    lxw_rowcol_to_cell_abs(cell, row, 0, true, true);
    char *ref = lg_xasprintf("%s!%s", q, cell);
    define_target(s->x, s->target_of[r] - 1, ref);
    free(ref);
    free(q);
}

/* The cell (R, C) of S's table at physical row ROW again, as a hyperlink to
 * its target, showing the same text in the same format F. */
static void write_link(sheet *s, size_t r, size_t c, lxw_row_t row, lxw_format *f)
{
    const lg_link *l = lg_table_link_at(s->t, r, c);
    if (!l)
        return;
    size_t i = link_target(s, l, row, (lxw_col_t)c);
    char url[48];
    snprintf(url, sizeof url, "internal:_link_%zu", i + 1);
    char *tip = lg_xasprintf("转到%s：%s", l->table, l->group);
    lxw_error e = worksheet_write_url_opt(s->ws, row, (lxw_col_t)c, url, f,
                                          lg_table_cell(s->t, r, c)->text, tip);
    check(s->x, e, "write_url");
    free(tip);
}

static void links_free(xlsx *x)
{
    xlsx_links *ls = &x->links;
    for (size_t i = 0; i < ls->n; i++) {
        if (!ls->defined[i]) /* never written: the link leads to itself */
            define_target(x, i, ls->source[i]);
        free(ls->table[i]);
        free(ls->group[i]);
        free(ls->source[i]);
    }
    free(ls->table);
    free(ls->group);
    free(ls->source);
    free(ls->defined);
}

/* ---- a chart in a cell (lg_cell_chart) ------------------------------------- */

/* The 通报's ranking as a native column chart over its cell: a bar per unit,
 * names stacked top to bottom under them (every one: tickLblSkip 1), the
 * values above them. Its data, rank, name and rate of each bar, is in hidden
 * columns beside the table (SIDE_COL on), from the header's row down; the
 * sheet prints the table only. */
#define SIDE_COL 3        /* D */
#define CELL_CHART_FONT 8 /* pt: names and values */
#define CELL_CHART_PLOT 150 /* pt: the bars' height at 100 % */

/* The rows PH of the chart's body row: rows of the default height (which
 * libxlsxwriter assumes of every row when it anchors a chart in a sheet
 * written in constant_memory mode, whose rows it no longer holds), as many
 * as the chart needs and at least as tall as the row's cells: its bars, and
 * below them the longest name stacked a character a line. */
#define DEFAULT_ROW_PT 15 /* LXW_DEF_ROW_HEIGHT */
static void chart_rows(const lg_cell_chart *cc, lg_xlsx_rows *ph)
{
    size_t longest = 0;
    for (size_t i = 0; i < cc->n; i++) {
        size_t n = 0;
        for (const char *p = cc->labels[i]; *p; p += lg_utf8_char_len(p))
            n++;
        longest = n > longest ? n : longest;
    }
    double need = CELL_CHART_PLOT + 1.2 * CELL_CHART_FONT * (double)longest + 40, have = 0;
    for (size_t i = 0; i < ph->n; i++)
        have += ph->h[i];
    size_t k = (size_t)ceil(fmax(need, have) / DEFAULT_ROW_PT);
    ph->n = 0;
    for (size_t i = 0; i < k; i++)
        lg_xlsx_rows_push(ph, DEFAULT_ROW_PT);
}

/* Writes the chart data's row at physical row ROW, when it has one there:
 * the header, then a row per bar. */
static void write_side(sheet *s, lxw_row_t row)
{
    const lg_cell_chart *cc = s->t->cell_chart;
    lxw_row_t r0 = head_row(s->t);
    if (!cc || s->side_next > cc->n || row != r0 + s->side_next)
        return;
    xlsx *x = s->x;
    lxw_worksheet *ws = s->ws;
    if (s->side_next == 0) {
        check(x, worksheet_write_string(ws, row, SIDE_COL, "名次", NULL), "write_string");
        check(x, worksheet_write_string(ws, row, SIDE_COL + 1, cc->label_head, NULL),
              "write_string");
        check(x, worksheet_write_string(ws, row, SIDE_COL + 2, cc->value_head, NULL),
              "write_string");
    } else {
        size_t i = s->side_next - 1;
        check(x, worksheet_write_number(ws, row, SIDE_COL,
                                        (double)(cc->ranks ? cc->ranks[i] : i + 1), NULL),
              "write_number");
        check(x, worksheet_write_string(ws, row, SIDE_COL + 1, cc->labels[i], NULL),
              "write_string");
        check(x, worksheet_write_number(ws, row, SIDE_COL + 2, cc->values[i], NULL),
              "write_number");
    }
    s->side_next++;
}

/* Fills a series range's cache (see cache_range) from CC: its labels, or its values. */
static void cache_bars(lxw_series_range *range, const lg_cell_chart *cc, bool labels)
{
    range->ignore_cache = LXW_TRUE;
    for (size_t i = 0; i < cc->n; i++) {
        lxw_series_data_point *pt = lg_xcalloc(1, sizeof *pt);
        if (labels) {
            pt->is_string = LXW_TRUE;
            pt->string = lg_xstrdup(cc->labels[i]);
            range->has_string_cache = LXW_TRUE;
        } else {
            pt->number = cc->values[i];
        }
        STAILQ_INSERT_TAIL(range->data_cache, pt, list_pointers);
        range->num_data_points++;
    }
}

/* The chart over the cell chart's cell, from physical row ROW over N rows
 * (chart_rows). */
static void insert_cell_chart(sheet *s, lxw_row_t row, size_t n)
{
    const lg_cell_chart *cc = s->t->cell_chart;
    xlsx *x = s->x;
    lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
    if (!chart) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add_chart");
        return;
    }
    lxw_row_t r0 = head_row(s->t) + 1, r1 = (lxw_row_t)(r0 + cc->n - 1);
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    chart_series_set_categories(series, s->name, r0, SIDE_COL + 1, r1, SIDE_COL + 1);
    chart_series_set_values(series, s->name, r0, SIDE_COL + 2, r1, SIDE_COL + 2);
    cache_bars(series->categories, cc, true);
    cache_bars(series->values, cc, false);
    lxw_chart_font font = {.name = (char *)xlsx_face(&x->tpl->body_font),
                           .size = CELL_CHART_FONT, .charset = CHARSET_GB2312};
    chart_series_set_labels(series);
    chart_series_set_labels_num_format(series, "0.0%");
    lxw_chart_font value_font = font;
    value_font.rotation = -90;
    chart_series_set_labels_font(series, &value_font);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    chart_show_hidden_data(chart); /* the data is in hidden columns */
    chart_axis_set_num_format(chart->y_axis, "0%");
    /* room above 100 % for the values over the bars; grid lines to 100 % */
    chart_axis_set_min(chart->y_axis, 0);
    chart_axis_set_max(chart->y_axis, 1.16);
    chart_axis_set_major_unit(chart->y_axis, 0.2);
    chart_axis_set_num_font(chart->y_axis, &font);
    lxw_chart_font names = font;
    names.rotation = 271; /* stacked, for East Asian text */
    chart_axis_set_num_font(chart->x_axis, &names);
    chart_axis_set_interval_unit(chart->x_axis, 1); /* every name, none skipped */
    /* to the cell's right edge: libxlsxwriter anchors in its own pixels of
     * the column (lg_xlsx_lxw_px), Excel and LibreOffice draw to the anchor */
    double w_px = (double)lg_xlsx_lxw_px(lg_xlsx_col_px(col_mm(s, cc->col)));
    lxw_chart_options o = {.x_offset = 2, .y_offset = 2, .x_scale = (w_px - 2) / 480.0,
                           .y_scale = (DEFAULT_ROW_PT * 4.0 / 3.0 * (double)n - 2) / 288.0,
                           .object_position = LXW_OBJECT_MOVE_AND_SIZE};
    check(x, worksheet_insert_chart_opt(s->ws, row, (lxw_col_t)cc->col, chart, &o),
          "insert_chart");
}

static void write_head(sheet *s)
{
    xlsx *x = s->x;
    const lg_template *tpl = x->tpl;
    const lg_table *t = s->t;
    lxw_col_t last = (lxw_col_t)(t->n_columns - 1);
    lxw_row_t hr = head_row(t);
    lg_text_box *b;

    if (hr) {
        double total_mm = 0;
        for (size_t c = 0; c < t->n_columns; c++)
            total_mm += col_mm(s, c);
        const char *title = t->title ? t->title : "";
        b = lg_layout_text(x->l, title, &tpl->title_font, lg_xlsx_text_width(tpl, total_mm),
                           LG_ALIGN_CENTER, false);
        double th = fmin(lg_xlsx_lines_height(tpl, &tpl->title_font, b->n_lines),
                         LG_XLSX_MAX_ROW_PT);
        set_row(s, 0, th);
        s->title_h = th;
        lg_text_box_free(b);
        write_span(x, s->ws, 0, 0, 0, last, title, x->title);
    }

    double h = 0;
    for (size_t c = 0; c < t->n_columns; c++) {
        const lg_column *col = &t->columns[c];
        const char *text = col->header ? col->header : "";
        b = lg_layout_text(x->l, text, &tpl->header_font, lg_xlsx_text_width(tpl, col_mm(s, c)),
                           LG_ALIGN_CENTER, false);
        h = fmax(h, lg_xlsx_lines_height(tpl, &tpl->header_font, b->n_lines));
        lg_text_box_free(b);
        check(x, worksheet_write_string(s->ws, hr, (lxw_col_t)c, text, x->header),
              "write_string");
    }
    h = fmin(h, LG_XLSX_MAX_ROW_PT);
    set_row(s, hr, h);
    write_side(s, hr);
    s->head_h = h;
    s->next = hr + 1;
}

/* Whether body row R begins a group that starts on a new page. */
static bool starts_page(const lg_table *t, size_t r)
{
    for (size_t g = 0; g < t->n_groups; g++)
        if (t->groups[g].new_page && t->groups[g].row0 == r)
            return true;
    return false;
}

/* A manual page break before body row R, which begins at s->next, when it
 * begins a group that starts on a new page. Pages are otherwise broken by
 * the spreadsheet, which knows its own scale (see setup_page). */
static void plan_breaks(sheet *s, size_t r)
{
    if (r == 0 || !s->t->n_groups || !starts_page(s->t, r))
        return;
    s->breaks = lg_xrealloc(s->breaks, (s->n_breaks + 2) * sizeof *s->breaks);
    s->breaks[s->n_breaks++] = s->next;
}

/* The height of band row R (LG_CELL_BAND): its text bold across the table. */
static double band_height(const sheet *s, size_t r)
{
    const xlsx *x = s->x;
    const lg_table *t = s->t;
    double total_mm = 0;
    for (size_t c = 0; c < t->n_columns; c++)
        total_mm += col_mm(s, c);
    lg_font f = x->tpl->body_font;
    f.bold = true;
    lg_text_box *b = lg_layout_measure(x->l, lg_table_cell(t, r, 0)->text, &f,
                                       lg_xlsx_text_width(x->tpl, total_mm), LG_ALIGN_LEFT, false);
    double h = fmin(lg_xlsx_lines_height(x->tpl, &f, b->n_lines), LG_XLSX_MAX_ROW_PT);
    lg_text_box_free(b);
    return h;
}

/* Computes the physical rows of body row R, beginning at s->next: their
 * heights into PH, the parts of split cells into SP (room for n_columns
 * splits; the caller frees them), what the merges learn of the row. PH and
 * SP are reused between rows. */
static bool measure_row(sheet *s, size_t r, lg_xlsx_split *sp, lg_xlsx_rows *ph, lg_diags *d,
                        const char *path)
{
    xlsx *x = s->x;
    const lg_template *tpl = x->tpl;
    const lg_table *t = s->t;
    size_t nc = t->n_columns;
    bool ok = true;
    lg_textstore_tick(t->texts, r); /* give back the texts read */
    /* split at a page break: the first part's room there */
    double first_max = s->row_first ? s->row_first[r] : 0;
    if (lg_table_is_band(t, r)) {
        ph->n = 0;
        lg_xlsx_rows_push(ph, band_height(s, r));
        s->phys[r] = s->next;
        return true;
    }

    /* Lay out each cell once: its need, or its chunks when it is too tall. */
    ph->n = 0;
    lg_xlsx_rows_push(ph, x->empty_row);
    if (t->form && t->form->min_lines > 1)
        ph->h[0] = fmax(ph->h[0], form_min_height(x, t->form->min_lines));
    bool chart_row = t->cell_chart && t->cell_chart->row == r && t->cell_chart->col < nc &&
                     !s->cover[r * nc + t->cell_chart->col];
    double *single = lg_xcalloc(nc, sizeof *single); /* need of a one-piece cell */
    for (size_t c = 0; c < nc; c++) {
        const lg_column *col = &t->columns[c];
        const lg_cell *cell = lg_table_cell(t, r, c);
        size_t m = s->cover[r * nc + c];
        sp[c].n = 0;
        if (m && t->merges[m - 1].row0 != r)
            continue; /* below a merge's top cell */
        const char *text = cell->text ? cell->text : "";
        uint32_t *lines = &s->lines[r * nc + c];
        if (!*lines) {
            lg_text_box *b = lg_layout_measure(x->l, text, &tpl->body_font,
                                               lg_xlsx_text_width(tpl, col_mm(s, c)),
                                               col->align, col->justify);
            *lines = b->n_lines < UINT32_MAX ? (uint32_t)b->n_lines + 1 : UINT32_MAX;
            lg_text_box_free(b);
        }
        double need = lg_xlsx_lines_height(tpl, &tpl->body_font, *lines - 1);
        size_t units, lfs;
        lg_xlsx_count_text(text, strlen(text), &units, &lfs);
        bool too_long = units > LG_XLSX_MAX_CELL_UNITS || lfs > LG_XLSX_MAX_CELL_LF;
        if (m) {
            s->merge_need[m - 1] = need;
            if (too_long) {
                lg_diags_add(d, LG_ERROR, "xlsx-cell", path, 0,
                             "sheet \"%s\": a merged cell's text is longer than Excel allows "
                             "in a cell (32,767 characters, 253 line feeds)", t->name);
                ok = false;
            }
        } else if (((need <= LG_XLSX_MAX_ROW_PT && (first_max <= 0 || need <= first_max)) ||
                    t->list) &&
                   !too_long) {
            /* A list keeps the text whole: the row shows what fits. */
            single[c] = fmin(need, LG_XLSX_MAX_ROW_PT);
        } else if (!lg_xlsx_split_text_to(tpl, x->l, &tpl->body_font,
                                          lg_xlsx_text_width(tpl, col_mm(s, c)), col->align,
                                          col->justify, text,
                                          first_max > 0 ? first_max : LG_XLSX_MAX_ROW_PT,
                                          first_max > 0 ? s->split_max : LG_XLSX_MAX_ROW_PT,
                                          &sp[c])) {
            lg_diags_add(d, LG_ERROR, "xlsx-cell", path, 0,
                         "sheet \"%s\": a line of text is longer than Excel allows in a cell",
                         t->name);
            ok = false;
        } else {
            for (size_t i = 0; i < sp[c].n; i++) {
                double h = sp[c].height[i];
                if (i < ph->n)
                    ph->h[i] = fmax(ph->h[i], h);
                else
                    lg_xlsx_rows_push(ph, h);
            }
        }
    }

    /* The rows must be tall enough for every cell that spans some of them:
     * the last chunk of a split cell, a one-piece cell, a merge ending here. */
    for (size_t c = 0; c < nc; c++) {
        if (sp[c].n)
            lg_xlsx_rows_fit(ph, sp[c].n - 1, 0, sp[c].height[sp[c].n - 1]);
        else if (single[c] > 0 && first_max > 0)
            ph->h[0] = fmax(ph->h[0], single[c]); /* whole above the page break */
        else if (single[c] > 0)
            lg_xlsx_rows_fit(ph, 0, 0, single[c]);
    }
    s->phys[r] = s->next;
    for (size_t i = s->end_first[r]; i < s->end_first[r + 1]; i++) {
        size_t m = s->ends[i];
        lg_xlsx_rows_fit(ph, 0, s->phys_before[m], s->merge_need[m]);
    }
    free(single);
    if (chart_row)
        chart_rows(t->cell_chart, ph);
    return ok;
}

/* Merges still open below body row R learn its height, PH. */
static void learn_row(sheet *s, size_t r, const lg_xlsx_rows *ph)
{
    const lg_table *t = s->t;
    size_t nc = t->n_columns;
    double total = 0;
    for (size_t i = 0; i < ph->n; i++)
        total += ph->h[i];
    for (size_t c = 0; c < nc; c++) {
        size_t m = s->cover[r * nc + c];
        if (m && t->merges[m - 1].row1 != r)
            s->phys_before[m - 1] += total;
    }
}

/* The rows of physical row ROW's page part of a range FIRST..LAST, into
 * *FIRST and *LAST: a cell merged over a page break ends at the break and
 * begins again below it, so that its text prints on each page and its
 * borders close at the break. True when the part continues from a page
 * before. */
static bool page_range(const sheet *s, lxw_row_t row, lxw_row_t *first, lxw_row_t *last)
{
    if (!s->planned)
        return false;
    lxw_row_t pf = s->pfirst[row - s->body0], pl = s->plast[row - s->body0];
    bool cont = *first < pf;
    if (cont)
        *first = pf;
    if (*last > pl)
        *last = pl;
    return cont;
}

/* Computes the physical rows of body row R and writes its cells. SP has room
 * for n_columns splits, PH for the heights; both are reused between rows. */
static bool write_row(sheet *s, size_t r, lg_xlsx_split *sp, lg_xlsx_rows *ph, lg_diags *d,
                      const char *path)
{
    xlsx *x = s->x;
    const lg_table *t = s->t;
    size_t nc = t->n_columns;
    bool chart_row = t->cell_chart && t->cell_chart->row == r && t->cell_chart->col < nc &&
                     !s->cover[r * nc + t->cell_chart->col];
    bool ok = measure_row(s, r, sp, ph, d, path);
    learn_row(s, r, ph);
    if (!s->planned)
        plan_breaks(s, r);

    /* Row by row, each row's height before its cells (see write_part). */
    lxw_row_t p0 = s->next, pn = (lxw_row_t)(p0 + ph->n - 1);
    for (size_t i = 0; i < ph->n; i++) {
        lxw_row_t row = (lxw_row_t)(p0 + i);
        /* planned: the height the pages were planned with (maybe grown) */
        set_row(s, row, ph->h[i]);
        if (i == 0)
            define_targets_at(s, r, row);
        for (size_t c = 0; c < nc; c++) {
            const lg_column *col = &t->columns[c];
            const lg_cell *cell = lg_table_cell(t, r, c);
            size_t m = s->cover[r * nc + c];
            lxw_col_t xc = (lxw_col_t)c;
            if (m) {
                /* A table merge: its last physical row is known in its last
                 * body row. Below a page break, its text again with （续）, as
                 * the PDF shows it. */
                const lg_merge *mg = &t->merges[m - 1];
                const lg_cell *top = lg_table_cell(t, mg->row0, c);
                lxw_row_t first = s->phys[mg->row0], last = mg->row1 == r ? pn : LXW_ROW_MAX;
                char *cont = NULL;
                if (page_range(s, row, &first, &last) && top->text && *top->text)
                    cont = lg_xasprintf("%s%s", top->text, LG_XLSX_CONT_MARK);
                write_part(x, s->ws, t, first, last, row, xc, top, cont,
                           body_format(x, col, top, true, true));
                free(cont);
            } else if (sp[c].n) {
                /* Part k on row k; the last part spans the rows left. */
                size_t k = i < sp[c].n ? i : sp[c].n - 1;
                lxw_row_t first = (lxw_row_t)(p0 + k), last = k + 1 == sp[c].n ? pn : first;
                bool cont = page_range(s, row, &first, &last);
                write_part(x, s->ws, t, first, last, row, xc, cell, cont ? "" : sp[c].text[k],
                           body_format(x, col, cell, true, false));
            } else if (t->list) {
                /* Every row of a list is whole: the cell again, not merged. */
                write_part(x, s->ws, t, row, row, row, xc, cell, NULL,
                           body_format(x, col, cell, false, false));
            } else {
                /* A row split at a page break: its text above the break (it
                 * fits there); below it, the row's label again with （续）,
                 * as the PDF shows it. */
                lxw_row_t first = p0, last = pn;
                bool cont = page_range(s, row, &first, &last);
                char *label = cont && s->planned && lg_table_is_label(t, s->cover, r, c)
                                  ? lg_table_continued_label(t, r, c)
                                  : NULL;
                write_part(x, s->ws, t, first, last, row, xc, cell,
                           label ? label : cont ? "" : NULL,
                           body_format(x, col, cell, pn > p0, false));
                free(label);
                if (row == p0 && t->n_links)
                    write_link(s, r, c, row, body_format(x, col, cell, pn > p0, false));
            }
        }
        write_side(s, row);
    }
    if (chart_row)
        insert_cell_chart(s, p0, ph->n);
    for (size_t c = 0; c < nc; c++)
        lg_xlsx_split_free(&sp[c]);
    s->next = pn + 1;
    if (s->next > LXW_ROW_MAX - 1 && r + 1 < t->n_rows) {
        lg_diags_add(d, LG_ERROR, "xlsx-rows", path, 0,
                     "sheet \"%s\" has more rows than Excel allows (1,048,576)", t->name);
        ok = false;
    }
    return ok;
}

/* Writes band row R (LG_CELL_BAND): its text bold across the table, in one
 * merged row as tall as the text needs. */
static void write_band(sheet *s, size_t r)
{
    xlsx *x = s->x;
    const lg_table *t = s->t;
    if (!x->band) {
        lg_font f = x->tpl->body_font;
        f.bold = true;
        x->band = new_format(x, &f);
        format_set_align(x->band, LXW_ALIGN_LEFT);
        format_set_align(x->band, LXW_ALIGN_VERTICAL_CENTER);
        format_set_border(x->band, LXW_BORDER_THIN);
    }
    const char *text = lg_table_cell(t, r, 0)->text;
    double h = band_height(s, r);
    s->phys[r] = s->next;
    if (!s->planned)
        plan_breaks(s, r);
    set_row(s, s->next, h);
    write_span(x, s->ws, s->next, s->next, 0, (lxw_col_t)(t->n_columns - 1), text, x->band);
    s->next++;
}

/* ---- pages ----------------------------------------------------------------- */

/* The room for body rows on a page (pt), from the template's paper and
 * margins less the title and the repeated header; the height of a short row
 * (the template's short-row lines). A spreadsheet rounds row heights to its
 * own units: a point is kept spare. */
static lg_page_room page_room(sheet *s)
{
    const lg_template *tpl = s->x->tpl;
    double body = LG_MM_TO_PT(tpl->page_h_mm - tpl->margin_top_mm - tpl->margin_bottom_mm) - 1;
    unsigned short_lines = tpl->short_row_lines;
    return (lg_page_room){.first = body - s->title_h - s->head_h,
                          .other = body - s->head_h,
                          .short_h = short_lines ? form_min_height(s->x, short_lines) : 0};
}

static double rows_total(const lg_xlsx_rows *ph)
{
    double h = 0;
    for (size_t i = 0; i < ph->n; i++)
        h += ph->h[i];
    return h;
}

static void free_splits(sheet *s, lg_xlsx_split *sp)
{
    for (size_t c = 0; c < s->t->n_columns; c++)
        lg_xlsx_split_free(&sp[c]);
}

/* The most any merged cell beginning in body row R needs for its text
 * (measure_row has measured the row). */
static double merges_begin(const sheet *s, size_t r)
{
    const lg_table *t = s->t;
    double need = 0;
    for (size_t c = 0; c < t->n_columns; c++) {
        size_t m = s->cover[r * t->n_columns + c];
        if (m && t->merges[m - 1].row0 == r && s->merge_need[m - 1] > need)
            need = s->merge_need[m - 1];
    }
    return need;
}

/* The height of body row R + 1 when it ends its group or the table and is a
 * short row (ROOM), else 0: it is not to go alone to a page. */
static double next_short(sheet *s, size_t r, const lg_page_room *room, lg_xlsx_split *sp,
                         lg_diags *d, const char *path)
{
    const lg_table *t = s->t;
    size_t n = r + 1;
    if (n >= t->n_rows || starts_page(t, n) || (n + 1 < t->n_rows && !starts_page(t, n + 1)))
        return 0;
    lg_xlsx_rows ph = {0};
    measure_row(s, n, sp, &ph, d, path); /* measured again when placed */
    free_splits(s, sp);
    double h = rows_total(&ph);
    free(ph.h);
    return h <= room->short_h ? h : 0;
}

/* What band row R needs below it on its page, so that it never ends a page
 * alone: the next row whole when it is short (ROOM), else MIN_PART of it. */
static double band_follow(sheet *s, size_t r, const lg_page_room *room, double min_part,
                          lg_xlsx_split *sp, lg_diags *d, const char *path)
{
    if (r + 1 >= s->t->n_rows)
        return 0;
    lg_xlsx_rows ph = {0};
    measure_row(s, r + 1, sp, &ph, d, path); /* measured again when placed */
    free_splits(s, sp);
    double h = rows_total(&ph);
    free(ph.h);
    return h <= room->short_h ? h : fmin(h, min_part);
}

/* Whether a cell of the row measured into SP was split at a line end. */
static bool line_cut(const sheet *s, const lg_xlsx_split *sp)
{
    for (size_t c = 0; c < s->t->n_columns; c++)
        if (sp[c].line_cuts)
            return true;
    return false;
}

static void add_break(sheet *s, lxw_row_t row)
{
    s->breaks = lg_xrealloc(s->breaks, (s->n_breaks + 2) * sizeof *s->breaks);
    s->breaks[s->n_breaks++] = row;
}

/* Plans the body's pages as the PDF's (page_plan.h), measuring each body row
 * (write_row measures it again as it writes it, with the same room: the
 * layout gives the same rows): sets the manual page breaks, the rows split
 * at a break, and for each physical row its page's first and last row
 * (page_range). */
static bool plan_pages(sheet *s, lg_xlsx_split *sp, lg_xlsx_rows *ph, lg_diags *d,
                       const char *path)
{
    const lg_table *t = s->t;
    s->body0 = s->next;
    s->row_first = lg_xcalloc(t->n_rows + 1, sizeof *s->row_first);
    lg_page_room room = page_room(s);
    s->split_max = fmin(room.other, LG_XLSX_MAX_ROW_PT);
    double min_part = form_min_height(s->x, 2);
    lg_pager pg;
    lg_pager_init(&pg, &room);
    bool ok = true;
    for (size_t r = 0; r < t->n_rows && ok; r++) {
        ok = measure_row(s, r, sp, ph, d, path);
        free_splits(s, sp);
        lg_page_row info = {.h = rows_total(ph),
                            .new_page = r > 0 && starts_page(t, r),
                            .merge_need = merges_begin(s, r),
                            .next_short = next_short(s, r, &room, sp, d, path)};
        if (lg_table_is_band(t, r)) /* with the start of what it heads */
            info.merge_need = info.h + band_follow(s, r, &room, min_part, sp, d, path);
        int pages = pg.pages;
        double first_max = 0;
        lg_page_action a = lg_pager_row(&pg, &info, min_part, &first_max);
        if (pg.pages > pages)
            add_break(s, s->next);
        if (a == LG_PAGE_SPLIT) {
            s->row_first[r] = first_max;
            ok = ok && measure_row(s, r, sp, ph, d, path);
            if (line_cut(s, sp) && pg.y > 0) {
                /* no sentence or clause ends in the room left: the row
                 * goes on the next page (and is split there if need be) */
                lg_pager_break(&pg);
                add_break(s, s->next);
                s->row_first[r] = 0;
                free_splits(s, sp);
                ok = ok && measure_row(s, r, sp, ph, d, path);
                if (rows_total(ph) > lg_pager_left(&pg)) {
                    s->row_first[r] = lg_pager_left(&pg);
                    free_splits(s, sp);
                    ok = ok && measure_row(s, r, sp, ph, d, path);
                }
            }
            free_splits(s, sp);
        }
        for (size_t i = 0; i < ph->n; i++)
            if (lg_pager_place(&pg, ph->h[i]))
                add_break(s, s->next + (lxw_row_t)i);
        learn_row(s, r, ph);
        s->next += (lxw_row_t)ph->n;
    }
    if (!ok)
        return false;

    size_t n = s->next - s->body0;
    s->pfirst = lg_xcalloc(n + 1, sizeof *s->pfirst);
    s->plast = lg_xcalloc(n + 1, sizeof *s->plast);
    size_t k = 0;
    lxw_row_t first = s->body0;
    for (size_t i = 0; i < n; i++) {
        lxw_row_t row = s->body0 + (lxw_row_t)i;
        if (k < s->n_breaks && s->breaks[k] == row)
            first = row, k++;
        s->pfirst[i] = first;
        s->plast[i] = k < s->n_breaks ? s->breaks[k] - 1 : LXW_ROW_MAX;
    }

    /* write_row starts again from the body's first row */
    s->next = s->body0;
    memset(s->phys_before, 0, (t->n_merges + 1) * sizeof *s->phys_before);
    return true;
}

/* The template's footer in Excel's codes: "&C" centred, {page} and {pages} as
 * &P and &N, a literal '&' doubled, and with OWNER (see lg_table.owner) "&L"
 * and its name first, as the PDF has it; cut to Excel's 255 characters
 * without breaking a code. The caller frees. */
static char *footer_text(const lg_template *tpl, const lg_doc_info *info, const char *owner)
{
    if (!tpl->footer_format || !*tpl->footer_format)
        return NULL;
    /* Placeholders that no text contains, replaced after escaping. */
    char *raw = lg_format_fields(tpl->footer_format, info ? info->title : NULL, 0, 0, "\x01",
                                 "\x02");
    char *left = owner && *owner ? lg_xasprintf("\x03%s\x04", owner) : lg_xstrdup("\x04");
    char *all = lg_xasprintf("%s%s", left, raw);
    size_t cap = 2 * strlen(all) + 3, len = 0, chars = 0;
    char *out = lg_xmalloc(cap + 1);
    for (const char *p = all; *p;) {
        size_t n = lg_utf8_char_len(p);
        const char *code = *p == '\x01'   ? "&P"
                           : *p == '\x02' ? "&N"
                           : *p == '\x03' ? "&L"
                           : *p == '\x04' ? "&C"
                           : *p == '&'    ? "&&"
                                          : NULL;
        if (chars + (code ? 2 : 1) > 255)
            break;
        if (code)
            memcpy(out + len, code, 2), len += 2, chars += 2;
        else
            memcpy(out + len, p, n), len += n, chars++;
        p += n;
    }
    out[len] = '\0';
    free(all);
    free(left);
    free(raw);
    return out;
}

static void setup_page(sheet *s, const lg_doc_info *info)
{
    const lg_template *tpl = s->x->tpl;
    lxw_worksheet *ws = s->ws;
    worksheet_set_paper(ws, paper_code(tpl));
    if (tpl->landscape)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_set_margins(ws, tpl->margin_left_mm / 25.4, tpl->margin_right_mm / 25.4,
                          tpl->margin_top_mm / 25.4, tpl->margin_bottom_mm / 25.4);
    /* One page wide. The columns fit the printable width in Excel, whose
     * digit of the Normal font (宋体 11: 8 px) lg_xlsx_lxw_px allows for:
     * Excel prints them at 100%. LibreOffice converts a column's width with
     * the digit of whatever face it finds for 宋体, unrounded: where
     * fontconfig gives DejaVu Sans (Debian without Chinese aliases; 9.3 px)
     * the columns are 16% wider than the page and would print the last ones
     * on pages of their own at 100% (3.4 times the PDF's pages, measured):
     * it shrinks the page instead. */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_center_horizontally(ws);
    lxw_row_t hr = head_row(s->t);
    /* Only the header repeats on every page; the title prints once. */
    check(s->x, worksheet_repeat_rows(ws, hr, hr), "repeat_rows");
    worksheet_freeze_panes(ws, hr + 1, 0);
    /* GB/T 9704's alternating footer needs odd/even footers, which
     * libxlsxwriter 1.1.4 cannot write: every page number is centred, a
     * unit's name (when there is one) at the left. */
    char *footer = footer_text(tpl, info, s->t->owner);
    if (footer) {
        lxw_header_footer_options o = {.margin = fmin(0.3, tpl->margin_bottom_mm / 25.4 / 2)};
        check(s->x, worksheet_set_footer_opt(ws, footer, &o), "set_footer");
        free(footer);
    }
}

/* The manual page breaks planned by plan_pages or plan_breaks (Excel allows
 * 1,023; later ones are left out, and the spreadsheet breaks those pages
 * itself). */
static void write_page_breaks(sheet *s)
{
    if (!s->n_breaks)
        return;
    s->breaks[s->n_breaks < 1023 ? s->n_breaks : 1023] = 0; /* the list's end */
    check(s->x, worksheet_set_h_pagebreaks(s->ws, s->breaks), "set_h_pagebreaks");
}

/* Fills RANGE's cache with what column COL holds in the physical rows from
 * body row R0's first to body row R1's first, as libxlsxwriter does itself
 * for a sheet it keeps in memory but cannot for one written in constant_memory
 * mode: without a cache a viewer that does not recompute the chart shows
 * nothing, and the labels become a number reference (numRef). The library
 * frees the points. */
static void cache_range(const sheet *s, lxw_series_range *range, size_t col, size_t r0,
                        size_t r1)
{
    const lg_table *t = s->t;
    range->ignore_cache = LXW_TRUE; /* the workbook leaves it as it is */
    for (size_t r = r0; r <= r1; r++) {
        const lg_cell *cell = lg_table_cell(t, r, col);
        size_t m = s->cover[r * t->n_columns + col];
        bool number = (cell->flags & LG_CELL_NUMBER) != 0;
        const char *text = cell->text ? cell->text : "";
        lxw_row_t end = r == r1 ? s->phys[r] + 1 : s->phys[r + 1];
        for (lxw_row_t p = s->phys[r]; p < end; p++) {
            lxw_series_data_point *pt = lg_xcalloc(1, sizeof *pt);
            if (p > s->phys[r] || (m && t->merges[m - 1].row0 != r) || (!number && !*text)) {
                pt->no_data = LXW_TRUE; /* a blank */
            } else if (number) {
                pt->number = lg_table_value(t, cell);
            } else {
                pt->is_string = LXW_TRUE;
                pt->string = lg_xstrdup(text);
                range->has_string_cache = LXW_TRUE;
            }
            STAILQ_INSERT_TAIL(range->data_cache, pt, list_pointers);
            range->num_data_points++;
        }
    }
}

/* The chart's text size for N bars on a portrait page of TPL: a bar's slot
 * (the plot about 80% of the page's height between the margins) holds its
 * label with room around it, at most 9 pt and at least 7 pt, so that every
 * name can be shown. */
#define CHART_MAX_PT 9.0
#define CHART_MIN_PT 7.0
static double chart_font_pt(const lg_template *tpl, size_t n)
{
    double h = fmax(tpl->page_w_mm, tpl->page_h_mm); /* the page upright */
    double plot = LG_MM_TO_PT(h - tpl->margin_top_mm - tpl->margin_bottom_mm) * 0.8;
    double slot = plot / (double)(n ? n : 1);
    return fmax(CHART_MIN_PT, fmin(CHART_MAX_PT, slot / 1.6));
}

/* Appends to RANGE's cache (see cache_range) the header texts of columns
 * C0..C1, or, with ROW, the numbers of body row ROW in those columns (a cell
 * that is not a number is a gap). */
static void cache_across(const sheet *s, lxw_series_range *range, const size_t *row, size_t c0,
                         size_t c1)
{
    const lg_table *t = s->t;
    range->ignore_cache = LXW_TRUE;
    for (size_t c = c0; c <= c1; c++) {
        lxw_series_data_point *pt = lg_xcalloc(1, sizeof *pt);
        const lg_cell *cell = row ? lg_table_cell(t, *row, c) : NULL;
        if (!row) {
            pt->is_string = LXW_TRUE;
            pt->string = lg_xstrdup(t->columns[c].header);
            range->has_string_cache = LXW_TRUE;
        } else if (cell->flags & LG_CELL_NUMBER) {
            pt->number = lg_table_value(t, cell);
        } else {
            pt->no_data = LXW_TRUE;
        }
        STAILQ_INSERT_TAIL(range->data_cache, pt, list_pointers);
        range->num_data_points++;
    }
}

/* The table's line chart (lg_chart.line) into CHART: a line per row through
 * its values against the columns' headers, named by its label, legend right. */
static void add_lines(sheet *s, const char *sheet_name, lxw_chart *chart,
                      const lxw_chart_font *font)
{
    const lg_chart *c = s->t->chart;
    lxw_row_t head = s->phys[0] - 1; /* the header row is right above the body */
    for (size_t r = c->row0; r <= c->row1; r++) {
        lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(series, sheet_name, head, (lxw_col_t)c->value_col, head,
                                    (lxw_col_t)c->value_col1);
        chart_series_set_values(series, sheet_name, s->phys[r], (lxw_col_t)c->value_col,
                                s->phys[r], (lxw_col_t)c->value_col1);
        chart_series_set_name(series, lg_table_cell(s->t, r, c->label_col)->text);
        cache_across(s, series->categories, NULL, c->value_col, c->value_col1);
        cache_across(s, series->values, &r, c->value_col, c->value_col1);
        chart_series_set_marker_type(series, LXW_CHART_MARKER_AUTOMATIC);
    }
    chart_legend_set_position(chart, LXW_CHART_LEGEND_RIGHT);
    chart_legend_set_font(chart, (lxw_chart_font *)font);
    chart_axis_set_num_format(chart->y_axis, "0%");
    chart_axis_set_min(chart->y_axis, 0);
    chart_axis_set_max(chart->y_axis, 1);
    chart_axis_set_num_font(chart->x_axis, (lxw_chart_font *)font);
    chart_axis_set_num_font(chart->y_axis, (lxw_chart_font *)font);
}

/* The table's chart as a native bar chart on a chart sheet of its own, named
 * CHART_NAME, right after the table's sheet: one bar per row, labelled from
 * the label column, in the table's order from the top. On a sheet of its own,
 * upright, it prints on one page, whatever the number of units, with every
 * unit's name (tickLblSkip 1) in a size that fits its bar. */
static void write_chart(sheet *s, const char *sheet_name, const char *chart_name)
{
    const lg_chart *c = s->t->chart;
    xlsx *x = s->x;
    const lg_template *tpl = x->tpl;
    lxw_chartsheet *cs = workbook_add_chartsheet(x->wb, chart_name);
    lxw_chart *chart = workbook_add_chart(x->wb, c->line ? LXW_CHART_LINE : LXW_CHART_BAR);
    if (!cs || !chart) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add_chartsheet");
        return;
    }
    if (c->line) {
        lxw_chart_font font = {.name = (char *)xlsx_face(&tpl->body_font), .size = 8,
                               .charset = CHARSET_GB2312};
        add_lines(s, sheet_name, chart, &font);
        chart_title_set_name(chart, c->title);
        lxw_chart_font title_font = {.name = (char *)xlsx_face(&tpl->title_font), .size = 14,
                                     .bold = LXW_EXPLICIT_FALSE, .charset = CHARSET_GB2312};
        chart_title_set_name_font(chart, &title_font);
        goto sheet;
    }
    lxw_row_t r0 = s->phys[c->row0], r1 = s->phys[c->row1];
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    chart_series_set_categories(series, sheet_name, r0, (lxw_col_t)c->label_col, r1,
                                (lxw_col_t)c->label_col);
    chart_series_set_values(series, sheet_name, r0, (lxw_col_t)c->value_col, r1,
                            (lxw_col_t)c->value_col);
    cache_range(s, series->categories, c->label_col, c->row0, c->row1);
    cache_range(s, series->values, c->value_col, c->row0, c->row1);
    chart_series_set_labels(series);
    chart_series_set_labels_num_format(series, "0.0%");
    lxw_chart_font font = {.name = (char *)xlsx_face(&tpl->body_font),
                           .size = chart_font_pt(tpl, c->row1 - c->row0 + 1),
                           .charset = CHARSET_GB2312};
    chart_series_set_labels_font(series, &font);
    chart_title_set_name(chart, c->title);
    lxw_chart_font title_font = {.name = (char *)xlsx_face(&tpl->title_font), .size = 14,
                                 .bold = LXW_EXPLICIT_FALSE, .charset = CHARSET_GB2312};
    chart_title_set_name_font(chart, &title_font);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    /* In a bar chart the x axis is the horizontal one: the values. */
    chart_axis_set_num_format(chart->x_axis, "0%");
    chart_axis_set_min(chart->x_axis, 0);
    chart_axis_set_max(chart->x_axis, 1);
    chart_axis_set_num_font(chart->x_axis, &font);
    chart_axis_set_num_font(chart->y_axis, &font);
    chart_axis_set_reverse(chart->y_axis); /* first row at the top */
    chart_axis_set_interval_unit(chart->y_axis, 1); /* every name, none skipped */
sheet:
    check(x, chartsheet_set_chart(cs, chart), "set_chart");
    chartsheet_set_paper(cs, paper_code(tpl));
    chartsheet_set_portrait(cs); /* tall: room for one bar per unit */
    chartsheet_set_margins(cs, tpl->margin_left_mm / 25.4, tpl->margin_right_mm / 25.4,
                           tpl->margin_top_mm / 25.4, tpl->margin_bottom_mm / 25.4);
}

static bool write_sheet(xlsx *x, const lg_table *t, const char *name, const char *chart_name,
                        const lg_doc_info *info, lg_diags *d, const char *path)
{
    sheet s = {.x = x, .t = t, .name = name};
    s.ws = workbook_add_worksheet(x->wb, name);
    if (!s.ws) {
        lg_diags_add(d, LG_ERROR, "xlsx", path, 0, "cannot add sheet \"%s\"", name);
        return false;
    }
    setup_page(&s, info);
    use_status(x, s.ws, t);
    if (!t->n_columns)
        return true;
    s.scale = lg_xlsx_column_scale(x->tpl, t->columns, t->n_columns);
    for (size_t c = 0; c < t->n_columns; c++)
        check(x, worksheet_set_column_pixels(s.ws, (lxw_col_t)c, (lxw_col_t)c,
                                             lg_xlsx_lxw_px(lg_xlsx_col_px(col_mm(&s, c))),
                                             NULL),
              "set_column");
    if (t->cell_chart) {
        lxw_row_col_options hidden = {.hidden = LXW_TRUE};
        check(x, worksheet_set_column_opt(s.ws, SIDE_COL, SIDE_COL + 2, 12, NULL, &hidden),
              "set_column");
    }
    write_head(&s);
    find_targets(&s);

    index_merges(&s);
    s.phys = lg_xcalloc(t->n_rows + 1, sizeof *s.phys);
    s.lines = lg_xcalloc(t->n_rows * t->n_columns + 1, sizeof *s.lines);
    lg_xlsx_split *sp = lg_xcalloc(t->n_columns, sizeof *sp);
    lg_xlsx_rows ph = {0};
    bool ok = true;
    /* A list is filtered and sorted, a form filled in: the spreadsheet
     * breaks their pages. */
    s.planned = !t->list && !t->form && t->n_rows;
    if (s.planned)
        ok = plan_pages(&s, sp, &ph, d, path);
    for (size_t r = 0; r < t->n_rows && ok && x->err == LXW_NO_ERROR; r++)
        if (lg_table_is_band(t, r))
            write_band(&s, r);
        else
            ok = write_row(&s, r, sp, &ph, d, path);
    if (ok && t->cell_chart) {
        lxw_row_t last = s.next - 1; /* the table's: the chart's data goes on below */
        for (lxw_row_t row = s.next; s.side_next <= t->cell_chart->n; row++)
            write_side(&s, row);
        check(x, worksheet_print_area(s.ws, 0, 0, last, (lxw_col_t)(t->n_columns - 1)),
              "print_area");
    }
    if (ok && s.n_breaks)
        write_page_breaks(&s);
    if (ok && t->list)
        check(x, worksheet_autofilter(s.ws, 0, 0, s.next - 1, (lxw_col_t)(t->n_columns - 1)),
              "autofilter");
    if (ok && chart_name)
        write_chart(&s, name, chart_name);
    if (ok && t->form)
        ok = write_form(&s, name, d, path);
    free(ph.h);
    free(sp);
    sheet_free(&s);
    return ok;
}

static bool render(const lg_table_source *src, const lg_template *tpl, lg_layout *l,
                   const lg_doc_info *info, const char *path, lg_diags *d)
{
    size_t n = src->n;
    xlsx x = {.tpl = tpl, .l = l};
    /* Sheets are written row by row to temporary files (see write_part), so
     * that memory does not grow with the sheet. They go in the output's
     * folder, which has room for the output anyway (/tmp may be in memory),
     * and have no name there (see xlsx_tmpfile.h). */
    char *tmpdir = lg_xlsx_tmpdir(path);
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
    x.wb = workbook_new_opt(path, &opts);
    if (!x.wb) {
        lg_diags_add(d, LG_ERROR, "xlsx", path, 0, "cannot create the workbook");
        free(tmpdir);
        return false;
    }
    lxw_doc_properties props = {0};
    if (info) {
        props.title = (char *)info->title;
        props.subject = (char *)info->subject;
        props.author = (char *)info->author;
        props.keywords = (char *)info->keywords;
        props.comments = (char *)info->creator; /* 1.1.4 has no creator field */
        props.created = info->created;
    }
    check(&x, workbook_set_properties(x.wb, &props), "set_properties");
    make_formats(&x);

    lg_text_box *b = lg_layout_text(l, "", &tpl->body_font, 100, LG_ALIGN_LEFT, false);
    x.empty_row = lg_xlsx_lines_height(tpl, &tpl->body_font, b->n_lines);
    lg_text_box_free(b);

    bool ok = true;
    char **names = lg_xcalloc(2 * n + 1, sizeof *names); /* a sheet, maybe a chart sheet */
    size_t used = 0;
    for (size_t i = 0; i < n && ok; i++) {
        /* Made for its sheet and freed after it: one table at a time. */
        lg_arena *a = lg_arena_new();
        const lg_table *t = src->make(src->ctx, i, a);
        char buf[128], chart_buf[128];
        sheet_name(t->name, names, used, buf);
        names[used++] = lg_xstrdup(buf);
        const char *chart_name = NULL;
        if (t->chart && t->chart->row0 <= t->chart->row1 && t->chart->row1 < t->n_rows) {
            sheet_name(t->chart->title, names, used, chart_buf);
            names[used++] = lg_xstrdup(chart_buf);
            chart_name = chart_buf;
        }
        ok = write_sheet(&x, t, buf, chart_name, info, d, path);
        lg_arena_free(a);
    }
    if (ok && n == 0)
        ok = workbook_add_worksheet(x.wb, "Sheet1") != NULL; /* a workbook needs a sheet */
    for (size_t i = 0; i < used; i++)
        free(names[i]);
    free(names);

    links_free(&x);
    if (!ok || x.err != LXW_NO_ERROR) {
        if (ok)
            lg_diags_add(d, LG_ERROR, "xlsx", path, 0, "cannot write the workbook: %s: %s",
                         x.err_what, lxw_strerror(x.err));
        /* lxw_workbook_free (1.1.4) leaves the sheets' files open. */
        lxw_worksheet *ws;
        LXW_FOREACH_WORKSHEET(ws, x.wb)
        {
            if (ws->optimize_tmpfile)
                fclose(ws->optimize_tmpfile);
        }
        lxw_workbook_free(x.wb);
        free(tmpdir);
        return false;
    }
    /* When it fails, workbook_close (1.1.4) leaves open the files of the
     * sheets it had not yet copied; they go when the process ends. */
    errno = 0;
    lxw_error e = workbook_close(x.wb);
    int err = errno;
    free(tmpdir);
    if (e != LXW_NO_ERROR && (err == ENOSPC || err == EDQUOT || err == EROFS || err == EACCES ||
                              err == EIO || err == EFBIG)) {
        /* the library's error is its step's name; the cause is the disk */
        char *dir = lg_folder_of(path);
        lg_write_failed(d, dir, err);
        free(dir);
        return false;
    }
    if (e != LXW_NO_ERROR) {
        lg_diags_add(d, LG_ERROR, "xlsx", path, 0, "cannot write the workbook: %s",
                     lxw_strerror(e));
        return false;
    }
    return lg_xlsx_declare_fonts(path, CHARSET_GB2312, d);
}

bool lg_render_xlsx_source(const lg_table_source *src, const lg_template *tpl, lg_layout *l,
                           const lg_doc_info *info, const char *path, lg_diags *d)
{
    /* libxlsxwriter prints its own errors to stderr ("[ERROR][packager.c:…]"),
     * one or more for every file of a run on a full disk. What it returns is
     * reported as a diagnostic, so its prints go to /dev/null meanwhile. */
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY);
    if (saved >= 0 && null >= 0)
        dup2(null, STDERR_FILENO);
    if (null >= 0)
        close(null);
    bool ok = render(src, tpl, l, info, path, d);
    if (saved >= 0) {
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
    return ok;
}

bool lg_render_xlsx(const lg_table *const *tables, size_t n, const lg_template *tpl,
                    lg_layout *l, const lg_doc_info *info, const char *path, lg_diags *d)
{
    lg_table_source src = lg_table_source_of(tables, n);
    return lg_render_xlsx_source(&src, tpl, l, info, path, d);
}
