/* The forms pipeline: plan and last month's reports in, one XLSX form per
 * unit out, all checked before anything is written. */
#include "forms.h"

#include <stdlib.h>

#include "arena.h"
#include "input_path.h"
#include "layout.h"
#include "load.h"
#include "outfile.h"
#include "render.h"
#include "template.h"
#include "view.h"
#include "version.h"


/* Last month's reports, for what each unit promised; NULL when last month is
 * in another year (another plan) or on an error in D. */
static const lg_month *load_prev(const lg_forms_opts *o, lg_plan *plan, lg_diags *d)
{
    int py = o->year, pm = o->month;
    lg_period_prev(&py, &pm);
    if (py != plan->year)
        return NULL;
    size_t errors = lg_diags_count(d, LG_ERROR);
    const lg_month *m = lg_month_load(lg_plan_at(plan, pm), o->input_dir, py, pm, d);
    return lg_diags_count(d, LG_ERROR) > errors ? NULL : m;
}

static bool write_forms(const lg_forms_opts *o, const lg_plan *plan, const lg_month *prev,
                        const lg_month *m, const lg_template *tpl, lg_outset *outs,
                        lg_diags *d)
{
    const lg_view_layout *view = lg_template_view(tpl, "form");
    if (!view) {
        lg_diags_add(d, LG_ERROR, "template-view", tpl->file, 0,
                     "the template has no <view name=\"form\">; add one with its columns "
                     "(see templates/ledger.xml)");
        return false;
    }
    char *dir = lg_xasprintf("%s/forms", o->out_dir);
    bool ok = lg_mkdirs(dir, d);
    if (ok)
        lg_outset_sweep(dir);
    lg_layout *lay = ok ? lg_layout_new() : NULL;
    char *creator = lg_xstrdup("ledgerc " LG_VERSION);
    for (size_t i = 0; ok && i < plan->n_units; i++) {
        const lg_unit *u = &plan->units[i];
        lg_arena *a = lg_arena_new();
        /* last month's plan may list other units: by id */
        const lg_unit *pu = prev ? lg_plan_find_unit(prev->plan, u->id) : NULL;
        const lg_report *r = pu ? prev->reports[pu->index] : NULL;
        const lg_table *t =
            lg_view_form(a, plan, o->year, o->month, u, r, m, view, tpl->title_format);
        char *subject = lg_xasprintf("%s 填报表", u->name);
        char *keywords =
            lg_xasprintf("落实情况台账, 填报表, %s, %04d-%02d", u->id, o->year, o->month);
        lg_doc_info info = {.title = t->title,
                            .subject = subject,
                            .author = tpl->author ? tpl->author : "ledgerc",
                            .keywords = keywords,
                            .creator = creator,
                            .created = o->created};
        char *path = lg_xasprintf("%s/%s.xlsx", dir, u->id);
        ok = lg_render_xlsx(&t, 1, tpl, lay, &info, lg_outset_add(outs, path), d);
        if (ok && o->log)
            fprintf(o->log, "%s\n", path);
        free(path);
        free(keywords);
        free(subject);
        lg_arena_free(a);
    }
    free(creator);
    if (lay)
        lg_layout_free(lay);
    free(dir);
    return ok;
}

bool lg_forms(const lg_forms_opts *o, lg_diags *d)
{
    bool ok = false;
    lg_outset outs = {0};
    char *plan_path = lg_input_plan_path(o->input_dir);
    lg_template *tpl =
        lg_template_load(o->template_path ? o->template_path : lg_template_default_path(), d);
    int lock = -1;
    lg_plan *full = lg_plan_load(plan_path, d), *plan = full;
    if (!tpl || !plan)
        goto done;
    if (o->year != plan->year) {
        lg_diags_add(d, LG_ERROR, "period", plan_path, 0,
                     "the plan is for %d but the period asked for is %04d-%02d; "
                     "give a period of the plan's year",
                     plan->year, o->year, o->month);
        goto done;
    }
    plan = lg_plan_at(full, o->month); /* the units and tasks of the month */
    const lg_month *prev = load_prev(o, full, d);
    if (lg_diags_count(d, LG_ERROR))
        goto done;
    /* The form's month, without its reports: which tasks were completed before. */
    lg_month *m = lg_month_new(plan, o->year, o->month);
    lg_month_load_earlier(plan, m, o->input_dir, d);
    /* the output folder is a build's too: one run at a time */
    if (!lg_mkdirs(o->out_dir, d) || (lock = lg_lock_folder(o->out_dir, d)) < 0 ||
        !write_forms(o, plan, prev, m, tpl, &outs, d))
        goto done;
    ok = lg_outset_commit(&outs, d);
done:
    lg_outset_free(&outs);
    if (lock >= 0)
        lg_unlock_folder(o->out_dir, lock);
    lg_plan_free(full);
    lg_template_free(tpl);
    free(plan_path);
    return ok;
}
