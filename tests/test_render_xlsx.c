/* Tests of the XLSX renderer: tables built by hand with text from a real
 * ledger, written to a temporary folder and read back two ways: the sheet's
 * XML parts (unzip) and an independent reader (python3-openpyxl). They need
 * the Noto Serif CJK SC font, unzip and /usr/bin/python3 with openpyxl. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, popen */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "render.h"
#include "table.h"
#include "template.h"
#include "xmlload.h"

#include <xlsxwriter.h>

#ifndef LG_PYTHON
#define LG_PYTHON "/usr/bin/python3"
#endif

/* From the 2022-10 ledger of the seed month (input/). */
static const char *const unit1 = "市直政府系统各单位";
static const char *const unit2 = "市科技局";
static const char *const title = "2022年度《政府工作报告》落实情况台账（2022.10）";
static const char *const rows1[][5] = {
    {"1.深学笃行习近平新时代中国特色社会主义思想，全面贯彻习近平总书记视察山西重要讲话重要指示精神，"
     "不断提升政府治理体系和治理能力现代化水平。",
     "长期推进", "我局坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务。",
     "通过全体人员大会、主题党日等活动，结合上级要求，及时跟进学习中央、省、市相关会议和文件精神，"
     "持续在学懂弄通上下功夫，将党的创新理论入脑入心。",
     "是"},
    {"2.认真执行市人大及其常委会的决议决定，贯彻执行地方性法规，自觉接受人大法律监督、政协民主监督和"
     "社会舆论监督。",
     "长期推进",
     "认真总结“十三五”以来，我市《中华人民共和国科学技术普及法》《山西省实施〈中华人民共和国科学技术"
     "普及法〉办法》的落实情况。严格执行国家法律法规，自觉接受市人大及其以来，常委会的监督，及时报告"
     "工作情况；严格执行市人大及其常委会的决议和决定，认真办好人大代表提出的议案和意见建议，积极配合"
     "市人大常委会和代表的视察调研。",
     "认真完成市人大和政协交办的各项工作，自觉接受人大法律监督、政协民主监督和社会舆论监督。", "是"},
    {"3.把握全面从严治党要求，驰而不息纠治“四风”，强化重点领域关键岗位监管，扎实推进政府系统党风廉政"
     "建设和反腐败斗争。",
     "长期推进", "积极组织宣传国庆节前廉政教育，传达上级廉洁过节通知以及疫情防控中失职失责典型案件通报。",
     "结合全面建设清廉运城行动，持续常态化开展警示教育活动，推动纪律内化于心、外化于行；有序推进清廉"
     "机关创建工作。",
     "是"},
    {"4.严控一般性支出，确保每一笔钱都用在刀刃上。", "长期推进",
     "完成项目绩效申报，2021年预算公开、2020年决算公开情况自查，保障人员经费到位",
     "计划完成编制2023年部门预算", "否"},
};
static const char *const rows2[][5] = {
    {"139.落实好揭榜挂帅制，优化项目管理机制，实行结题验收备案制，为科研人员松绑减负赋权。",
     "2022年12月底前",
     "一是面向全市征集“揭榜挂帅”项目需求，重点对外加剂、水泵和风机三个产业领域的企业进行调研，对产业"
     "领域的８个关键技术需求多次组织专家研讨，梳理出制约行业发展的“卡脖子”技术难题。二是在“山西科技"
     "计划管理信息平台”系统对运城护理职业学院申报的山西省科技战略研究项目进行审核；对中车永济电机有限"
     "公司申报的山西省科技创新人才团队（重点团队）项目进行审核，对运城中心医院申报的4项第二批省级基础"
     "研究计划项目（面上项目）进行审核，并向省厅提交纸质材料。",
     "计划对承担2021年各类市级科技计划项目执行情况和专项经费使用情况进行现场检查。", "是"},
    {"140.加强镁合金薄板加工、电机绝缘系统等10项关键技术攻关，解锁更多原创性科技成果。",
     "2024年12月底前",
     "积极落实“揭榜挂帅”重大科技项目，“低密度高强韧镁合金薄板加工关键技术”、“光储直柔分布式光伏高效"
     "消纳关键技术研究”等8个“揭榜挂帅”项目正在顺利进行中。",
     "持续跟进各个项目进展，督促项目有序进行。", "是"},
    {"141.发挥运城科技大市场公共服务作用，技术合同年交易额超过40亿元。", "2022年12月底前",
     "截至目前，2022年累计收集统计技术合同156份，合同金额21.68亿元。",
     "赴企业实地调研，收集企业技术合同，预计登记合同金额4亿元。", "是"},
    {"142.建好运城碳中和产业研究院。", "2022年12月底前", "未报送", "", ""},
};

typedef struct fixture {
    lg_template *tpl;
    const lg_view_layout *view;
    lg_layout *l;
    lg_arena *a;
    char dir[64];
    lg_doc_info info;
} fixture;

static int setup(void **state)
{
    lg_xml_init();
    fixture *f = calloc(1, sizeof *f);
    lg_diags d = {0};
    f->tpl = lg_template_load(LG_SOURCE_DIR "/templates/ledger.xml", &d);
    lg_diags_print(&d, stderr);
    lg_diags_free(&d);
    assert_non_null(f->tpl);
    f->view = lg_template_view(f->tpl, "unit");
    assert_non_null(f->view);
    f->l = lg_layout_new();
    f->a = lg_arena_new();
    strcpy(f->dir, "/tmp/test_render_xlsx.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->info = (lg_doc_info){.title = title,
                            .subject = unit2,
                            .author = "运城市人民政府办公室",
                            .keywords = "落实情况台账",
                            .creator = "ledgerc test",
                            .created = 1667260800};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    /* LG_TEST_KEEP=1 keeps the files to look at. */
    if (getenv("LG_TEST_KEEP"))
        fprintf(stderr, "kept %s\n", f->dir);
    else if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    lg_arena_free(f->a);
    lg_layout_free(f->l);
    lg_template_free(f->tpl);
    free(f);
    return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

static lg_table *ledger_table(fixture *f, const char *name)
{
    lg_table *t = lg_table_new(f->a, name, title, f->view);
    for (size_t i = 0; i < 4; i++) {
        lg_cell *row = lg_table_add_row(t);
        row[0].text = unit1;
        for (int c = 0; c < 5; c++)
            row[c + 1].text = rows1[i][c];
        if (strcmp(rows1[i][4], "否") == 0)
            row[5].flags = LG_CELL_BEHIND;
    }
    for (size_t i = 0; i < 4; i++) {
        lg_cell *row = lg_table_add_row(t);
        row[0].text = unit2;
        for (int c = 0; c < 5; c++)
            row[c + 1].text = rows2[i][c];
        if (strcmp(rows2[i][2], "未报送") == 0)
            row[3].flags = LG_CELL_MISSING;
    }
    lg_table_merge_equal(t);
    return t;
}

static char *path_in(fixture *f, const char *name)
{
    return lg_xasprintf("%s/%s", f->dir, name);
}

static void render(fixture *f, const lg_table *const *tables, size_t n, const char *path)
{
    lg_diags d = {0};
    bool ok = lg_render_xlsx(tables, n, f->tpl, f->l, &f->info, path, &d);
    lg_diags_print(&d, stderr);
    assert_true(ok);
    assert_int_equal(d.count, 0);
    lg_diags_free(&d);
}

/* The whole output of CMD; the caller frees. */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = 0, cap = 4096;
    char *buf = lg_xmalloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2)
            buf = lg_xrealloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    assert_int_equal(pclose(p), 0);
    return buf;
}

static char *zip_part(const char *xlsx, const char *part)
{
    char *cmd = lg_xasprintf("unzip -p '%s' %s", xlsx, part);
    char *out = run(cmd);
    free(cmd);
    return out;
}

/* The height (ht) of row ROW (1-based) in sheet XML, or -1. */
static double row_ht(const char *xml, unsigned row)
{
    char key[32];
    snprintf(key, sizeof key, "<row r=\"%u\"", row);
    const char *p = strstr(xml, key);
    if (!p)
        return -1;
    const char *end = strchr(p, '>');
    const char *ht = strstr(p, " ht=\"");
    if (!ht || ht > end)
        return -1;
    return strtod(ht + 5, NULL);
}

/* Whether the cells of column COL in sheet XML tile rows FIRST..LAST
 * (1-based) in parts that end only at a manual page break (<brk id> is the
 * last row of a page) or at LAST: each part a mergeCell or a single row. A
 * cell merged over a page break ends there and begins again below it. */
static bool parts_tile(const char *xml, char col, unsigned first, unsigned last)
{
    unsigned r = first;
    while (r <= last) {
        unsigned end = r;
        char key[48], brk[48];
        snprintf(key, sizeof key, "<mergeCell ref=\"%c%u:%c", col, r, col);
        const char *p = strstr(xml, key);
        if (p)
            end = (unsigned)strtoul(p + strlen(key), NULL, 10);
        snprintf(brk, sizeof brk, "<brk id=\"%u\"", end);
        if (end < last && !strstr(xml, brk))
            return false;
        r = end + 1;
    }
    return r == last + 1;
}

/* The height the renderer must give a cell holding TEXT in column C. */
static double cell_height(fixture *f, const char *text, const lg_font *font, size_t c)
{
    const lg_column *col = &f->view->columns[c];
    double scale = lg_xlsx_column_scale(f->tpl, f->view->columns, f->view->n_columns);
    lg_text_box *b = lg_layout_text(f->l, text, font,
                                    lg_xlsx_text_width(f->tpl, col->width_mm * scale),
                                    col->align, col->justify);
    /* Its lines in the declared face's line height (宋体: 1 em), not
     * Pango's: Excel's lines are what the row must hold. */
    double h = lg_xlsx_lines_height(f->tpl, font, b->n_lines);
    assert_true(h >= b->n_lines * lg_xlsx_line_pt(font) + 2 * 3 * 0.75);
    lg_text_box_free(b);
    return h;
}

/* The python3-openpyxl reader: per row of sheet SHEET (0-based) its height, per
 * cell its value (\n and \\ escaped) and font, and the merged ranges. */
static const char reader[] =
    "import sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "ws = wb.worksheets[int(sys.argv[2])]\n"
    "for r in range(1, ws.max_row + 1):\n"
    "    print('R\\t%d\\t%s' % (r, ws.row_dimensions[r].height))\n"
    "    for c in ws[r]:\n"
    "        if c.value is None: continue\n"
    "        v = str(c.value).replace('\\\\', '\\\\\\\\').replace('\\n', '\\\\n')\n"
    "        col = c.font.color.rgb if c.font.color is not None else '-'\n"
    "        print('C\\t%s\\t%s\\t%s\\t%s' % (c.coordinate, c.font.name, col, v))\n"
    "for m in ws.merged_cells.ranges:\n"
    "    print('M\\t%s' % m.coord)\n";

static char *read_back(fixture *f, const char *xlsx, int sheet)
{
    char *script = path_in(f, "reader.py");
    FILE *s = fopen(script, "w");
    assert_non_null(s);
    fputs(reader, s);
    fclose(s);
    char *cmd = lg_xasprintf(LG_PYTHON " '%s' '%s' %d", script, xlsx, sheet);
    char *out = run(cmd);
    free(cmd);
    free(script);
    return out;
}

/* The value of cell COORD from read_back's output, unescaped, or NULL. The
 * caller frees. Sets FONT and COLOR (may be NULL) to the cell's. */
static char *cell_value(const char *dump, const char *coord, char *font, char *color)
{
    char key[32];
    snprintf(key, sizeof key, "\nC\t%s\t", coord);
    const char *p = strstr(dump, key);
    if (!p)
        return NULL;
    p += strlen(key);
    const char *t1 = strchr(p, '\t');
    const char *t2 = strchr(t1 + 1, '\t');
    if (font)
        snprintf(font, 64, "%.*s", (int)(t1 - p), p);
    if (color)
        snprintf(color, 16, "%.*s", (int)(t2 - t1 - 1), t1 + 1);
    p = t2 + 1;
    const char *end = strchr(p, '\n');
    char *v = lg_xmalloc((size_t)(end - p) + 1), *o = v;
    for (; p < end; p++) {
        if (*p == '\\' && p + 1 < end) {
            *o++ = p[1] == 'n' ? '\n' : p[1];
            p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return v;
}

static double dump_height(const char *dump, unsigned row)
{
    char key[32];
    snprintf(key, sizeof key, "R\t%u\t", row);
    const char *p = strstr(dump, key);
    return p ? strtod(p + strlen(key), NULL) : -1;
}

/* ---- tests ------------------------------------------------------------------ */

/* Merges, computed row heights, fonts, flags and print setup. */
static void test_ledger(void **state)
{
    fixture *f = *state;
    lg_table *t = ledger_table(f, unit2);
    char *path = path_in(f, "ledger.xlsx");
    /* One page: the rows here are whole (page breaks: test_page_breaks). */
    double page_h = f->tpl->page_h_mm;
    f->tpl->page_h_mm = 1000;
    render(f, (const lg_table *const[]){t}, 1, path);
    f->tpl->page_h_mm = page_h;

    char *xml = zip_part(path, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(xml, "<mergeCell ref=\"A1:G1\"/>"));
    assert_non_null(strstr(xml, "<mergeCell ref=\"A3:A6\"/>"));
    assert_non_null(strstr(xml, "<mergeCell ref=\"A7:A10\"/>"));

    /* Title and header rows. */
    double total = 0;
    for (size_t c = 0; c < t->n_columns; c++)
        total += t->columns[c].width_mm;
    lg_text_box *b = lg_layout_text(f->l, title, &f->tpl->title_font,
                                    lg_xlsx_text_width(f->tpl, total), LG_ALIGN_CENTER, false);
    assert_float_equal(row_ht(xml, 1), lg_xlsx_lines_height(f->tpl, &f->tpl->title_font, b->n_lines),
                       0.005);
    lg_text_box_free(b);
    double hh = 0;
    for (size_t c = 0; c < t->n_columns; c++)
        hh = fmax(hh, cell_height(f, t->columns[c].header, &f->tpl->header_font, c));
    assert_float_equal(row_ht(xml, 2), hh, 0.005);

    /* Body rows: the tallest cell of the row. The merged unit cells are
     * shorter than their rows here, so they add nothing. */
    for (size_t r = 0; r < t->n_rows; r++) {
        double want = 0;
        for (size_t c = 1; c < t->n_columns; c++)
            want = fmax(want, cell_height(f, lg_table_cell(t, r, c)->text, &f->tpl->body_font, c));
        assert_float_equal(row_ht(xml, (unsigned)r + 3), want, 0.005);
        assert_true(want <= 409);
    }
    double unit_rows = 0;
    for (unsigned r = 3; r <= 6; r++)
        unit_rows += row_ht(xml, r);
    assert_true(unit_rows >= cell_height(f, unit1, &f->tpl->body_font, 0));

    /* Print setup: A4 landscape, one page wide, the header row repeated but
     * not the title, frozen below row 2. */
    assert_non_null(strstr(xml, "paperSize=\"9\""));
    assert_non_null(strstr(xml, "orientation=\"landscape\""));
    assert_non_null(strstr(xml, "fitToHeight=\"0\""));
    assert_non_null(strstr(xml, "<pane ySplit=\"2\" topLeftCell=\"A3\""));
    char *wbxml = zip_part(path, "xl/workbook.xml");
    assert_non_null(strstr(wbxml, "_xlnm.Print_Titles"));
    assert_non_null(strstr(wbxml, "!$2:$2<"));
    free(wbxml);
    /* (e) the footer, centred, with Excel's page codes */
    assert_non_null(strstr(xml, "<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>"));
    free(xml);

    /* Read back by openpyxl: texts, fonts, and the cells that stand out. */
    char *dump = read_back(f, path, 0);
    char font[64], color[16];
    char *v = cell_value(dump, "A1", font, NULL);
    assert_string_equal(v, title);
    free(v);
    v = cell_value(dump, "D5", font, color);
    assert_string_equal(v, rows1[2][2]);
    assert_string_equal(font, "宋体"); /* the Windows face, not the PDF's */
    assert_string_not_equal(color, "FF9C0006");
    free(v);
    v = cell_value(dump, "F6", NULL, color);
    assert_string_equal(v, "否");
    assert_string_equal(color, "FF9C0006");
    free(v);
    v = cell_value(dump, "D10", NULL, color);
    assert_string_equal(v, "未报送");
    assert_string_equal(color, "FF9C0006");
    free(v);
    v = cell_value(dump, "A7", font, NULL);
    assert_string_equal(v, unit2);
    free(v);
    assert_null(cell_value(dump, "A8", NULL, NULL)); /* text only in the top cell */
    free(dump);
    free(path);
}

static bool ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), k = strlen(end);
    return n >= k && strcmp(s + n - k, end) == 0;
}

/* (b) A 3,000-character entry continues on rows of at most 409 pt whose texts
 * together are the entry, split only where a sentence or a paragraph ends,
 * each part after the first marked （续）; the row's other cells and the unit
 * merge cover them. */
static void test_continuation(void **state)
{
    fixture *f = *state;
    char *longtext = lg_xmalloc(10000);
    longtext[0] = '\0';
    size_t chars = 0;
    for (int i = 0; chars < 3000; i = (i + 1) % 4) {
        const char *s = i < 3 ? rows1[i + 1][2] : rows2[0][2];
        strcat(longtext, s);
        for (const char *p = s; *p; p++)
            chars += ((unsigned char)*p & 0xC0) != 0x80;
    }
    lg_table *t = lg_table_new(f->a, unit2, title, f->view);
    lg_cell *row = lg_table_add_row(t);
    row[0].text = unit2;
    row[1].text = rows2[0][0];
    row[2].text = rows2[0][1];
    row[3].text = longtext;
    row[4].text = rows2[0][3];
    row[5].text = "是";
    row = lg_table_add_row(t);
    row[0].text = unit2;
    for (int c = 0; c < 5; c++)
        row[c + 1].text = rows2[1][c];
    lg_table_merge_equal(t);
    assert_int_equal(t->n_merges, 1);

    char *path = path_in(f, "long.xlsx");
    render(f, (const lg_table *const[]){t}, 1, path);
    char *dump = read_back(f, path, 0);

    /* Collect column D from row 3 until the second table row's text. */
    size_t len = strlen(longtext);
    char *joined = lg_xcalloc(1, len + 1);
    unsigned r = 3;
    for (;; r++) {
        char key[16];
        snprintf(key, sizeof key, "D%u", r);
        char *v = cell_value(dump, key, NULL, NULL);
        assert_non_null(v);
        if (strcmp(v, rows2[1][2]) == 0) {
            free(v);
            break;
        }
        const char *part = v;
        if (r > 3) {
            assert_memory_equal(part, LG_XLSX_CONT_MARK, strlen(LG_XLSX_CONT_MARK));
            part += strlen(LG_XLSX_CONT_MARK);
            if (longtext[strlen(joined)] == '\n') /* split at a paragraph end */
                strcat(joined, "\n");
        }
        assert_true(strlen(joined) + strlen(part) <= len);
        strcat(joined, part);
        if (strlen(joined) < len) /* not the last part: ends a sentence or a paragraph */
            assert_true(ends_with(joined, "。") || ends_with(joined, "；") ||
                        longtext[strlen(joined)] == '\n');
        free(v);
        double h = dump_height(dump, r);
        assert_true(h > 0 && h <= 409);
    }
    unsigned last = r - 1;
    assert_true(last >= 5); /* at least three physical rows */
    assert_string_equal(joined, longtext);

    /* The other cells of the row span all of its physical rows; the unit
     * merge covers them and the next row: each in parts ended by the page
     * breaks. */
    char *xml = zip_part(path, "xl/worksheets/sheet1.xml");
    for (const char *c = "BCEFG"; *c; c++)
        assert_true(parts_tile(xml, *c, 3, last));
    assert_true(parts_tile(xml, 'A', 3, last + 1));
    assert_non_null(strstr(xml, "<brk id=")); /* 4,000 characters: over pages */
    free(xml);
    free(joined);
    free(dump);
    free(path);
    free(longtext);
}

/* (f) A group that starts a new page (a unit of 分单位台账) gets a manual
 * page break above its first row, also when a row before it continues on
 * extra physical rows; the first group and a group without new_page get
 * none.
 * Read from the sheet's XML and by openpyxl (row_breaks). */
static void test_page_breaks(void **state)
{
    fixture *f = *state;
    char *longtext = lg_xcalloc(1, 20000);
    for (int i = 0; strlen(longtext) < 12000; i = (i + 1) % 3)
        strcat(longtext, rows1[i + 1][2]); /* 4,000+ characters: continues on extra rows */
    lg_table *t = lg_table_new(f->a, unit2, title, f->view);
    for (size_t r = 0; r < 6; r++) {
        lg_cell *row = lg_table_add_row(t);
        row[0].text = r < 2 ? unit1 : r < 4 ? unit2 : "市发改委";
        for (int c = 0; c < 5; c++)
            row[c + 1].text = rows2[r % 3][c];
        row[1].text = lg_arena_printf(f->a, "%zu.任务", r + 1);
    }
    lg_table_cell(t, 1, 3)->text = longtext;
    lg_table_add_group(t, unit1, 0, 1)->new_page = true;
    lg_table_add_group(t, unit2, 2, 3)->new_page = false;
    lg_table_add_group(t, "市发改委", 4, 5)->new_page = true;
    lg_table_merge_equal(t);
    char *path = path_in(f, "breaks.xlsx");
    render(f, (const lg_table *const[]){t}, 1, path);

    /* The physical row that holds body row 4 ("5.任务"). */
    char *dump = read_back(f, path, 0);
    unsigned first = 0;
    for (unsigned r = 3; r < 100 && !first; r++) {
        char key[16];
        snprintf(key, sizeof key, "B%u", r);
        char *v = cell_value(dump, key, NULL, NULL);
        if (v && strcmp(v, "5.任务") == 0)
            first = r;
        free(v);
    }
    free(dump);
    assert_true(first > 3 + 4 + 1); /* past the continuation rows */

    /* The group's break, and no other, as openpyxl reads them. */
    char *xml = zip_part(path, "xl/worksheets/sheet1.xml");
    char *want = lg_xasprintf("<brk id=\"%u\" max=\"16383\" man=\"1\"/>", first - 1);
    if (!strstr(xml, want))
        fail_msg("no %s in sheet1.xml", want);
    free(want);
    free(xml);
    char *cmd = lg_xasprintf(LG_PYTHON " -c 'import openpyxl, sys; ws = openpyxl.load_workbook("
                             "sys.argv[1]).worksheets[0]; ids = [b.id for b in ws.row_breaks.brk]; "
                             "print(%u in ids, 2 in ids)' '%s'",
                             first - 1, path);
    char *ids = run(cmd);
    assert_string_equal(ids, "True False\n");
    free(ids);
    free(cmd);
    free(path);
    free(longtext);
}

/* (c) Same input, same created time: the same bytes. */
static void test_reproducible(void **state)
{
    fixture *f = *state;
    lg_table *t = ledger_table(f, unit2);
    char *p1 = path_in(f, "one.xlsx"), *p2 = path_in(f, "two.xlsx");
    render(f, (const lg_table *const[]){t}, 1, p1);
    render(f, (const lg_table *const[]){t}, 1, p2);
    char *cmd = lg_xasprintf("cmp '%s' '%s'", p1, p2);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    /* In another folder, where its temporary files go, too. */
    char *sub = path_in(f, "sub"), *p3 = path_in(f, "sub/three.xlsx");
    assert_int_equal(mkdir(sub, 0700), 0);
    render(f, (const lg_table *const[]){t}, 1, p3);
    cmd = lg_xasprintf("cmp '%s' '%s'", p1, p3);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(sub);
    free(p3);
    char *core = zip_part(p1, "docProps/core.xml");
    assert_non_null(strstr(core, "2022-11-01T00:00:00Z"));
    assert_non_null(strstr(core, "<dc:title>2022年度《政府工作报告》落实情况台账（2022.10）</dc:title>"));
    assert_non_null(strstr(core, "<cp:keywords>落实情况台账</cp:keywords>"));
    free(core);
    free(p1);
    free(p2);
}

/* (d) Sheet names made valid and unique, deterministically. */
static void test_sheet_names(void **state)
{
    fixture *f = *state;
    static const char *const long35 = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五";
    static const struct {
        const char *name, *want;
    } cases[] = {
        {"a/b:c?d[1]*\\", "a_b_c_d_1___"},
        {long35, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"},
        {long35, "一二三四五六七八九十一二三四五六七八九十一二三四五六七 (2)"},
        {"市科技局", "市科技局"},
        {"市科技局", "市科技局 (2)"},
        {"市科技局", "市科技局 (3)"},
        {"Unit", "Unit"},
        {"UNIT", "UNIT (2)"},
        {"'quoted'", "_quoted_"},
        {"", "Sheet"},
        {"history", "History_"},
    };
    size_t n = sizeof cases / sizeof cases[0];
    const lg_table *tables[sizeof cases / sizeof cases[0]];
    for (size_t i = 0; i < n; i++) {
        lg_table *t = lg_table_new(f->a, cases[i].name, title, f->view);
        lg_cell *row = lg_table_add_row(t);
        row[0].text = unit2;
        tables[i] = t;
    }
    char *path = path_in(f, "names.xlsx");
    render(f, tables, n, path);
    char *wbxml = zip_part(path, "xl/workbook.xml");
    const char *p = wbxml;
    for (size_t i = 0; i < n; i++) {
        char *want = lg_xasprintf("<sheet name=\"%s\"", cases[i].want);
        const char *at = strstr(p, want);
        if (!at)
            fail_msg("sheet %zu: no %s in %s", i, want, wbxml);
        p = at + strlen(want);
        free(want);
    }
    free(wbxml);
    free(path);
}

/* A merged cell taller than its rows: the deficit goes onto the last row; a
 * merged cell taller than 409 pt a row makes the range longer. An empty
 * table still gets its title and header. */
static void test_merge_deficit(void **state)
{
    fixture *f = *state;
    const char *unit = rows1[3][2];
    lg_table *t = lg_table_new(f->a, unit2, title, f->view);
    for (int i = 0; i < 2; i++) {
        lg_cell *row = lg_table_add_row(t);
        row[0].text = unit;
        row[1].text = rows2[2][0];
    }
    lg_table *huge = lg_table_new(f->a, unit1, title, f->view);
    char *big = lg_xmalloc(20000);
    big[0] = '\0';
    for (int i = 0; i < 12; i++)
        strcat(big, rows1[1][2]);
    for (int i = 0; i < 2; i++) {
        lg_cell *row = lg_table_add_row(huge);
        row[0].text = big;
        row[1].text = "短";
    }
    lg_table *empty = lg_table_new(f->a, "空", title, f->view);
    lg_table_merge_equal(t);
    lg_table_merge_equal(huge);
    char *path = path_in(f, "deficit.xlsx");
    render(f, (const lg_table *const[]){t, huge, empty}, 3, path);

    char *xml = zip_part(path, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(xml, "<mergeCell ref=\"A3:A4\"/>"));
    double own = cell_height(f, rows2[2][0], &f->tpl->body_font, 1);
    double need = cell_height(f, unit, &f->tpl->body_font, 0);
    assert_true(need > 2 * own);
    assert_float_equal(row_ht(xml, 3), own, 0.005);
    assert_float_equal(row_ht(xml, 3) + row_ht(xml, 4), need, 0.005);
    free(xml);

    /* The unit's text needs more than two rows of 409 pt: the second table
     * row continues on extra physical rows, the merge covers them. */
    xml = zip_part(path, "xl/worksheets/sheet2.xml");
    need = cell_height(f, big, &f->tpl->body_font, 0);
    double sum = 0;
    unsigned r = 3;
    for (double h; (h = row_ht(xml, r)) > 0; r++) {
        assert_true(h <= 409);
        sum += h;
    }
    assert_true(r - 1 > 4);
    assert_true(sum >= need - 0.005);
    assert_true(parts_tile(xml, 'A', 3, r - 1));
    assert_true(parts_tile(xml, 'B', 4, r - 1));
    free(xml);

    xml = zip_part(path, "xl/worksheets/sheet3.xml");
    assert_non_null(strstr(xml, "<mergeCell ref=\"A1:G1\"/>"));
    assert_true(row_ht(xml, 2) > 0);
    assert_true(row_ht(xml, 3) < 0);
    free(xml);
    free(path);
    free(big);
}

/* The number of files this process has open. */
static size_t open_files(void)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    size_t n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* Sheets are written row by row (constant_memory): strings inline, no shared
 * string table; rows, merges and heights as when the sheet was kept in memory
 * (test_ledger, test_continuation, test_merge_deficit). Their temporary files
 * never have a name in the output's folder (where they go), so a killed run
 * cannot leave one behind. */
static void test_streamed(void **state)
{
    fixture *f = *state;
    lg_table *t = ledger_table(f, unit2);
    char *path = path_in(f, "streamed.xlsx");
    int in = inotify_init1(IN_NONBLOCK);
    assert_true(in >= 0);
    assert_true(inotify_add_watch(in, f->dir, IN_CREATE | IN_MOVED_TO) >= 0);
    render(f, (const lg_table *const[]){t}, 1, path);
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t len;
    size_t created = 0;
    while ((len = read(in, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if (ev->len) {
                assert_string_equal(ev->name, "streamed.xlsx");
                created++;
            }
            p += sizeof *ev + ev->len;
        }
    }
    close(in);
    assert_int_equal(created, 1);

    char *cmd = lg_xasprintf("unzip -l '%s'", path);
    char *list = run(cmd);
    assert_null(strstr(list, "sharedStrings"));
    free(list);
    free(cmd);
    char *xml = zip_part(path, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(xml, "t=\"inlineStr\"><is><t>市科技局</t></is>"));
    free(xml);
    free(path);
}

/* A render that fails after its sheets were added closes their temporary files. */
static void test_error_closes_files(void **state)
{
    fixture *f = *state;
    lg_table *t = ledger_table(f, unit2);
    lg_form form = {.protect = true};
    lg_meta meta = {"k", "v"};
    form.meta = &meta;
    form.n_meta = 1;
    t->form = &form;
    lg_table *t2 = ledger_table(f, unit1);
    t2->form = &form; /* a second form: one "ledgerc" sheet too many */
    char *path = path_in(f, "two-forms.xlsx");
    lg_diags d = {0};
    size_t fds = open_files();
    assert_false(lg_render_xlsx((const lg_table *const[]){t, t2}, 2, f->tpl, f->l, &f->info, path,
                                &d));
    assert_int_equal(lg_diags_count(&d, LG_ERROR), 1);
    assert_int_equal(open_files(), fds);
    lg_diags_free(&d);
    free(path);
}

/* The chart's data cache is written from the table: libxlsxwriter cannot read
 * a sheet written row by row. Labels are strings (strRef), values numbers. */
static void test_chart_cache(void **state)
{
    fixture *f = *state;
    lg_table *t = lg_table_new(f->a, "汇总", title, f->view);
    static const char *const names[] = {"市科技局", "市教育局", "市财政局"};
    for (int i = 0; i < 3; i++) {
        lg_cell *row = lg_table_add_row(t);
        row[0].text = names[i];
        row[1].text = i == 1 ? rows1[1][2] : "短";
        lg_cell_set_number(t, &row[5], 0.25 * (i + 1), true);
    }
    lg_chart chart = {"各单位序时进度达标率", 0, 5, 0, 2, false, 0};
    t->chart = &chart;
    char *path = path_in(f, "chart.xlsx");
    render(f, (const lg_table *const[]){t}, 1, path);
    char *xml = zip_part(path, "xl/charts/chart1.xml");
    assert_non_null(strstr(xml, "<c:strRef><c:f>'汇总'!$A$3:$A$5</c:f><c:strCache>"
                                "<c:ptCount val=\"3\"/><c:pt idx=\"0\"><c:v>市科技局</c:v></c:pt>"
                                "<c:pt idx=\"1\"><c:v>市教育局</c:v></c:pt>"
                                "<c:pt idx=\"2\"><c:v>市财政局</c:v></c:pt></c:strCache>"));
    assert_non_null(strstr(xml, "<c:numRef><c:f>'汇总'!$F$3:$F$5</c:f><c:numCache>"));
    assert_non_null(strstr(xml, "<c:pt idx=\"2\"><c:v>0.75</c:v></c:pt>"));
    free(xml);
    free(path);
}

/* A file that cannot be written: an error naming it, with libxlsxwriter's reason. */
static void test_error(void **state)
{
    fixture *f = *state;
    lg_table *t = ledger_table(f, unit2);
    char *path = path_in(f, "no/such/dir/out.xlsx");
    lg_diags d = {0};
    assert_false(lg_render_xlsx((const lg_table *const[]){t}, 1, f->tpl, f->l, &f->info, path, &d));
    assert_int_equal(lg_diags_count(&d, LG_ERROR), 1);
    char *msg = lg_diag_format(&d.items[0]);
    assert_non_null(strstr(msg, path));
    assert_non_null(strstr(msg, lxw_strerror(LXW_ERROR_CREATING_XLSX_FILE)));
    free(msg);
    lg_diags_free(&d);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ledger, setup, teardown),
        cmocka_unit_test_setup_teardown(test_continuation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_breaks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sheet_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_deficit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_closes_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_streamed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chart_cache, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
