#include "build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "layout.h"
#include "load.h"
#include "outfile.h"
#include "render.h"
#include "template.h"
#include "view.h"

#ifndef LG_VERSION
#define LG_VERSION "0"
#endif

bool lg_build_time(time_t *out, lg_diags *d)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) {
        *out = time(NULL);
        return true;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0) {
        lg_diags_add(d, LG_ERROR, "environment", NULL, 0,
                     "SOURCE_DATE_EPOCH=\"%s\" is not a number of seconds since 1970; "
                     "set it to one (e.g. $(date +%%s)) or unset it", s);
        return false;
    }
    *out = (time_t)v;
    return true;
}

/* ---- input ------------------------------------------------------------------ */

/* Everything a month's run reads. */
typedef struct input {
    lg_template *tpl;
    lg_plan *plan;
    lg_month *month;
    lg_month *prev; /* last month, for stale copies; NULL in January */
} input;

static void input_free(input *in)
{
    lg_plan_free(in->plan);
    lg_template_free(in->tpl);
}

/* Reads and checks the template, the plan and the month's reports. False when
 * any has an error (all are in D). */
static bool input_load(input *in, const char *input_dir, const char *template_path, int year,
                       int month, lg_diags *d)
{
    memset(in, 0, sizeof *in);
    size_t errors = lg_diags_count(d, LG_ERROR);
    char *plan_path = lg_xasprintf("%s/plan.xml", input_dir);
    in->tpl = lg_template_load(template_path ? template_path : lg_template_default_path(), d);
    in->plan = lg_plan_load(plan_path, d);
    if (in->plan && year != in->plan->year)
        lg_diags_add(d, LG_ERROR, "period", plan_path, 0,
                     "the plan is for %d but the period asked for is %04d-%02d; give a "
                     "period of the plan's year, or the plan of %04d",
                     in->plan->year, year, month, year);
    free(plan_path);
    if (lg_diags_count(d, LG_ERROR) > errors)
        return false;
    in->month = lg_month_load(in->plan, input_dir, year, month, d);
    if (lg_diags_count(d, LG_ERROR) > errors)
        return false;
    if (month > 1) {
        /* Last month only tells what was copied: its own problems were
         * reported last month and are not this month's. */
        lg_diags scratch = {0};
        in->prev = lg_month_load(in->plan, input_dir, year, month - 1, &scratch);
        lg_diags_free(&scratch);
    }
    return true;
}

/* The month's warnings into D, then everything ordered by unit. */
static void input_check(const input *in, const char *input_dir, lg_layout *lay, lg_diags *d)
{
    lg_check_month(in->month, in->prev, input_dir, lay, &in->tpl->body_font, d);
    lg_diags_sort_by_unit(d, in->plan);
}

void lg_build_check(const char *input_dir, const char *template_path, int year, int month,
                    lg_diags *d)
{
    input in;
    if (input_load(&in, input_dir, template_path, year, month, d)) {
        lg_layout *lay = lg_layout_new();
        input_check(&in, input_dir, lay, d);
        lg_layout_free(lay);
    }
    input_free(&in);
}

/* ---- output ----------------------------------------------------------------- */

/* What one run writes, and how far it is. */
typedef struct run {
    const lg_build_opts *o;
    const input *in;
    lg_layout *lay;
    lg_outset outs;
    char *creator;
    size_t units_done, files;
} run;

static void show_progress(run *r)
{
    if (!r->o->progress)
        return;
    fprintf(r->o->progress, "\r\033[Kledgerc: %04d-%02d: units %zu/%zu, %zu files written",
            r->o->year, r->o->month, r->units_done, r->in->plan->n_units, r->files);
    fflush(r->o->progress);
}

/* Renders TABLES into BASE.xlsx and BASE.pdf (as the formats ask), under
 * temporary names; XLSX_EXTRA more tables go into the spreadsheet only. */
static bool render_files(run *r, const lg_table *const *tables, size_t n, size_t xlsx_extra,
                         const lg_doc_info *info, const char *base, lg_diags *d)
{
    const lg_build_opts *o = r->o;
    bool ok = true;
    for (unsigned f = LG_FORMAT_XLSX; ok && f <= LG_FORMAT_PDF; f <<= 1) {
        if (!(o->formats & f))
            continue;
        char *path = lg_xasprintf("%s.%s", base, f == LG_FORMAT_XLSX ? "xlsx" : "pdf");
        const char *tmp = lg_outset_add(&r->outs, path);
        ok = f == LG_FORMAT_XLSX
                 ? lg_render_xlsx(tables, n + xlsx_extra, r->in->tpl, r->lay, info, tmp, d)
                 : lg_render_pdf(tables, n, r->in->tpl, r->lay, info, tmp, d);
        if (ok && o->log)
            fprintf(o->log, "%s\n", path);
        r->files += ok;
        show_progress(r);
        free(path);
    }
    return ok;
}

/* The template's view NAME, or an error naming what to add. */
static const lg_view_layout *need_view(const lg_template *tpl, const char *name, lg_diags *d)
{
    const lg_view_layout *v = lg_template_view(tpl, name);
    if (!v)
        lg_diags_add(d, LG_ERROR, "template-view", tpl->file, 0,
                     "the template has no <view name=\"%s\">; add one with its columns", name);
    return v;
}

static bool build_units(run *r, lg_diags *d)
{
    const lg_month *m = r->in->month;
    const lg_template *tpl = r->in->tpl;
    const lg_view_layout *view = need_view(tpl, "unit", d);
    char *dir = lg_xasprintf("%s/units", r->o->out_dir);
    bool ok = view && lg_mkdirs(dir, d);
    if (ok)
        lg_outset_sweep(dir);
    for (size_t i = 0; ok && i < m->plan->n_units; i++) {
        const lg_unit *u = &m->plan->units[i];
        lg_arena *a = lg_arena_new();
        const lg_table *t = lg_view_unit(a, m, u, view, tpl->title_format);
        char *keywords = lg_xasprintf("落实情况台账, %s, %04d-%02d", u->name, m->year, m->month);
        lg_doc_info info = {.title = t->title,
                            .subject = u->name,
                            .author = tpl->author ? tpl->author : u->name,
                            .keywords = keywords,
                            .creator = r->creator,
                            .created = r->o->created};
        char *base = lg_xasprintf("%s/%s", dir, u->id);
        ok = render_files(r, &t, 1, 0, &info, base, d);
        r->units_done++;
        show_progress(r);
        free(base);
        free(keywords);
        lg_arena_free(a);
    }
    free(dir);
    return ok;
}

/* ledger.xlsx and ledger.pdf: the summary, the city-wide ledger and every
 * unit's ledger, as the views ask; the spreadsheet also lists the problems. */
static bool build_ledger(run *r, const lg_diags *problems, lg_diags *d)
{
    const lg_month *m = r->in->month;
    const lg_template *tpl = r->in->tpl;
    unsigned views = r->o->views;
    lg_arena *a = lg_arena_new();
    const lg_table *tables[4];
    size_t n = 0;
    bool ok = true;
    const lg_view_layout *v;
    if (ok && (views & LG_VIEW_SUMMARY) && (ok = (v = need_view(tpl, "summary", d)) != NULL))
        tables[n++] = lg_view_summary(a, m, v, tpl->title_format);
    if (ok && (views & LG_VIEW_BY_TASK) && (ok = (v = need_view(tpl, "by-task", d)) != NULL))
        tables[n++] = lg_view_by_task(a, m, v, tpl->title_format);
    if (ok && (views & LG_VIEW_BY_UNIT) && (ok = (v = need_view(tpl, "unit", d)) != NULL))
        tables[n++] = lg_view_by_unit(a, m, v, tpl->title_format);
    size_t extra = 0;
    if (ok && (v = lg_template_view(tpl, "problems")) != NULL) {
        tables[n] = lg_view_problems(a, m, problems, v, tpl->title_format);
        extra = 1;
    }
    if (ok) {
        char *title = lg_view_title(m, tpl->title_format);
        char *keywords = lg_xasprintf("落实情况台账, 全市, %04d-%02d", m->year, m->month);
        lg_doc_info info = {.title = title,
                            .subject = "全市落实情况台账",
                            .author = tpl->author ? tpl->author : "",
                            .keywords = keywords,
                            .creator = r->creator,
                            .created = r->o->created};
        char *base = lg_xasprintf("%s/ledger", r->o->out_dir);
        ok = render_files(r, tables, n, extra, &info, base, d);
        free(base);
        free(keywords);
        free(title);
    }
    lg_arena_free(a);
    return ok;
}

bool lg_build(const lg_build_opts *o, lg_diags *d)
{
    input in;
    run r = {.o = o, .in = &in};
    bool ok = input_load(&in, o->input_dir, o->template_path, o->year, o->month, d);
    if (ok) {
        r.lay = lg_layout_new();
        r.creator = lg_xstrdup("ledgerc " LG_VERSION);
        input_check(&in, o->input_dir, r.lay, d);
        /* Everything is read and checked before anything is written. */
        ok = lg_mkdirs(o->out_dir, d);
        if (ok)
            lg_outset_sweep(o->out_dir);
    }
    /* The problem list is the warnings as they stand now, before rendering. */
    lg_diags problems = {0};
    for (size_t i = 0; ok && i < d->count; i++) {
        const lg_diag *g = &d->items[i];
        lg_diag *copy =
            lg_diags_add(&problems, g->severity, g->kind, g->file, g->line, "%s", g->message);
        lg_diag_set_unit(copy, g->unit, g->task);
        lg_diag_set_unit_name(copy, g->unit_name);
    }
    if (ok && (o->views & LG_VIEW_UNITS))
        ok = build_units(&r, d);
    if (ok && (o->views & (LG_VIEW_SUMMARY | LG_VIEW_BY_TASK | LG_VIEW_BY_UNIT)))
        ok = build_ledger(&r, &problems, d);
    if (ok)
        ok = lg_outset_commit(&r.outs, d);
    if (o->progress && r.files)
        fprintf(o->progress, "\r\033[K");
    lg_diags_free(&problems);
    lg_outset_free(&r.outs);
    lg_layout_free(r.lay);
    free(r.creator);
    input_free(&in);
    return ok;
}
