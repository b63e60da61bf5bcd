/* Import: filled-in forms back into reports.
 *
 * A form says itself what it is, on its hidden sheet "ledgerc" (see
 * form_protocol.h): whose it is, for which month, which column holds which field and
 * which sheet rows hold which task. Everything a user could change by
 * accident is checked against the plan: the unit and month, every task row,
 * and the locked cells (task and due label) that a program that ignores
 * sheet protection, or a user who lifted it, may have changed.
 *
 * Reading writes nothing. Writing happens only when every form read
 * cleanly: each report is written into a private folder beside its final
 * place, loaded there with lg_report_load (the same checks as any report),
 * then moved onto an outfile.c temporary name and renamed into place with
 * the others at the end. */
#define _DEFAULT_SOURCE /* strtok_r, strcasecmp */

#include "import.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "form_protocol.h"
#include "i18n.h"
#include "lang.h"
#include "infile.h"
#include "input_limits.h"
#include "input_path.h"
#include "load.h"
#include "outfile.h"
#include "template.h"
#include "utf8.h"
#include "view.h" /* lg_view_figure: the target as the form shows it */
#include "xlsx_geometry.h" /* LG_XLSX_CONT_MARK */
#include "xlsx_read.h"

/* ---- messages --------------------------------------------------------------- */

typedef struct form_ctx {
    const lg_plan *p;
    const char *path;
    lg_diags *d;
    const char *sheet; /* the form's sheet, for messages */
    const lg_unit *unit;
    int month; /* the form's */
} form_ctx;

/* Adds the diagnostic FMT (a msgid), in the user's language and in Chinese;
 * WHERE is NULL or a place that at() made. */
static void vmsg(const form_ctx *c, lg_severity sev, const char *kind, long task,
                 const char *where, const char *fmt, va_list ap)
{
    va_list zh;
    va_copy(zh, ap);
    char *m = lg_xvasprintf(_(fmt), ap);
    char *m_zh = lg_xvasprintf(lg_zh(fmt), zh);
    va_end(zh);
    const char *place = "sheet \"%s\", cell %s: %s";
    const char *ref = where ? where + strlen(where) + 1 : NULL;
    lg_diag *g = lg_diags_add(c->d, sev, kind, c->path, 0, "%s", m);
    free(g->message);
    free(g->message_zh);
    g->message = where ? lg_xasprintf(_(place), where, ref, m) : lg_xstrdup(m);
    g->message_zh = where ? lg_xasprintf(lg_zh(place), where, ref, m_zh) : lg_xstrdup(m_zh);
    lg_diag_set_unit(g, c->unit ? c->unit->id : NULL, task);
    free(m);
    free(m_zh);
}

static void error(const form_ctx *c, const char *kind, long task, const char *where,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void warning(const form_ctx *c, const char *kind, long task, const char *where,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void error(const form_ctx *c, const char *kind, long task, const char *where,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(c, LG_ERROR, kind, task, where, fmt, ap);
    va_end(ap);
}

static void warning(const form_ctx *c, const char *kind, long task, const char *where,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(c, LG_WARNING, kind, task, where, fmt, ap);
    va_end(ap);
}

/* The place of a cell for error() and warning(): the sheet's name and the
 * cell's reference (D5), one after the other in BUF (at least 512 bytes), each
 * ending in '\0'; vmsg puts them into the message in the user's language. */
static const char *at(char *buf, const char *sheet, uint32_t row, uint32_t col)
{
    char ref[16];
    lg_xlsx_ref(row, col, ref);
    size_t n = strlen(ref) + 1;
    snprintf(buf, 512 - n, "%s", sheet);
    memcpy(buf + strlen(buf) + 1, ref, n);
    return buf;
}

/* TEXT cut to about 40 characters for a message, in BUF (at least 200 bytes). */
static const char *excerpt(char *buf, const char *text)
{
    size_t n = 0, chars = 0;
    while (text[n] && chars < 40 && n < 180) {
        n++;
        while (lg_utf8_is_cont((unsigned char)text[n]))
            n++;
        chars++;
    }
    snprintf(buf, 200, "%.*s%s", (int)n, text, text[n] ? "…" : "");
    for (char *s = buf; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
    return buf;
}

/* ---- the hidden sheet ------------------------------------------------------- */

enum { K_VERSION, K_UNIT, K_PERIOD, K_COLUMNS, K_SHEET, K_N };

/* What the form says about itself (see form_protocol.h). */
typedef struct meta {
    const lg_xlsx_sheet *s;
    const char *version, *unit, *period, *columns, *sheet;
    uint32_t row_of[K_N]; /* where each of them was found, for messages */
    uint32_t rows_at;     /* the row of "rows"; the task rows follow it */
    size_t n_rows;
} meta;

static bool read_meta(form_ctx *c, lg_xlsx *x, meta *m)
{
    memset(m, 0, sizeof *m);
    long i = lg_xlsx_sheet_find(x, LG_FORM_SHEET);
    if (i < 0) {
        error(c, "form-meta", 0, NULL,
              "not a ledgerc form: it has no (hidden) sheet \"%s\"; fill in the form that "
              "`ledgerc forms` made, not a copy of its cells in another workbook",
              LG_FORM_SHEET);
        return false;
    }
    m->s = lg_xlsx_sheet_read(x, (size_t)i, c->d);
    if (!m->s)
        return false;
    static const char *const keys[] = {LG_FORM_KEY_VERSION, LG_FORM_KEY_UNIT,
                                       LG_FORM_KEY_PERIOD, LG_FORM_KEY_COLUMNS,
                                       LG_FORM_KEY_SHEET};
    const char **vals[] = {&m->version, &m->unit, &m->period, &m->columns, &m->sheet};
    bool found_rows = false;
    for (uint32_t r = 0; r < LG_FORM_KEY_ROWS_MAX && !found_rows; r++) {
        const char *k = lg_xlsx_text_at(m->s, r, 0);
        if (strcmp(k, LG_FORM_KEY_ROWS) == 0) {
            found_rows = true;
            m->rows_at = r;
            char *end;
            const char *v = lg_xlsx_text_at(m->s, r, 1);
            errno = 0;
            unsigned long n = strtoul(v, &end, 10);
            if (errno || end == v || *end || n > LG_FORM_ROWS_MAX) {
                char w[512];
                error(c, "form-meta", 0, at(w, LG_FORM_SHEET, r, 1),
                      "the number of rows \"%s\" is not a number; the form was damaged, "
                      "make a new one with `ledgerc forms`", v);
                return false;
            }
            m->n_rows = n;
        }
        for (size_t k2 = 0; k2 < sizeof keys / sizeof keys[0]; k2++)
            if (strcmp(k, keys[k2]) == 0 && !*vals[k2]) {
                *vals[k2] = lg_xlsx_text_at(m->s, r, 1);
                m->row_of[k2] = r;
            }
    }
    if (!m->version) {
        error(c, "form-meta", 0, NULL,
              "not a ledgerc form: its sheet \"%s\" does not say \"%s\"; make a new form "
              "with `ledgerc forms`",
              LG_FORM_SHEET, LG_FORM_KEY_VERSION);
        return false;
    }
    /* a version 1 form lacks only columns that are optional */
    if (strcmp(m->version, LG_FORM_VERSION) != 0 &&
        strcmp(m->version, LG_FORM_VERSION_OLDEST) != 0) {
        char w[512];
        error(c, "form-version", 0, at(w, LG_FORM_SHEET, m->row_of[K_VERSION], 1),
              "the form is of version \"%s\", but this ledgerc reads version %s forms; make "
              "new forms with this ledgerc",
              m->version, LG_FORM_VERSION);
        return false;
    }
    const char *missing = !m->unit      ? LG_FORM_KEY_UNIT
                          : !m->period  ? LG_FORM_KEY_PERIOD
                          : !m->columns ? LG_FORM_KEY_COLUMNS
                          : !m->sheet   ? LG_FORM_KEY_SHEET
                          : !found_rows ? LG_FORM_KEY_ROWS
                                        : NULL;
    if (missing) {
        error(c, "form-meta", 0, NULL,
              "the form's sheet \"%s\" has no \"%s\"; the form was damaged, make a new one "
              "with `ledgerc forms`",
              LG_FORM_SHEET, missing);
        return false;
    }
    return true;
}

/* ---- columns ---------------------------------------------------------------- */

/* The fields import reads, and how messages name them. */
typedef enum {
    C_TASK, C_DUE, C_UNIT, C_TARGET, C_PROGRESS, C_PLAN, C_ON_SCHEDULE, C_REMARK, C_PROBLEMS,
    C_ACTUAL, C_N
} col_id;

static const struct {
    lg_field field;
    const char *label;
    bool required;
} col_info[C_N] = {
    [C_TASK] = {LG_FIELD_TASK, "工作任务", true},
    [C_DUE] = {LG_FIELD_DUE, "时限要求", false},
    [C_UNIT] = {LG_FIELD_UNIT, "单位", false},
    [C_PROGRESS] = {LG_FIELD_PROGRESS, "进展情况", true},
    [C_PLAN] = {LG_FIELD_PLAN, "下个月工作计划", true},
    [C_ON_SCHEDULE] = {LG_FIELD_ON_SCHEDULE, "是否达到序时进度", true},
    [C_REMARK] = {LG_FIELD_REMARK, "备注", true},
    /* since form version 2 */
    [C_TARGET] = {LG_FIELD_TARGET, "目标", false},
    [C_PROBLEMS] = {LG_FIELD_PROBLEMS, "存在问题", false},
    [C_ACTUAL] = {LG_FIELD_ACTUAL, "累计完成", false},
};

/* The columns a unit fills in. */
static const col_id inputs[] = {C_PROGRESS, C_PLAN, C_ON_SCHEDULE, C_REMARK, C_PROBLEMS,
                                C_ACTUAL};

/* The sheet column of each field, or -1, from the form's "columns". */
static bool read_columns(form_ctx *c, const meta *m, long cols[C_N])
{
    for (int i = 0; i < C_N; i++)
        cols[i] = -1;
    char *list = lg_xstrdup(m->columns);
    long n = 0;
    for (char *save, *tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save), n++)
        for (int i = 0; i < C_N; i++)
            if (cols[i] < 0 && strcmp(tok, lg_field_name(col_info[i].field)) == 0)
                cols[i] = n;
    free(list);
    for (int i = 0; i < C_N; i++)
        if (col_info[i].required && cols[i] < 0) {
            char w[512];
            error(c, "form-meta", 0, at(w, LG_FORM_SHEET, m->row_of[K_COLUMNS], 1),
                  "the form has no column %s (%s); make the forms with a template whose "
                  "form view has it",
                  col_info[i].label, lg_field_name(col_info[i].field));
            return false;
        }
    return true;
}

/* ---- cell text -------------------------------------------------------------- */

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* TEXT as a report holds it: line breaks as '\n' (a CR LF or a lone CR, as
 * Excel's _x000D_ gives, is one), characters XML cannot hold left out. */
static char *clean_text(const char *text)
{
    size_t n = strlen(text);
    char *out = lg_xmalloc(n + 1), *o = out;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if (*s == '\r') {
            *o++ = '\n';
            if (s[1] == '\n')
                s++;
        } else if (*s < 0x20 && *s != '\n' && *s != '\t') {
            continue;
        } else if (s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF)) {
            s += 2; /* U+FFFE, U+FFFF */
        } else {
            *o++ = (char)*s;
        }
    }
    *o = '\0';
    return out;
}

/* Whether TEXT holds nothing but white space (full-width spaces included). */
static bool blank(const char *text)
{
    for (const char *s = text; *s;) {
        if (is_space(*s))
            s++;
        else if (strncmp(s, "\u3000", 3) == 0)
            s += 3;
        else if (strncmp(s, "\u00A0", 2) == 0)
            s += 2;
        else
            return false;
    }
    return true;
}

/* The *NP bytes at *SP without the white space (ASCII, full-width,
 * no-break) around them: *SP and *NP moved in. */
static void trim(const char **sp, size_t *np)
{
    const char *s = *sp;
    size_t n = *np;
    for (;;) {
        if (n && is_space(*s))
            s++, n--;
        else if (n >= 3 && strncmp(s, "\u3000", 3) == 0)
            s += 3, n -= 3;
        else if (n >= 2 && strncmp(s, "\u00A0", 2) == 0)
            s += 2, n -= 2;
        else
            break;
    }
    for (;;) {
        if (n && is_space(s[n - 1]))
            n--;
        else if (n >= 3 && strncmp(s + n - 3, "\u3000", 3) == 0)
            n -= 3;
        else if (n >= 2 && strncmp(s + n - 2, "\u00A0", 2) == 0)
            n -= 2;
        else
            break;
    }
    *sp = s;
    *np = n;
}

/* 是/否/已完成 as typed: white space (ASCII, full-width, no-break) around it ignored.
 * 1 for 是, 0 for 否, 2 for 已完成, -1 for anything else. */
static int yes_no(const char *text)
{
    const char *s = text;
    size_t n = strlen(s);
    trim(&s, &n);
    return lg_form_yes_no(s, n);
}

/* ---- the report ------------------------------------------------------------- */

static void put_escaped(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(s[i], f);
        }
    }
}

/* S as an attribute value: escaped, and what XML cannot hold (control
 * characters, bytes that are not UTF-8, as a name made on a GBK system
 * has) as "?". */
static void put_attr(FILE *f, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t len = lg_utf8_sequence((const unsigned char *)s + i, n - i);
        if (len == 0 || (unsigned char)s[i] < 0x20) {
            fputc('?', f);
            i += len ? len : 1;
        } else {
            put_escaped(f, s + i, len);
            i += len;
        }
    }
}

/* <NAME> with TEXT (cleaned): one line as plain text, several as <p>
 * paragraphs, each trimmed at both ends as the loader trims them; empty
 * lines before the first and after the last are left out. */
static void put_paragraphs(FILE *f, const char *name, const char *text)
{
    typedef struct para {
        const char *s;
        size_t n;
    } para;
    size_t cap = 1;
    for (const char *s = text; *s; s++)
        cap += *s == '\n';
    para *ps = lg_xmalloc(cap * sizeof *ps);
    size_t n = 0;
    for (const char *s = text;;) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        const char *b = s;
        while (len && (*b == ' ' || *b == '\t'))
            b++, len--;
        while (len && (b[len - 1] == ' ' || b[len - 1] == '\t'))
            len--;
        ps[n++] = (para){b, len};
        if (!e)
            break;
        s = e + 1;
    }
    size_t first = 0, last = n;
    while (first < last && ps[first].n == 0)
        first++;
    while (last > first && ps[last - 1].n == 0)
        last--;
    if (first == last) {
        fprintf(f, "    <%s/>\n", name);
    } else if (last - first == 1) {
        fprintf(f, "    <%s>", name);
        put_escaped(f, ps[first].s, ps[first].n);
        fprintf(f, "</%s>\n", name);
    } else {
        fprintf(f, "    <%s>\n", name);
        for (size_t i = first; i < last; i++) {
            fputs("      <p>", f);
            put_escaped(f, ps[i].s, ps[i].n);
            fputs("</p>\n", f);
        }
        fprintf(f, "    </%s>\n", name);
    }
    free(ps);
}

/* ---- a form ----------------------------------------------------------------- */

/* The file's name without its folder and extension. The caller frees. */
static char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    char *s = lg_xmalloc(n + 1);
    memcpy(s, b, n);
    s[n] = '\0';
    return s;
}

/* Checks the form's unit, month and sheet against the plan and options. */
static const lg_xlsx_sheet *check_header(form_ctx *c, lg_xlsx *x, const meta *m,
                                         const lg_import_opts *o, int *year, int *month)
{
    int py, pm;
    /* The form is read against the plan as it stood in its month. */
    if (lg_period_parse(m->period, &py, &pm) && py == c->p->year)
        c->p = lg_plan_at(c->p, pm);
    const lg_plan *p = c->p;
    char w[512];
    const lg_unit *u = lg_plan_find_unit(p, m->unit);
    if (!u) {
        error(c, "form-unit", 0, at(w, LG_FORM_SHEET, m->row_of[K_UNIT], 1),
              "the form is for unit \"%s\", which is not a unit of %s; is it a form of "
              "another year's plan?",
              m->unit, p->file);
        return NULL;
    }
    c->unit = u;
    char *base = base_name(c->path);
    const lg_unit *named = lg_plan_find_unit(p, base);
    if (named && named != u)
        error(c, "form-unit", 0, NULL,
              "this is the form of %s (unit \"%s\") but the file is named after %s (unit "
              "\"%s\"); import the form that %s filled in, or rename the file if it is "
              "the right one",
              u->name, u->id, named->name, named->id, named->name);
    free(base);
    if (!lg_period_parse(m->period, year, month)) {
        error(c, "form-period", 0, at(w, LG_FORM_SHEET, m->row_of[K_PERIOD], 1),
              "the form's month \"%s\" is not a month written YYYY-MM; the form was "
              "damaged, make a new one with `ledgerc forms`",
              m->period);
        return NULL;
    }
    if (*year != p->year)
        error(c, "form-period", 0, NULL,
              "the form is for %s but the plan %s is for %d; import it into the input "
              "folder of %d",
              m->period, p->file, p->year, *year);
    else if (o && o->month && (*year != o->year || *month != o->month))
        error(c, "form-period", 0, NULL,
              "the form is for %s, not for %04d-%02d as --period asks; is it last month's "
              "form?",
              m->period, o->year, o->month);
    long si = lg_xlsx_sheet_find(x, m->sheet);
    if (si < 0 && lg_xlsx_sheet_count(x) == 2) {
        /* renamed: the one sheet besides the hidden one is it */
        si = lg_xlsx_sheet_find(x, LG_FORM_SHEET) == 0 ? 1 : 0;
        warning(c, "form-sheet", 0, NULL,
                "the sheet \"%s\" was renamed \"%s\"; it was read all the same", m->sheet,
                lg_xlsx_sheet_name(x, (size_t)si));
    }
    if (si < 0) {
        error(c, "form-sheet", 0, NULL,
              "the form's sheet \"%s\" is missing (renamed or deleted?); give the sheet "
              "its name back, or fill in a new form",
              m->sheet);
        return NULL;
    }
    const lg_xlsx_sheet *s = lg_xlsx_sheet_read(x, (size_t)si, c->d);
    if (s)
        c->sheet = s->name;
    return s;
}

/* A row's sheet rows from the hidden sheet: 1-based first and last. */
static bool row_span(form_ctx *c, const meta *m, uint32_t mr, uint32_t *first, uint32_t *last)
{
    unsigned long v[2];
    for (int k = 0; k < 2; k++) {
        const char *s = lg_xlsx_text_at(m->s, mr, (uint32_t)(k + 1));
        char *end;
        errno = 0;
        v[k] = strtoul(s, &end, 10);
        if (errno || end == s || *end || v[k] < 1 || v[k] > 1048576) {
            char w[512];
            error(c, "form-meta", 0, at(w, LG_FORM_SHEET, mr, (uint32_t)(k + 1)),
                  "\"%s\" is not a row number; the form was damaged, make a new one with "
                  "`ledgerc forms`",
                  s);
            return false;
        }
    }
    *first = (uint32_t)v[0] - 1;
    *last = (uint32_t)v[1] - 1;
    return true;
}

/* S without line breaks, appended to B. */
static void add_unbroken(char **b, size_t *len, const char *s)
{
    size_t n = strlen(s);
    *b = lg_xrealloc(*b, *len + n + 1);
    for (; *s; s++)
        if (*s != '\n' && *s != '\r')
            (*b)[(*len)++] = *s;
    (*b)[*len] = '\0';
}

/* Checks a locked cell, written on sheet rows ROW..LAST, against what the
 * plan says it holds. A text taller than a spreadsheet row was split over
 * the rows at sentence or paragraph ends, each piece after the first marked
 * （续）, so the pieces are compared joined, without their marks and line
 * breaks. */
static void check_locked(form_ctx *c, const lg_xlsx_sheet *s, uint32_t row, uint32_t last,
                         long col, const char *label, long no, const char *expected)
{
    if (col < 0)
        return;
    char *got = NULL, *want = NULL;
    size_t got_len = 0, want_len = 0;
    for (uint32_t r = row; r <= last; r++) {
        const char *part = lg_xlsx_text_at(s, r, (uint32_t)col);
        size_t mark = strlen(LG_XLSX_CONT_MARK); /* a continued part's mark */
        if (r > row && strncmp(part, LG_XLSX_CONT_MARK, mark) == 0)
            part += mark;
        add_unbroken(&got, &got_len, part);
    }
    add_unbroken(&want, &want_len, expected);
    if (strcmp(got, want) != 0) {
        /* both from a little before where they part, not cut at one place */
        size_t differ = 0;
        while (got[differ] && got[differ] == want[differ])
            differ++;
        while (differ > 0 && lg_utf8_is_cont((unsigned char)want[differ]))
            differ--;
        size_t from = differ;
        for (int chars = 0; from > 0 && chars < 8; chars++)
            do
                from--;
            while (from > 0 && lg_utf8_is_cont((unsigned char)want[from]));
        char *head = lg_xasprintf("%.*s", (int)from, want);
        if (lg_utf8_length(head) <= 12)
            from = 0; /* near the start: from the start */
        free(head);
        char w[512], e1[200], e2[200];
        const char *dots = from ? "…" : "";
        error(c, "form-locked", no, at(w, c->sheet, row, (uint32_t)col),
              "task %ld: %s was changed to \"%s%s\"; it is locked and must read \"%s%s\" as "
              "in the plan; undo the change, or fill in a new form",
              no, label, dots, excerpt(e1, got + from), dots, excerpt(e2, want + from));
    }
    free(got);
    free(want);
}

/* The text of an input cell, cleaned; NULL after an error when it holds an
 * error value (#N/A …) instead of text. The caller frees. */
static char *input_text(form_ctx *c, const lg_xlsx_sheet *s, uint32_t row, long col, long no,
                        const char *label)
{
    const lg_xlsx_cell *cell = lg_xlsx_cell_at(s, row, (uint32_t)col);
    if (cell && cell->type == LG_XLSX_ERROR) {
        char w[512];
        error(c, "form-value", no, at(w, c->sheet, row, (uint32_t)col),
              "task %ld: %s holds the error value %s, not text; type the text in", no, label,
              cell->text);
        return NULL;
    }
    return clean_text(cell ? cell->text : "");
}

/* The figure typed in the 累计完成 cell of task T at ROW, COL, as a report
 * writes it, in FIG (at least 32 bytes), and its value in *V: 1; 0 when the
 * cell is empty; -1 after an error. A number cell gives its number written
 * with at most 15 digits, as Excel shows it (0.30000000000000004 is 0.3); a
 * text cell (a program, or a cell formatted as text) its text. */
static int read_figure(form_ctx *c, const lg_xlsx_sheet *s, uint32_t row, long col,
                       const lg_task *t, char *fig, long long *v)
{
    const lg_xlsx_cell *cell = lg_xlsx_cell_at(s, row, (uint32_t)col);
    const char *text = cell ? cell->text : "";
    if (blank(text))
        return 0;
    char w[512], e[200];
    const char *label = col_info[C_ACTUAL].label;
    if (!t->target.set) {
        error(c, "form-value", t->no, at(w, c->sheet, row, (uint32_t)col),
              "task %ld: %s holds \"%s\", but the task has no target in the plan; clear the "
              "cell",
              t->no, label, excerpt(e, text));
        return -1;
    }
    const char *got = NULL;
    if (cell->type == LG_XLSX_NUMBER) {
        char *end;
        double d = strtod(text, &end);
        if (end != text && !*end)
            snprintf(fig, 32, "%.15g", d == 0 ? 0.0 : d); /* no "-0" */
        got = end != text && !*end ? fig : NULL;
    } else if (cell->type == LG_XLSX_STRING) {
        const char *from = text;
        size_t n = strlen(text);
        trim(&from, &n);
        if (n < 32) {
            memcpy(fig, from, n);
            fig[n] = '\0';
            got = fig;
        }
    }
    if (got && lg_load_decimal(got, t->target.growth, v))
        return 1;
    if (t->target.growth)
        error(c, "form-value", t->no, at(w, c->sheet, row, (uint32_t)col),
              "task %ld: %s holds \"%s\", which is not a figure; type the growth to the "
              "month in percent as a number only, without %%, at most 4 decimals, e.g. 5.8 "
              "or -1.2 (the target is %s%%)",
              t->no, label, excerpt(e, text), t->target.value_text);
    else
        error(c, "form-value", t->no, at(w, c->sheet, row, (uint32_t)col),
              "task %ld: %s holds \"%s\", which is not a figure; type the figure cumulative "
              "to the month in the target's unit as a number only, without the unit, not "
              "below 0, at most 4 decimals, e.g. 62.5 (the target is %s%s)",
              t->no, label, excerpt(e, text), t->target.value_text, t->target.unit);
    return -1;
}

/* Reads the row of task T, written on sheet rows ROW..LAST, into the report F.
 * A row DONE (completed in an earlier month: its row is locked) gives no
 * entry, so that the completion, in that month's report, stays. Returns
 * whether the unit filled in any of its cells. */
static bool read_row(form_ctx *c, const lg_xlsx_sheet *s, const long cols[C_N], uint32_t row,
                     uint32_t last, const lg_task *t, bool done, FILE *f)
{
    const lg_unit *u = c->unit;
    char *expected = lg_xasprintf("%ld.%s", t->no, t->text);
    check_locked(c, s, row, last, cols[C_TASK], col_info[C_TASK].label, t->no, expected);
    free(expected);
    check_locked(c, s, row, last, cols[C_DUE], col_info[C_DUE].label, t->no, t->due_label);
    check_locked(c, s, row, last, cols[C_UNIT], col_info[C_UNIT].label, t->no,
                 lg_task_unit_label(t, u));
    lg_arena *a = lg_arena_new();
    check_locked(c, s, row, last, cols[C_TARGET], col_info[C_TARGET].label, t->no,
                 t->target.set ? lg_view_figure(a, t, t->target.value) : "");
    lg_arena_free(a);
    if (done)
        return false;

    char *text[C_N] = {0};
    bool bad = false, all_blank = true;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        col_id k = inputs[i];
        if (cols[k] < 0) /* a version 1 form */
            continue;
        text[k] = input_text(c, s, row, cols[k], t->no, col_info[k].label);
        /* A task taller than a spreadsheet row continues on more rows, over
         * which its cells to fill in are merged: text below the top one was
         * put there by a program, and would be lost. */
        for (uint32_t r = row + 1; r <= last; r++)
            if (!blank(lg_xlsx_text_at(s, r, (uint32_t)cols[k]))) {
                char w[512], top[16];
                error(c, "form-value", t->no, at(w, c->sheet, r, (uint32_t)cols[k]),
                      "task %ld: text below the cell to fill in; move it into cell %s", t->no,
                      lg_xlsx_ref(row, (uint32_t)cols[k], top));
            }
        bad |= !text[k];
        all_blank &= !text[k] || blank(text[k]);
    }
    char w[512], e[200], fig[32];
    long long v = 0;
    int figure = bad || cols[C_ACTUAL] < 0 ? 0 : read_figure(c, s, row, cols[C_ACTUAL], t, fig, &v);
    if (bad || figure < 0)
        goto done;
    if (all_blank) {
        warning(c, "form-empty", t->no, at(w, c->sheet, row, (uint32_t)cols[C_PROGRESS]),
                "task %ld was not filled in; it is left out of the report, and the ledger "
                "shows 未报送",
                t->no);
        goto done;
    }
    int yn = yes_no(text[C_ON_SCHEDULE]);
    if (blank(text[C_ON_SCHEDULE]) && figure)
        yn = lg_on_schedule(t, v, c->month); /* computed from the figure */
    else if (blank(text[C_ON_SCHEDULE]))
        error(c, "form-yes-no", t->no, at(w, c->sheet, row, (uint32_t)cols[C_ON_SCHEDULE]),
              "task %ld: %s is empty; choose 是, 否 or 已完成", t->no,
              col_info[C_ON_SCHEDULE].label);
    else if (yn < 0)
        error(c, "form-yes-no", t->no, at(w, c->sheet, row, (uint32_t)cols[C_ON_SCHEDULE]),
              "task %ld: %s is \"%s\"; write 是, 否 or 已完成 (or choose one from the "
              "drop-down)",
              t->no, col_info[C_ON_SCHEDULE].label, excerpt(e, text[C_ON_SCHEDULE]));
    if (blank(text[C_PROGRESS]))
        warning(c, "form-empty", t->no, at(w, c->sheet, row, (uint32_t)cols[C_PROGRESS]),
                "task %ld: %s is empty", t->no, col_info[C_PROGRESS].label);
    if (blank(text[C_PLAN]))
        warning(c, "form-empty", t->no, at(w, c->sheet, row, (uint32_t)cols[C_PLAN]),
                "task %ld: %s is empty", t->no, col_info[C_PLAN].label);

    /* 已完成: completed this month, and so on schedule */
    char ref[16];
    fprintf(f, "  <entry task=\"%ld\" on-schedule=\"%s\"%s cell=\"%s\">\n", t->no,
            yn > 0 ? "yes" : "no", yn == 2 ? " completed=\"yes\"" : "",
            lg_xlsx_ref(row, (uint32_t)cols[C_PROGRESS], ref));
    if (figure)
        fprintf(f, "    <actual value=\"%s\"/>\n", fig);
    put_paragraphs(f, "progress", text[C_PROGRESS]);
    if (text[C_PROBLEMS] && !blank(text[C_PROBLEMS]))
        put_paragraphs(f, "problems", text[C_PROBLEMS]);
    put_paragraphs(f, "plan", text[C_PLAN]);
    put_paragraphs(f, "remark", text[C_REMARK]);
    fputs("  </entry>\n", f);
done:
    for (int k = 0; k < C_N; k++)
        free(text[k]);
    return !all_blank;
}

/* Whether the task cell at ROW, COL starts with "NO.", as task NO's does. */
static bool task_cell_is(const lg_xlsx_sheet *s, long row, long col, long no)
{
    char prefix[32];
    int n = snprintf(prefix, sizeof prefix, "%ld.", no);
    return row >= 0 && strncmp(lg_xlsx_text_at(s, (uint32_t)row, (uint32_t)col), prefix,
                               (size_t)n) == 0;
}

/* The row whose task cell (column COL) is task NO's, or -1. */
static long find_task_row(const lg_xlsx_sheet *s, long col, long no)
{
    for (size_t i = 0; i < s->n_cells; i++)
        if (s->cells[i].col == (uint32_t)col && task_cell_is(s, s->cells[i].row, col, no))
            return (long)s->cells[i].row;
    return -1;
}

/* The rows of the sheet that a unit may have inserted: those between the
 * first and the last task row that are no task's. A blank one is left
 * alone (rows inserted or deleted were found by the tasks' texts); one with
 * text is an error naming it, since the text would be lost. */
static void check_other_rows(form_ctx *c, const lg_xlsx_sheet *s, const long cols[C_N],
                             const bool *covered, long lo, long hi)
{
    for (long r = lo; r <= hi; r++) {
        if (covered[r])
            continue;
        for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
            uint32_t col = (uint32_t)cols[inputs[i]];
            if (cols[inputs[i]] < 0)
                continue;
            if (!blank(lg_xlsx_text_at(s, (uint32_t)r, col))) {
                char w[512];
                error(c, "form-row", 0, at(w, c->sheet, (uint32_t)r, col),
                      "row %ld is not the row of any task, but holds text (was a row "
                      "inserted?); move the text into the row of its task, and delete row "
                      "%ld",
                      r + 1, r + 1);
                break;
            }
        }
    }
}

/* Drops the warnings of kind KIND that D has from its item FROM on. */
static void drop_kind(lg_diags *d, size_t from, const char *kind)
{
    size_t n = from;
    for (size_t i = from; i < d->count; i++) {
        if (d->items[i].severity == LG_WARNING && strcmp(d->items[i].kind, kind) == 0)
            lg_diag_clear(&d->items[i]);
        else
            d->items[n++] = d->items[i];
    }
    d->count = n;
}

char *lg_import_form(const lg_plan *p, const char *path, const lg_import_opts *o,
                     const lg_unit **unit, int *year, int *month, lg_diags *d)
{
    size_t errors = lg_diags_count(d, LG_ERROR);
    form_ctx c = {.p = p, .path = path, .d = d};
    *unit = NULL;
    char *xml = NULL;
    size_t xml_len = 0;
    bool *seen = NULL, *covered = NULL;
    lg_xlsx *x = lg_xlsx_open(path, d);
    if (!x)
        return NULL;
    meta m;
    long cols[C_N];
    const lg_xlsx_sheet *s;
    if (!read_meta(&c, x, &m) || !(s = check_header(&c, x, &m, o, year, month)) ||
        !read_columns(&c, &m, cols) || lg_diags_count(d, LG_ERROR) > errors)
        goto done;
    p = c.p; /* the plan of the form's month */
    c.month = *month;

    FILE *f = open_memstream(&xml, &xml_len);
    if (!f) {
        error(&c, "io", 0, NULL, "cannot make the report: %s", strerror(errno));
        goto done;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<!-- Imported by ledgerc from a filled-in form (ledgerc import). -->\n", f);
    /* where the entries came from, for the 问题清单 (lg_entry_location) */
    const char *form = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    fprintf(f, "<report unit=\"%s\" period=\"%04d-%02d\" form=\"", c.unit->id, *year, *month);
    put_attr(f, form);
    fputs("\" sheet=\"", f);
    put_attr(f, c.sheet);
    fputs("\">\n", f);
    seen = lg_xcalloc(p->n_tasks + 1, sizeof *seen);
    if (m.n_rows > p->n_tasks) {
        char w[512];
        error(&c, "form-meta", 0, at(w, LG_FORM_SHEET, m.rows_at, 1),
              "the form has %zu task rows but the plan only %zu tasks; the form was "
              "damaged, make a new one with `ledgerc forms`",
              m.n_rows, p->n_tasks);
        m.n_rows = 0;
    }
    /* Rows inserted or deleted above a task move it: the hidden sheet says
     * where it was written, its number at the start of its task cell where
     * it is now. */
    uint32_t max_row = s->n_cells ? s->cells[s->n_cells - 1].row : 0;
    covered = lg_xcalloc((size_t)max_row + 2, sizeof *covered);
    long shift = 0, lo = -1, hi = -1;
    bool moved = false;
    size_t filled = 0, rows_from = d->count;
    for (size_t i = 0; i < m.n_rows; i++) {
        uint32_t mr = m.rows_at + 1 + (uint32_t)i, first, last;
        if (!row_span(&c, &m, mr, &first, &last))
            break; /* one message for a damaged list */
        long no_at;
        if (lg_task_no_parse(lg_xlsx_text_at(m.s, mr, 0), &no_at) && cols[C_TASK] >= 0 &&
            !task_cell_is(s, (long)first + shift, cols[C_TASK], no_at)) {
            long found = find_task_row(s, cols[C_TASK], no_at);
            if (found >= 0) {
                shift = found - (long)first;
                if (!moved) {
                    char w[512];
                    warning(&c, "form-rows-moved", no_at,
                            at(w, c.sheet, (uint32_t)found, (uint32_t)cols[C_TASK]),
                            "rows were inserted or deleted in the sheet: task %ld is in row "
                            "%ld, not in row %lu where the form put it; the tasks were found "
                            "by their texts",
                            no_at, found + 1, (unsigned long)first + 1);
                    moved = true;
                }
            }
        }
        if ((long)first + shift < 0 || (long)last + shift < 0)
            shift = 0;
        first = (uint32_t)((long)first + shift);
        last = (uint32_t)((long)last + shift);
        if (last < first)
            last = first;
        for (uint32_t r = first; r <= last && r <= max_row; r++)
            covered[r] = true;
        lo = lo < 0 || (long)first < lo ? (long)first : lo;
        hi = (long)last > hi ? (long)last : hi;
        const char *key = lg_xlsx_text_at(m.s, mr, 0);
        char w[512];
        long no;
        const lg_task *t = lg_task_no_parse(key, &no) ? lg_plan_find_task(p, no) : NULL;
        if (!t) {
            error(&c, "form-task", 0, at(w, c.sheet, first, (uint32_t)cols[C_TASK]),
                  "this row is of task \"%s\", which is not a task of %s; fill in a form "
                  "made from this plan",
                  key, p->file);
            continue;
        }
        if (!lg_task_owned_by(t, c.unit)) {
            error(&c, "form-task", no, at(w, c.sheet, first, (uint32_t)cols[C_TASK]),
                  "this row is of task %ld, which unit \"%s\" does not report on in %s; fill "
                  "in a form made from this plan",
                  no, c.unit->id, p->file);
            continue;
        }
        if (seen[t - p->tasks]) {
            error(&c, "form-task", no, at(w, c.sheet, first, (uint32_t)cols[C_TASK]),
                  "task %ld has a second row; the form was damaged, make a new one with "
                  "`ledgerc forms`",
                  no);
            continue;
        }
        seen[t - p->tasks] = true;
        filled += read_row(&c, s, cols, first, last < first ? first : last, t,
                           *lg_xlsx_text_at(m.s, mr, 3) != '\0', f);
    }
    fputs("</report>\n", f);
    fclose(f);
    if (lo >= 0)
        check_other_rows(&c, s, cols, covered, lo, hi > (long)max_row ? (long)max_row : hi);
    if (m.n_rows && !filled && lg_diags_count(d, LG_ERROR) == errors) {
        /* one message for the form, not one for each of its rows */
        drop_kind(d, rows_from, "form-empty");
        error(&c, "form-blank", 0, NULL,
              "nothing was filled in: the form came back as it was sent; ask %s to fill it "
              "in and send it again",
              c.unit->name);
    }
    for (size_t i = 0; i < p->n_tasks; i++)
        if (!seen[i] && lg_task_owned_by(&p->tasks[i], c.unit))
            warning(&c, "form-task", p->tasks[i].no, NULL,
                    "task %ld is not in the form (the plan has changed since the form was "
                    "made?); the ledger shows 未报送 for it",
                    p->tasks[i].no);
done:
    free(seen);
    free(covered);
    lg_xlsx_close(x);
    *unit = c.unit;
    if (lg_diags_count(d, LG_ERROR) > errors) {
        free(xml);
        return NULL;
    }
    return xml;
}

/* ---- the forms of a batch ---------------------------------------------------- */

static bool ends_with_xlsx(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcasecmp(name + n - 5, ".xlsx") == 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The forms ARGS name: a file as it is, a folder as every .xlsx in it, in
 * byte order. Other files of a folder are named in a warning and skipped
 * (hidden ones, and the "~$" files Office keeps while a workbook is open,
 * silently). Appends to *FORMS (*N of them); the caller frees. */
static void list_forms(const char *const *args, size_t n_args, char ***forms, size_t *n,
                       lg_diags *d)
{
    size_t cap = n_args + 16;
    *forms = lg_xmalloc(cap * sizeof **forms);
    *n = 0;
    for (size_t a = 0; a < n_args; a++) {
        struct stat st;
        DIR *dp = stat(args[a], &st) == 0 && S_ISDIR(st.st_mode) ? opendir(args[a]) : NULL;
        if (!dp) {
            if (*n == cap)
                *forms = lg_xrealloc(*forms, (cap *= 2) * sizeof **forms);
            (*forms)[(*n)++] = lg_xstrdup(args[a]);
            continue;
        }
        size_t from = *n;
        size_t len = strlen(args[a]);
        while (len > 1 && args[a][len - 1] == '/')
            len--;
        for (struct dirent *e; (e = readdir(dp));) {
            if (e->d_name[0] == '.' || strncmp(e->d_name, "~$", 2) == 0)
                continue;
            char *path = lg_xasprintf("%.*s/%s", (int)len, args[a], e->d_name);
            if (!ends_with_xlsx(e->d_name) || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
                lg_diags_add(d, LG_WARNING, "not-a-form", path, 0,
                             "not a form (a form is an .xlsx file); skipped");
                free(path);
                continue;
            }
            if (*n == cap)
                *forms = lg_xrealloc(*forms, (cap *= 2) * sizeof **forms);
            (*forms)[(*n)++] = path;
        }
        closedir(dp);
        qsort(*forms + from, *n - from, sizeof **forms, by_name);
    }
}

/* The newest month of INPUT_DIR/reports/ that has a report, as YYYY*12+MM-1,
 * or -1 when none has. */
static long newest_month(const char *input_dir)
{
    char *dir = lg_input_month_dir(input_dir, 2000, 1); /* …/reports/2000-01 */
    dir[strlen(dir) - strlen("/2000-01")] = '\0';
    long newest = -1;
    DIR *dp = opendir(dir);
    for (struct dirent *e; dp && (e = readdir(dp));) {
        int y, m;
        if (!lg_period_parse(e->d_name, &y, &m) || y * 12L + m - 1 <= newest)
            continue;
        char *sub = lg_xasprintf("%s/%s", dir, e->d_name);
        DIR *mp = opendir(sub);
        for (struct dirent *f; mp && (f = readdir(mp));) {
            size_t n = strlen(f->d_name);
            if (f->d_name[0] != '.' && n > 4 && strcmp(f->d_name + n - 4, ".xml") == 0) {
                newest = y * 12L + m - 1;
                break;
            }
        }
        if (mp)
            closedir(mp);
        free(sub);
    }
    if (dp)
        closedir(dp);
    free(dir);
    return newest;
}

/* ---- writing the reports ---------------------------------------------------- */

typedef struct job {
    const char *form;
    const lg_unit *unit;
    int year, month;
    char *xml;   /* NULL: refused */
    lg_diags d;  /* what was found in the form */
    char *dir, *path; /* the report's folder and file */
    lg_import_result result;
    bool written;
} job;

static void refuse(job *j, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Refuses J's form with the error FMT. */
static void refuse(job *j, const char *kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lg_diag *g = lg_diags_vadd(&j->d, LG_ERROR, kind, j->form, 0, fmt, ap);
    va_end(ap);
    lg_diag_set_unit(g, j->unit ? j->unit->id : NULL, 0);
    free(j->xml);
    j->xml = NULL;
    j->result = LG_IMPORT_REFUSED;
}

/* Writes J's report into a private folder of its final one, loads it as
 * any report is loaded, then renames it into place: atomically, alone. A
 * replaced report is kept as a backup first. False after adding an error
 * to D (of kind "write" when the disk refused). */
static bool write_report(lg_plan *p, job *j, bool exists, FILE *log, lg_diags *d)
{
    char *tmpdir = lg_stage_dir(j->dir, d);
    if (!tmpdir)
        return false;
    char *file = lg_xasprintf("%s/%s.xml", tmpdir, j->unit->id);
    bool ok = lg_write_new_file(file, j->xml, strlen(j->xml));
    if (!ok)
        lg_write_failed(d, j->dir, errno);
    if (ok && !lg_report_load(p, file, j->year, j->month, d)) {
        lg_diags_add(d, LG_ERROR, "internal", j->form, 0,
                     "the report made from this form does not load (see above); this is a "
                     "bug in ledgerc, please report it with the form");
        ok = false;
    }
    lg_outset outs = {0};
    if (ok && rename(file, lg_outset_add(&outs, j->path)) != 0) {
        lg_write_failed(d, j->dir, errno);
        ok = false;
    }
    char *bak = NULL;
    if (ok && exists && !lg_keep_backup(j->path, &bak, d))
        ok = false;
    if (ok && !lg_outset_commit(&outs, d)) {
        if (bak)
            unlink(bak); /* the report it keeps is still in place */
        ok = false;
    }
    if (ok && bak && log)
        fprintf(log, _("%s: the old report is kept as %s\n"), j->path, bak);
    free(bak);
    lg_outset_free(&outs);
    lg_stage_dir_remove(tmpdir);
    free(file);
    free(tmpdir);
    return ok;
}

/* Holds the locks of the month folders a batch writes into. */
typedef struct locks {
    char **dirs;
    int *fds;
    size_t n;
} locks;

/* Creates and locks DIR unless it is locked already; false after adding an
 * error to D. */
static bool lock_dir(locks *l, const char *dir, lg_diags *d)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->dirs[i], dir) == 0)
            return true;
    if (!lg_mkdirs(dir, d))
        return false;
    int fd = lg_lock_folder(dir, d);
    if (fd < 0)
        return false;
    /* Ours alone now: what a killed run left can go. */
    lg_outset_sweep(dir);
    l->dirs = lg_xrealloc(l->dirs, (l->n + 1) * sizeof *l->dirs);
    l->fds = lg_xrealloc(l->fds, (l->n + 1) * sizeof *l->fds);
    l->dirs[l->n] = lg_xstrdup(dir);
    l->fds[l->n++] = fd;
    return true;
}

static void locks_free(locks *l)
{
    for (size_t i = 0; i < l->n; i++) {
        lg_unlock_folder(l->dirs[i], l->fds[i]);
        free(l->dirs[i]);
    }
    free(l->dirs);
    free(l->fds);
}

/* Checks what forms of a batch say together, and against the reports there:
 * last month's form, two forms of one unit and month, a report there that
 * says otherwise. */
static void judge(const lg_import_opts *o, job *jobs, size_t n)
{
    /* The month being reported: the newest with reports, or of a form of
     * the batch (forms of it are coming in). */
    long newest = newest_month(o->input_dir);
    for (size_t i = 0; i < n; i++)
        if (jobs[i].xml && jobs[i].year * 12L + jobs[i].month - 1 > newest)
            newest = jobs[i].year * 12L + jobs[i].month - 1;
    for (size_t i = 0; i < n; i++) {
        job *j = &jobs[i];
        long month = j->year * 12L + j->month - 1;
        bool named = o->month && o->year == j->year && o->month == j->month;
        if (j->xml && month < newest && !named)
            refuse(j, "form-old",
                   "this is the form of %d-%02d, but %ld-%02ld is the month being reported: "
                   "was last month's form sent by mistake? Ask the unit for the form of "
                   "%ld-%02ld; to import it into %d-%02d all the same, give --period "
                   "%d-%02d",
                   j->year, j->month, newest / 12, newest % 12 + 1, newest / 12,
                   newest % 12 + 1, j->year, j->month, j->year, j->month);
    }
    bool *twice = lg_xcalloc(n + 1, sizeof *twice);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++) {
            job *j = &jobs[i], *other = &jobs[k];
            if (k == i || !j->xml || !other->xml || j->unit != other->unit ||
                j->year != other->year || j->month != other->month)
                continue;
            /* both are refused, each naming the other */
            lg_diag *g = lg_diags_add(&j->d, LG_ERROR, "form-twice", j->form, 0,
                                      "%s (unit \"%s\") sent two forms of %d-%02d in this "
                                      "batch: this one and %s; import the one that is right",
                                      j->unit->name, j->unit->id, j->year, j->month,
                                      other->form);
            lg_diag_set_unit(g, j->unit->id, 0);
            twice[i] = true;
        }
    for (size_t i = 0; i < n; i++)
        if (twice[i]) {
            free(jobs[i].xml);
            jobs[i].xml = NULL;
        }
    free(twice);
    for (size_t i = 0; i < n; i++) {
        job *j = &jobs[i];
        if (!j->xml)
            continue;
        j->dir = lg_input_month_dir(o->input_dir, j->year, j->month);
        j->path = lg_xasprintf("%s/%s.xml", j->dir, j->unit->id);
        struct stat st;
        j->result = LG_IMPORT_IMPORTED;
        if (stat(j->path, &st) != 0)
            continue;
        size_t old_len;
        lg_read_status rs;
        char *old = lg_read_file(j->path, LG_MAX_FILE_BYTES, &old_len, &rs);
        bool same = old && old_len == strlen(j->xml) && memcmp(old, j->xml, old_len) == 0;
        free(old);
        bool named = o->month && o->year == j->year && o->month == j->month;
        if (same)
            j->result = LG_IMPORT_UNCHANGED;
        else if (o->force && named)
            j->result = LG_IMPORT_REPLACED;
        else
            /* --force replaces only in the month the user named: never an
             * archived month by a form of the wrong one */
            refuse(j, "report-exists",
                   "the report of %d-%02d, %s, is already there and says otherwise; to "
                   "replace it, import with --force --period %d-%02d (the old report is "
                   "kept as %s.bak-N)",
                   j->year, j->month, j->path, j->year, j->month, j->path);
    }
}

/* The reason of J's row in the table: its first error, and how many more. */
static char *reason_of(const job *j)
{
    const lg_diag *first = NULL;
    size_t errors = 0, warnings = 0;
    for (size_t i = 0; i < j->d.count; i++) {
        if (j->d.items[i].severity == LG_ERROR && !errors++)
            first = &j->d.items[i];
        warnings += j->d.items[i].severity == LG_WARNING;
    }
    if (first && errors > 1)
        return lg_xasprintf(_("%s (and %zu more, listed above)"), first->message,
                            errors - 1);
    if (first)
        return lg_xstrdup(first->message);
    if (warnings)
        return lg_xasprintf(_("%zu warning(s), listed above"), warnings);
    return lg_xstrdup("");
}

bool lg_import(const lg_import_opts *o, const char *const *args, size_t n_args,
               lg_import_rows *rows, lg_diags *d)
{
    char **forms;
    size_t n;
    list_forms(args, n_args, &forms, &n, d);
    job *jobs = lg_xcalloc(n + 1, sizeof *jobs);
    locks l = {0};
    bool all = false, stopped = false;
    char *plan_path = lg_input_plan_path(o->input_dir);
    lg_plan *p = lg_plan_load(plan_path, d);
    if (!p)
        goto done;

    /* Each form is judged on its own: one refused stops no other. */
    for (size_t i = 0; i < n; i++) {
        job *j = &jobs[i];
        j->form = forms[i];
        j->result = LG_IMPORT_REFUSED;
        j->xml = lg_import_form(p, forms[i], o, &j->unit, &j->year, &j->month, &j->d);
    }
    judge(o, jobs, n);
    for (size_t i = 0; i < n && !stopped; i++) {
        job *j = &jobs[i];
        if (!j->xml || j->result == LG_IMPORT_UNCHANGED)
            continue;
        if (!lock_dir(&l, j->dir, d) ||
            !write_report(lg_plan_at(p, j->month), j, j->result == LG_IMPORT_REPLACED, o->log,
                          d))
            stopped = true; /* a lock held, or a disk that refuses: no more */
        else
            j->written = true;
    }
    all = !stopped;
    for (size_t i = 0; i < n; i++) {
        job *j = &jobs[i];
        if (j->xml && !j->written && j->result != LG_IMPORT_UNCHANGED) {
            j->result = LG_IMPORT_REFUSED;
            lg_diags_add(&j->d, LG_ERROR, "not-written", j->form, 0,
                         "not imported: the run stopped before this form");
        }
        for (size_t k = 0; k < j->d.count; k++) {
            lg_diags_add_copy(d, &j->d.items[k]);
        }
        all &= j->result != LG_IMPORT_REFUSED;
        if (j->written && o->log)
            fprintf(o->log, "%s -> %s\n", j->form, j->path);
        else if (j->result == LG_IMPORT_UNCHANGED && o->log)
            fprintf(o->log, _("%s: %s is already as this form says\n"), j->form, j->path);
    }
    for (size_t i = 0; rows && i < n; i++) {
        job *j = &jobs[i];
        rows->v = lg_xrealloc(rows->v, (rows->n + 1) * sizeof *rows->v);
        rows->v[rows->n++] = (lg_import_row){
            .unit = lg_xstrdup(j->unit ? j->unit->name : ""),
            .form = lg_xstrdup(j->form),
            .result = j->result,
            .reason = reason_of(j),
        };
    }
done:
    locks_free(&l);
    for (size_t i = 0; i < n; i++) {
        free(jobs[i].xml);
        free(jobs[i].dir);
        free(jobs[i].path);
        lg_diags_free(&jobs[i].d);
        free(forms[i]);
    }
    free(forms);
    free(jobs);
    lg_plan_free(p);
    free(plan_path);
    return all;
}

void lg_import_rows_free(lg_import_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++) {
        free(rows->v[i].unit);
        free(rows->v[i].form);
        free(rows->v[i].reason);
    }
    free(rows->v);
    memset(rows, 0, sizeof *rows);
}

const char *lg_import_result_name(lg_import_result r)
{
    static const char *const names[] = {
        [LG_IMPORT_IMPORTED] = N_("imported"),
        [LG_IMPORT_REPLACED] = N_("replaced"),
        [LG_IMPORT_UNCHANGED] = N_("unchanged"),
        [LG_IMPORT_REFUSED] = N_("refused"),
    };
    return _(names[r]);
}
