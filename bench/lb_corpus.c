/* The input of the lower bounds, read as simply as libxml2 allows. See
 * lb_corpus.h. Rows are those of ledgerc's by-task view (src/view_ledger.c):
 * tasks in number order, for each one row per owning unit in plan order; a
 * unit without an entry shows 未报送. */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include "lb_corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

typedef struct unit {
    char *id, *name;
} unit;

typedef struct task {
    long no;
    bool shared;
    size_t *owners; /* unit indices */
    size_t n_owners;
    char *cell; /* "{no}.{text}" */
    char *due;  /* the 时限要求 label */
} task;

typedef struct entry {
    long no;
    bool on_schedule;
    char *progress, *plan, *remark;
} entry;

typedef struct report {
    entry *entries; /* sorted by task number */
    size_t n;
} report;

struct lb_corpus {
    unit *units;
    size_t n_units;
    task *tasks; /* sorted by number */
    size_t n_tasks;
    report *reports; /* per unit */
};

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("out of memory\n", stderr);
        exit(2);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

static bool is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *)name);
}

static char *attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

/* The text of N: its <p> children joined with '\n', or all of its text. */
static char *paragraphs(xmlNodePtr n)
{
    char *buf = NULL;
    size_t len = 0;
    bool has_p = false;
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is(c, "p")) {
            xmlChar *s = xmlNodeGetContent(c);
            size_t k = strlen((const char *)s);
            buf = xrealloc(buf, len + k + 2);
            if (has_p)
                buf[len++] = '\n';
            memcpy(buf + len, s, k);
            len += k;
            buf[len] = '\0';
            xmlFree(s);
            has_p = true;
        }
    if (has_p)
        return buf;
    xmlChar *s = n ? xmlNodeGetContent(n) : NULL;
    char *r = xstrdup(s ? (const char *)s : "");
    xmlFree(s);
    return r;
}

static xmlDocPtr read_doc(const char *path)
{
    return xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
}

/* Reads the columns of view element N into T. */
static void read_columns(lb_template *t, xmlNodePtr n)
{
    static const char *fields[LB_FIELDS] = {"unit", "task", "due", "progress",
                                            "plan", "on-schedule", "remark"};
    t->n_columns = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!is(c, "column") || t->n_columns == sizeof t->columns / sizeof *t->columns)
            continue;
        lb_column *col = &t->columns[t->n_columns++];
        memset(col, 0, sizeof *col);
        col->field = -1;
        char *v;
        if ((v = attr(c, "field"))) {
            for (int i = 0; i < LB_FIELDS; i++)
                if (strcmp(v, fields[i]) == 0)
                    col->field = i;
            free(v);
        }
        if ((v = attr(c, "width")))
            col->width_mm = atof(v), free(v);
        if ((v = attr(c, "align")))
            col->align = strcmp(v, "center") == 0 ? 1 : strcmp(v, "right") == 0 ? 2 : 0, free(v);
        if ((v = attr(c, "justify")))
            col->justify = strcmp(v, "yes") == 0, free(v);
    }
}

void lb_template_load(lb_template *t, const char *path, const char *view)
{
    memset(t, 0, sizeof *t);
    xmlDocPtr doc = read_doc(path);
    if (!doc) {
        fprintf(stderr, "cannot read the template %s\n", path);
        exit(2);
    }
    /* Defaults of templates/ledger.xml, in case an attribute is left out. */
    t->page_w_mm = 297, t->page_h_mm = 210;
    t->margin_top_mm = t->margin_bottom_mm = 15, t->margin_left_mm = t->margin_right_mm = 12;
    t->padding_mm = 1.5;
    t->body_size_pt = 10;
    strcpy(t->body_family, "Noto Serif CJK SC");
    bool found = false;
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        char *v;
        if (is(n, "page")) {
            v = attr(n, "paper");
            if (v && strcmp(v, "A3") == 0)
                t->page_w_mm = 420, t->page_h_mm = 297;
            free(v);
            v = attr(n, "orientation");
            if (v && strcmp(v, "portrait") == 0) {
                double w = t->page_w_mm;
                t->page_w_mm = t->page_h_mm, t->page_h_mm = w;
            }
            free(v);
            const char *m[4] = {"margin-top", "margin-bottom", "margin-left", "margin-right"};
            double *out[4] = {&t->margin_top_mm, &t->margin_bottom_mm, &t->margin_left_mm,
                              &t->margin_right_mm};
            for (int i = 0; i < 4; i++)
                if ((v = attr(n, m[i])))
                    *out[i] = atof(v), free(v);
        } else if (is(n, "cell")) {
            if ((v = attr(n, "padding")))
                t->padding_mm = atof(v), free(v);
        } else if (is(n, "fonts")) {
            for (xmlNodePtr f = n->children; f; f = f->next) {
                char *role = is(f, "font") ? attr(f, "role") : NULL;
                if (role && strcmp(role, "body") == 0) {
                    if ((v = attr(f, "family")))
                        snprintf(t->body_family, sizeof t->body_family, "%s", v), free(v);
                    if ((v = attr(f, "size")))
                        t->body_size_pt = atof(v), free(v);
                }
                free(role);
            }
        } else if (is(n, "view")) {
            char *name = attr(n, "name");
            if (name && strcmp(name, view) == 0) {
                read_columns(t, n);
                found = true;
            } else if (name && strcmp(name, "unit") == 0 && !found) {
                read_columns(t, n);
            }
            free(name);
        }
    }
    xmlFreeDoc(doc);
    if (!t->n_columns) {
        fprintf(stderr, "%s: no <view name=\"%s\"> or \"unit\" with columns\n", path, view);
        exit(2);
    }
}

static size_t unit_index(const lb_corpus *c, const char *id)
{
    for (size_t i = 0; i < c->n_units; i++)
        if (strcmp(c->units[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

static int task_cmp(const void *a, const void *b)
{
    const task *x = a, *y = b;
    return (x->no > y->no) - (x->no < y->no);
}

static int entry_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    return (x->no > y->no) - (x->no < y->no);
}

static char *due_label(const char *due, const char *label)
{
    if (label)
        return xstrdup(label);
    char buf[64];
    int y, m;
    if (!due || strcmp(due, "ongoing") == 0)
        snprintf(buf, sizeof buf, "长期推进");
    else if (sscanf(due, "%d-%d", &y, &m) == 2)
        snprintf(buf, sizeof buf, "%d年%d月底前", y, m);
    else
        snprintf(buf, sizeof buf, "%d年底前", atoi(due));
    return xstrdup(buf);
}

/* Task element E of the plan, added to C. */
static void add_task(lb_corpus *c, xmlNodePtr e)
{
    c->tasks = xrealloc(c->tasks, (c->n_tasks + 1) * sizeof *c->tasks);
    task *t = &c->tasks[c->n_tasks++];
    memset(t, 0, sizeof *t);
    char *no = attr(e, "no"), *owners = attr(e, "owners");
    char *due = attr(e, "due"), *label = attr(e, "due-label");
    char *text = paragraphs(e);
    t->no = no ? atol(no) : 0;
    t->shared = owners && strcmp(owners, "*") == 0;
    if (owners && !t->shared) {
        char *save;
        for (char *id = strtok_r(owners, " \t\n", &save); id;
             id = strtok_r(NULL, " \t\n", &save)) {
            size_t k = unit_index(c, id);
            if (k == (size_t)-1)
                continue;
            t->owners = xrealloc(t->owners, (t->n_owners + 1) * sizeof *t->owners);
            t->owners[t->n_owners++] = k;
        }
    }
    size_t n_cell = strlen(text) + 32;
    t->cell = xrealloc(NULL, n_cell);
    snprintf(t->cell, n_cell, "%ld.%s", t->no, text);
    t->due = due_label(due, label);
    free(no), free(owners), free(due), free(label), free(text);
}

static void load_plan(lb_corpus *c, const char *path)
{
    xmlDocPtr doc = read_doc(path);
    if (!doc) {
        fprintf(stderr, "cannot read the plan %s\n", path);
        exit(2);
    }
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (is(n, "units")) {
            for (xmlNodePtr u = n->children; u; u = u->next)
                if (is(u, "unit")) {
                    c->units = xrealloc(c->units, (c->n_units + 1) * sizeof *c->units);
                    c->units[c->n_units++] = (unit){attr(u, "id"), attr(u, "name")};
                }
        } else if (is(n, "tasks")) {
            /* tasks, and the tasks of each <section> */
            for (xmlNodePtr e = n->children; e; e = e->next) {
                if (is(e, "task"))
                    add_task(c, e);
                else if (is(e, "section"))
                    for (xmlNodePtr k = e->children; k; k = k->next)
                        if (is(k, "task"))
                            add_task(c, k);
            }
        }
    }
    xmlFreeDoc(doc);
    qsort(c->tasks, c->n_tasks, sizeof *c->tasks, task_cmp);
}

static void load_report(lb_corpus *c, size_t u, const char *path)
{
    if (access(path, F_OK) != 0)
        return; /* not reported */
    xmlDocPtr doc = read_doc(path);
    if (!doc)
        return;
    report *r = &c->reports[u];
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (!is(n, "entry"))
            continue;
        r->entries = xrealloc(r->entries, (r->n + 1) * sizeof *r->entries);
        entry *e = &r->entries[r->n++];
        char *no = attr(n, "task"), *on = attr(n, "on-schedule");
        e->no = no ? atol(no) : 0;
        e->on_schedule = !on || strcmp(on, "no") != 0;
        free(no), free(on);
        xmlNodePtr progress = NULL, plan = NULL, remark = NULL;
        for (xmlNodePtr k = n->children; k; k = k->next) {
            if (is(k, "progress"))
                progress = k;
            else if (is(k, "plan"))
                plan = k;
            else if (is(k, "remark"))
                remark = k;
        }
        e->progress = paragraphs(progress);
        e->plan = paragraphs(plan);
        e->remark = paragraphs(remark);
    }
    xmlFreeDoc(doc);
    qsort(r->entries, r->n, sizeof *r->entries, entry_cmp);
}

lb_corpus *lb_corpus_load(const char *dir, const char *period)
{
    xmlInitParser();
    lb_corpus *c = xrealloc(NULL, sizeof *c);
    memset(c, 0, sizeof *c);
    size_t n = strlen(dir) + strlen(period) + 256;
    char *path = xrealloc(NULL, n);
    snprintf(path, n, "%s/plan.xml", dir);
    load_plan(c, path);
    c->reports = xrealloc(NULL, (c->n_units + 1) * sizeof *c->reports);
    memset(c->reports, 0, (c->n_units + 1) * sizeof *c->reports);
    for (size_t u = 0; u < c->n_units; u++) {
        snprintf(path, n, "%s/reports/%s/%.128s.xml", dir, period, c->units[u].id);
        load_report(c, u, path);
    }
    free(path);
    return c;
}

void lb_corpus_free(lb_corpus *c)
{
    for (size_t u = 0; u < c->n_units; u++) {
        for (size_t i = 0; i < c->reports[u].n; i++) {
            entry *e = &c->reports[u].entries[i];
            free(e->progress), free(e->plan), free(e->remark);
        }
        free(c->reports[u].entries);
        free(c->units[u].id), free(c->units[u].name);
    }
    for (size_t i = 0; i < c->n_tasks; i++)
        free(c->tasks[i].owners), free(c->tasks[i].cell), free(c->tasks[i].due);
    free(c->reports), free(c->units), free(c->tasks);
    free(c);
    xmlCleanupParser();
}

static bool owns(const task *t, size_t u)
{
    if (t->shared)
        return true;
    for (size_t i = 0; i < t->n_owners; i++)
        if (t->owners[i] == u)
            return true;
    return false;
}

static const entry *find_entry(const report *r, long no)
{
    entry key = {.no = no};
    return r->n ? bsearch(&key, r->entries, r->n, sizeof *r->entries, entry_cmp) : NULL;
}

size_t lb_corpus_rows(const lb_corpus *c, void (*fn)(const char *const *cells, void *ctx),
                      void *ctx)
{
    size_t rows = 0;
    for (size_t i = 0; i < c->n_tasks; i++) {
        const task *t = &c->tasks[i];
        for (size_t u = 0; u < c->n_units; u++) {
            if (!owns(t, u))
                continue;
            const entry *e = find_entry(&c->reports[u], t->no);
            const char *cells[LB_FIELDS] = {
                [LB_UNIT] = c->units[u].name,
                [LB_TASK] = t->cell,
                [LB_DUE] = t->due,
                [LB_PROGRESS] = e ? e->progress : "未报送",
                [LB_PLAN] = e ? e->plan : "",
                [LB_ON_SCHEDULE] = e ? (e->on_schedule ? "是" : "否") : "",
                [LB_REMARK] = e ? e->remark : "",
            };
            fn(cells, ctx);
            rows++;
        }
    }
    return rows;
}
