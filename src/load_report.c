/* The report loader: reports/YYYY-MM/<unit-id>.xml into lg_reports, and a
 * whole month's folder into an lg_month.
 *
 * The same three steps as the plan loader (see load_plan.c): safe parse and
 * structural validation (schema/report.rng), a walk that copies the texts
 * into the plan's text store and what the rules read into a scratch arena
 * before the xmlDoc is freed, then the rules, which tie the
 * report to the plan and to where the file lies. What the schema reports and
 * what the loader reports is split as load_plan.c describes. */
#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>

#include "i18n.h"
#include "input_limits.h"
#include "input_path.h"
#include "xmlload.h"

/* What the walk copies out of the document: attribute values as written
 * (NULL when absent), texts, and the line of each element. */
typedef struct raw_entry {
    const char *task, *on_schedule, *completed, *cell;
    const char *progress, *plan, *remark, *problems;
    const char *actual; /* <actual value=>, NULL when absent */
    long line, actual_line;
} raw_entry;

typedef struct raw_report {
    const char *unit, *period, *form, *sheet;
    long line;
    raw_entry *entries;
    size_t n_entries;
} raw_report;

typedef struct checker {
    const lg_plan *p;
    lg_arena *scratch; /* what only the rules read: freed when the report is loaded */
    const char *path;
    lg_diags *d;
    size_t first; /* the file's first diagnostic in d */
    int month;    /* of the report: an <actual> is cumulative to it */
} checker;

static void error_at(const checker *c, long line, const char *kind, const char *unit,
                     long task, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void error_at(const checker *c, long line, const char *kind, const char *unit,
                     long task, const char *fmt, ...)
{
    if (c->d->count - c->first >= (size_t)LG_MAX_ERRORS_PER_FILE)
        return; /* lg_load_note_truncated says so */
    va_list ap;
    va_start(ap, fmt);
    lg_diag *g = lg_diags_vadd(c->d, LG_ERROR, kind, c->path, line, fmt, ap);
    va_end(ap);
    lg_diag_set_unit(g, unit, task);
    const lg_unit *u = unit ? lg_plan_find_unit(c->p, unit) : NULL;
    lg_diag_set_unit_name(g, u ? u->name : NULL);
}

static const lg_attr_spec report_attrs[] = {
    {"unit", "kjj"}, {"period", "2022-10"}, {"form", NULL}, {"sheet", NULL}, {NULL, NULL}};
static const lg_attr_spec entry_attrs[] = {
    {"task", "139"}, {"on-schedule", "yes"}, {"completed", NULL}, {"cell", NULL}, {NULL, NULL}};
static const lg_attr_spec no_attrs[] = {{NULL, NULL}};
static const lg_attr_spec actual_attrs[] = {{"value", "62.5"}, {NULL, NULL}};

static bool is_element(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *)name);
}

/* The first child element called NAME, or NULL (the schema reports it). */
static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (is_element(c, name))
            return c;
    return NULL;
}

/* The text of the entry's part NAME, or NULL when it has none. WHO names
 * the entry in the message for a text longer than LG_MAX_TEXT_CHARS, which
 * is then taken as empty. */
static const char *paragraphs(const checker *c, xmlNodePtr entry, const char *who,
                              const char *name)
{
    xmlNodePtr n = child(entry, name);
    if (!n)
        return NULL;
    char tag[32];
    snprintf(tag, sizeof tag, "<%s>", name);
    lg_load_check_attrs(c->d, c->first, c->path, n, tag, no_attrs);
    size_t len;
    char *text = lg_xml_paragraphs(n, &len);
    size_t chars = lg_utf8_length(text);
    const char *kept = "";
    if (chars > (size_t)LG_MAX_TEXT_CHARS) {
        char b1[32], b2[32];
        error_at(c, lg_xml_line(n), "too-long", NULL, 0,
                 "%s: <%s> is %s characters long; a text may be at most %s", who, name,
                 lg_thousands((long)chars, b1), lg_thousands(LG_MAX_TEXT_CHARS, b2));
    } else {
        kept = lg_textstore_add(c->p->texts, text, len);
    }
    free(text);
    return kept;
}

/* An entry without one of its three parts. libxml2 words this badly: a
 * missing <remark> is "Expecting an element , got nothing", a missing
 * <progress> is "Did not expect element plan there", so its messages on the
 * entry's lines give way to this one. */
static void report_missing_parts(const checker *c, xmlNodePtr entry, const char *who,
                                 const raw_entry *re)
{
    long last = re->line;
    for (xmlNodePtr n = entry->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            last = lg_xml_line(n);
    lg_load_drop_schema_diags(c->d, c->first, re->line, last, NULL);
    /* "<progress>", "<progress> or <remark>", "<progress>, <plan> or <remark>" */
    const char *parts[] = {"progress", "plan", "remark"};
    const char *texts[] = {re->progress, re->plan, re->remark};
    int n_missing = !texts[0] + !texts[1] + !texts[2], listed = 0;
    char *missing = lg_xstrdup("");
    for (int i = 0; i < 3; i++) {
        if (texts[i])
            continue;
        listed++;
        const char *sep = listed == 1 ? "" : listed == n_missing ? " or " : ", ";
        char *m = lg_xasprintf("%s%s<%s>", missing, sep, parts[i]);
        free(missing);
        missing = m;
    }
    error_at(c, re->line, "missing-element", NULL, 0,
             "%s has no %s; an entry holds <progress>, <plan> and <remark>, in this order "
             "(each may be empty, e.g. <remark/>)",
             who, missing);
    free(missing);
}

/* How messages name an entry: by its task number, by what its task says when
 * that is not a number, or by its element when it has no task at all. */
static const char *entry_name(lg_arena *a, const char *task_attr)
{
    long no;
    if (!task_attr)
        return "<entry>";
    if (lg_task_no_parse(task_attr, &no))
        return lg_arena_printf(a, _("entry for task %ld"), no);
    return lg_arena_printf(a, _("entry for task \"%s\""), task_attr);
}

/* Copies the document into RR. The walk takes only the elements it knows;
 * anything else is the schema's to report. */
static void walk_report(const checker *c, xmlDocPtr doc, raw_report *rr)
{
    lg_arena *a = c->scratch;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !is_element(root, "report"))
        return;
    rr->unit = lg_load_attr(a, root, "unit");
    rr->period = lg_load_attr(a, root, "period");
    rr->form = lg_load_attr(a, root, "form");
    rr->sheet = lg_load_attr(a, root, "sheet");
    rr->line = lg_xml_line(root);
    lg_load_check_attrs(c->d, c->first, c->path, root, "<report>", report_attrs);
    size_t n = 0;
    for (xmlNodePtr e = root->children; e; e = e->next)
        n += is_element(e, "entry");
    if (n > (size_t)LG_MAX_ENTRIES)
        n = (size_t)LG_MAX_ENTRIES;
    rr->entries = lg_xcalloc(n, sizeof *rr->entries);
    for (xmlNodePtr e = root->children; e; e = e->next) {
        if (!is_element(e, "entry"))
            continue;
        if (rr->n_entries == n) {
            char b[32];
            error_at(c, lg_xml_line(e), "too-many", rr->unit, 0,
                     "the report has more than %s entries, the most ledgerc takes (a plan "
                     "has at most %s tasks)",
                     lg_thousands(LG_MAX_ENTRIES, b), b);
            break;
        }
        raw_entry *re = &rr->entries[rr->n_entries++];
        re->task = lg_load_attr(a, e, "task");
        re->on_schedule = lg_load_attr(a, e, "on-schedule");
        re->completed = lg_load_attr(a, e, "completed");
        re->cell = lg_load_attr(a, e, "cell");
        re->line = lg_xml_line(e);
        const char *who = entry_name(a, re->task);
        lg_load_check_attrs(c->d, c->first, c->path, e, who, entry_attrs);
        re->progress = paragraphs(c, e, who, "progress");
        re->plan = paragraphs(c, e, who, "plan");
        re->remark = paragraphs(c, e, who, "remark");
        re->problems = paragraphs(c, e, who, "problems");
        xmlNodePtr actual = child(e, "actual");
        if (actual) {
            re->actual = lg_load_attr(a, actual, "value");
            re->actual_line = lg_xml_line(actual);
            lg_load_check_attrs(c->d, c->first, c->path, actual,
                                lg_arena_printf(a, "%s: <actual>", who), actual_attrs);
        }
        if (!re->progress || !re->plan || !re->remark)
            report_missing_parts(c, e, entry_name(a, re->task), re);
    }
}

/* For a month of an amended plan: the months in which the plan as written
 * holds the units with id ID (TASK 0) or the versions of task TASK, as
 * "2022-01…2022-05 (line 12), …" in A; NULL when it holds none. */
static const char *held_in(lg_arena *a, const lg_plan *p, const char *id, long task)
{
    const lg_plan *b = p->base;
    const char *s = NULL;
    size_t n = task ? b->n_tasks : b->n_units;
    for (size_t i = 0; i < n; i++) {
        const lg_task *t = task ? &b->tasks[i] : NULL;
        const lg_unit *u = task ? NULL : &b->units[i];
        if (task ? t->no != task : strcmp(u->id, id) != 0)
            continue;
        int from = t ? t->since : u->since, to = t ? t->until : u->until;
        s = lg_arena_printf(a, "%s%s%d-%02d…%d-%02d (line %ld)", s ? s : "", s ? ", " : "",
                            b->year, from, b->year, to, t ? t->line : u->line);
    }
    return s;
}

/* The file's name without its folder and its .xml: what report/@unit must say. */
static char *file_unit(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".xml") == 0)
        n -= 4;
    char *s = lg_xmalloc(n + 1);
    memcpy(s, base, n);
    s[n] = '\0';
    return s;
}

/* Checks report/@unit and report/@period. Returns the unit when the entries
 * can be checked against it: a unit of the plan that the file is named
 * after. Otherwise ownership is not checked, because every entry would
 * repeat the one problem already reported. */
static const lg_unit *check_header(const checker *c, const raw_report *rr, lg_report *r,
                                   int year, int month)
{
    const lg_unit *u = NULL;
    bool named_right = true;
    if (rr->unit) {
        u = lg_plan_find_unit(c->p, rr->unit);
        const char *held = !u && c->p->month ? held_in(c->scratch, c->p, rr->unit, 0) : NULL;
        if (!u && held)
            error_at(c, rr->line, "unknown-unit", rr->unit, 0,
                     "report unit \"%s\" is not a unit of the plan in %04d-%02d: %s holds it "
                     "only in %s; remove the report, or change the unit's since/until",
                     rr->unit, year, month, c->p->file, held);
        else if (!u)
            error_at(c, rr->line, "unknown-unit", rr->unit, 0,
                     "report unit \"%s\" is not a unit in <units> of %s; correct the id or "
                     "add the unit to the plan",
                     rr->unit, c->p->file);
        /* A unit that is not in the plan is the problem to fix, not the
         * file's name. */
        char *expected = file_unit(c->path);
        if (u && strcmp(expected, rr->unit) != 0) {
            named_right = false;
            error_at(c, rr->line, "file-name", rr->unit, 0,
                     "report unit \"%s\" does not match the file name \"%s.xml\"; a report "
                     "is named after its unit's id: name the file \"%s.xml\" or correct "
                     "the unit",
                     rr->unit, expected, rr->unit);
        }
        free(expected);
    }
    if (rr->period) {
        if (!lg_period_parse(rr->period, &r->year, &r->month))
            error_at(c, rr->line, "bad-period", rr->unit, 0,
                     "report period \"%s\" is not a month; write it as YYYY-MM, e.g. "
                     "period=\"%04d-%02d\"",
                     rr->period, year, month);
        else if (r->year != year || r->month != month)
            error_at(c, rr->line, "wrong-period", rr->unit, 0,
                     "report period \"%s\" does not match the month %04d-%02d it is filed "
                     "under; correct the period or move the file to the folder reports/%s/",
                     rr->period, year, month, rr->period);
    }
    r->unit = u;
    r->year = year;
    r->month = month;
    return u && named_right ? u : NULL;
}

/* "yes"/"no" into *V. A missing value keeps the default (a missing
 * on-schedule is reported by check_attrs). */
static void check_yes_no(const checker *c, const raw_entry *re, long no, const char *unit,
                         const char *attr, const char *value, bool *v)
{
    if (!value)
        return;
    if (strcmp(value, "yes") == 0)
        *v = true;
    else if (strcmp(value, "no") == 0)
        *v = false;
    else
        error_at(c, re->line, "bad-yes-no", unit, no,
                 "%s: %s \"%s\" must be \"yes\" or \"no\"",
                 entry_name(c->scratch, re->task), attr, value);
}

/* <actual value=> of RE into E, whose task and on-schedule are read: the
 * figure of a quantitative task, from which on_schedule is computed. */
static void check_actual(const checker *c, const raw_entry *re, long no, const char *unit,
                         lg_entry *e)
{
    const char *who = entry_name(c->scratch, re->task);
    if (e->task && !e->task->target.set) {
        error_at(c, re->actual_line, "bad-actual", unit, no,
                 "%s: task %ld has no <target> in the plan %s, so it takes no <actual>; "
                 "remove <actual>, or give the task a <target> in the plan",
                 who, no, c->p->file);
        return;
    }
    bool growth = e->task && e->task->target.growth;
    long long v;
    if (!lg_load_decimal(re->actual, growth, &v)) {
        error_at(c, re->actual_line, "bad-actual", unit, no,
                 "%s: <actual> value \"%s\" is not a figure; write it cumulative to the "
                 "month, in ASCII digits, at most 10, with a '.' before at most 4 decimals "
                 "(a growth in percent may start with '-'), e.g. value=\"62.5\"",
                 who, re->actual);
        return;
    }
    if (!e->task)
        return;
    e->has_actual = true;
    e->actual = v;
    e->actual_text = lg_arena_strdup(c->p->arena, re->actual);
    e->stated = e->on_schedule;
    e->on_schedule = lg_on_schedule(e->task, v, c->month);
}

static void check_entry(const checker *c, const raw_entry *re, const lg_unit *owner,
                        const char *unit, lg_entry *e)
{
    long no = 0;
    e->line = re->line;
    e->cell = re->cell ? lg_arena_strdup(c->p->arena, re->cell) : NULL;
    if (re->task) {
        if (!lg_task_no_parse(re->task, &no))
            error_at(c, re->line, "bad-task-number", unit, 0,
                     "entry task \"%s\" is not a positive whole number; write the task's "
                     "number in ASCII digits without sign or leading zeros, e.g. task=\"139\"",
                     re->task);
        else if (!(e->task = lg_plan_find_task(c->p, no)) && c->p->month &&
                 held_in(c->scratch, c->p, NULL, no))
            error_at(c, re->line, "unknown-task", unit, no,
                     "entry for task %ld: the plan %s has no task %ld in %04d-%02d, it holds "
                     "only in %s; remove the entry",
                     no, c->p->file, no, c->p->year, c->p->month,
                     held_in(c->scratch, c->p, NULL, no));
        else if (!e->task)
            error_at(c, re->line, "unknown-task", unit, no,
                     "entry for task %ld: the plan %s has no task %ld; correct the number",
                     no, c->p->file, no);
        else if (owner && !lg_task_owned_by(e->task, owner) && c->p->month)
            error_at(c, re->line, "not-owner", unit, no,
                     "entry for task %ld: in %04d-%02d the plan %s gives task %ld to %s "
                     "(line %ld), not to unit \"%s\"; remove the entry",
                     no, c->p->year, c->p->month, c->p->file, no, e->task->owner_label,
                     e->task->line, owner->id);
        else if (owner && !lg_task_owned_by(e->task, owner))
            error_at(c, re->line, "not-owner", unit, no,
                     "entry for task %ld: unit \"%s\" does not own task %ld; remove the "
                     "entry, or add \"%s\" to the task's owners in %s",
                     no, owner->id, no, owner->id, c->p->file);
    }
    check_yes_no(c, re, no, unit, "on-schedule", re->on_schedule, &e->on_schedule);
    check_yes_no(c, re, no, unit, "completed", re->completed, &e->completed);
    e->reopens = re->completed && strcmp(re->completed, "no") == 0;
    e->progress = re->progress ? re->progress : "";
    e->plan = re->plan ? re->plan : "";
    e->remark = re->remark ? re->remark : "";
    e->problems = re->problems ? re->problems : "";
    if (re->actual)
        check_actual(c, re, no, unit, e);
}

/* Entries by task number, then by line; entries without a known task last. */
static int entry_cmp(const void *a, const void *b)
{
    const lg_entry *x = a, *y = b;
    long xn = x->task ? x->task->no : 0, yn = y->task ? y->task->no : 0;
    if (xn != yn)
        return xn < yn ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static void check_entries(const checker *c, const raw_report *rr, const lg_unit *owner,
                          lg_report *r)
{
    r->entries = lg_arena_alloc(c->p->arena, rr->n_entries * sizeof *r->entries);
    for (size_t i = 0; i < rr->n_entries; i++)
        check_entry(c, &rr->entries[i], owner, rr->unit, &r->entries[r->n_entries++]);
    qsort(r->entries, r->n_entries, sizeof *r->entries, entry_cmp);
    for (size_t i = 1; i < r->n_entries; i++) {
        const lg_entry *e = &r->entries[i];
        if (!e->task || e->task != r->entries[i - 1].task)
            continue;
        size_t first = i - 1;
        while (first > 0 && r->entries[first - 1].task == e->task)
            first--;
        error_at(c, e->line, "duplicate-entry", rr->unit, e->task->no,
                 "task %ld has a second entry (the first is at line %ld); merge them into "
                 "one entry",
                 e->task->no, r->entries[first].line);
    }
}

lg_report *lg_report_load(lg_plan *p, const char *path, int year, int month, lg_diags *d)
{
    size_t first = d->count, errors = lg_diags_count(d, LG_ERROR);
    lg_report *r = lg_arena_alloc(p->arena, sizeof *r);
    r->file = lg_arena_strdup(p->arena, path);
    checker c = {.p = p,
                 .scratch = lg_arena_new(),
                 .path = r->file,
                 .d = d,
                 .first = first,
                 .month = month};
    raw_report rr = {0};

    xmlDocPtr doc = lg_xml_read(path, d);
    if (!doc)
        goto done;
    lg_xml_validate(doc, "report", path, d);
    walk_report(&c, doc, &rr);
    xmlFreeDoc(doc);

    r->line = rr.line;
    r->form = rr.form ? lg_arena_strdup(p->arena, rr.form) : NULL;
    r->sheet = rr.sheet ? lg_arena_strdup(p->arena, rr.sheet) : NULL;
    const lg_unit *owner = check_header(&c, &rr, r, year, month);
    check_entries(&c, &rr, owner, r);

done:
    free(rr.entries);
    lg_arena_free(c.scratch);
    lg_load_sort_diags(d, first);
    lg_load_note_truncated(d, first, path);
    /* The report and its texts stay until the plan is freed (an arena
     * cannot give memory back), also when it had errors: the texts of a
     * month take a few megabytes of the store's file, the rest little. */
    return lg_diags_count(d, LG_ERROR) > errors ? NULL : r;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the folder's *.xml files, sorted so that reports load and
 * errors appear in the same order on every machine. Hidden files are
 * skipped: copies made on a Mac carry "._kjj.xml" companions that are not
 * XML. Returns false when the folder exists but cannot be read. */
static bool list_reports(const char *dir, char ***names, size_t *n, lg_diags *d)
{
    *names = NULL;
    *n = 0;
    DIR *dh = opendir(dir);
    if (!dh) {
        if (errno == ENOENT)
            return true;
        lg_diags_add(d, LG_ERROR, "io", dir, 0, "cannot read the folder: %s", strerror(errno));
        return false;
    }
    size_t cap = 0;
    for (struct dirent *de; (de = readdir(dh));) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".xml") != 0)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *names = lg_xrealloc(*names, cap * sizeof **names);
        }
        (*names)[(*n)++] = lg_xstrdup(de->d_name);
    }
    closedir(dh);
    if (*n) /* an empty folder has no array */
        qsort(*names, *n, sizeof **names, name_cmp);
    return true;
}

lg_month *lg_month_new(lg_plan *p, int year, int month)
{
    lg_month *m = lg_arena_alloc(p->arena, sizeof *m);
    memset(m, 0, sizeof *m);
    m->plan = p;
    m->year = year;
    m->month = month;
    m->reports = lg_arena_alloc(p->arena, (p->n_units + 1) * sizeof *m->reports);
    memset(m->reports, 0, (p->n_units + 1) * sizeof *m->reports);
    return m;
}

void lg_month_load_earlier(lg_plan *p, lg_month *m, const char *input_dir, lg_diags *d)
{
    lg_month **earlier = lg_arena_alloc(p->arena, (size_t)m->month * sizeof *earlier);
    const lg_month *const *year = (const lg_month *const *)earlier;
    for (int k = 1; k < m->month; k++) {
        lg_diags scratch = {0};
        /* each month as its plan stood then */
        lg_plan *ep = lg_plan_at(p->base, k);
        earlier[k - 1] = lg_month_load(ep, input_dir, m->year, k, &scratch);
        /* Its problems were reported in its month; but a report that does not
         * load may hold a completion that is then not known. */
        for (size_t i = 0; i < ep->n_units; i++) {
            if (earlier[k - 1]->reports[i])
                continue;
            char *path = lg_input_report_path(input_dir, m->year, k, ep->units[i].id);
            struct stat st;
            if (stat(path, &st) == 0) {
                lg_diag *g = lg_diags_add(
                    d, LG_WARNING, "earlier-report", path, 0,
                    "this report of %04d-%02d does not load (run `ledgerc check %04d-%02d`); "
                    "a task it reports completed is not known as completed in %04d-%02d",
                    m->year, k, m->year, k, m->year, m->month);
                lg_diag_set_unit(g, ep->units[i].id, 0);
            }
            free(path);
        }
        lg_diags_free(&scratch);
    }
    /* each earlier month knows what was completed before it too (年度趋势) */
    for (int k = 1; k < m->month; k++)
        lg_month_set_earlier(earlier[k - 1], year);
    lg_month_set_earlier(m, year);
}

lg_month *lg_month_load(lg_plan *p, const char *input_dir, int year, int month, lg_diags *d)
{
    lg_month *m = lg_month_new(p, year, month);

    char *dir = lg_input_month_dir(input_dir, year, month);
    char **names;
    size_t n;
    list_reports(dir, &names, &n, d);
    /* What the reports copy stays in the plan's arena: their total is
     * bounded, not only each file's size. */
    long long total = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = lg_xasprintf("%s/%s", dir, names[i]);
        struct stat st;
        if (total <= LG_MAX_MONTH_BYTES && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
            (total += (long long)st.st_size) > LG_MAX_MONTH_BYTES) {
            lg_diags_add(d, LG_ERROR, "too-large", path, 1,
                         "with this file the reports of %04d-%02d are larger than %ld MB "
                         "together, the most ledgerc reads for a month; a province's "
                         "reports take a few megabytes: is it the right folder?",
                         year, month, LG_MAX_MONTH_BYTES / LG_MIB);
        }
        /* The loader checks that the file is named after a unit of the plan,
         * so a stray file is reported there, once. */
        lg_report *r = total <= LG_MAX_MONTH_BYTES ? lg_report_load(p, path, year, month, d)
                                                   : NULL;
        if (r)
            m->reports[r->unit->index] = r;
        free(path);
        free(names[i]);
    }
    free(names);
    free(dir);
    return m;
}
