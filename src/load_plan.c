/* The plan loader: plan.xml into an lg_plan.
 *
 * Three steps. The document is parsed safely and validated against the
 * structural schema (schema/plan.rng); the walk copies what it needs into the
 * plan's arena; then the rules of the input contract are checked on the
 * copied values.
 *
 * A province's plan is megabytes, and its document tree would take many
 * times that, so the first two steps are streamed (lg_xml_stream): <units>
 * and then each <task> is read, validated and copied alone, and freed. A
 * file that is not well formed or does not follow the schema is read again
 * as a whole tree (lg_xml_read, lg_xml_validate), whose messages for those
 * problems are the ones users know (libxml2's streaming parser stops at the
 * first syntax error, and its streaming validator words schema errors
 * differently and repeats them for what follows); the walk is the same.
 *
 * Who reports what, so that each problem is reported once:
 *  - the schema: elements that are unknown, out of order or repeated;
 *  - the loader: attribute values (ids, numbers, owners, dates), which the
 *    schema leaves as plain text because libxml2's RELAX NG messages cannot
 *    say which value is wrong or how to fix it; and the cross-references;
 *  - both, in the loader's words: missing and unknown attributes and missing
 *    elements, which the schema rejects too (it is the contract) but words
 *    vaguely; libxml2's message is then dropped (lg_load_drop_schema_diags).
 * The rules run even when the schema found problems, so that one pass shows
 * everything; what the walk could not find is NULL and is not checked. */
#include "load.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "i18n.h"
#include "input_limits.h"
#include "xmlload.h"

/* What the walk copies out of the document before it is freed: attribute
 * values as written (NULL when absent) and the line of each element. Values
 * that only the checks read are copied into a scratch arena, freed when the
 * plan is loaded; the texts go to the plan's text store. */
typedef struct raw_unit {
    const char *id, *name, *since, *until;
    long line;
} raw_unit;

typedef struct raw_task {
    const char *no, *owners, *owner_label, *due, *due_label, *since, *until;
    const char *lead, *leader;
    const char *target_value, *target_unit, *target_kind; /* of <target>, NULL when absent */
    long target_line; /* 0: no <target> */
    const char *numbered, *text; /* see lg_task */
    size_t section; /* 1 + the index of its <section> in raw_plan, 0 when outside any */
    long line;
} raw_task;

typedef struct raw_section {
    const char *no, *title;
    long line;
} raw_section;

typedef struct raw_plan {
    const char *year, *title;
    long line, units_line, tasks_line; /* 0: element absent */
    raw_unit *units;
    size_t n_units;
    raw_task *tasks;
    size_t n_tasks, tasks_cap;
    bool tasks_full; /* the current <tasks> went past LG_MAX_TASKS */
    raw_section *sections;
    size_t n_sections, sections_cap;
    size_t in_section; /* 1 + the index of the <section> being read, 0 outside */
} raw_plan;

/* The file being loaded: where its problems go. */
typedef struct checker {
    lg_plan *p;
    lg_arena *scratch; /* freed once the plan is loaded */
    lg_diags *d;
    size_t first;         /* the file's first diagnostic in d */
    const lg_unit **by_id; /* the plan's units sorted by id, for check_owners */
    size_t *seen;         /* per unit: the mark of the last task it owned */
} checker;

static const lg_attr_spec plan_attrs[] = {
    {"year", "2022"}, {"title", "2022年度《政府工作报告》落实情况台账"}, {NULL, NULL}};
static const lg_attr_spec no_attrs[] = {{NULL, NULL}};
static const lg_attr_spec unit_attrs[] = {{"id", "kjj"},     {"name", "市科技局"},
                                          {"since", NULL},    {"until", NULL},
                                          {NULL, NULL}};
static const lg_attr_spec task_attrs[] = {{"no", "139"},        {"owners", "kjj"},
                                       {"owner-label", NULL}, {"due", "2022-12"},
                                       {"due-label", NULL},   {"since", NULL},
                                       {"until", NULL},       {"lead", NULL},
                                       {"leader", NULL},      {NULL, NULL}};
static const lg_attr_spec section_attrs[] = {
    {"no", "一"}, {"title", "聚焦深化对外开放"}, {NULL, NULL}};
static const lg_attr_spec target_attrs[] = {
    {"value", "80"}, {"unit", NULL}, {"kind", NULL}, {NULL, NULL}};

static void error_at(const checker *c, long line, const char *kind, long task,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void error_at(const checker *c, long line, const char *kind, long task,
                     const char *fmt, ...)
{
    if (c->d->count - c->first >= (size_t)LG_MAX_ERRORS_PER_FILE)
        return; /* lg_load_note_truncated says so */
    va_list ap;
    va_start(ap, fmt);
    lg_diag *g = lg_diags_vadd(c->d, LG_ERROR, kind, c->p->file, line, fmt, ap);
    va_end(ap);
    lg_diag_set_unit(g, NULL, task);
}

static bool is_element(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *)name);
}

static size_t count_elements(xmlNodePtr parent, const char *name)
{
    size_t n = 0;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        n += is_element(c, name);
    return n;
}

static void walk_units(const checker *c, xmlNodePtr units, raw_plan *rp)
{
    lg_arena *a = c->p->arena;
    lg_load_check_attrs(c->d, c->first, c->p->file, units, "<units>", no_attrs);
    rp->units_line = lg_xml_line(units);
    size_t count = count_elements(units, "unit");
    if (rp->n_units + count > (size_t)LG_MAX_UNITS)
        count = (size_t)LG_MAX_UNITS - rp->n_units;
    rp->units = lg_xrealloc(rp->units, (rp->n_units + count) * sizeof *rp->units);
    for (xmlNodePtr n = units->children; n; n = n->next) {
        if (!is_element(n, "unit"))
            continue;
        if (count-- == 0) {
            char b[32];
            error_at(c, lg_xml_line(n), "too-many", 0,
                     "the plan has more than %s units, the most ledgerc takes; a "
                     "province has about 400",
                     lg_thousands(LG_MAX_UNITS, b));
            break;
        }
        raw_unit *u = &rp->units[rp->n_units++];
        u->id = lg_load_attr(a, n, "id");
        u->name = lg_load_attr(a, n, "name");
        u->since = lg_load_attr(c->scratch, n, "since");
        u->until = lg_load_attr(c->scratch, n, "until");
        u->line = lg_xml_line(n);
        lg_load_check_attrs(c->d, c->first, c->p->file, n,
                            u->id ? lg_arena_printf(c->scratch, _("unit \"%s\""), u->id) : "<unit>",
                            unit_attrs);
    }
}

/* How messages name a task: by its number, by what its no says when that is
 * not a number, or by its element when it has no number at all. */
static const char *task_name(lg_arena *a, const char *no_attr)
{
    long no;
    if (!no_attr)
        return "<task>";
    if (lg_task_no_parse(no_attr, &no))
        return lg_arena_printf(a, _("task %ld"), no);
    return lg_arena_printf(a, _("task \"%s\""), no_attr);
}

/* The text of task element N, whose no attribute is NO (NULL when absent),
 * into the text store: "{no}.{text}", the cell that the ledgers print, with
 * T->text its tail. A text longer than LG_MAX_TEXT_CHARS is reported (WHO
 * names the task) and left NULL. */
static void task_text(const checker *c, xmlNodePtr n, const char *who, raw_task *t)
{
    size_t len;
    char *text = lg_xml_paragraphs(n, &len);
    size_t chars = lg_utf8_length(text);
    if (chars > (size_t)LG_MAX_TEXT_CHARS) {
        char b1[32], b2[32];
        error_at(c, t->line, "too-long", 0,
                 "%s: its text is %s characters long; a text may be at most %s", who,
                 lg_thousands((long)chars, b1), lg_thousands(LG_MAX_TEXT_CHARS, b2));
        free(text); /* NULL: not "has no text" as well */
        return;
    }
    /* A number that is not one is reported, and the plan does not load. */
    long no;
    char prefix[32] = "";
    if (lg_task_no_parse(t->no, &no))
        snprintf(prefix, sizeof prefix, "%ld.", no);
    size_t plen = strlen(prefix);
    char *cell = lg_xmalloc(plen + len + 1);
    memcpy(cell, prefix, plen);
    memcpy(cell + plen, text, len + 1);
    t->numbered = lg_textstore_add(c->p->texts, cell, plen + len);
    t->text = t->numbered + plen;
    free(cell);
    free(text);
}

/* The start of <tasks> element TASKS, before its tasks (add_task). */
static void begin_tasks(const checker *c, xmlNodePtr tasks, raw_plan *rp)
{
    lg_load_check_attrs(c->d, c->first, c->p->file, tasks, "<tasks>", no_attrs);
    rp->tasks_line = lg_xml_line(tasks);
    rp->tasks_full = false;
}

/* Copies task element N of the current <tasks> into RP. Past LG_MAX_TASKS
 * the first task is reported and the rest of that <tasks> ignored. */
static void add_task(const checker *c, xmlNodePtr n, raw_plan *rp)
{
    lg_arena *a = c->p->arena, *scratch = c->scratch;
    if (rp->tasks_full)
        return;
    if (rp->n_tasks >= (size_t)LG_MAX_TASKS) {
        char b[32];
        error_at(c, lg_xml_line(n), "too-many", 0,
                 "the plan has more than %s tasks, the most ledgerc takes; a "
                 "province has about 3,000",
                 lg_thousands(LG_MAX_TASKS, b));
        rp->tasks_full = true;
        return;
    }
    if (rp->n_tasks == rp->tasks_cap) {
        rp->tasks_cap = rp->tasks_cap ? rp->tasks_cap * 2 : 64;
        rp->tasks = lg_xrealloc(rp->tasks, rp->tasks_cap * sizeof *rp->tasks);
    }
    raw_task *t = &rp->tasks[rp->n_tasks++];
    *t = (raw_task){0};
    t->no = lg_load_attr(scratch, n, "no");
    t->owners = lg_load_attr(scratch, n, "owners");
    t->owner_label = lg_load_attr(a, n, "owner-label");
    t->due = lg_load_attr(scratch, n, "due");
    t->due_label = lg_load_attr(a, n, "due-label");
    t->since = lg_load_attr(scratch, n, "since");
    t->until = lg_load_attr(scratch, n, "until");
    t->lead = lg_load_attr(scratch, n, "lead");
    t->leader = lg_load_attr(a, n, "leader");
    t->section = rp->in_section;
    t->line = lg_xml_line(n);
    const char *who = task_name(scratch, t->no);
    lg_load_check_attrs(c->d, c->first, c->p->file, n, who, task_attrs);
    for (xmlNodePtr k = n->children; k; k = k->next)
        if (is_element(k, "target") && !t->target_line) {
            t->target_value = lg_load_attr(a, k, "value"); /* printed: the plan's */
            t->target_unit = lg_load_attr(a, k, "unit");
            t->target_kind = lg_load_attr(scratch, k, "kind");
            t->target_line = lg_xml_line(k);
            size_t before = c->d->count;
            lg_load_check_attrs(c->d, c->first, c->p->file, k,
                                lg_arena_printf(scratch, "%s: <target>", who), target_attrs);
            /* libxml2 words a <target> without value as the task's "extra
             * content: target", at the task's line */
            if (c->d->count > before)
                lg_load_drop_schema_diags(c->d, c->first, t->line, t->target_line,
                                          "content: target");
        }
    task_text(c, n, who, t);
}

/* The start of <section> element N: the tasks that follow are in it until
 * end_section. */
static void begin_section(const checker *c, xmlNodePtr n, raw_plan *rp)
{
    if (rp->n_sections == rp->sections_cap) {
        rp->sections_cap = rp->sections_cap ? rp->sections_cap * 2 : 16;
        rp->sections = lg_xrealloc(rp->sections, rp->sections_cap * sizeof *rp->sections);
    }
    raw_section *sec = &rp->sections[rp->n_sections++];
    sec->no = lg_load_attr(c->p->arena, n, "no");
    sec->title = lg_load_attr(c->p->arena, n, "title");
    sec->line = lg_xml_line(n);
    lg_load_check_attrs(c->d, c->first, c->p->file, n, "<section>", section_attrs);
    rp->in_section = rp->n_sections;
}

static void walk_tasks(const checker *c, xmlNodePtr tasks, raw_plan *rp)
{
    begin_tasks(c, tasks, rp);
    for (xmlNodePtr n = tasks->children; n; n = n->next) {
        if (is_element(n, "task"))
            add_task(c, n, rp);
        else if (is_element(n, "section")) {
            begin_section(c, n, rp);
            for (xmlNodePtr k = n->children; k; k = k->next)
                if (is_element(k, "task"))
                    add_task(c, k, rp);
            rp->in_section = 0;
        }
    }
}

/* The root element ROOT's attributes into RP; false when it is not <plan>. */
static bool begin_plan(const checker *c, xmlNodePtr root, raw_plan *rp)
{
    lg_arena *a = c->p->arena;
    if (!root || !is_element(root, "plan"))
        return false;
    rp->year = lg_load_attr(a, root, "year");
    rp->title = lg_load_attr(a, root, "title");
    rp->line = lg_xml_line(root);
    lg_load_check_attrs(c->d, c->first, c->p->file, root, "<plan>", plan_attrs);
    return true;
}

/* After the last child of <plan>, whose line is LAST. */
static void end_plan(const checker *c, const raw_plan *rp, long last)
{
    /* libxml2 says "Expecting an element , got nothing" for a missing
     * <tasks>, and "Did not expect element tasks there" for a missing
     * <units>. */
    if (!rp->units_line || !rp->tasks_line) {
        lg_load_drop_schema_diags(c->d, c->first, rp->line, last, NULL);
        error_at(c, rp->line, "missing-element", 0,
                 "<plan> has no <%s>; a plan holds <units>, then <tasks>",
                 rp->units_line ? "tasks" : "units");
    }
}

/* Copies the document into RP. The walk takes only the elements it knows;
 * anything else is the schema's to report. */
static void walk_plan(const checker *c, xmlDocPtr doc, raw_plan *rp)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!begin_plan(c, root, rp))
        return;
    long last = rp->line;
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (is_element(n, "units"))
            walk_units(c, n, rp);
        else if (is_element(n, "tasks"))
            walk_tasks(c, n, rp);
        if (n->type == XML_ELEMENT_NODE)
            last = lg_xml_line(n);
    }
    end_plan(c, rp, last);
}

/* The same walk, streamed (lg_xml_stream): <units> is expanded as a whole,
 * it is small; each <task> is expanded alone and freed once copied. */
typedef struct stream_walk {
    const checker *c;
    raw_plan *rp;
    bool is_plan;  /* the root is <plan> */
    bool in_tasks; /* the current child of <plan> is <tasks> */
    long last;     /* the line of the last child of <plan> */
} stream_walk;

static lg_xml_step stream_start(void *arg, xmlNodePtr n, int depth)
{
    stream_walk *w = arg;
    if (depth == 0) {
        w->is_plan = begin_plan(w->c, n, w->rp);
        w->last = w->rp->line;
        return w->is_plan ? LG_XML_DESCEND : LG_XML_SKIP;
    }
    if (depth == 1) {
        w->last = lg_xml_line(n);
        w->in_tasks = is_element(n, "tasks");
        if (w->in_tasks) {
            begin_tasks(w->c, n, w->rp);
            return LG_XML_DESCEND;
        }
        return is_element(n, "units") ? LG_XML_EXPAND : LG_XML_SKIP;
    }
    if (!w->in_tasks)
        return LG_XML_SKIP;
    if (depth == 2) {
        w->rp->in_section = 0;
        if (is_element(n, "section")) {
            begin_section(w->c, n, w->rp);
            return LG_XML_DESCEND;
        }
    }
    return (depth == 2 || (depth == 3 && w->rp->in_section)) && is_element(n, "task")
               ? LG_XML_EXPAND
               : LG_XML_SKIP;
}

static void stream_subtree(void *arg, xmlNodePtr n, int depth)
{
    stream_walk *w = arg;
    if (depth == 1)
        walk_units(w->c, n, w->rp);
    else
        add_task(w->c, n, w->rp);
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* A four-digit year, as the plan and due dates write it. 1900 is the floor
 * that lg_period_parse uses too, so YYYY and YYYY-MM agree. */
static bool parse_year(const char *s, int *year)
{
    if (strlen(s) != 4)
        return false;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    int y = atoi(s);
    if (y < 1900)
        return false;
    *year = y;
    return true;
}

static bool valid_unit_id(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return false;
    return true;
}

static void check_header(const checker *c, const raw_plan *rp)
{
    lg_plan *p = c->p;
    if (rp->year && !parse_year(rp->year, &p->year))
        error_at(c, rp->line, "bad-year", 0,
                 "plan year \"%s\" is not a four-digit year; write it like year=\"2022\"",
                 rp->year);
    if (rp->title && is_blank(rp->title))
        error_at(c, rp->line, "empty-title", 0,
                 "the plan title is empty; write the ledger title without its period, "
                 "e.g. title=\"2022年度《政府工作报告》落实情况台账\"");
    p->title = rp->title ? rp->title : "";
}

/* SINCE and UNTIL (NULL when not written) of the element at LINE, which WHO
 * names, into *FROM and *TO: months 1-12 of the plan's year. */
static void check_months(const checker *c, long line, long task, const char *who,
                         const char *since, const char *until, int *from, int *to)
{
    const char *names[] = {"since", "until"};
    const char *values[] = {since, until};
    int *out[] = {from, to};
    *from = 1;
    *to = 12;
    for (int k = 0; k < 2; k++) {
        int y, m;
        if (!values[k])
            continue;
        c->p->amended = true;
        if (!lg_period_parse(values[k], &y, &m) || y != c->p->year)
            error_at(c, line, "bad-month", task,
                     "%s: %s \"%s\" is not a month of the plan's year %d; write it as "
                     "YYYY-MM, e.g. %s=\"%d-06\"",
                     who, names[k], values[k], c->p->year, names[k], c->p->year);
        else
            *out[k] = m;
    }
    if (*from > *to)
        error_at(c, line, "bad-month", task,
                 "%s: since \"%s\" is after until \"%s\"; until is the last month it holds",
                 who, since, until);
}

/* Whether the months FROM1-TO1 and FROM2-TO2 share one. */
static bool overlap(int from1, int to1, int from2, int to2)
{
    return from1 <= to2 && from2 <= to1;
}

static void check_units(const checker *c, const raw_plan *rp)
{
    lg_plan *p = c->p;
    if (rp->units_line && rp->n_units == 0)
        error_at(c, rp->units_line, "no-units", 0,
                 "<units> is empty; list the units that report in it, e.g. "
                 "<unit id=\"kjj\" name=\"市科技局\"/>");
    p->units = lg_arena_alloc(p->arena, rp->n_units * sizeof *p->units);
    for (size_t i = 0; i < rp->n_units; i++) {
        const raw_unit *ru = &rp->units[i];
        lg_unit *u = &p->units[p->n_units++];
        /* A unit whose id is missing or wrong still takes its place, so that
         * owners naming it are not reported a second time. */
        u->id = ru->id ? ru->id : "";
        u->name = ru->name ? ru->name : "";
        u->index = i;
        u->line = ru->line;
        check_months(c, ru->line, 0, lg_arena_printf(c->scratch, "unit \"%s\"", u->id),
                     ru->since, ru->until, &u->since, &u->until);
        if (ru->id && !valid_unit_id(ru->id))
            error_at(c, ru->line, "bad-unit-id", 0,
                     "unit id \"%s\" may use only lowercase letters a-z, digits, '-' and '_' "
                     "(it names the unit's report file); choose an id like \"kjj\"",
                     ru->id);
        else if (ru->id) {
            for (size_t j = 0; j < i; j++) {
                const lg_unit *o = &p->units[j];
                if (strcmp(o->id, u->id) != 0 || !overlap(o->since, o->until, u->since, u->until))
                    continue;
                if (!ru->since && !ru->until)
                    error_at(c, ru->line, "duplicate-unit", 0,
                             "unit id \"%s\" is already used by the unit at line %ld; "
                             "give each unit its own id",
                             u->id, o->line);
                else
                    error_at(c, ru->line, "duplicate-unit", 0,
                             "unit \"%s\" holds in %d-%02d…%d-%02d, and so does the unit at "
                             "line %ld (%d-%02d…%d-%02d); a unit renamed from a month is "
                             "written twice, the first with until=, the second with since= "
                             "the month after",
                             u->id, p->year, u->since, p->year, u->until, o->line, p->year,
                             o->since, p->year, o->until);
                break;
            }
        }
        if (ru->name && is_blank(ru->name))
            error_at(c, ru->line, "empty-name", 0,
                     "unit \"%s\" has an empty name; write the name as it is printed, "
                     "e.g. name=\"市科技局\"",
                     u->id);
    }
}

/* The next space-separated word of *S, or NULL at the end; advances *S. */
static const char *next_word(const char **s, size_t *len)
{
    const char *p = *s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (!*p)
        return NULL;
    const char *end = p;
    while (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r')
        end++;
    *len = (size_t)(end - p);
    *s = end;
    return p;
}

static int unit_id_cmp(const void *a, const void *b)
{
    const lg_unit *x = *(const lg_unit *const *)a, *y = *(const lg_unit *const *)b;
    int r = strcmp(x->id, y->id);
    return r ? r : (x->index > y->index) - (x->index < y->index);
}

/* The plan's units sorted by id (the first of equal ids first), so that an
 * owners list of thousands of ids is resolved in time that grows with its
 * length, not with its length times the number of units. The caller frees. */
static const lg_unit **index_units(const lg_plan *p)
{
    const lg_unit **by_id = lg_xcalloc(p->n_units + 1, sizeof *by_id);
    for (size_t i = 0; i < p->n_units; i++)
        by_id[i] = &p->units[i];
    qsort(by_id, p->n_units, sizeof *by_id, unit_id_cmp);
    return by_id;
}

/* The unit with id ID, or NULL: lg_plan_find_unit, through c->by_id. */
static const lg_unit *find_unit(const checker *c, const char *id)
{
    size_t lo = 0, hi = c->p->n_units;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(c->by_id[mid]->id, id);
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->p->n_units && strcmp(c->by_id[lo]->id, id) == 0 ? c->by_id[lo] : NULL;
}

/* Resolves OWNERS ("*" or space-separated unit ids) into T. MARK is unique to
 * the task: c->seen[unit] == MARK when the unit was listed already. */
static void check_owners(const checker *c, lg_task *t, const char *who, const char *owners,
                         size_t mark)
{
    lg_plan *p = c->p;
    size_t n_words = 0, len;
    bool star = false;
    for (const char *s = owners, *w; (w = next_word(&s, &len));) {
        n_words++;
        star |= len == 1 && *w == '*';
    }
    if (n_words == 0) {
        error_at(c, t->line, "bad-owners", t->no,
                 "%s: owners is empty; list the ids of the units that report on it, "
                 "separated by spaces, or write owners=\"*\" for every unit",
                 who);
        return;
    }
    if (star) {
        if (n_words > 1)
            error_at(c, t->line, "bad-owners", t->no,
                     "%s: owners \"%s\" mixes \"*\" with unit ids; write either \"*\" "
                     "(every unit) or the list of ids",
                     who, owners);
        t->shared = true;
        return;
    }
    t->owners = lg_arena_alloc(p->arena, n_words * sizeof *t->owners);
    for (const char *s = owners, *w; (w = next_word(&s, &len));) {
        char *id = lg_arena_strndup(c->scratch, w, len);
        const lg_unit *u = find_unit(c, id);
        if (!u) {
            error_at(c, t->line, "unknown-unit", t->no,
                     "%s: owner \"%s\" is not a unit in <units>; add it there or "
                     "correct the id",
                     who, id);
            continue;
        }
        if (c->seen[u->index] == mark) {
            error_at(c, t->line, "duplicate-owner", t->no,
                     "%s: owner \"%s\" is listed twice; list each unit once", who, id);
            continue;
        }
        c->seen[u->index] = mark;
        t->owners[t->n_owners++] = &p->units[u->index];
    }
}

static void check_due(const checker *c, lg_task *t, const char *who, const char *due)
{
    bool ok = true;
    if (strcmp(due, "ongoing") == 0)
        t->due_kind = LG_DUE_ONGOING;
    else if (strlen(due) == 4 && parse_year(due, &t->due_year)) {
        t->due_kind = LG_DUE_YEAR;
        t->due_month = 12;
    } else if (strlen(due) == 7 && lg_period_parse(due, &t->due_year, &t->due_month))
        t->due_kind = LG_DUE_MONTH;
    else
        ok = false;
    if (!ok)
        error_at(c, t->line, "bad-due", t->no,
                 "%s: due \"%s\" is not a due date; write \"ongoing\", a month as "
                 "YYYY-MM (e.g. \"2022-12\") or a year as YYYY (e.g. \"2023\")",
                 who, due);
}

/* lead= (one of the owners: T->lead its position) and leader= of RT. */
static void check_roles(const checker *c, const raw_task *rt, lg_task *t, const char *who)
{
    if (rt->leader && is_blank(rt->leader))
        error_at(c, rt->line, "empty-name", t->no,
                 "%s: leader is empty; write the name of the leader responsible "
                 "(牵头领导), or remove it",
                 who);
    t->leader = rt->leader;
    if (!rt->lead)
        return;
    if (t->shared) {
        error_at(c, rt->line, "bad-lead", t->no,
                 "%s: lead \"%s\" is given, but owners=\"*\" has no lead unit; name the "
                 "units in owners, the lead among them, or remove lead",
                 who, rt->lead);
        return;
    }
    for (size_t k = 0; k < t->n_owners; k++)
        if (strcmp(t->owners[k]->id, rt->lead) == 0) {
            t->lead = k;
            t->lead_written = true;
            return;
        }
    error_at(c, rt->line, "bad-lead", t->no,
             "%s: lead \"%s\" is not one of its owners \"%s\"; the lead unit (牵头单位) "
             "is one of the owners, e.g. lead=\"%s\"",
             who, rt->lead, rt->owners ? rt->owners : "",
             t->n_owners ? t->owners[0]->id : "kjj");
}

/* <target value= unit= kind=> of RT into T->target. */
static void check_target(const checker *c, const raw_task *rt, lg_task *t, const char *who)
{
    if (!rt->target_line)
        return;
    lg_target *g = &t->target;
    g->set = true;
    g->line = rt->target_line;
    g->value_text = rt->target_value ? rt->target_value : "";
    g->unit = rt->target_unit ? rt->target_unit : "";
    if (rt->target_kind && strcmp(rt->target_kind, "growth") != 0)
        error_at(c, rt->target_line, "bad-target", t->no,
                 "%s: <target> kind \"%s\" is not known; write kind=\"growth\" for a "
                 "growth in percent, or leave kind out for an amount",
                 who, rt->target_kind);
    g->growth = rt->target_kind && strcmp(rt->target_kind, "growth") == 0;
    if (g->growth && !rt->target_unit)
        g->unit = "%";
    if (rt->target_value && g->growth && !lg_load_decimal(rt->target_value, true, &g->value))
        error_at(c, rt->target_line, "bad-target", t->no,
                 "%s: <target> value \"%s\" is not a percentage; write it in ASCII digits, "
                 "at most 10, with a '.' before at most 4 decimals, e.g. value=\"6.2\"",
                 who, rt->target_value);
    else if (rt->target_value && !g->growth &&
             (!lg_load_decimal(rt->target_value, false, &g->value) || g->value == 0))
        error_at(c, rt->target_line, "bad-target", t->no,
                 "%s: <target> value \"%s\" is not a positive number; write it in ASCII "
                 "digits, at most 10, with a '.' before at most 4 decimals, e.g. value=\"80\"",
                 who, rt->target_value);
    if (!rt->target_kind && (!rt->target_unit || is_blank(rt->target_unit)))
        error_at(c, rt->target_line, "bad-target", t->no,
                 "%s: <target> has no unit; write what the value counts, e.g. "
                 "unit=\"亿元\"",
                 who);
}

static void check_task(const checker *c, const raw_task *rt, lg_task *t, size_t mark)
{
    t->line = rt->line;
    if (rt->no && !lg_task_no_parse(rt->no, &t->no))
        error_at(c, rt->line, "bad-task-number", 0,
                 "task number \"%s\" is not a positive whole number; write it in ASCII "
                 "digits without sign or leading zeros, e.g. no=\"139\"",
                 rt->no);
    const char *who = task_name(c->scratch, rt->no);
    if (rt->owners)
        check_owners(c, t, who, rt->owners, mark);
    if (rt->due)
        check_due(c, t, who, rt->due);
    t->owner_label = rt->owner_label;
    t->label_derived = !rt->owner_label;
    t->due_label = rt->due_label;
    check_months(c, rt->line, t->no, who, rt->since, rt->until, &t->since, &t->until);
    if (rt->owner_label && is_blank(rt->owner_label))
        error_at(c, rt->line, "empty-label", t->no,
                 "%s: owner-label is empty; remove it to print the owners' names, "
                 "or write the text to print",
                 who);
    if (rt->due_label && is_blank(rt->due_label))
        error_at(c, rt->line, "empty-label", t->no,
                 "%s: due-label is empty; remove it to print the label derived from "
                 "due, or write the text to print",
                 who);
    check_roles(c, rt, t, who);
    check_target(c, rt, t, who);
    t->numbered = rt->numbered ? rt->numbered : "";
    t->text = rt->text ? rt->text : "";
    if (rt->text && !*rt->text)
        error_at(c, rt->line, "empty-text", t->no,
                 "%s has no text; write the task as the report words it between "
                 "<task> and </task>",
                 who);
}

/* By number, then by line, so that of two tasks with one number the first
 * written comes first. */
static int task_cmp(const void *a, const void *b)
{
    const lg_task *x = a, *y = b;
    if (x->no != y->no)
        return x->no < y->no ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* The <section> elements: a number and a title each, neither empty. */
static void check_sections(const checker *c, const raw_plan *rp)
{
    lg_plan *p = c->p;
    p->sections = lg_arena_alloc(p->arena, (rp->n_sections + 1) * sizeof *p->sections);
    for (size_t i = 0; i < rp->n_sections; i++) {
        const raw_section *r = &rp->sections[i];
        lg_section *sec = &p->sections[p->n_sections++];
        sec->no = r->no ? r->no : "";
        sec->title = r->title ? r->title : "";
        sec->index = i;
        sec->line = r->line;
        if ((r->no && is_blank(r->no)) || (r->title && is_blank(r->title)))
            error_at(c, r->line, "empty-title", 0,
                     "<section> has an empty no or title; write its number and its title as "
                     "the plan prints them, e.g. <section no=\"一\" title=\"聚焦深化对外开放\">");
    }
}

static void check_tasks(const checker *c, const raw_plan *rp)
{
    lg_plan *p = c->p;
    if (rp->tasks_line && rp->n_tasks == 0)
        error_at(c, rp->tasks_line, "no-tasks", 0,
                 "<tasks> is empty; list the plan's tasks in it, e.g. "
                 "<task no=\"139\" owners=\"kjj\" due=\"2022-12\">…</task>");
    p->tasks = lg_arena_alloc(p->arena, rp->n_tasks * sizeof *p->tasks);
    size_t rows = 0;
    for (size_t i = 0; i < rp->n_tasks; i++) {
        lg_task *t = &p->tasks[p->n_tasks++];
        *t = (lg_task){0};
        check_task(c, &rp->tasks[i], t, i + 1);
        t->section = rp->tasks[i].section ? &p->sections[rp->tasks[i].section - 1] : NULL;
        /* Ledger rows, in the order written: the limit is reported at the
         * task that passes it. */
        if (rows <= (size_t)LG_MAX_ROWS) {
            rows += t->shared ? p->n_units : t->n_owners;
            if (rows > (size_t)LG_MAX_ROWS) {
                char b[32];
                error_at(c, t->line, "too-many", t->no,
                         "with this task the plan makes more than %s ledger rows, the most "
                         "ledgerc builds (a task makes a row for each owner, owners=\"*\" "
                         "one for each unit); a province's plan makes about 45,000",
                         lg_thousands(LG_MAX_ROWS, b));
            }
        }
    }
    qsort(p->tasks, p->n_tasks, sizeof *p->tasks, task_cmp);
    /* Tasks without a valid number (0) were reported already. A task revised
     * from a month is written again, the versions in months apart. */
    for (size_t i = 1; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        size_t first = i;
        while (first > 0 && p->tasks[first - 1].no == t->no)
            first--;
        for (size_t j = first; t->no && j < i; j++) {
            const lg_task *o = &p->tasks[j];
            if (!overlap(o->since, o->until, t->since, t->until))
                continue;
            if (o->since == 1 && o->until == 12 && t->since == 1 && t->until == 12)
                error_at(c, t->line, "duplicate-task", t->no,
                         "task %ld appears twice (first at line %ld); give each task its own "
                         "number",
                         t->no, p->tasks[first].line);
            else
                error_at(c, t->line, "duplicate-task", t->no,
                         "task %ld holds in %d-%02d…%d-%02d, and so does task %ld at line %ld "
                         "(%d-%02d…%d-%02d); a task revised from a month is written twice, "
                         "the first with until=, the second with since= the month after",
                         t->no, p->year, t->since, p->year, t->until, o->no, o->line, p->year,
                         o->since, p->year, o->until);
            break;
        }
    }
}

/* Every owner of a task is a unit of the plan in each month the task holds. */
static void check_owner_months(const checker *c)
{
    const lg_plan *p = c->p;
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        for (size_t k = 0; k < t->n_owners; k++) {
            const char *id = t->owners[k]->id;
            for (int m = t->since; m <= t->until; m++) {
                bool held = false;
                for (size_t j = 0; j < p->n_units && !held; j++)
                    held = strcmp(p->units[j].id, id) == 0 && p->units[j].since <= m &&
                           m <= p->units[j].until;
                if (held)
                    continue;
                if (m == t->since)
                    error_at(c, t->line, "owner-months", t->no,
                             "task %ld: owner \"%s\" is not a unit of the plan in %d-%02d (see "
                             "its <unit> at line %ld), but the task holds then; give the task "
                             "owners of that month, or change its since=",
                             t->no, id, p->year, m, t->owners[k]->line);
                else
                    error_at(c, t->line, "owner-months", t->no,
                             "task %ld: owner \"%s\" is not a unit of the plan in %d-%02d (see "
                             "its <unit> at line %ld), but the task holds then; end the task "
                             "with until=\"%d-%02d\" and write it again with "
                             "since=\"%d-%02d\" and other owners",
                             t->no, id, p->year, m, t->owners[k]->line, p->year, m - 1,
                             p->year, m);
                break;
            }
        }
    }
}


/* lg_plan_load_spilled, streamed when STREAM is set: then a file whose
 * problems only the document tree words as they have always been worded is
 * loaded again from its tree (LG_XML_USE_TREE). */
static lg_plan *load(const char *path, const char *text_dir, lg_diags *d, bool stream)
{
    size_t first = d->count, errors = lg_diags_count(d, LG_ERROR);
    lg_arena *arena = lg_arena_new();
    lg_plan *p = lg_arena_alloc(arena, sizeof *p);
    p->arena = arena;
    p->texts = lg_textstore_new(arena, text_dir);
    p->file = lg_arena_strdup(arena, path);
    p->base = p;
    checker c = {.p = p, .scratch = lg_arena_new(), .d = d, .first = first};
    raw_plan rp = {0};

    if (stream) {
        stream_walk w = {.c = &c, .rp = &rp};
        lg_xml_visitor v = {stream_start, stream_subtree, &w};
        lg_xml_streamed r = lg_xml_stream(path, "plan", &v, d);
        if (r == LG_XML_USE_TREE) {
            free(rp.units);
            free(rp.tasks);
            free(rp.sections);
            lg_arena_free(c.scratch);
            lg_plan_free(p);
            lg_diags_truncate(d, first);
            return load(path, text_dir, d, false);
        }
        if (r == LG_XML_FAILED)
            goto done;
        if (w.is_plan)
            end_plan(&c, &rp, w.last);
    } else {
        xmlDocPtr doc = lg_xml_read(path, d);
        if (!doc)
            goto done;
        lg_xml_validate(doc, "plan", path, d);
        walk_plan(&c, doc, &rp);
        xmlFreeDoc(doc);
    }

    check_header(&c, &rp);
    check_units(&c, &rp);
    c.by_id = index_units(p);
    c.seen = lg_xcalloc(p->n_units + 1, sizeof *c.seen);
    check_sections(&c, &rp);
    check_tasks(&c, &rp);
    if (p->amended) {
        check_owner_months(&c);
        p->at = lg_arena_alloc(arena, 13 * sizeof *p->at);
        memset(p->at, 0, 13 * sizeof *p->at);
    }
    free(c.by_id);
    free(c.seen);

done:
    free(rp.units);
    free(rp.tasks);
    free(rp.sections);
    lg_arena_free(c.scratch);
    lg_load_sort_diags(d, first);
    lg_load_note_truncated(d, first, path);
    if (lg_diags_count(d, LG_ERROR) > errors) {
        lg_plan_free(p);
        return NULL;
    }
    /* Most tasks share a due date with others: one label each. */
    const lg_task *same_due[64] = {NULL};
    for (size_t i = 0; i < p->n_tasks; i++) {
        lg_task *t = &p->tasks[i];
        unsigned slot = (unsigned)(t->due_year * 13 + t->due_month) % 64;
        const lg_task **seen = &same_due[slot];
        if (!t->due_label && *seen && (*seen)->due_kind == t->due_kind &&
            (*seen)->due_year == t->due_year && (*seen)->due_month == t->due_month)
            t->due_label = (*seen)->due_label;
        bool derived = !t->due_label;
        lg_task_derive_labels(arena, t);
        if (derived)
            *seen = t;
    }
    return p;
}

lg_plan *lg_plan_load(const char *path, lg_diags *d)
{
    return lg_plan_load_spilled(path, NULL, d);
}

lg_plan *lg_plan_load_spilled(const char *path, const char *text_dir, lg_diags *d)
{
    return load(path, text_dir, d, true);
}

void lg_plan_free(lg_plan *p)
{
    if (!p)
        return;
    lg_textstore_free(p->texts);
    lg_arena_free(p->arena);
}
