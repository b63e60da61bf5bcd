#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "datadir.h"
#include "xmlload.h"

static bool is_element(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *)name);
}

/* The schema has checked that numbers and choices are well formed. */
static double attr_num(lg_arena *a, xmlNodePtr n, const char *name, double dflt);

/* <status>: what it says over the defaults. */
static void load_status(lg_template *t, xmlNodePtr n)
{
    lg_status_rules *r = &t->status;
    r->due_window = (int)attr_num(t->arena, n, "due-window", r->due_window);
    r->escalate_months = (int)attr_num(t->arena, n, "escalate-months", r->escalate_months);
    const char *esc = lg_xml_attr(t->arena, n, "escalated");
    if (esc)
        r->escalated_name = esc;
    for (xmlNodePtr s = n->children; s; s = s->next) {
        if (s->type != XML_ELEMENT_NODE)
            continue;
        const char *key = lg_xml_attr(t->arena, s, "key");
        const char *colour = lg_xml_attr(t->arena, s, "colour");
        for (int k = 0; k < LG_STATUS_COUNT; k++)
            if (key && strcmp(key, lg_status_key((lg_status_kind)k)) == 0) {
                r->names[k] = lg_xml_attr(t->arena, s, "name");
                if (colour)
                    r->colours[k] = (unsigned)strtoul(colour, NULL, 16);
            }
    }
}

static double attr_num(lg_arena *a, xmlNodePtr n, const char *name, double dflt)
{
    const char *v = lg_xml_attr(a, n, name);
    return v ? strtod(v, NULL) : dflt;
}

static bool attr_is(lg_arena *a, xmlNodePtr n, const char *name, const char *value)
{
    const char *v = lg_xml_attr(a, n, name);
    return v && strcmp(v, value) == 0;
}

static const struct {
    const char *name;
    lg_field field;
} fields[] = {
    {"unit", LG_FIELD_UNIT},         {"task", LG_FIELD_TASK},
    {"due", LG_FIELD_DUE},           {"progress", LG_FIELD_PROGRESS},
    {"plan", LG_FIELD_PLAN},         {"on-schedule", LG_FIELD_ON_SCHEDULE},
    {"remark", LG_FIELD_REMARK},
    {"tasks", LG_FIELD_TASKS},
    {"reported", LG_FIELD_REPORTED},
    {"on-schedule-count", LG_FIELD_ON_SCHEDULE_COUNT},
    {"behind-count", LG_FIELD_BEHIND_COUNT},
    {"unreported", LG_FIELD_UNREPORTED},
    {"overdue", LG_FIELD_OVERDUE},
    {"completed", LG_FIELD_COMPLETED},
    {"on-schedule-rate", LG_FIELD_ON_SCHEDULE_RATE},
    {"severity", LG_FIELD_SEVERITY},
    {"kind", LG_FIELD_KIND},
    {"location", LG_FIELD_LOCATION},
    {"message", LG_FIELD_MESSAGE},
    {"promised-plan", LG_FIELD_PROMISED_PLAN},
    {"month", LG_FIELD_MONTH},
    {"section", LG_FIELD_SECTION},
    {"lead", LG_FIELD_LEAD},
    {"support", LG_FIELD_SUPPORT},
    {"leader", LG_FIELD_LEADER},
    {"problems", LG_FIELD_PROBLEMS},
    {"target", LG_FIELD_TARGET},
    {"actual", LG_FIELD_ACTUAL},
    {"rate", LG_FIELD_RATE},
    {"elapsed", LG_FIELD_ELAPSED},
    {"status", LG_FIELD_STATUS},
    {"rank", LG_FIELD_RANK},
    {"status-done", LG_FIELD_STATUS_DONE},
    {"status-unreported", LG_FIELD_STATUS_UNREPORTED},
    {"status-overdue", LG_FIELD_STATUS_OVERDUE},
    {"status-behind", LG_FIELD_STATUS_BEHIND},
    {"status-due-soon", LG_FIELD_STATUS_DUE_SOON},
    {"status-normal", LG_FIELD_STATUS_NORMAL},
    {"escalated", LG_FIELD_ESCALATED},
};

const char *lg_field_name(lg_field field)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].field == field)
            return fields[i].name;
    return NULL;
}

static void load_column(lg_template *t, xmlNodePtr n, lg_column *c)
{
    const char *field = lg_xml_attr(t->arena, n, "field");
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(field, fields[i].name) == 0)
            c->field = fields[i].field;
    c->header = lg_xml_attr(t->arena, n, "header");
    c->width_mm = attr_num(t->arena, n, "width", 20);
    c->align = attr_is(t->arena, n, "align", "center")  ? LG_ALIGN_CENTER
               : attr_is(t->arena, n, "align", "right") ? LG_ALIGN_RIGHT
                                                        : LG_ALIGN_LEFT;
    c->merge = attr_is(t->arena, n, "merge", "yes");
    c->justify = attr_is(t->arena, n, "justify", "yes");
}

static void load_view(lg_template *t, xmlNodePtr n, lg_view_layout *v)
{
    v->name = lg_xml_attr(t->arena, n, "name");
    for (xmlNodePtr c = n->children; c; c = c->next)
        v->n_columns += is_element(c, "column");
    v->columns = lg_arena_alloc(t->arena, v->n_columns * sizeof *v->columns);
    size_t i = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_element(c, "column"))
            load_column(t, c, &v->columns[i++]);
}

/* Whether fontconfig gives FAMILY itself for FAMILY, rather than a stand-in;
 * into GOT (N bytes) the family it gives. */
static bool font_installed(const char *family, char *got, size_t n)
{
    FcPattern *p = FcPatternCreate();
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family);
    FcConfigSubstitute(NULL, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult r;
    FcPattern *m = FcFontMatch(NULL, p, &r);
    bool ok = false;
    snprintf(got, n, "%s", "nothing");
    FcChar8 *name;
    for (int i = 0; m && FcPatternGetString(m, FC_FAMILY, i, &name) == FcResultMatch; i++) {
        if (i == 0)
            snprintf(got, n, "%s", (const char *)name);
        ok |= FcStrCmpIgnoreCase(name, (const FcChar8 *)family) == 0;
    }
    if (m)
        FcPatternDestroy(m);
    FcPatternDestroy(p);
    return ok;
}

/* The N bytes at S, as a string of their own. */
static char *strndup_x(const char *s, size_t n)
{
    char *c = lg_xmalloc(n + 1);
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

char **lg_font_families(const char *family)
{
    size_t n = 0;
    char **out = lg_xcalloc(strlen(family ? family : "") / 2 + 2, sizeof *out);
    for (const char *p = family ? family : ""; *p;) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a)
            out[n++] = strndup_x(a, (size_t)(b - a));
        p = *end ? end + 1 : end;
    }
    return out;
}

void lg_font_families_free(char **families)
{
    for (size_t i = 0; families && families[i]; i++)
        free(families[i]);
    free(families);
}

/* The PDF embeds the template's families, which must be installed: fontconfig
 * would otherwise set the ledger in another face (a Japanese one, with other
 * digits) without a word. */
static void check_family(const lg_template *t, xmlNodePtr n, const char *family, lg_diags *d)
{
    char got[256];
    if (font_installed(family, got, sizeof got))
        return;
    if (strncmp(family, "Fandol", 6) == 0) /* the preset's faces (templates/gbt9704.xml) */
        lg_diags_add(d, LG_ERROR, "template-font", t->file, lg_xml_line(n),
                     "font family \"%s\" is not installed: the Fandol fonts come with the "
                       "Debian package texlive-lang-chinese; install them with "
                       "scripts/setup --gbt9704 (as root), or name installed families",
                     family);
    else
        lg_diags_add(d, LG_ERROR, "template-font", t->file, lg_xml_line(n),
                     "font family \"%s\" is not installed (fontconfig would use \"%s\" "
                     "instead); name an installed family (fc-list :lang=zh family) or install "
                     "it; the face the spreadsheet declares goes in xlsx-family",
                     family, got);
}

/* Checks F's fallback chain (family="A, B": each character in the first
 * that has it) and keeps it as Pango reads a family list, "A,B". */
static void check_chain(lg_template *t, xmlNodePtr n, lg_font *f, lg_diags *d)
{
    char **fam = lg_font_families(f->family);
    size_t len = 0, count = 0;
    for (const char *p = f->family; *p; p++)
        count += *p == ',';
    for (size_t i = 0; fam[i]; i++) {
        len += strlen(fam[i]) + 1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(fam[i], fam[j]) == 0)
                lg_diags_add(d, LG_ERROR, "template-font", t->file, lg_xml_line(n),
                             "font family \"%s\" is named twice in family=\"%s\"; "
                               "name each family of the fallback list once",
                             fam[i], f->family);
        check_family(t, n, fam[i], d);
    }
    size_t n_fam = 0;
    while (fam[n_fam])
        n_fam++;
    if (n_fam != count + 1)
        lg_diags_add(d, LG_ERROR, "template-font", t->file, lg_xml_line(n),
                     "family=\"%s\" has an empty name; name the families of the fallback "
                       "list separated by commas, e.g. family=\"FandolFang, Noto Serif CJK SC\"",
                     f->family);
    char *chain = lg_arena_alloc(t->arena, len + 1), *q = chain;
    for (size_t i = 0; fam[i]; i++)
        q += sprintf(q, "%s%s", i ? "," : "", fam[i]);
    *q = '\0';
    f->family = chain;
    lg_font_families_free(fam);
}

static void load_font(lg_template *t, xmlNodePtr n, lg_diags *d)
{
    const char *role = lg_xml_attr(t->arena, n, "role");
    lg_font *f = strcmp(role, "title") == 0    ? &t->title_font
                 : strcmp(role, "header") == 0 ? &t->header_font
                 : strcmp(role, "footer") == 0 ? &t->footer_font
                                               : &t->body_font;
    f->family = lg_xml_attr(t->arena, n, "family");
    f->xlsx_family = lg_xml_attr(t->arena, n, "xlsx-family");
    if (!f->xlsx_family)
        f->xlsx_family = "宋体";
    f->size = attr_num(t->arena, n, "size", 10);
    f->bold = attr_is(t->arena, n, "bold", "yes");
    check_chain(t, n, f, d);
}

/* Paper sizes in mm, portrait. */
static void paper_size(const char *paper, double *w, double *h)
{
    if (strcmp(paper, "A3") == 0) {
        *w = 297;
        *h = 420;
    } else {
        *w = 210;
        *h = 297;
    }
}

/* Checks that the schema cannot express. */
static void check(lg_template *t, xmlNodePtr root, lg_diags *d)
{
    double usable = t->page_w_mm - t->margin_left_mm - t->margin_right_mm;
    if (usable <= 0 || t->page_h_mm - t->margin_top_mm - t->margin_bottom_mm <= 0)
        lg_diags_add(d, LG_ERROR, "template-margins", t->file, lg_xml_line(root),
                     "the margins leave no room on the page; make them smaller");
    if (!t->body_font.family || !t->header_font.family || !t->title_font.family)
        lg_diags_add(d, LG_ERROR, "template-font", t->file, lg_xml_line(root),
                     "<fonts> must name a font for each role: title, header and body");
    for (size_t i = 0; i < t->n_views; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->views[i].name, t->views[j].name) == 0)
                lg_diags_add(d, LG_ERROR, "template-view", t->file, lg_xml_line(root),
                             "view \"%s\" is defined twice; keep one", t->views[i].name);
    for (size_t i = 0; i < t->n_views; i++) {
        const lg_view_layout *v = &t->views[i];
        double sum = 0;
        for (size_t c = 0; c < v->n_columns; c++) {
            sum += v->columns[c].width_mm;
            if (v->columns[c].width_mm < 2 * t->padding_mm + 3)
                lg_diags_add(d, LG_ERROR, "template-width", t->file, lg_xml_line(root),
                             "view \"%s\": column \"%s\" is %.1f mm wide, too narrow for "
                             "any text; make it at least %.1f mm",
                             v->name, v->columns[c].header, v->columns[c].width_mm,
                             2 * t->padding_mm + 3);
        }
        if (usable > 0 && sum > usable + 0.01)
            lg_diags_add(d, LG_ERROR, "template-width", t->file, lg_xml_line(root),
                         "view \"%s\": the columns are %.1f mm wide in all but the page has "
                         "%.1f mm between its margins; narrow the columns or the margins",
                         v->name, sum, usable);
    }
}

lg_template *lg_template_load(const char *path, lg_diags *d)
{
    size_t before = d->count;
    xmlDocPtr doc = lg_xml_read(path, d);
    if (!doc)
        return NULL;
    if (!lg_xml_validate(doc, "template", path, d)) {
        xmlFreeDoc(doc);
        return NULL;
    }
    lg_arena *a = lg_arena_new();
    lg_template *t = lg_arena_alloc(a, sizeof *t);
    t->arena = a;
    t->file = lg_arena_strdup(a, path);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr n = root->children; n; n = n->next)
        t->n_views += is_element(n, "view");
    t->views = lg_arena_alloc(a, t->n_views * sizeof *t->views);
    size_t v = 0;
    t->status = *lg_status_defaults();
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (is_element(n, "page")) {
            t->paper = lg_xml_attr(a, n, "paper");
            t->landscape = attr_is(a, n, "orientation", "landscape");
            double w, h;
            paper_size(t->paper, &w, &h);
            t->page_w_mm = t->landscape ? h : w;
            t->page_h_mm = t->landscape ? w : h;
            t->margin_top_mm = attr_num(a, n, "margin-top", 15);
            t->margin_bottom_mm = attr_num(a, n, "margin-bottom", 15);
            t->margin_left_mm = attr_num(a, n, "margin-left", 12);
            t->margin_right_mm = attr_num(a, n, "margin-right", 12);
            t->short_row_lines = (unsigned)attr_num(a, n, "short-row", 4);
            t->continued_mark = lg_xml_attr(a, n, "continued-mark");
        } else if (is_element(n, "fonts")) {
            for (xmlNodePtr f = n->children; f; f = f->next)
                if (is_element(f, "font"))
                    load_font(t, f, d);
        } else if (is_element(n, "cell")) {
            t->padding_mm = attr_num(a, n, "padding", 1.5);
            t->border_pt = attr_num(a, n, "border", 0.5);
        } else if (is_element(n, "title")) {
            t->title_format = lg_xml_attr(a, n, "format");
        } else if (is_element(n, "footer")) {
            t->footer_style = attr_is(a, n, "style", "gbt9704") ? LG_FOOTER_GBT9704
                                                                : LG_FOOTER_CENTER;
            t->footer_format = lg_xml_attr(a, n, "format");
            if (!t->footer_format)
                t->footer_format = t->footer_style == LG_FOOTER_GBT9704 ? "— {page} —"
                                                                         : "第 {page} 页 共 {pages} 页";
        } else if (is_element(n, "document")) {
            t->author = lg_xml_attr(a, n, "author");
        } else if (is_element(n, "status")) {
            load_status(t, n);
        } else if (is_element(n, "view")) {
            load_view(t, n, &t->views[v++]);
        }
    }
    if (!t->footer_font.family)
        t->footer_font = t->body_font; /* page numbers in the body's font unless said */
    check(t, root, d);
    xmlFreeDoc(doc);
    if (d->count > before && lg_diags_count(d, LG_ERROR)) {
        lg_template_free(t);
        return NULL;
    }
    return t;
}

void lg_template_free(lg_template *t)
{
    if (t)
        lg_arena_free(t->arena);
}

const lg_view_layout *lg_template_view(const lg_template *t, const char *name)
{
    for (size_t i = 0; i < t->n_views; i++)
        if (strcmp(t->views[i].name, name) == 0)
            return &t->views[i];
    return NULL;
}

const char *lg_template_default_path(void)
{
    static char buf[4096];
    const char *env = getenv("LEDGERC_TEMPLATE_DIR");
    if (env && *env) { /* named by the user: used even when it is missing, to say so */
        snprintf(buf, sizeof buf, "%s/ledger.xml", env);
        return buf;
    }
    char installed[sizeof buf - sizeof "/ledger.xml"];
    bool build_tree = lg_datadir_in_build_tree();
    const char *dirs[] = {
        lg_datadir_installed("ledgerc/templates", installed, sizeof installed) ? installed : NULL,
        build_tree ? LG_SOURCE_DATADIR "/templates" : NULL, /* never for an installed program */
        LG_INSTALL_DATADIR "/templates",
    };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (!dirs[i])
            continue;
        snprintf(buf, sizeof buf, "%s/ledger.xml", dirs[i]);
        if (access(buf, R_OK) == 0)
            return buf;
    }
    /* none is there: the message names where this program's own template belongs */
    snprintf(buf, sizeof buf, "%s/ledger.xml", build_tree ? dirs[1] : dirs[0] ? dirs[0] : dirs[2]);
    return buf;
}

char *lg_format_fields(const char *format, const char *title, int year, int month,
                       const char *page, const char *pages)
{
    size_t cap = strlen(format) + (title ? strlen(title) : 0) + 64, len = 0;
    char *out = lg_xmalloc(cap);
    for (const char *p = format; *p;) {
        char val[32];
        const char *sub = NULL;
        size_t skip = 0;
        if (strncmp(p, "{title}", 7) == 0)
            sub = title ? title : "", skip = 7;
        else if (strncmp(p, "{year}", 6) == 0)
            snprintf(val, sizeof val, "%04d", year), sub = val, skip = 6;
        else if (strncmp(p, "{month}", 7) == 0)
            snprintf(val, sizeof val, "%02d", month), sub = val, skip = 7;
        else if (strncmp(p, "{pages}", 7) == 0)
            sub = pages ? pages : "", skip = 7;
        else if (strncmp(p, "{page}", 6) == 0)
            sub = page ? page : "", skip = 6;
        size_t n = sub ? strlen(sub) : 1;
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            out = lg_xrealloc(out, cap);
        }
        if (sub) {
            memcpy(out + len, sub, n);
            p += skip;
        } else {
            out[len] = *p++;
        }
        len += n;
    }
    out[len] = '\0';
    return out;
}
