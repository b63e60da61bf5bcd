/* The history pipeline: the plan, every month from January to the period
 * with what was completed before it, one table per task out. */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "input_path.h"
#include "layout.h"
#include "load.h"
#include "manifest.h"
#include "outfile.h"
#include "pdfa.h"
#include "render.h"
#include "template.h"
#include "version.h"
#include "view.h"

typedef struct history {
    const lg_history_opts *o;
    const lg_template *tpl;
    const lg_month **months; /* January .. the period */
    size_t n_months;
    long *tasks; /* the numbers of the tasks to show, ascending */
    size_t n_tasks;
} history;

static const lg_table *make_table(void *ctx, size_t i, lg_arena *a)
{
    const history *h = ctx;
    return lg_view_history(a, h->months, h->n_months, h->tasks[i], h->o->unit,
                           lg_template_view(h->tpl, "history"), h->tpl->title_format);
}

/* Whether U_ID (NULL: any unit) reports on task NO in some month of H. */
static bool shown(const history *h, long no, const char *u_id)
{
    for (size_t k = 0; k < h->n_months; k++) {
        const lg_plan *p = h->months[k]->plan;
        const lg_task *t = lg_plan_find_task(p, no);
        const lg_unit *u = u_id ? lg_plan_find_unit(p, u_id) : NULL;
        if (t && (!u_id || (u && lg_task_owned_by(t, u))))
            return true;
    }
    return false;
}

/* The tasks to show, from the plan as written (every version of each). */
static bool select_tasks(history *h, const lg_plan *full, lg_diags *d)
{
    const lg_history_opts *o = h->o;
    bool unit_known = !o->unit;
    for (size_t k = 0; k < h->n_months && !unit_known; k++)
        unit_known = lg_plan_find_unit(h->months[k]->plan, o->unit) != NULL;
    if (!unit_known) {
        lg_diags_add(d, LG_ERROR, "history", full->file, 0,
                     "unit \"%s\" is not a unit of the plan in %04d-01…%04d-%02d; give the id of "
                     "a unit in <units>",
                     o->unit, o->year, o->year, o->month);
        return false;
    }
    h->tasks = lg_xcalloc(full->n_tasks + 1, sizeof *h->tasks);
    for (size_t i = 0; i < full->n_tasks; i++) {
        long no = full->tasks[i].no;
        if ((o->task && no != o->task) || (h->n_tasks && h->tasks[h->n_tasks - 1] == no))
            continue;
        if (shown(h, no, o->unit))
            h->tasks[h->n_tasks++] = no;
    }
    if (!h->n_tasks && o->task && o->unit)
        lg_diags_add(d, LG_ERROR, "history", full->file, 0,
                     "task %ld is not a task of unit \"%s\" in the plan in %04d-01…%04d-%02d; "
                     "give the number of a task of the plan",
                     o->task, o->unit, o->year, o->year, o->month);
    else if (!h->n_tasks && o->task)
        lg_diags_add(d, LG_ERROR, "history", full->file, 0,
                     "task %ld is not a task in the plan in %04d-01…%04d-%02d; give the number "
                     "of a task of the plan",
                     o->task, o->year, o->year, o->month);
    else if (!h->n_tasks)
        lg_diags_add(d, LG_ERROR, "history", full->file, 0,
                     "unit \"%s\" reports on no task in %04d-01…%04d-%02d", o->unit, o->year,
                     o->year, o->month);
    return h->n_tasks > 0;
}

/* Loads January .. the period, each month from its plan, with what was
 * completed before it. */
static bool load_months(history *h, lg_plan *full, lg_diags *d)
{
    size_t errors = lg_diags_count(d, LG_ERROR);
    int n = h->o->month;
    lg_month **months = lg_arena_alloc(full->arena, (size_t)n * sizeof *months);
    for (int k = 1; k <= n; k++)
        months[k - 1] = lg_month_load(lg_plan_at(full, k), h->o->input_dir, h->o->year, k, d);
    for (int k = 0; k < n; k++)
        lg_month_set_earlier(months[k], (const lg_month *const *)months);
    h->months = (const lg_month **)months;
    h->n_months = (size_t)n;
    return lg_diags_count(d, LG_ERROR) == errors;
}

static bool write_files(const history *h, lg_outset *outs, lg_diags *d)
{
    const lg_history_opts *o = h->o;
    if (!lg_template_view(h->tpl, "history")) {
        lg_diags_add(d, LG_ERROR, "template-view", h->tpl->file, 0,
                     "the template has no <view name=\"history\">; add one with its columns "
                     "(see templates/ledger.xml)");
        return false;
    }
    if (!lg_mkdirs(o->out_dir, d))
        return false;
    lg_outset_sweep(o->out_dir);
    const lg_month *last = h->months[h->n_months - 1];
    char *title = lg_view_title(last, h->tpl->title_format);
    char *keywords = lg_xasprintf("落实情况台账, 任务历史, %04d-01…%04d-%02d", o->year, o->year,
                                  o->month);
    lg_doc_info info = {.title = title,
                        .subject = "任务历史",
                        .author = h->tpl->author ? h->tpl->author : "",
                        .keywords = keywords,
                        .creator = "ledgerc " LG_VERSION,
                        .created = o->created};
    lg_table_source src = {h->n_tasks, make_table, (void *)h};
    lg_layout *lay = lg_layout_new();
    char *xlsx = lg_xasprintf("%s/history.xlsx", o->out_dir);
    char *pdf = lg_xasprintf("%s/history.pdf", o->out_dir);
    const char *pdf_tmp = lg_outset_add(outs, pdf);
    bool ok = lg_render_xlsx_source(&src, h->tpl, lay, &info, lg_outset_add(outs, xlsx), d) &&
              lg_render_pdf_source(&src, h->tpl, lay, &info, pdf_tmp, d) &&
              (o->pdf_plain || lg_pdfa_convert(pdf_tmp, &info, d));
    if (ok && o->log)
        fprintf(o->log, "%s\n%s\n", xlsx, pdf);
    lg_layout_free(lay);
    free(xlsx);
    free(pdf);
    free(keywords);
    free(title);
    return ok;
}

bool lg_history(const lg_history_opts *o, lg_diags *d)
{
    bool ok = false;
    lg_outset outs = {0};
    history h = {.o = o};
    char *plan_path = lg_input_plan_path(o->input_dir);
    lg_template *tpl =
        lg_template_load(o->template_path ? o->template_path : lg_template_default_path(), d);
    lg_plan *full = lg_plan_load(plan_path, d);
    h.tpl = tpl;
    if (!tpl || !full)
        goto done;
    if (o->year != full->year) {
        lg_diags_add(d, LG_ERROR, "period", plan_path, 0,
                     "the plan is for %d but the period asked for is %04d-%02d; give a period "
                     "of the plan's year",
                     full->year, o->year, o->month);
        goto done;
    }
    if (!load_months(&h, full, d) || !select_tasks(&h, full, d))
        goto done;
    ok = write_files(&h, &outs, d) && lg_outset_commit(&outs, d) &&
         lg_manifest_write(o->out_dir, d);
done:
    lg_outset_free(&outs);
    free(h.tasks);
    lg_plan_free(full);
    lg_template_free(tpl);
    free(plan_path);
    return ok;
}
