#include "build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
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

/* Renders one file of TABLES in each requested format, under temporary names. */
static bool render_all(const lg_build_opts *o, const lg_table *const *tables, size_t n,
                       const lg_template *tpl, lg_layout *lay, const lg_doc_info *info,
                       const char *base, lg_outset *outs, lg_diags *d)
{
    bool ok = true;
    if (o->formats & LG_FORMAT_XLSX) {
        char *path = lg_xasprintf("%s.xlsx", base);
        ok = lg_render_xlsx(tables, n, tpl, lay, info, lg_outset_add(outs, path), d);
        if (ok && o->log)
            fprintf(o->log, "%s\n", path);
        free(path);
    }
    if (ok && (o->formats & LG_FORMAT_PDF)) {
        char *path = lg_xasprintf("%s.pdf", base);
        ok = lg_render_pdf(tables, n, tpl, lay, info, lg_outset_add(outs, path), d);
        if (ok && o->log)
            fprintf(o->log, "%s\n", path);
        free(path);
    }
    return ok;
}

static bool build_units(const lg_build_opts *o, const lg_month *m, const lg_template *tpl,
                        const char *out_dir, lg_outset *outs, lg_diags *d)
{
    const lg_view_layout *view = lg_template_view(tpl, "unit");
    if (!view) {
        lg_diags_add(d, LG_ERROR, "template-view", tpl->file, 0,
                     "the template has no <view name=\"unit\">; add one with its columns");
        return false;
    }
    char *dir = lg_xasprintf("%s/units", out_dir);
    bool ok = lg_mkdirs(dir, d);
    if (ok)
        lg_outset_sweep(dir);
    lg_layout *lay = ok ? lg_layout_new() : NULL;
    char *creator = lg_xstrdup("ledgerc " LG_VERSION);
    for (size_t i = 0; ok && i < m->plan->n_units; i++) {
        const lg_unit *u = &m->plan->units[i];
        lg_arena *a = lg_arena_new();
        const lg_table *t = lg_view_unit(a, m, u, view, tpl->title_format);
        char *keywords = lg_xasprintf("落实情况台账, %s, %04d-%02d", u->name, m->year, m->month);
        lg_doc_info info = {.title = t->title,
                            .subject = u->name,
                            .author = u->name,
                            .keywords = keywords,
                            .creator = creator,
                            .created = o->created};
        char *base = lg_xasprintf("%s/%s", dir, u->id);
        ok = render_all(o, &t, 1, tpl, lay, &info, base, outs, d);
        free(base);
        free(keywords);
        lg_arena_free(a);
    }
    free(creator);
    if (lay)
        lg_layout_free(lay);
    free(dir);
    return ok;
}

bool lg_build(const lg_build_opts *o, lg_diags *d)
{
    bool ok = false;
    lg_plan *plan = NULL;
    lg_template *tpl = NULL;
    lg_outset outs = {0};
    char *plan_path = lg_xasprintf("%s/plan.xml", o->input_dir);

    /* Everything is read and checked before anything is written. */
    tpl = lg_template_load(o->template_path ? o->template_path : lg_template_default_path(), d);
    plan = lg_plan_load(plan_path, d);
    if (!tpl || !plan)
        goto done;
    if (o->year != plan->year) {
        lg_diags_add(d, LG_ERROR, "period", plan_path, 0,
                     "the plan is for %d but the period asked for is %04d-%02d; "
                     "give a period of the plan's year",
                     plan->year, o->year, o->month);
        goto done;
    }
    lg_month *m = lg_month_load(plan, o->input_dir, o->year, o->month, d);
    if (!m || lg_diags_count(d, LG_ERROR))
        goto done;
    if (!lg_mkdirs(o->out_dir, d))
        goto done;
    if (!build_units(o, m, tpl, o->out_dir, &outs, d))
        goto done;
    ok = lg_outset_commit(&outs, d);
done:
    lg_outset_free(&outs);
    lg_plan_free(plan);
    lg_template_free(tpl);
    free(plan_path);
    return ok;
}
