/* The PDF renderer, checked the way a reader of the file would: poppler's
 * pdfinfo, pdffonts and pdftotext read what lg_render_pdf wrote. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, popen */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "arena.h"
#include "layout.h"
#include "render.h"
#include "table.h"
#include "template.h"
#include "xmlload.h"

/* Rows of the seed ledger (tests/data/seed/expected-kjj-2022-10.json), the
 * unit filled in on every row as a view gives it before merging. */
static const char *const seed[][7] = {
    {"市直政府系统各单位", "1.深学笃行习近平新时代中国特色社会主义思想，全面贯彻习近平总书记视察山西重要讲话重要指示精神，不断提升政府治理体系和治理能力现代化水平。", "长期推进", "我局坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务。", "通过全体人员大会、主题党日等活动，结合上级要求，及时跟进学习中央、省、市相关会议和文件精神，持续在学懂弄通上下功夫，将党的创新理论入脑入心。", "是", ""},
    {"市直政府系统各单位", "2.认真执行市人大及其常委会的决议决定，贯彻执行地方性法规，自觉接受人大法律监督、政协民主监督和社会舆论监督。", "长期推进", "认真总结“十三五”以来，我市《中华人民共和国科学技术普及法》《山西省实施〈中华人民共和国科学技术普及法〉办法》的落实情况。严格执行国家法律法规，自觉接受市人大及其以来，常委会的监督，及时报告工作情况；严格执行市人大及其常委会的决议和决定，认真办好人大代表提出的议案和意见建议，积极配合市人大常委会和代表的视察调研。", "认真完成市人大和政协交办的各项工作，自觉接受人大法律监督、政协民主监督和社会舆论监督。", "是", ""},
    {"市直政府系统各单位", "3.把握全面从严治党要求，驰而不息纠治“四风”，强化重点领域关键岗位监管，扎实推进政府系统党风廉政建设和反腐败斗争。", "长期推进", "积极组织宣传国庆节前廉政教育，传达上级廉洁过节通知以及疫情防控中失职失责典型案件通报。", "结合全面建设清廉运城行动，持续常态化开展警示教育活动，推动纪律内化于心、外化于行；有序推进清廉机关创建工作。", "是", ""},
    {"市直政府系统各单位", "4.严控一般性支出，确保每一笔钱都用在刀刃上。", "长期推进", "完成项目绩效申报，2021年预算公开、2020年决算公开情况自查，保障人员经费到位", "计划完成编制2023年部门预算", "是", ""},
    {"市科技局", "139.落实好揭榜挂帅制，优化项目管理机制，实行结题验收备案制，为科研人员松绑减负赋权。", "2022年12月底前", "一是面向全市征集“揭榜挂帅”项目需求，重点对外加剂、水泵和风机三个产业领域的企业进行调研，对产业领域的８个关键技术需求多次组织专家研讨，梳理出制约行业发展的“卡脖子”技术难题。二是在“山西科技计划管理信息平台”系统对运城护理职业学院申报的山西省科技战略研究项目进行审核；对中车永济电机有限公司申报的山西省科技创新人才团队（重点团队）项目进行审核，对运城中心医院申报的4项第二批省级基础研究计划项目（面上项目）进行审核，并向省厅提交纸质材料。", "计划对承担2021年各类市级科技计划项目执行情况和专项经费使用情况进行现场检查。", "是", ""},
    {"市科技局", "140.加强镁合金薄板加工、电机绝缘系统等10项关键技术攻关，解锁更多原创性科技成果。", "2024年12月底前", "积极落实“揭榜挂帅”重大科技项目，“低密度高强韧镁合金薄板加工关键技术”、“光储直柔分布式光伏高效消纳关键技术研究”等8个“揭榜挂帅”项目正在顺利进行中。", "持续跟进各个项目进展，督促项目有序进行。", "是", ""},
    {"市科技局", "142.建好运城碳中和产业研究院。", "2022年12月底前", "与物化院协商确定：经费方面，由物化院自行筹集；人员方面，物化院拟配置各类专家及工作人员60余名（其中博士5名，硕士29名），学科带头人3-5名，市政府不需要设立编制；设备方面，物化院拟配备各类国内外先进设备80台套，总价值2000余万元，满足碳中和领域的科研需求；办公场地在清控创新基地（盐湖高新区）主楼二楼。物化院相关人员与施工设计人员已经进行实地测量；10月10日与清华大学碳中和研究院进行了线上工作对接，就碳中和领域合作进行了协商。", "一是与清华大学碳中和研究院进行第二次工作对接；二是与运城市能源局、发展和改革委员会等部门进行需求调研；三是与山西大学美术学院对接，确认研究院装修方案。", "是", ""},
};
#define N_SEED (sizeof seed / sizeof seed[0])
#define TITLE "2022年度《政府工作报告》落实情况台账（2022.10）"

typedef struct fixture {
    lg_template *tpl;
    const lg_view_layout *view;
    lg_layout *l;
    lg_arena *a;
    lg_diags d;
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lg_xml_init();
    f->tpl = lg_template_load(LG_SOURCE_DIR "/templates/ledger.xml", &f->d);
    lg_diags_print(&f->d, stderr);
    f->view = f->tpl ? lg_template_view(f->tpl, "unit") : NULL;
    f->l = lg_layout_new();
    f->a = lg_arena_new();
    strcpy(f->dir, "/tmp/test_render_pdf.XXXXXX");
    *state = f;
    return f->view && mkdtemp(f->dir) ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char *cmd = lg_xasprintf("rm -rf '%s'", f->dir);
    if (!getenv("LG_KEEP_PDF") && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(cmd);
    lg_diags_free(&f->d);
    lg_arena_free(f->a);
    lg_layout_free(f->l);
    lg_template_free(f->tpl);
    free(f);
    return 0;
}

/* ---- helpers -------------------------------------------------------------- */

/* The standard output of a shell command; the caller frees. */
static char *run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *run(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char cmd[2048];
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = 0, cap = 4096;
    char *out = lg_xmalloc(cap);
    size_t got;
    while ((got = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += got;
        if (cap - len < 2)
            out = lg_xrealloc(out, cap *= 2);
    }
    out[len] = '\0';
    assert_int_equal(pclose(p), 0);
    return out;
}

/* S without white space (pdftotext breaks wrapped lines and may space out
 * justified text); the caller frees. */
static char *strip(const char *s)
{
    char *out = lg_xmalloc(strlen(s) + 1), *o = out;
    for (; *s; s++)
        if (!strchr(" \t\r\n\f\v", *s))
            *o++ = *s;
    *o = '\0';
    return out;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static lg_table *new_table(fixture *f, const char *name)
{
    return lg_table_new(f->a, name, TITLE, f->view);
}

static void add_row(lg_table *t, const char *const cells[7])
{
    lg_cell *row = lg_table_add_row(t);
    for (size_t c = 0; c < 7; c++)
        row[c].text = lg_arena_strdup(t->arena, cells[c]);
}

/* The seed rows, merged and grouped as lg_view_unit makes them. */
static lg_table *seed_table(fixture *f, size_t n_rows)
{
    lg_table *t = new_table(f, "市科技局");
    for (size_t r = 0; r < n_rows; r++)
        add_row(t, seed[r]);
    lg_table_add_group(t, "市直政府系统各单位", 0, n_rows < 4 ? n_rows - 1 : 3);
    if (n_rows > 4)
        lg_table_add_group(t, "市科技局", 4, n_rows - 1);
    lg_table_merge_equal(t);
    return t;
}

static const lg_doc_info info = {
    .title = TITLE,
    .subject = "市科技局",
    .author = "市科技局",
    .keywords = "落实情况台账, 市科技局, 2022-10",
    .creator = "ledgerc test",
    .created = 1667260800, /* 2022-11-01 00:00:00 UTC */
};

/* Renders TABLES into the fixture's folder as NAME; returns the path (the
 * arena frees it). */
static const char *render(fixture *f, const lg_table *const *tables, size_t n, const char *name)
{
    const char *path = lg_arena_printf(f->a, "%s/%s", f->dir, name);
    bool ok = lg_render_pdf(tables, n, f->tpl, f->l, &info, path, &f->d);
    lg_diags_print(&f->d, stderr);
    assert_true(ok);
    assert_int_equal(lg_diags_count(&f->d, LG_ERROR), 0);
    return path;
}

static int page_count(const char *path)
{
    char *s = run("pdfinfo '%s'", path);
    const char *p = strstr(s, "Pages:");
    assert_non_null(p);
    int n = atoi(p + 6);
    free(s);
    return n;
}

/* The stripped text of PAGE (0: all pages) in content-stream order. */
static char *page_text(const char *path, int page)
{
    char *s = page ? run("pdftotext -raw -f %d -l %d '%s' -", page, page, path)
                   : run("pdftotext -raw '%s' -", path);
    char *out = strip(s);
    free(s);
    return out;
}

/* The left edges of the template's columns, centred as the renderer does, pt. */
static double column_x(const fixture *f, size_t col)
{
    double sum = 0, x = 0;
    for (size_t c = 0; c < f->view->n_columns; c++) {
        if (c == col)
            x = sum;
        sum += f->view->columns[c].width_mm;
    }
    if (col == f->view->n_columns)
        x = sum;
    const lg_template *t = f->tpl;
    double usable = t->page_w_mm - t->margin_left_mm - t->margin_right_mm;
    double left = t->margin_left_mm + (sum < usable ? (usable - sum) / 2 : 0);
    return LG_MM_TO_PT(left + x);
}

/* The stripped text inside column COL of every page, below the title and
 * above the footer, with the header that must begin it on every page and
 * a continued row's label removed: the column's cells in order, whatever
 * the page breaks. */
static char *column_text(fixture *f, const char *path, size_t col)
{
    const lg_template *t = f->tpl;
    /* Below the title's line: the header follows it after a gap. */
    lg_text_box *title = lg_layout_text(f->l, TITLE, &t->title_font,
                                        LG_MM_TO_PT(t->page_w_mm - t->margin_left_mm -
                                                    t->margin_right_mm),
                                        LG_ALIGN_CENTER, false);
    int x0 = (int)column_x(f, col) + 2, x1 = (int)column_x(f, col + 1) - 2;
    int y1 = (int)LG_MM_TO_PT(t->page_h_mm - t->margin_bottom_mm);
    char *header = lg_xstrdup(f->view->columns[col].header);
    size_t cap = 1024, len = 0;
    char *out = lg_xcalloc(1, cap);
    int pages = page_count(path);
    for (int p = 1; p <= pages; p++) {
        int y0 = (int)(LG_MM_TO_PT(t->margin_top_mm) + (p == 1 ? title->height + 2 : 0));
        char *raw = run("pdftotext -raw -f %d -l %d -x %d -y %d -W %d -H %d '%s' -", p, p, x0,
                        y0, x1 - x0, y1 - y0, path);
        char *s = strip(raw);
        if (strncmp(s, header, strlen(header)) != 0)
            fail_msg("page %d, column %zu: \"%s\" does not begin with the header \"%s\"", p, col,
                     s, header);
        const char *body = s + strlen(header);
        /* a row continued from the page before begins with its label again
         * (a unit's name or a task's number, with （续）): not the cell's text */
        const char *label_end = strstr(body, "（续）");
        if (p > 1 && label_end && label_end - body <= 40)
            body = label_end + strlen("（续）");
        size_t n = strlen(body);
        if (len + n + 1 > cap)
            out = lg_xrealloc(out, cap = 2 * (len + n + 1));
        memcpy(out + len, body, n + 1);
        len += n;
        free(s);
        free(raw);
    }
    free(header);
    lg_text_box_free(title);
    return out;
}

/* Every non-merging column of T reads back as its cells, in order, once. */
static void assert_columns_intact(fixture *f, const lg_table *t, const char *path)
{
    for (size_t c = 0; c < t->n_columns; c++) {
        if (t->columns[c].merge)
            continue;
        size_t cap = 1, len = 0;
        for (size_t r = 0; r < t->n_rows; r++)
            cap += strlen(lg_table_cell(t, r, c)->text);
        char *want = lg_xcalloc(1, cap);
        for (size_t r = 0; r < t->n_rows; r++) {
            char *s = strip(lg_table_cell(t, r, c)->text);
            memcpy(want + len, s, strlen(s) + 1);
            len += strlen(s);
            free(s);
        }
        char *got = column_text(f, path, c);
        assert_string_equal(got, want);
        free(got);
        free(want);
    }
}

/* A progress text of at least N characters from the seed's, numbered so that
 * a lost or repeated piece shows. */
static char *long_text(size_t n)
{
    char *s = lg_xstrdup("");
    for (int i = 1; utf8_len(s) < n; i++) {
        char *next = lg_xasprintf("%s（%d）%s", s, i, seed[i % N_SEED][3]);
        free(s);
        s = next;
    }
    return s;
}

/* Checks that pdfinfo's output OUT has the line "NAME:   VALUE". */
static void assert_field(const char *out, const char *name, const char *value)
{
    char *key = lg_xasprintf("%s:", name);
    const char *p = strstr(out, key);
    if (!p)
        fail_msg("pdfinfo shows no %s", name);
    p += strlen(key);
    p += strspn(p, " ");
    size_t n = strcspn(p, "\n");
    if (n != strlen(value) || strncmp(p, value, n) != 0)
        fail_msg("%s is \"%.*s\", not \"%s\"", name, (int)n, p, value);
    free(key);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_page_fonts_and_metadata(void **state)
{
    fixture *f = *state;
    const lg_table *t = seed_table(f, N_SEED);
    const char *path = render(f, &t, 1, "seed.pdf");

    char *s = run("pdfinfo '%s'", path);
    /* A4 landscape: 841.89 x 595.28 pt */
    double w = 0, h = 0;
    const char *size = strstr(s, "Page size:");
    assert_non_null(size);
    assert_int_equal(sscanf(size, "Page size: %lf x %lf pts", &w, &h), 2);
    assert_true(fabs(w - 841.89) < 0.01 && fabs(h - 595.28) < 0.01);
    assert_field(s, "Title", TITLE);
    assert_field(s, "Author", "市科技局");
    assert_field(s, "Subject", "市科技局");
    assert_field(s, "Keywords", "落实情况台账, 市科技局, 2022-10");
    assert_field(s, "Creator", "ledgerc test");
    assert_field(s, "CreationDate", "Tue Nov  1 00:00:00 2022 UTC");
    assert_field(s, "ModDate", "Tue Nov  1 00:00:00 2022 UTC");
    free(s);

    /* Every font embedded: the archive copy must print anywhere. */
    s = run("pdffonts '%s'", path);
    char *line = strstr(s, "\n---");
    assert_non_null(line);
    line = strchr(line + 1, '\n');
    int fonts = 0;
    for (char *save = NULL, *l = strtok_r(line, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        /* name type... emb sub uni id gen: emb is the fifth field from the end */
        char *tok[32];
        int n = 0;
        for (char *s2 = NULL, *word = strtok_r(l, " ", &s2); word && n < 32;
             word = strtok_r(NULL, " ", &s2))
            tok[n++] = word;
        assert_true(n >= 6);
        assert_string_equal(tok[n - 5], "yes");
        fonts++;
    }
    assert_true(fonts > 0);
    free(s);

    /* The seed's rows do not fit on one page. */
    assert_true(page_count(path) >= 2);
    assert_columns_intact(f, t, path);
    assert_int_equal(lg_diags_count(&f->d, LG_WARNING), 0);
}

/* Drawn cell by cell in row order: the text reads in the order of the table. */
static void test_reading_order(void **state)
{
    fixture *f = *state;
    const lg_table *t = seed_table(f, 3);
    const char *path = render(f, &t, 1, "order.pdf");
    assert_int_equal(page_count(path), 1);
    char *text = page_text(path, 0);
    const char *at = strstr(text, TITLE);
    assert_non_null(at);
    for (size_t c = 0; c < t->n_columns; c++) {
        char *h = strip(t->columns[c].header);
        assert_non_null(at = strstr(at, h));
        free(h);
    }
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_columns; c++) {
            if (lg_table_merge_at(t, r, c) && lg_table_merge_at(t, r, c)->row0 != r)
                continue;
            char *cell = strip(lg_table_cell(t, r, c)->text);
            const char *next = strstr(at, cell);
            if (!next)
                fail_msg("row %zu column %zu \"%s\" not found in order", r, c, cell);
            at = next + strlen(cell);
            free(cell);
        }
    assert_non_null(strstr(at, "第1页共1页"));
    free(text);
}

static void test_byte_identical(void **state)
{
    fixture *f = *state;
    const lg_table *t = seed_table(f, N_SEED);
    const char *a = render(f, &t, 1, "a.pdf");
    const char *b = render(f, &t, 1, "b.pdf");
    char *s = run("cmp '%s' '%s' && echo same", a, b);
    assert_string_equal(s, "same\n");
    free(s);
}

/* A row whose unit and task are both its own (a task only one unit reports
 * on, the unit's cell not merged with a neighbour's) says both again on
 * every page it continues on: 139.（续） and 市科技局（续）, each once. */
static void test_own_unit_and_task_both_labelled(void **state)
{
    fixture *f = *state;
    lg_table *t = new_table(f, "全市台账");
    char *progress = long_text(3000);
    const char *row[7] = {"市科技局", "139.长文本", "2022年12月底前", progress, "下月计划", "否", ""};
    add_row(t, seed[3]);
    add_row(t, row);
    lg_table_merge_equal(t);
    const lg_table *tt = t;
    const char *path = render(f, &tt, 1, "own-labels.pdf");
    int pages = page_count(path);
    assert_true(pages >= 3);
    for (int p = 2; p <= pages; p++) {
        char *s = page_text(path, p);
        assert_int_equal(count(s, "139.（续）"), 1);
        assert_int_equal(count(s, "市科技局（续）"), 1);
        free(s);
    }
    free(progress);
}

/* A 3,000-character entry runs over pages: split at line boundaries under a
 * repeated header, nothing lost, nothing twice. */
static void test_long_text(void **state)
{
    fixture *f = *state;
    lg_table *t = new_table(f, "市科技局");
    char *progress = long_text(3000);
    add_row(t, seed[4]);
    const char *row[7] = {"市科技局", "139.长文本", "2022年12月底前", progress, "下月计划", "否", ""};
    add_row(t, row);
    add_row(t, seed[5]);
    lg_table_merge_equal(t);
    lg_table_add_group(t, "市科技局", 0, 2);
    const lg_table *tt = t;
    const char *path = render(f, &tt, 1, "long.pdf");

    int pages = page_count(path);
    assert_true(pages >= 3);
    char *all = page_text(path, 0);
    /* the header on every page, the page numbers of the whole file */
    assert_int_equal(count(all, "下个月工作计划"), (size_t)pages);
    for (int p = 1; p <= pages; p++) {
        char *want = lg_xasprintf("第%d页共%d页", p, pages);
        char *s = page_text(path, p);
        assert_non_null(strstr(s, want));
        /* the unit's merge continues on every page after the first */
        assert_int_equal(count(s, "市科技局（续）"), p > 1);
        free(s);
        free(want);
    }
    free(all);
    assert_columns_intact(f, t, path);
    free(progress);
}

/* A unit's 40 rows under one merged cell: closed at each page's bottom and
 * printed again with （续） under the repeated header. */
static void test_merged_group_across_pages(void **state)
{
    fixture *f = *state;
    lg_table *t = new_table(f, "市直政府系统各单位");
    for (int r = 0; r < 40; r++) {
        const char *const *s = seed[r % N_SEED];
        char *task = lg_arena_printf(f->a, "%d.%s", r + 1, strchr(s[1], '.') + 1);
        const char *row[7] = {"市直政府系统各单位", task, s[2], s[3], s[4], s[5], s[6]};
        add_row(t, row);
    }
    for (int r = 0; r < 3; r++)
        add_row(t, seed[4 + r]);
    lg_table_merge_equal(t);
    lg_table_add_group(t, "市直政府系统各单位", 0, 39);
    lg_table_add_group(t, "市科技局", 40, 42);
    /* a task's text as a label: its bookmark shows the first 28 characters */
    lg_table_add_group(t, "141.持续常态化开展警示教育活动，严格执行国家法律法规，自觉接受监督。", 41, 41);
    assert_int_equal(t->n_merges, 2);
    const lg_table *tt = t;
    const char *path = render(f, &tt, 1, "merged.pdf");

    int pages = page_count(path);
    assert_true(pages >= 4);
    char *s = page_text(path, 1);
    assert_int_equal(count(s, "（续）"), 0);
    assert_int_equal(count(s, "市直政府系统各单位"), 1);
    free(s);
    int cont = 0;
    for (int p = 2; p <= pages; p++) {
        s = page_text(path, p);
        cont += count(s, "市直政府系统各单位（续）") == 1;
        free(s);
    }
    /* every page but the last shows the 40-row unit continued (the last may
     * begin with the next unit) */
    assert_true(cont >= pages - 2);
    assert_columns_intact(f, t, path);

    /* bookmarks: the table and its groups */
    s = run("pdftohtml -xml -i -stdout '%s'", path);
    assert_non_null(strstr(s, "<outline>"));
    assert_int_equal(count(s, ">市直政府系统各单位</item>"), 2);
    assert_int_equal(count(s, ">市科技局</item>"), 1);
    assert_int_equal(count(s, ">141.持续常态化开展警示教育活动，严格执行国家法律法规…</item>"), 1);
    /* the second group's bookmark points at the page where its first row begins */
    int first = 0;
    for (int p = pages; p >= 1; p--) {
        char *text = page_text(path, p);
        if (strstr(text, "139.落实好揭榜挂帅制"))
            first = p;
        free(text);
    }
    char *item = lg_xasprintf("<item page=\"%d\">市科技局</item>", first);
    assert_non_null(strstr(s, item));
    free(item);
    free(s);
}

/* Unit names taller than their two one-line rows: the rows grow, and a page
 * break never cuts a name; a group that would leave its name no room at a
 * page's bottom starts on the next page. */
static void test_merged_text_taller_than_rows(void **state)
{
    fixture *f = *state;
    lg_table *t = new_table(f, "各单位");
    enum { GROUPS = 30 };
    char *names[GROUPS];
    for (int g = 0; g < GROUPS; g++) {
        names[g] = lg_arena_printf(f->a, "第%d个市直单位机关事务服务中心", g + 1);
        for (int r = 0; r < 2; r++) {
            char *task = lg_arena_printf(f->a, "%d.任务", 2 * g + r + 1);
            const char *row[7] = {names[g], task, "长期推进", "进展", "计划", "是", ""};
            add_row(t, row);
        }
        lg_table_add_group(t, names[g], 2 * (size_t)g, 2 * (size_t)g + 1);
    }
    lg_table_merge_equal(t);
    const lg_table *tt = t;
    const char *path = render(f, &tt, 1, "tall.pdf");
    assert_true(page_count(path) >= 2);

    /* The unit column reads as whole names in order, each once, or again
     * with （续） when its rows continue on a new page. */
    char *got = column_text(f, path, 0);
    const char *at = got;
    for (int g = 0; g < GROUPS; g++) {
        char *cont = lg_xasprintf("%s（续）", names[g]);
        if (strncmp(at, names[g], strlen(names[g])) != 0)
            fail_msg("unit %d: expected \"%s\" at \"%.60s\"", g + 1, names[g], at);
        at += strlen(names[g]);
        while (strncmp(at, cont, strlen(cont)) == 0)
            at += strlen(cont);
        free(cont);
    }
    assert_string_equal(at, "");
    free(got);
    assert_columns_intact(f, t, path);
}

static void test_gbt9704_footer(void **state)
{
    fixture *f = *state;
    f->tpl->footer_style = LG_FOOTER_GBT9704;
    f->tpl->footer_format = "— {page} —";
    const lg_table *t = seed_table(f, N_SEED);
    const char *path = render(f, &t, 1, "gbt.pdf");
    assert_true(page_count(path) >= 2);
    /* odd pages on the right, even pages on the left */
    int mid = (int)(LG_MM_TO_PT(f->tpl->page_w_mm) / 2);
    int h = (int)LG_MM_TO_PT(f->tpl->page_h_mm);
    char *right = run("pdftotext -raw -f 1 -l 1 -x %d -y %d -W %d -H 60 '%s' -", mid, h - 60,
                      mid, path);
    char *left = run("pdftotext -raw -f 2 -l 2 -x 0 -y %d -W %d -H 60 '%s' -", h - 60, mid, path);
    assert_non_null(strstr(right, "— 1 —"));
    assert_non_null(strstr(left, "— 2 —"));
    free(right);
    free(left);
}

/* The text pdftotext finds in the top margin (MARGIN_MM) of page PAGE. */
static char *top_margin(const fixture *f, const char *path, int page)
{
    int w = (int)LG_MM_TO_PT(f->tpl->page_w_mm);
    int h = (int)LG_MM_TO_PT(f->tpl->margin_top_mm);
    return run("pdftotext -raw -f %d -l %d -x 0 -y 0 -W %d -H %d '%s' -", page, page, w, h, path);
}

/* <page continued-mark="续表">: the mark above every page of a table but its
 * first, in the top margin; none without it. */
static void test_continued_mark(void **state)
{
    fixture *f = *state;
    const lg_table *t = seed_table(f, N_SEED);
    const char *plain = render(f, &t, 1, "plain-mark.pdf");
    f->tpl->continued_mark = "续表";
    const char *path = render(f, &t, 1, "mark.pdf");
    int pages = page_count(path);
    assert_true(pages >= 2);
    assert_int_equal(page_count(plain), pages);
    for (int p = 1; p <= pages; p++) {
        char *got = top_margin(f, path, p), *none = top_margin(f, plain, p);
        if (p == 1)
            assert_null(strstr(got, "续表"));
        else
            assert_non_null(strstr(got, "续表"));
        assert_null(strstr(none, "续表"));
        free(got);
        free(none);
    }
}

/* Groups that start a new page (every unit of the by-unit ledger) do, and a
 * table's chart gets a page of its own after the table, with a bookmark. */
static void test_new_page_groups_and_chart(void **state)
{
    fixture *f = *state;
    lg_table *t = seed_table(f, 3);
    t->n_groups = 0;
    for (size_t r = 0; r < 3; r++)
        lg_table_add_group(t, seed[r][0][0] ? seed[r][0] : "续", r, r)->new_page = true;
    lg_cell_set_number(t, lg_table_cell(t, 0, 6), 0.25, true);
    lg_cell_set_number(t, lg_table_cell(t, 1, 6), 1, true);
    lg_cell_set_number(t, lg_table_cell(t, 2, 6), 0, true);
    lg_chart chart = {"各单位序时进度达标率", 2, 6, 0, 2, false, 0};
    t->chart = &chart;
    const lg_table *tt = t;
    const char *path = render(f, &tt, 1, "groups.pdf");
    assert_int_equal(page_count(path), 4);
    for (int p = 1; p <= 3; p++) {
        char *s = page_text(path, p);
        assert_non_null(strstr(s, "是否达到序时进度")); /* the header on every table page */
        free(s);
    }
    char *s = page_text(path, 4);
    assert_null(strstr(s, "是否达到序时进度"));
    assert_non_null(strstr(s, "各单位序时进度达标率"));
    assert_non_null(strstr(s, "25.0%"));
    assert_non_null(strstr(s, "100.0%"));
    assert_non_null(strstr(s, "第4页共4页"));
    free(s);
    char *outline = run("pdftohtml -xml -i -stdout '%s' | grep -c '<item page=\"4\">'", path);
    assert_int_equal(atoi(outline), 1);
    free(outline);
}

static void test_write_error(void **state)
{
    fixture *f = *state;
    const lg_table *t = seed_table(f, 1);
    const char *path = "/nonexistent/dir/x.pdf";
    assert_false(lg_render_pdf(&t, 1, f->tpl, f->l, &info, path, &f->d));
    assert_int_equal(lg_diags_count(&f->d, LG_ERROR), 1);
    /* one message naming the folder and the cause (outfile.h) */
    assert_string_equal(f->d.items[0].kind, "write");
    assert_string_equal(f->d.items[0].file, "/nonexistent/dir");
    assert_string_equal(f->d.items[0].message,
                        "cannot write into this folder: No such file or directory");
}

/* Columns narrower than the page: the table is centred between the margins. */
static void test_narrow_table_centred(void **state)
{
    fixture *f = *state;
    for (size_t c = 0; c < f->view->n_columns; c++)
        f->view->columns[c].width_mm *= 0.7;
    const lg_table *t = seed_table(f, N_SEED);
    const char *path = render(f, &t, 1, "narrow.pdf");
    assert_columns_intact(f, t, path);
}

/* Pixels of page 1 of PATH at 72 dpi (1 px = 1 pt): W x H RGB triples. */
typedef struct pixels {
    int w, h;
    unsigned char *rgb;
} pixels;

static pixels page_pixels_at(fixture *f, const char *path, int dpi);

static pixels page_pixels(fixture *f, const char *path)
{
    return page_pixels_at(f, path, 72);
}

/* Pixels of page 1 of PATH at DPI. */
static pixels page_pixels_at(fixture *f, const char *path, int dpi)
{
    char *out = run("pdftoppm -r %d -f 1 -l 1 -singlefile '%s' '%s/page' && echo ok", dpi, path,
                    f->dir);
    assert_string_equal(out, "ok\n");
    free(out);
    char *ppm = lg_xasprintf("%s/page.ppm", f->dir);
    FILE *in = fopen(ppm, "rb");
    assert_non_null(in);
    pixels px = {0};
    int max = 0;
    assert_int_equal(fscanf(in, "P6 %d %d %d", &px.w, &px.h, &max), 3);
    assert_int_equal(max, 255);
    fgetc(in); /* the one white space after the header */
    size_t n = (size_t)px.w * (size_t)px.h * 3;
    px.rgb = lg_xmalloc(n);
    assert_int_equal(fread(px.rgb, 1, n, in), n);
    fclose(in);
    free(ppm);
    return px;
}

/* The box pdftotext gives the word WORD on page 1 (the first one at or
 * below Y_FROM), as x0 y0 x1 y1 in pt; false when there is none. */
static bool word_box(const char *bbox, const char *word, double y_from, double box[4])
{
    char *key = lg_xasprintf(">%s</word>", word);
    bool found = false;
    for (const char *p = bbox; !found && (p = strstr(p, key)); p += strlen(key)) {
        const char *w = p;
        while (w > bbox && strncmp(w, "<word ", 6) != 0)
            w--;
        found = sscanf(w, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &box[0],
                       &box[1], &box[2], &box[3]) == 4 &&
                box[1] >= y_from;
    }
    free(key);
    return found;
}

/* A bar chart of a city's 60 units: its labels are at least 7 pt (issue
 * 14), the bars going on over as many pages as that needs, every unit's
 * name once. 7 pt is read as a label's box against a 10 pt body cell's. */
static void test_chart_labels_readable(void **state)
{
    fixture *f = *state;
    assert_true(f->tpl->body_font.size == 10);
    lg_table *t = new_table(f, "汇总");
    enum { N = 60 };
    for (size_t r = 0; r < N; r++) {
        char name[32];
        snprintf(name, sizeof name, "单位%02zu", r);
        const char *const cells[7] = {name, "", "", "", "", "", ""};
        add_row(t, cells);
        lg_cell_set_number(t, lg_table_cell(t, r, 6), (double)r / N, true);
    }
    lg_chart chart = {"各单位序时进度达标率", 0, 6, 0, N - 1, false, 0};
    t->chart = &chart;
    const lg_table *tt = t;
    const char *path = render(f, &tt, 1, "chart.pdf");

    /* the table's pages, then the chart's */
    int pages = page_count(path), first_chart = 0;
    for (int p = 1; p <= pages && !first_chart; p++) {
        char *s = page_text(path, p);
        if (!strstr(s, "是否达到序时进度"))
            first_chart = p;
        free(s);
    }
    assert_true(first_chart > 1);
    assert_true(pages - first_chart + 1 >= 2); /* 60 bars at 7 pt do not fit one page */

    char *body = run("pdftotext -bbox -f 1 -l 1 '%s' -", path);
    double cell[4];
    assert_true(word_box(body, "单位00", 0, cell));
    free(body);
    char *chart_text = run("pdftotext -raw -f %d -l %d '%s' -", first_chart, pages, path);
    for (int p = first_chart; p <= pages; p++) {
        char *bbox = run("pdftotext -bbox -f %d -l %d '%s' -", p, p, path);
        for (size_t r = 0; r < N; r++) {
            char name[32];
            snprintf(name, sizeof name, "单位%02zu", r);
            double box[4];
            if (word_box(bbox, name, 0, box))
                assert_true(box[3] - box[1] >= 0.7 * (cell[3] - cell[1]) - 0.01);
        }
        free(bbox);
    }
    for (size_t r = 0; r < N; r++) {
        char name[32];
        snprintf(name, sizeof name, "\n单位%02zu ", r);
        assert_int_equal(count(chart_text, name), 1);
    }
    free(chart_text);
}

/* A pixel of the renderer's dark red (0x9C0006), or of its edge smoothed
 * into the white page: red well above green and blue. Black, grey and white
 * have the three equal. */
static bool is_red(const unsigned char *p)
{
    return p[0] > p[1] + 48 && p[0] > p[2] + 48;
}

/* (c) What needs attention stands out: 未报送 (LG_CELL_MISSING) and 否
 * (LG_CELL_BEHIND) are drawn in red, every other text in black, the same
 * word unflagged (是 beside 否, 未报送 typed by a unit) in black too. */
static void test_status_colours(void **state)
{
    fixture *f = *state;
    lg_table *t = new_table(f, "市科技局");
    const char *const behind[7] = {"市科技局", seed[4][1], seed[4][2], seed[4][3],
                                   seed[4][4], "否", ""};
    const char *const missing[7] = {"市科技局", seed[5][1], seed[5][2], "未报送", "", "", ""};
    const char *const plain[7] = {"市科技局", seed[6][1], seed[6][2], "未报送", "是", "是", ""};
    add_row(t, behind);
    add_row(t, missing);
    add_row(t, plain);
    lg_table_cell(t, 0, 5)->flags = LG_CELL_BEHIND;
    lg_table_cell(t, 1, 3)->flags = LG_CELL_MISSING;
    lg_table_add_group(t, "市科技局", 0, 2);
    lg_table_merge_equal(t);
    const lg_table *tt = t;
    const char *path = render(f, &tt, 1, "colours.pdf");

    char *bbox = run("pdftotext -bbox -f 1 -l 1 '%s' -", path);
    double red_boxes[2][4], plain_box[4];
    assert_true(word_box(bbox, "否", 0, red_boxes[0]));
    assert_true(word_box(bbox, "未报送", 0, red_boxes[1]));
    /* the unflagged 未报送 of the last row, below the flagged one */
    assert_true(word_box(bbox, "未报送", red_boxes[1][3], plain_box));
    free(bbox);

    pixels px = page_pixels(f, path);
    size_t in_box[2] = {0, 0}, outside = 0, in_plain = 0;
    for (int y = 0; y < px.h; y++)
        for (int x = 0; x < px.w; x++) {
            const unsigned char *p = px.rgb + 3 * ((size_t)y * (size_t)px.w + (size_t)x);
            bool red = is_red(p);
            bool boxed = false;
            for (int b = 0; b < 2; b++)
                if (x >= red_boxes[b][0] - 1 && x <= red_boxes[b][2] + 1 &&
                    y >= red_boxes[b][1] - 1 && y <= red_boxes[b][3] + 1) {
                    in_box[b] += red;
                    boxed = true;
                }
            if (x >= plain_box[0] && x <= plain_box[2] && y >= plain_box[1] && y <= plain_box[3])
                in_plain += !is_red(p) && p[0] < 0xA0; /* grey to black ink */
            if (!boxed)
                outside += red;
        }
    free(px.rgb);
    if (in_box[0] < 10 || in_box[1] < 10)
        fail_msg("red pixels on 否: %zu, on 未报送: %zu; both should be drawn in red", in_box[0],
                 in_box[1]);
    if (outside)
        fail_msg("%zu red pixels outside the flagged cells' words", outside);
    assert_true(in_plain >= 10);
}


/* ---- statuses (LG_CELL_STATUS) -------------------------------------------- */

#define SCALE 3 /* px per pt of the pages sampled for marks */

/* The pixel at X, Y pt of PX (rendered at SCALE). */
static const unsigned char *pixel_at(const pixels *px, double x, double y)
{
    int ix = (int)lround(x * SCALE), iy = (int)lround(y * SCALE);
    assert_true(ix >= 0 && ix < px->w && iy >= 0 && iy < px->h);
    return px->rgb + 3 * ((size_t)iy * (size_t)px->w + (size_t)ix);
}

/* Whether the pixel P is the colour RGB (0xRRGGBB), give or take smoothing. */
static bool is_colour(const unsigned char *p, unsigned rgb)
{
    int want[3] = {(int)(rgb >> 16 & 0xFF), (int)(rgb >> 8 & 0xFF), (int)(rgb & 0xFF)};
    for (int k = 0; k < 3; k++)
        if (abs(p[k] - want[k]) > 3)
            return false;
    return true;
}

static bool is_dark(const unsigned char *p)
{
    return p[0] < 96 && p[1] < 96 && p[2] < 96;
}

/* The dark pixels of the box X0..X1, Y0..Y1 pt of PX, as a bitmap of
 * MASK_W x MASK_H px from its top left corner. */
enum { MASK_W = 14 * SCALE, MASK_H = 22 * SCALE };
static void dark_mask(const pixels *px, double x0, double y0, bool mask[MASK_H][MASK_W])
{
    for (int y = 0; y < MASK_H; y++)
        for (int x = 0; x < MASK_W; x++)
            mask[y][x] = is_dark(pixel_at(px, x0 + (double)x / SCALE, y0 + (double)y / SCALE));
}

/* How many pixels A and B differ by, the least over shifts of a pixel. */
static size_t mask_distance(bool a[MASK_H][MASK_W], bool b[MASK_H][MASK_W])
{
    size_t best = SIZE_MAX;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            size_t n = 0;
            for (int y = 1; y < MASK_H - 1; y++)
                for (int x = 1; x < MASK_W - 1; x++)
                    n += a[y][x] != b[y + dy][x + dx];
            if (n < best)
                best = n;
        }
    return best;
}

/* The top of the first body row's unit name in BBOX (pdftotext -bbox). */
static double first_row_top(const char *bbox)
{
    double box[4];
    assert_true(word_box(bbox, "甲局", 0, box));
    return box[1] - 1;
}

/* A row of each status, and one 滞后 escalated, each with its 是否达到序时进度
 * cell showing it; the unit names the rows. */
static const char *const status_units[] = {"甲局", "乙局", "丙局", "丁局", "戊局", "己局", "庚局",
                                           "辛局"};
enum { N_STATUS_ROWS = LG_STATUS_COUNT + 1 };

static lg_status status_of_row(size_t r)
{
    return (lg_status){r < LG_STATUS_COUNT ? (lg_status_kind)r : LG_STATUS_BEHIND,
                       r == LG_STATUS_COUNT};
}

/* (d) A cell that shows a status is filled with the template's colour of the
 * status, with a mark of its own in its top left corner (the marks differ
 * in black and white: dark pixels), framed in a thick line when escalated;
 * the legend under the title names each status beside a swatch of its
 * colour. */
static void test_status_marks(void **state)
{
    fixture *f = *state;
    lg_table *t = new_table(f, "市科技局");
    t->status = &f->tpl->status;
    for (size_t r = 0; r < N_STATUS_ROWS; r++) {
        lg_status st = status_of_row(r);
        const char *const cells[7] = {status_units[r], "1.任务。", "长期推进", "进展。", "计划。",
                                      st.kind == LG_STATUS_BEHIND ? "否" : "是", ""};
        add_row(t, cells);
        lg_cell_set_status(lg_table_cell(t, r, 5), st);
    }
    /* and a long text in a cell that shows a status: it wraps right of the mark */
    const char *const long_cell[7] = {status_units[N_STATUS_ROWS], "1.任务。", "长期推进", "进展。",
                                      "计划。", "是是是是是是是是是是是是", ""};
    add_row(t, long_cell);
    lg_cell_set_status(lg_table_cell(t, N_STATUS_ROWS, 5), status_of_row(0));
    const lg_table *tt = t;
    const char *path = render(f, &tt, 1, "marks.pdf");
    const lg_status_rules *rules = &f->tpl->status;

    char *text = page_text(path, 1);
    char *legend = lg_xasprintf("图例：%s%s%s%s%s%s%s", rules->names[0], rules->names[1],
                                rules->names[2], rules->names[3], rules->names[4],
                                rules->names[5], rules->escalated_name);
    assert_non_null(strstr(text, legend));
    free(legend);
    free(text);

    char *bbox = run("pdftotext -bbox -f 1 -l 1 '%s' -", path);
    pixels px = page_pixels_at(f, path, 72 * SCALE);
    double x0 = column_x(f, 5), x1 = column_x(f, 6), pad = LG_MM_TO_PT(f->tpl->padding_mm);
    static bool masks[N_STATUS_ROWS][MASK_H][MASK_W];
    for (size_t r = 0; r < N_STATUS_ROWS; r++) {
        lg_status st = status_of_row(r);
        unsigned colour = rules->colours[st.kind];
        double box[4];
        assert_true(word_box(bbox, status_units[r], 0, box));
        double mid = (box[1] + box[3]) / 2;
        /* filled right of the word, to the right border */
        for (double x = x1 - 6; x <= x1 - 2.5; x += 0.5)
            if (!is_colour(pixel_at(&px, x, mid), colour))
                fail_msg("row %zu: the %s cell is not filled with %06X at %.1f pt", r,
                         rules->names[st.kind], colour, x);
        /* framed when escalated: dark just inside its left and right borders */
        for (double y = mid - 2; y <= mid + 2; y += 1) {
            assert_int_equal(is_dark(pixel_at(&px, x0 + 1, y)), st.escalated);
            assert_int_equal(is_dark(pixel_at(&px, x1 - 1, y)), st.escalated);
        }
        dark_mask(&px, x0 + pad - 2, box[1] - 4, masks[r]);
        size_t dark = 0;
        for (int y = 0; y < MASK_H; y++)
            for (int x = 0; x < MASK_W; x++)
                dark += masks[r][y][x];
        if (dark < 10 * SCALE)
            fail_msg("row %zu (%s): no mark (%zu dark pixels)", r, rules->names[st.kind], dark);
    }
    for (size_t a = 0; a < LG_STATUS_COUNT; a++)
        for (size_t b = a + 1; b < LG_STATUS_COUNT; b++)
            if (mask_distance(masks[a], masks[b]) < 10 * SCALE)
                fail_msg("the marks of %s and %s look alike in black and white", rules->names[a],
                         rules->names[b]);
    /* no text over a mark: every word in the column right of the marks */
    size_t words = 0;
    double mark_right = x0 + pad + f->tpl->body_font.size * 0.75;
    for (const char *w = bbox; (w = strstr(w, "<word ")); w++) {
        double b[4];
        assert_int_equal(sscanf(w, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"",
                                &b[0], &b[1], &b[2], &b[3]), 4);
        double centre = (b[0] + b[2]) / 2;
        if (centre > x0 && centre < x1 && b[1] > first_row_top(bbox)) {
            words++;
            if (b[0] < mark_right)
                fail_msg("a word at %.1f pt runs over the marks (to %.1f pt)", b[0], mark_right);
        }
    }
    assert_true(words >= N_STATUS_ROWS + 2); /* 是, 否 and the long text's lines */
    /* the legend: a swatch of each status's colour left of its name */
    const char *names[LG_STATUS_COUNT];
    for (size_t k = 0; k < LG_STATUS_COUNT; k++)
        names[k] = rules->names[k];
    double first_row[4];
    assert_true(word_box(bbox, status_units[0], 0, first_row));
    for (size_t k = 0; k < LG_STATUS_COUNT; k++) {
        double box[4];
        assert_true(word_box(bbox, names[k], 0, box));
        assert_true(box[3] < first_row[1]); /* above the table */
        double size = f->tpl->body_font.size * 0.85, left = box[0] - 0.3 * size - 1.8 * size;
        assert_true(is_colour(pixel_at(&px, left + 1.5, (box[1] + box[3]) / 2),
                              rules->colours[k]));
    }
    free(px.rgb);
    free(bbox);
}

/* The legend on the first page of each part: under the title, and above the
 * header of each group that starts a new page; not on a page that goes on
 * with the same part. No status, no legend. */
static void test_status_legend_parts(void **state)
{
    fixture *f = *state;
    lg_table *t = seed_table(f, 3);
    t->n_groups = 0;
    for (size_t r = 0; r < 3; r++) {
        lg_table_add_group(t, seed[r][1], r, r)->new_page = true;
        lg_cell_set_status(lg_table_cell(t, r, 5), (lg_status){LG_STATUS_NORMAL, false});
    }
    t->status = &f->tpl->status;
    lg_table *one = seed_table(f, N_SEED); /* one part over several pages */
    for (size_t r = 0; r < N_SEED; r++)
        lg_cell_set_status(lg_table_cell(one, r, 5), (lg_status){LG_STATUS_DONE, false});
    one->status = &f->tpl->status;
    const lg_table *plain = seed_table(f, 1);
    const lg_table *ts[3] = {t, one, plain};
    const char *path = render(f, ts, 3, "parts.pdf");
    int pages = page_count(path);
    assert_true(pages >= 3 + 2 + 1);
    for (int p = 1; p <= pages; p++) {
        char *s = page_text(path, p);
        bool want = p <= 4; /* the 3 parts, the first page of the long table */
        assert_int_equal(count(s, "图例："), want);
        free(s);
        if (!want)
            continue;
        /* between the title (or the page's top) and the header */
        char *bbox = run("pdftotext -bbox -f %d -l %d '%s' -", p, p, path);
        double legend[4], header[4];
        assert_true(word_box(bbox, "图例：", 0, legend));
        assert_true(word_box(bbox, "工作任务", 0, header));
        assert_true(legend[3] <= header[1]);
        assert_true(legend[1] >= LG_MM_TO_PT(f->tpl->margin_top_mm) - 1);
        /* and the rows below the header (the last line of its 是否达到序时进度) */
        double header_end[4], row[4];
        assert_true(word_box(bbox, "进度", 0, header_end));
        assert_true(word_box(bbox, "是", 0, row));
        assert_true(row[1] >= header_end[3]);
        free(bbox);
    }
}

/* Two tables: each starts on a new page; page numbers count the whole file. */
/* The first N characters of the seed's progress texts, one after another; the
 * caller frees. */
static char *text_of(size_t n)
{
    size_t cap = 4 * n + 1, len = 0, k = 0;
    char *out = lg_xmalloc(cap);
    for (size_t i = 0; k < n; i++) {
        const char *s = seed[i % N_SEED][3];
        for (; *s && k < n; k++) {
            size_t step = 1;
            while (((unsigned char)s[step] & 0xC0) == 0x80)
                step++;
            memcpy(out + len, s, step);
            len += step;
            s += step;
        }
    }
    out[len] = '\0';
    return out;
}

/* A figure of bench/typeset-report's JSON report on PATH. */
static long typeset_figure(const char *path, const char *name)
{
    char *s = run("/usr/bin/python3 '%s/bench/typeset-report' --json '%s'", LG_SOURCE_DIR, path);
    char *key = lg_xasprintf("\"%s\": ", name);
    const char *p = strstr(s, key);
    if (!p)
        fail_msg("typeset-report shows no %s:\n%s", name, s);
    long v = strtol(p + strlen(key), NULL, 10);
    free(key);
    free(s);
    return v;
}

/* A generated unit of 60 rows, short (1 to 4 lines) and long (up to longer
 * than a page), in an order that puts every kind of row at some page's
 * bottom: no row is split with one line on either page, no short row is
 * split, no row is split that fits on the next page with a line alone, a
 * continued part repeats its task's number, and no text is lost or
 * repeated. */
static void test_page_breaks(void **state)
{
    fixture *f = *state;
    /* progress lengths in characters: about 21 to a line in its 78 mm column */
    static const size_t lengths[] = {10, 60, 45, 130, 20, 85, 300, 25, 700, 66, 40, 1000, 150};
    const size_t n_len = sizeof lengths / sizeof lengths[0];
    lg_table *t = new_table(f, "市生成单位");
    char *texts[60];
    for (size_t r = 0; r < 60; r++) {
        texts[r] = text_of(lengths[(r * 7) % n_len] + r % 5);
        /* some tasks as long as their progress: their text continues too */
        char *task = lg_arena_printf(f->a, "%zu.生成任务%s", r + 1, r % 9 == 4 ? texts[r] : "");
        const char *row[7] = {"市生成单位", task, "长期推进", texts[r], "持续推进。", "是", ""};
        add_row(t, row);
    }
    lg_table_merge_equal(t);
    lg_table_add_group(t, "市生成单位", 0, 59);
    const lg_table *tt = t;
    const char *path = render(f, &tt, 1, "breaks.pdf");
    assert_true(page_count(path) >= 10);
    assert_int_equal(typeset_figure(path, "widows"), 0);
    assert_int_equal(typeset_figure(path, "orphans"), 0);
    assert_int_equal(typeset_figure(path, "avoidable_splits"), 0);
    /* each continued part says whose it is: its task's number with （续） */
    assert_int_equal(typeset_figure(path, "unlabelled_continuations"), 0);
    char *s = page_text(path, 0);
    assert_true(count(s, ".（续）") > 0);
    free(s);
    /* long rows are still split where a page ends: not every row moves */
    assert_true(typeset_figure(path, "split_rows_fitting_next_page") > 0);
    assert_columns_intact(f, t, path);
    for (size_t r = 0; r < 60; r++)
        free(texts[r]);
}

/* One row, of lengths from one that fits on the first page to one that ends
 * a few lines into the second, 6 characters at a time: never a single line
 * alone on the second page. */
static void test_long_row_no_widow(void **state)
{
    fixture *f = *state;
    for (size_t n = 596; n <= 680; n += 6) {
        lg_table *t = new_table(f, "市生成单位");
        char *text = text_of(n);
        const char *row[7] = {"市生成单位", "1.生成任务", "长期推进", text, "持续推进。", "是", ""};
        add_row(t, row);
        const lg_table *tt = t;
        const char *path = render(f, &tt, 1, lg_arena_printf(f->a, "row-%zu.pdf", n));
        int pages = page_count(path);
        /* the lengths cross from one page to two a line (about 21 characters) at a time */
        if (n == 596 || n == 680)
            assert_int_equal(pages, n == 596 ? 1 : 2);
        long widows = typeset_figure(path, "widows");
        if (widows)
            fail_msg("a %zu-character row leaves one line on its second page", n);
        assert_columns_intact(f, t, path);
        free(text);
    }
}

/* One-line rows and a bold 合计 row, for every row count from one page to
 * two: the table's last page never holds the total alone. */
static void test_total_never_alone(void **state)
{
    fixture *f = *state;
    int pages[31] = {0};
    for (int n = 12; n <= 30; n++) {
        lg_table *t = new_table(f, "汇总");
        for (int r = 0; r < n; r++) {
            const char *row[7] = {"市生成单位", lg_arena_printf(f->a, "%d.任务", r + 1), "长期推进",
                                  "推进中。", "持续推进。", "是", ""};
            add_row(t, row);
        }
        const char *total[7] = {"合计", "", "", "", "", "", ""};
        add_row(t, total);
        lg_table_cell(t, (size_t)n, 0)->flags |= LG_CELL_STRONG;
        const lg_table *tt = t;
        const char *path = render(f, &tt, 1, lg_arena_printf(f->a, "total-%d.pdf", n));
        assert_int_equal(typeset_figure(path, "lone_totals"), 0);
        pages[n] = page_count(path);
        char *last = page_text(path, page_count(path));
        assert_non_null(strstr(last, "合计"));
        free(last);
    }
    /* the counts go from one page to two: some count fills the first page
     * with its rows and leaves the total for the second */
    assert_int_equal(pages[12], 1);
    assert_int_equal(pages[30], 2);
}

static void test_two_tables(void **state)
{
    fixture *f = *state;
    const lg_table *ts[2] = {seed_table(f, 2), seed_table(f, 3)};
    const char *path = render(f, ts, 2, "two.pdf");
    assert_int_equal(page_count(path), 2);
    for (int p = 1; p <= 2; p++) {
        char *s = page_text(path, p);
        char *want = lg_xasprintf("第%d页共2页", p);
        assert_int_equal(count(s, TITLE), 1);
        assert_non_null(strstr(s, want));
        free(want);
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_page_fonts_and_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reading_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_byte_identical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_unit_and_task_both_labelled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merged_group_across_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merged_text_taller_than_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gbt9704_footer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_continued_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_page_groups_and_chart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_narrow_table_centred, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_colours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_legend_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_breaks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_total_never_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_row_no_widow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chart_labels_readable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
