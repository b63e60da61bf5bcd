#include "build.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* One output file: rendering it is a job, and jobs run on as many threads
 * as asked. Each file is made by one thread from the shared, read-only
 * model, so its bytes do not depend on how many threads there are. */
typedef struct job {
    const lg_unit *unit; /* a unit's ledger, or NULL: the consolidated ledger */
    unsigned format;     /* LG_FORMAT_XLSX or LG_FORMAT_PDF */
    char *path;          /* the final name */
    const char *tmp;     /* where it is written (owned by the outset) */
    lg_diags d;          /* what rendering it said */
    bool ok;
} job;

typedef struct run {
    const lg_build_opts *o;
    const input *in;
    const lg_diags *problems; /* the 问题清单 sheet */
    char *creator;
    job *jobs;
    size_t n_jobs;
    atomic_size_t next; /* the next job to take */
    pthread_mutex_t lock; /* guards the progress counters and line */
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

/* The template's view NAME, or an error naming what to add. */
static const lg_view_layout *need_view(const lg_template *tpl, const char *name, lg_diags *d)
{
    const lg_view_layout *v = lg_template_view(tpl, name);
    if (!v)
        lg_diags_add(d, LG_ERROR, "template-view", tpl->file, 0,
                     "the template has no <view name=\"%s\">; add one with its columns", name);
    return v;
}

/* The tables of job J, in arena A: the unit's ledger; or the summary, the
 * city-wide ledger and every unit's ledger as the views ask (the spreadsheet
 * also lists the problems). Returns how many; *XLSX_ONLY of them, at the end,
 * go into the spreadsheet only. */
static size_t job_tables(const run *r, const job *j, lg_arena *a, const lg_table **tables,
                         size_t *xlsx_only)
{
    const lg_month *m = r->in->month;
    const lg_template *tpl = r->in->tpl;
    unsigned views = r->o->views;
    size_t n = 0;
    *xlsx_only = 0;
    if (j->unit) {
        tables[n++] = lg_view_unit(a, m, j->unit, lg_template_view(tpl, "unit"),
                                   tpl->title_format);
        return n;
    }
    if (views & LG_VIEW_SUMMARY)
        tables[n++] = lg_view_summary(a, m, lg_template_view(tpl, "summary"), tpl->title_format);
    if (views & LG_VIEW_BY_TASK)
        tables[n++] = lg_view_by_task(a, m, lg_template_view(tpl, "by-task"), tpl->title_format);
    if (views & LG_VIEW_BY_UNIT)
        tables[n++] = lg_view_by_unit(a, m, lg_template_view(tpl, "unit"), tpl->title_format);
    const lg_view_layout *v = lg_template_view(tpl, "problems");
    if (v && j->format == LG_FORMAT_XLSX) {
        tables[n++] = lg_view_problems(a, m, r->problems, v, tpl->title_format);
        *xlsx_only = 1;
    }
    return n;
}

static void run_job(run *r, job *j, lg_layout *lay)
{
    const lg_month *m = r->in->month;
    const lg_template *tpl = r->in->tpl;
    lg_arena *a = lg_arena_new();
    const lg_table *tables[4];
    size_t xlsx_only;
    size_t n = job_tables(r, j, a, tables, &xlsx_only);
    char *title = lg_view_title(m, tpl->title_format);
    const char *who = j->unit ? j->unit->name : "全市";
    char *keywords = lg_xasprintf("落实情况台账, %s, %04d-%02d", who, m->year, m->month);
    lg_doc_info info = {.title = title,
                        .subject = j->unit ? j->unit->name : "全市落实情况台账",
                        .author = tpl->author ? tpl->author : "",
                        .keywords = keywords,
                        .creator = r->creator,
                        .created = r->o->created};
    j->ok = j->format == LG_FORMAT_XLSX
                ? lg_render_xlsx(tables, n, tpl, lay, &info, j->tmp, &j->d)
                : lg_render_pdf(tables, n - xlsx_only, tpl, lay, &info, j->tmp, &j->d);
    free(keywords);
    free(title);
    lg_arena_free(a);

    pthread_mutex_lock(&r->lock);
    r->files += j->ok;
    /* a unit is done when its last file is */
    if (j->unit && (j->format == LG_FORMAT_PDF || !(r->o->formats & LG_FORMAT_PDF)))
        r->units_done++;
    show_progress(r);
    pthread_mutex_unlock(&r->lock);
}

/* A thread: takes jobs until there are none, with a layout of its own
 * (Pango contexts are not shared between threads). */
static void *worker(void *arg)
{
    run *r = arg;
    for (size_t i; (i = atomic_fetch_add(&r->next, 1)) < r->n_jobs;) {
        lg_layout *lay = lg_layout_new();
        run_job(r, &r->jobs[i], lay);
        lg_layout_free(lay);
    }
    return NULL;
}

static void add_job(run *r, lg_outset *outs, const lg_unit *u, unsigned format, const char *base)
{
    job *j = &r->jobs[r->n_jobs++];
    memset(j, 0, sizeof *j);
    j->unit = u;
    j->format = format;
    j->path = lg_xasprintf("%s.%s", base, format == LG_FORMAT_XLSX ? "xlsx" : "pdf");
    j->tmp = lg_outset_add(outs, j->path);
}

/* The files of the run, biggest first so that no thread is left with a big
 * one at the end. False after adding an error to D (a view missing from the
 * template, a folder that cannot be made). */
static bool plan_jobs(run *r, lg_outset *outs, lg_diags *d)
{
    const lg_build_opts *o = r->o;
    const lg_template *tpl = r->in->tpl;
    const lg_plan *p = r->in->plan;
    bool ledger = o->views & (LG_VIEW_SUMMARY | LG_VIEW_BY_TASK | LG_VIEW_BY_UNIT);
    bool units = o->views & LG_VIEW_UNITS;
    if (((o->views & LG_VIEW_SUMMARY) && !need_view(tpl, "summary", d)) ||
        ((o->views & LG_VIEW_BY_TASK) && !need_view(tpl, "by-task", d)) ||
        ((o->views & (LG_VIEW_BY_UNIT | LG_VIEW_UNITS)) && !need_view(tpl, "unit", d)))
        return false;
    char *dir = lg_xasprintf("%s/units", o->out_dir);
    bool ok = lg_mkdirs(o->out_dir, d) && (!units || lg_mkdirs(dir, d));
    if (ok) {
        lg_outset_sweep(o->out_dir);
        lg_outset_sweep(dir);
        r->jobs = lg_xcalloc(2 * (p->n_units + 1), sizeof *r->jobs);
        char *base = lg_xasprintf("%s/ledger", o->out_dir);
        for (unsigned f = LG_FORMAT_PDF; ledger && f; f >>= 1)
            if (o->formats & f)
                add_job(r, outs, NULL, f, base);
        free(base);
        for (size_t i = 0; units && i < p->n_units; i++) {
            base = lg_xasprintf("%s/%s", dir, p->units[i].id);
            for (unsigned f = LG_FORMAT_XLSX; f <= LG_FORMAT_PDF; f <<= 1)
                if (o->formats & f)
                    add_job(r, outs, &p->units[i], f, base);
            free(base);
        }
    }
    free(dir);
    return ok;
}

/* Runs the jobs on o->jobs threads (0: one per core). */
static void run_jobs(run *r)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = r->o->jobs ? r->o->jobs : cores > 0 ? (size_t)cores : 1;
    if (n > r->n_jobs)
        n = r->n_jobs;
    if (n <= 1) {
        worker(r);
        return;
    }
    pthread_t *threads = lg_xcalloc(n, sizeof *threads);
    size_t started = 0;
    for (; started < n; started++)
        if (pthread_create(&threads[started], NULL, worker, r) != 0)
            break;
    if (started == 0)
        worker(r); /* no thread could start: do it all here */
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
}

bool lg_build(const lg_build_opts *o, lg_diags *d)
{
    input in;
    run r = {.o = o, .in = &in};
    lg_outset outs = {0};
    lg_diags problems = {0};
    bool ok = input_load(&in, o->input_dir, o->template_path, o->year, o->month, d);
    if (ok) {
        lg_layout *lay = lg_layout_new();
        input_check(&in, o->input_dir, lay, d);
        lg_layout_free(lay);
        /* The problem list is the warnings as they stand now. */
        for (size_t i = 0; i < d->count; i++) {
            const lg_diag *g = &d->items[i];
            lg_diag *copy =
                lg_diags_add(&problems, g->severity, g->kind, g->file, g->line, "%s", g->message);
            lg_diag_set_unit(copy, g->unit, g->task);
            lg_diag_set_unit_name(copy, g->unit_name);
        }
        r.problems = &problems;
        /* Everything is read and checked before anything is written. */
        ok = plan_jobs(&r, &outs, d);
    }
    if (ok) {
        r.creator = lg_xstrdup("ledgerc " LG_VERSION);
        pthread_mutex_init(&r.lock, NULL);
        atomic_init(&r.next, 0);
        run_jobs(&r);
        pthread_mutex_destroy(&r.lock);
        if (o->progress && r.files)
            fprintf(o->progress, "\r\033[K");
        /* What the files said, in the order of the files: the same whatever
         * the threads did first. */
        for (size_t i = 0; i < r.n_jobs; i++) {
            job *j = &r.jobs[i];
            for (size_t k = 0; k < j->d.count; k++) {
                const lg_diag *g = &j->d.items[k];
                lg_diags_add(d, g->severity, g->kind, g->file, g->line, "%s", g->message);
            }
            ok = ok && j->ok;
        }
        if (ok)
            ok = lg_outset_commit(&outs, d);
        for (size_t i = 0; ok && o->log && i < r.n_jobs; i++)
            fprintf(o->log, "%s\n", r.jobs[i].path);
    }
    for (size_t i = 0; i < r.n_jobs; i++) {
        lg_diags_free(&r.jobs[i].d);
        free(r.jobs[i].path);
    }
    free(r.jobs);
    free(r.creator);
    lg_diags_free(&problems);
    lg_outset_free(&outs);
    input_free(&in);
    return ok;
}
