/* Tests of the text layout: measurement at 72 dpi, line breaking with 避头尾,
 * slicing at line boundaries and drawing ranges of lines. They need the
 * Noto Serif CJK SC font (fonts-noto-cjk). */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <glib.h>

#include "arena.h"
#include "layout.h"
#include "load.h"
#include "render.h"
#include "view.h"
#include "xmlload.h"

static const lg_font serif10 = {"Noto Serif CJK SC", 10, false, NULL};

/* Sentences from the 2022-10 ledger of the seed month (input/), and some made up to
 * put each rule to work: quotes glued into long UAX #14 words, brackets,
 * numbers with %, ——, …… and Latin punctuation. */
static const char *const sentences[] = {
    "认真总结“十三五”以来，我市《中华人民共和国科学技术普及法》《山西省实施〈中华人民共和国科"
    "学技术普及法〉办法》的落实情况。严格执行国家法律法规，自觉接受市人大及其以来，常委会的监督，"
    "及时报告工作情况；严格执行市人大及其常委会的决议和决定，认真办好人大代表提出的议案和意见建议，"
    "积极配合市人大常委会和代表的视察调研。",
    "与物化院协商确定：经费方面，由物化院自行筹集；人员方面，物化院拟配置各类专家及工作人员60余名"
    "（其中博士5名，硕士29名），学科带头人3-5名，市政府不需要设立编制；设备方面，物化院拟配备各类"
    "国内外先进设备80台套，总价值2000余万元，满足碳中和领域的科研需求；办公场地在清控创新基地（盐"
    "湖高新区）主楼二楼。",
    "积极落实“揭榜挂帅”重大科技项目，“低密度高强韧镁合金薄板加工关键技术”、“光储直柔分布式光伏高"
    "效消纳关键技术研究”等8个“揭榜挂帅”项目正在顺利进行中。",
    "3.把握全面从严治党要求，驰而不息纠治“四风”，强化重点领域关键岗位监管，扎实推进政府系统党风廉"
    "政建设和反腐败斗争。",
    "一是面向全市征集需求——重点对外加剂、水泵和风机三个产业领域……进行调研——梳理出制约行业发展"
    "的技术难题……同比增长1.41%。研发投入（R&D）占比2.5%，“十四五”规划（2021—2025年）",
    "Plan (phase 2) done; see [annex 3], {draft} and 《报告》: 100%, ok! 第二段“引号”。\n"
    "第二段：‘单引号’「直角引号」『双直角』【方头括号】〔六角括号〕，完。",
};

/* The rules as the test understands them (W3C clreq, GB/T 15834). */
static const char no_start[] = "，。、；：？！）》」』”’〉】〕〗〙〛｝］,.;:?!)]}%‰℃％．—…";
static const char no_end[] = "（《「『“‘〈【〔〖〘〚｛［([{";

static bool in_set(const char *set, gunichar c)
{
    char buf[8] = {0};
    g_unichar_to_utf8(c, buf);
    return strstr(set, buf) != NULL;
}

/* Asserts that no wrapped line boundary of B breaks a rule, and that its
 * slices put back together give TEXT. */
static void check_box(const lg_text_box *b, const char *text, double width)
{
    assert_true(b->n_lines >= 1);
    assert_int_equal(b->line_start[0], 0);
    assert_int_equal(b->line_start[b->n_lines], strlen(text));
    assert_true(fabs(b->height - b->line_top[b->n_lines]) < 1e-9);

    GString *joined = g_string_new(NULL);
    for (size_t i = 0; i < b->n_lines; i++) {
        size_t at = b->line_start[i + 1];
        assert_true(b->line_start[i] <= at);
        assert_true(b->line_top[i] < b->line_top[i + 1]);

        char *s = lg_text_box_slice(b, text, i, i + 1);
        g_string_append(joined, s);
        free(s);
        if (i + 1 == b->n_lines)
            break;
        if (text[at - 1] == '\n') { /* a paragraph ended */
            g_string_append_c(joined, '\n');
            continue;
        }
        gunichar before = g_utf8_get_char(g_utf8_prev_char(text + at));
        gunichar after = g_utf8_get_char(text + at);
        if (before == 0x2028)
            continue; /* a line separator: the writer's break */
        if (in_set(no_start, after) || in_set(no_end, before) ||
            (before == after && (after == 0x2014 || after == 0x2026))) {
            fail_msg("width %g, line %zu: \"%.*s|%.18s\"", width, i + 1,
                     (int)(at - b->line_start[i]), text + b->line_start[i], text + at); /* 6 CJK characters */
        }
    }
    assert_string_equal(joined->str, text);
    g_string_free(joined, TRUE);
}

static int setup(void **state)
{
    *state = lg_layout_new();
    return 0;
}

static int teardown(void **state)
{
    lg_layout_free(*state);
    return 0;
}

/* (a) CJK characters advance one em: 10 of them at 10 pt are 100 pt wide. */
static void test_cjk_width(void **state)
{
    lg_layout *l = *state;
    const char *ten = "中华人民共和国科学技";
    lg_text_box *b = lg_layout_text(l, ten, &serif10, 0, LG_ALIGN_LEFT, false);
    assert_int_equal(b->n_lines, 1);
    assert_true(fabs(lg_text_box_line_width(b, 0) - 100.0) <= 0.5);
    lg_text_box_free(b);

    const char *twenty = "中华人民共和国科学技术普及法山西省实施办";
    b = lg_layout_text(l, twenty, &serif10, 100.5, LG_ALIGN_LEFT, false);
    assert_int_equal(b->n_lines, 2);
    assert_int_equal(b->line_start[1], 30); /* 10 characters of 3 bytes */
    lg_text_box_free(b);

    b = lg_layout_text(l, twenty, &serif10, 99.5, LG_ALIGN_LEFT, false);
    assert_int_equal(b->n_lines, 3); /* 9 + 9 + 2 */
    lg_text_box_free(b);
}

/* (b) Line height about 1.45 em, and lines stack without gaps. */
static void test_line_height(void **state)
{
    lg_layout *l = *state;
    lg_text_box *one = lg_layout_text(l, "中", &serif10, 100, LG_ALIGN_LEFT, false);
    double lh = one->height;
    assert_true(lh > 12 && lh < 16);
    lg_text_box_free(one);

    lg_text_box *b = lg_layout_text(l, sentences[0], &serif10, 100, LG_ALIGN_LEFT, true);
    assert_true(b->n_lines > 10);
    assert_true(fabs(b->height - b->n_lines * lh) < 0.01);
    for (size_t i = 0; i <= b->n_lines; i++)
        assert_true(fabs(b->line_top[i] - i * lh) < 0.01);
    lg_text_box_free(b);

    /* A bigger font, taller lines. */
    lg_font big = {"Noto Serif CJK SC", 20, true, NULL};
    b = lg_layout_text(l, "中", &big, 100, LG_ALIGN_LEFT, false);
    assert_true(fabs(b->height - 2 * lh) < 0.05);
    lg_text_box_free(b);
}

/* (c) '\n' separates paragraphs; empty text is one empty line. */
static void test_paragraphs(void **state)
{
    lg_layout *l = *state;
    lg_text_box *one = lg_layout_text(l, "中", &serif10, 100, LG_ALIGN_LEFT, false);
    double lh = one->height;
    lg_text_box_free(one);

    lg_text_box *b = lg_layout_text(l, "", &serif10, 100, LG_ALIGN_LEFT, false);
    assert_int_equal(b->n_lines, 1);
    assert_int_equal(b->line_start[0], 0);
    assert_int_equal(b->line_start[1], 0);
    assert_true(fabs(b->height - lh) < 1e-6);
    char *s = lg_text_box_slice(b, "", 0, 1);
    assert_string_equal(s, "");
    free(s);
    lg_text_box_free(b);

    b = lg_layout_text(l, NULL, &serif10, 100, LG_ALIGN_LEFT, false);
    assert_int_equal(b->n_lines, 1);
    lg_text_box_free(b);

    const char *t = "甲\n乙丙\n\n丁";
    b = lg_layout_text(l, t, &serif10, 100, LG_ALIGN_LEFT, false);
    assert_int_equal(b->n_lines, 4);
    size_t starts[] = {0, 4, 11, 12, 15};
    for (size_t i = 0; i <= 4; i++)
        assert_int_equal(b->line_start[i], starts[i]);
    assert_true(fabs(b->height - 4 * lh) < 0.01);
    s = lg_text_box_slice(b, t, 0, 2);
    assert_string_equal(s, "甲\n乙丙"); /* no trailing line feed */
    free(s);
    s = lg_text_box_slice(b, t, 2, 3);
    assert_string_equal(s, "");
    free(s);
    s = lg_text_box_slice(b, t, 2, 4);
    assert_string_equal(s, "\n丁");
    free(s);
    s = lg_text_box_slice(b, t, 3, 3);
    assert_string_equal(s, "");
    free(s);
    check_box(b, t, 100);
    lg_text_box_free(b);

    /* A trailing line feed ends the text with an empty line. */
    b = lg_layout_text(l, "甲\n", &serif10, 100, LG_ALIGN_LEFT, false);
    assert_int_equal(b->n_lines, 2);
    check_box(b, "甲\n", 100);
    lg_text_box_free(b);
}

/* (d, e) No line starts or ends against 避头尾 at any width from 30 to 400 pt
 * in three sizes, ——/…… stay whole, and the slices give back the text. */
static void test_kinsoku_sweep(void **state)
{
    lg_layout *l = *state;
    const double sizes[] = {10, 12, 14};
    for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
        lg_font f = {"Noto Serif CJK SC", sizes[z], z == 2, NULL};
        for (size_t s = 0; s < sizeof sentences / sizeof *sentences; s++) {
            for (int w = 30; w <= 400; w++) {
                lg_text_box *b =
                    lg_layout_text(l, sentences[s], &f, w, w % 3 ? LG_ALIGN_LEFT : LG_ALIGN_CENTER,
                                   w % 2);
                check_box(b, sentences[s], w);
                lg_text_box_free(b);
            }
        }
    }
}

/* (d) Cases Pango's UAX #14 breaking gets wrong on its own: words glued by
 * quotes (QU never breaks) wider than the column, broken between characters. */
static void test_kinsoku_known_cases(void **state)
{
    lg_layout *l = *state;
    lg_font f12 = {"Noto Serif CJK SC", 12, false, NULL};
    lg_font f14 = {"Noto Serif CJK SC", 14, true, NULL};
    struct {
        const char *text;
        const lg_font *font;
        double width;
    } cases[] = {
        /* Pango alone: 技术”、“|光储直 — an opening quote ends the line */
        {sentences[2], &f12, 55},
        /* Pango alone: 纠治“|四风” and 四风”|，强化 */
        {sentences[3], &f14, 40},
        /* Pango alone: 1.41%|。 — a full stop starts the line */
        {"同比增长1.41%。", &f12, 40},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lg_text_box *b = lg_layout_text(l, cases[i].text, cases[i].font, cases[i].width,
                                        LG_ALIGN_LEFT, true);
        check_box(b, cases[i].text, cases[i].width);
        lg_text_box_free(b);
    }
}

/* (d) With no legal break in a narrow column the line overflows: no endless
 * loop, the text all there. */
static void test_kinsoku_no_legal_break(void **state)
{
    lg_layout *l = *state;
    const char *texts[] = {"，，，，，，，，，，，，。。。。。。", "甲“《（「", "——————……",
                           "“”“”“”“”“”“”"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        for (double w = 5; w <= 60; w += 5) {
            lg_text_box *b = lg_layout_text(l, texts[i], &serif10, w, LG_ALIGN_LEFT, false);
            check_box(b, texts[i], w);
            lg_text_box_free(b);
        }
    }
}

/* (f) Characters no font has are counted. */
static void test_unknown_glyphs(void **state)
{
    lg_layout *l = *state;
    lg_text_box *b = lg_layout_text(l, sentences[1], &serif10, 200, LG_ALIGN_LEFT, false);
    assert_int_equal(b->unknown_glyphs, 0);
    lg_text_box_free(b);

    b = lg_layout_text(l, "中\xF4\x8F\xBF\xBD文", &serif10, 200, LG_ALIGN_LEFT, false); /* U+10FFFD */
    assert_true(b->unknown_glyphs > 0);
    lg_text_box_free(b);
}

/* Justified lines fill the width but the last of a paragraph. */
/* The check that `ledgerc check` and the PDF warnings use: it names the very
 * characters that would print as boxes, once each, and nothing else. */
static void test_missing_chars(void **state)
{
    lg_font f = {"Noto Serif CJK SC", 10, false, NULL};
    uint32_t out[4];
    assert_int_equal(lg_layout_missing_chars(*state, &f, "进展情况：１２．５亿元，PM2.5“四风”\n第二段", out, 4), 0);
    const char *text = "甲\xf4\x8f\xbf\xbd乙\xf4\x8f\xbf\xbd丙\xf3\xb0\x80\x80";
    assert_int_equal(lg_layout_missing_chars(*state, &f, text, out, 4), 2);
    assert_int_equal(out[0], 0x10FFFD);
    assert_int_equal(out[1], 0xF0000);
}

/* The characters of the last line of B (of TEXT), its paragraph end left out. */
static long last_line_chars(const lg_text_box *b, const char *text)
{
    const char *p = text + b->line_start[b->n_lines - 1], *q = text + b->line_start[b->n_lines];
    return g_utf8_strlen(p, q - p);
}

/* No lone character: a paragraph's last line is not a single character
 * when an earlier legal break avoids it — by Pango (lg_layout_text) and by
 * the fast measurer (lg_layout_measure, lg_layout_fast), at every width
 * from two characters up. The line before gives up one character. */
static void test_no_lone_last_character(void **state)
{
    lg_layout *l = *state;
    const char *texts[] = {
        "政协民主监督和社会舆论监督的意见建议已全部办结并在门户网站公开结果，群众满意度较高",
        "重点项目清单（第三批）》），已报市政府审定并印发各县区执行落实到位",
        "市直政府系统各单位", "市交通运输局", "市外事办公室",
        sentences[0], sentences[3],
    };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        for (double w = 20; w <= 200; w += 1) {
            lg_text_box *b = lg_layout_text(l, texts[t], &serif10, w, LG_ALIGN_LEFT, true);
            lg_text_box *m = lg_layout_measure(l, texts[t], &serif10, w, LG_ALIGN_LEFT, true);
            lg_text_box *f = lg_layout_fast(l, texts[t], &serif10, w, LG_ALIGN_LEFT, true);
            check_box(b, texts[t], w);
            if (b->n_lines > 1 && last_line_chars(b, texts[t]) < 2)
                fail_msg("width %g: \"%s\" ends with a lone character", w, texts[t]);
            assert_int_equal(m->n_lines, b->n_lines);
            assert_int_equal(f->n_lines, b->n_lines);
            for (size_t i = 0; i <= b->n_lines; i++) {
                assert_int_equal(m->line_start[i], b->line_start[i]);
                assert_int_equal(f->line_start[i], b->line_start[i]);
            }
            lg_text_box_free(b);
            lg_text_box_free(m);
            lg_text_box_free(f);
        }
    }
    /* 21 ideographs in a column of 10: 10 + 9 + 2, not 10 + 10 + 1. */
    const char *t21 = "中华人民共和国科学技术普及法山西省实施办法";
    lg_text_box *b = lg_layout_text(l, t21, &serif10, 100.5, LG_ALIGN_LEFT, true);
    assert_int_equal(b->n_lines, 3);
    assert_int_equal(b->line_start[1], 30);
    assert_int_equal(b->line_start[2], 57);
    lg_text_box_free(b);
    /* One character wide: no legal breaking avoids it, nothing overflows. */
    b = lg_layout_text(l, "甲乙丙", &serif10, 10.5, LG_ALIGN_LEFT, false);
    assert_int_equal(b->n_lines, 3);
    lg_text_box_free(b);
}

/* A number keeps the unit of its date or count: 2022年12月底前 breaks at
 * 2022年 | 12月底前 or 2022年12月 | 底前, never 2022 | 年 or 12 | 月. */
static void test_number_units(void **state)
{
    lg_layout *l = *state;
    const char *texts[] = {"2022年12月底前", "2022年12月31日前完成", "共3个项目，投资1.2亿元，涉及60家单位"};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        for (double w = 22; w <= 120; w += 0.5) {
            lg_text_box *b = lg_layout_text(l, texts[t], &serif10, w, LG_ALIGN_LEFT, false);
            check_box(b, texts[t], w);
            for (size_t i = 1; i < b->n_lines; i++) {
                const char *at = texts[t] + b->line_start[i];
                gunichar before = g_utf8_get_char(g_utf8_prev_char(at));
                if (g_unichar_isdigit(before) && g_utf8_strchr("年月日个亿家", -1, g_utf8_get_char(at)))
                    fail_msg("width %g: \"%s\" broken before %.3s", w, texts[t], at);
            }
            lg_text_box_free(b);
        }
    }
    lg_font f12 = {"Noto Serif CJK SC", 12, false, NULL};
    lg_text_box *b = lg_layout_text(l, "2022年12月底前", &f12, 70, LG_ALIGN_LEFT, false);
    assert_int_equal(b->n_lines, 2);
    assert_string_equal("底前", "2022年12月底前" + b->line_start[1]);
    lg_text_box_free(b);
}

/* xeCJK's cases: ellipses and dashes next to other marks stay whole and
 * keep the marks around them (…… not split, ”after …… not at a line start,
 * “ before —— not at a line end). */
static void test_ellipsis_dash_marks(void **state)
{
    lg_layout *l = *state;
    const char *texts[] = {"他说：“……”然后走了。", "“——”是破折号，“……”是省略号。",
                           "会议强调：——加快进度；——确保质量……。", "（……）《——》"};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        for (double w = 15; w <= 150; w += 0.5) {
            lg_text_box *b = lg_layout_text(l, texts[t], &serif10, w, LG_ALIGN_LEFT, true);
            check_box(b, texts[t], w);
            lg_text_box_free(b);
        }
}

/* Asserts that TEXT, unwrapped in 10 pt, is EMS ems wide, within TOL pt. */
static void check_width(lg_layout *l, const char *text, double ems, double tol)
{
    lg_text_box *b = lg_layout_text(l, text, &serif10, 0, LG_ALIGN_LEFT, false);
    double w = lg_text_box_line_width(b, 0);
    if (fabs(w - 10 * ems) > tol)
        fail_msg("\"%s\" is %g pt wide, not %g", text, w, 10 * ems);
    lg_text_box_free(b);
}

/* xeCJK's cases, set: …… and —— are never compressed, and a mark beside
 * them keeps its full width (：before “ is the only pair below). */
static void test_ellipsis_dash_widths(void **state)
{
    lg_layout *l = *state;
    struct {
        const char *text;
        double ems; /* its width unwrapped */
    } cases[] = {
        {"他说：“……”", 2 + 0.5 + 1 + 2 + 1},
        {"“……”", 4},
        {"（……）", 4},
        {"——”，", 1.5}, /* ”half before ，; —— as set, added below */
    };
    lg_text_box *dash = lg_layout_text(l, "——", &serif10, 0, LG_ALIGN_LEFT, false);
    cases[3].ems += lg_text_box_line_width(dash, 0) / 10;
    lg_text_box_free(dash);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_width(l, cases[i].text, cases[i].ems, 0.3);
}

/* The x of the character at byte I of box B's text, Pango units. */
static int char_x(const lg_text_box *b, size_t i)
{
    PangoRectangle r;
    pango_layout_index_to_pos(b->impl, (int)i, &r);
    return r.x;
}

static bool latin_or_digit(gunichar c)
{
    return (c < 0x80 && c > ' ') || (c >= 0xFF10 && c <= 0xFF19) || c == 0xFF0E;
}

/* Justification never letter-spaces a number or a URL: inside a run of
 * ASCII characters (or full-width digits) each advance is the one set unjustified, and the line
 * still fills its width (its room went between Chinese characters) unless
 * its few gaps would open holes over 1/3 em each: then, like a line with
 * nothing but a URL, it stays as set. */
static void test_justify_keeps_numbers(void **state)
{
    lg_layout *l = *state;
    const char *texts[] = {
        "2022年高新技术企业总数将超过220家，已在https://www.example.gov.cn/xxgk/2022/index.html"
        "公开，同比增长1.41%，研发投入（R&D）占比2.5%，累计完成投资２２３．９亿元，完成率100%以上并持续推进",
        "https://www.example.gov.cn/xxgk/2022/10/31/notice-of-the-municipal-office.html",
    };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        for (double w = 150; w <= 320; w += 7) {
            lg_text_box *b = lg_layout_text(l, texts[t], &serif10, w, LG_ALIGN_LEFT, true);
            lg_text_box *n = lg_layout_text(l, texts[t], &serif10, w, LG_ALIGN_LEFT, false);
            assert_int_equal(b->n_lines, n->n_lines);
            for (size_t k = 0; k + 1 < b->n_lines; k++) {
                bool chinese = false;
                for (size_t i = b->line_start[k]; i < b->line_start[k + 1];) {
                    const char *p = texts[t] + i, *q = g_utf8_next_char(p);
                    size_t j = (size_t)(q - texts[t]);
                    gunichar c = g_utf8_get_char(p), d = g_utf8_get_char(q);
                    chinese |= c >= 0x3000;
                    if (j < b->line_start[k + 1] && latin_or_digit(c) && latin_or_digit(d) &&
                        abs((char_x(b, j) - char_x(b, i)) - (char_x(n, j) - char_x(n, i))) > 1)
                        fail_msg("width %g: %.12s letter-spaced", w, p);
                    i = j;
                }
                /* the right edge of the line's last character */
                PangoRectangle r;
                pango_layout_index_to_pos(b->impl, (int)b->line_start[k + 1] - 1, &r);
                double right = (double)(r.x + r.width) / PANGO_SCALE;
                pango_layout_index_to_pos(n->impl, (int)n->line_start[k + 1] - 1, &r);
                double set = (double)(r.x + r.width) / PANGO_SCALE;
                /* filled, or as set when each gap would take over 1/3 em */
                if (chinese && fabs(right - w) > 0.5 && !(fabs(right - set) < 0.01 && w - set > 3))
                    fail_msg("width %g, line %zu ends at %g", w, k, right);
            }
            lg_text_box_free(b);
            lg_text_box_free(n);
        }
}

/* A justified line's room goes first to the blank half of a full-width
 * mark (up to 1/4 em), the rest evenly between the characters: after the
 * comma of 甲乙丙，丁… the gap is wider than between two ideographs, and
 * those gaps are all alike. */
static void test_justify_marks_first(void **state)
{
    lg_layout *l = *state;
    const char *t = "甲乙丙，丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";
    lg_text_box *b = lg_layout_text(l, t, &serif10, 106, LG_ALIGN_LEFT, true);
    lg_text_box *n = lg_layout_text(l, t, &serif10, 106, LG_ALIGN_LEFT, false);
    assert_int_equal(b->line_start[1], 30); /* 10 characters: 6 pt of room */
    int extra[9];
    for (int k = 0; k < 9; k++)
        extra[k] = (char_x(b, 3 * (k + 1)) - char_x(b, 3 * k)) -
                   (char_x(n, 3 * (k + 1)) - char_x(n, 3 * k));
    /* 2.5 pt after the comma, 3.5 pt shared by the 9 gaps */
    assert_true(abs(extra[3] - (int)(2.5 * 1024 + 3.5 * 1024 / 9)) <= 1);
    for (int k = 0; k < 9; k++)
        if (k != 3)
            assert_true(abs(extra[k] - (int)(3.5 * 1024 / 9)) <= 1);
    lg_text_box_free(b);
    lg_text_box_free(n);
}

static void test_justify(void **state)
{
    lg_layout *l = *state;
    lg_text_box *b = lg_layout_text(l, sentences[3], &serif10, 105, LG_ALIGN_LEFT, true);
    assert_true(b->n_lines > 2);
    for (size_t i = 0; i + 1 < b->n_lines; i++)
        assert_true(fabs(lg_text_box_line_width(b, i) - 105) < 0.5);
    assert_true(lg_text_box_line_width(b, b->n_lines - 1) < 104);
    lg_text_box_free(b);
}

/* The columns that hold ink in an ARGB32 surface: [*lo, *hi], or -1. */
static void ink_columns(cairo_surface_t *s, int *lo, int *hi)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    *lo = *hi = -1;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            if (row[x] >> 24) {
                if (*lo < 0 || x < *lo)
                    *lo = x;
                if (x > *hi)
                    *hi = x;
            }
        }
    }
}

static cairo_surface_t *image(int w, int h)
{
    return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
}

/* (g) Drawing a range of lines puts each where drawing the whole box would:
 * a box split over two pages prints every line once, in the same place. */
static void test_draw_split_is_exact(void **state)
{
    lg_layout *l = *state;
    lg_text_box *b = lg_layout_text(l, sentences[0], &serif10, 150, LG_ALIGN_LEFT, true);
    int w = 170, h = (int)ceil(b->height) + 20;

    cairo_surface_t *whole = image(w, h), *split = image(w, h);
    cairo_t *cr = cairo_create(whole);
    cairo_set_source_rgb(cr, 0, 0, 0);
    lg_text_box_draw(b, cr, 10, 10, 0, b->n_lines);
    cairo_destroy(cr);

    size_t k = b->n_lines / 2;
    cr = cairo_create(split);
    cairo_set_source_rgb(cr, 0, 0, 0);
    lg_text_box_draw(b, cr, 10, 10, 0, k);
    lg_text_box_draw(b, cr, 10, 10 + b->line_top[k], k, b->n_lines);
    cairo_destroy(cr);

    cairo_surface_flush(whole);
    cairo_surface_flush(split);
    size_t bytes = (size_t)cairo_image_surface_get_stride(whole) * h;
    assert_memory_equal(cairo_image_surface_get_data(whole), cairo_image_surface_get_data(split),
                        bytes);
    cairo_surface_destroy(whole);
    cairo_surface_destroy(split);
    lg_text_box_free(b);
}

/* Each text is laid out once per font, width, alignment and justification:
 * the planner's measurement and the drawing get the same box; the cache is
 * bounded (issue #17). */
static void test_layout_cache(void **state)
{
    lg_layout *l = *state;
    const char *text = sentences[1];
    lg_text_box *a = lg_layout_fast(l, text, &serif10, 150, LG_ALIGN_LEFT, true);
    lg_text_box *b = lg_layout_fast(l, text, &serif10, 150, LG_ALIGN_LEFT, true);
    assert_ptr_equal(a, b);
    lg_text_box_free(b);
    lg_text_box *m = lg_layout_measure(l, text, &serif10, 150, LG_ALIGN_LEFT, false);
    lg_text_box *m2 = lg_layout_measure(l, text, &serif10, 150, LG_ALIGN_LEFT, false);
    assert_ptr_equal(m, m2);
    lg_text_box_free(m2);
    lg_text_box_free(m);
    /* another justification or width is another box, with the same lines */
    lg_text_box *ragged = lg_layout_fast(l, text, &serif10, 150, LG_ALIGN_LEFT, false);
    assert_ptr_not_equal(ragged, a);
    assert_int_equal(ragged->n_lines, a->n_lines);
    assert_memory_equal(ragged->line_start, a->line_start, (a->n_lines + 1) * sizeof(size_t));
    lg_text_box_free(ragged);
    lg_text_box *wide = lg_layout_fast(l, text, &serif10, 200, LG_ALIGN_LEFT, true);
    assert_ptr_not_equal(wide, a);
    assert_true(wide->n_lines < a->n_lines);
    lg_text_box_free(wide);

    /* Pango layouts of long texts, some 50 KB counted each, until the
     * cache is full: it keeps A (given again), takes no more long texts
     * (a new one is laid out at each call, the same), and A is as it was. */
    size_t lines = a->n_lines, end = a->line_start[a->n_lines];
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 800; i++) {
        g_string_printf(s, "%d", i);
        while (s->len < 1600)
            g_string_append(s, "Plan (phase 2) 进展顺利，已完成。");
        lg_text_box_free(lg_layout_text(l, s->str, &serif10, 300, LG_ALIGN_LEFT, false));
    }
    lg_text_box *n1 = lg_layout_text(l, s->str, &serif10, 300, LG_ALIGN_LEFT, false);
    lg_text_box *n2 = lg_layout_text(l, s->str, &serif10, 300, LG_ALIGN_LEFT, false);
    assert_ptr_not_equal(n1, n2);
    assert_int_equal(n1->n_lines, n2->n_lines);
    assert_memory_equal(n1->line_start, n2->line_start, (n1->n_lines + 1) * sizeof(size_t));
    lg_text_box_free(n1);
    lg_text_box_free(n2);
    g_string_free(s, TRUE);
    assert_int_equal(a->n_lines, lines);
    assert_int_equal(a->line_start[a->n_lines], end);
    check_box(a, text, 150);
    b = lg_layout_fast(l, text, &serif10, 150, LG_ALIGN_LEFT, true);
    assert_ptr_equal(a, b);
    lg_text_box_free(b);
    /* A short text is still taken, from its second layout on (a page's
     * own footer, laid out once, is not kept). */
    lg_text_box *s1 = lg_layout_text(l, "市科技局", &serif10, 50, LG_ALIGN_CENTER, false);
    lg_text_box *s2 = lg_layout_text(l, "市科技局", &serif10, 50, LG_ALIGN_CENTER, false);
    lg_text_box *s3 = lg_layout_text(l, "市科技局", &serif10, 50, LG_ALIGN_CENTER, false);
    assert_ptr_not_equal(s1, s2);
    assert_ptr_equal(s2, s3);
    lg_text_box_free(s1);
    lg_text_box_free(s2);
    lg_text_box_free(s3);
    lg_text_box_free(a);
}

/* Alignment shows in the drawing. */
static void test_draw_alignment(void **state)
{
    lg_layout *l = *state;
    const lg_align aligns[] = {LG_ALIGN_LEFT, LG_ALIGN_CENTER, LG_ALIGN_RIGHT};
    for (size_t i = 0; i < 3; i++) {
        lg_text_box *b = lg_layout_text(l, "中国", &serif10, 100, aligns[i], false);
        cairo_surface_t *s = image(100, 20);
        cairo_t *cr = cairo_create(s);
        lg_text_box_draw(b, cr, 0, 0, 0, 1);
        cairo_destroy(cr);
        int lo, hi;
        ink_columns(s, &lo, &hi);
        assert_true(lo >= 0);
        if (aligns[i] == LG_ALIGN_LEFT)
            assert_true(lo <= 3 && hi < 25);
        else if (aligns[i] == LG_ALIGN_RIGHT)
            assert_true(hi >= 96 && lo > 75);
        else
            assert_true(fabs((lo + hi) / 2.0 - 50) <= 3);
        cairo_surface_destroy(s);
        lg_text_box_free(b);
    }
}

/* (g) Drawing on a PDF surface, the whole box and a range of it. */
static void test_draw_pdf(void **state)
{
    lg_layout *l = *state;
    char path[] = "/tmp/test_layout_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(pdf);
    cairo_set_source_rgb(cr, 0, 0, 0);

    lg_text_box *b = lg_layout_text(l, sentences[4], &serif10, 200, LG_ALIGN_LEFT, true);
    lg_text_box_draw(b, cr, 50, 50, 0, b->n_lines);
    lg_text_box_draw(b, cr, 300, 50, 1, 3);
    lg_text_box_draw(b, cr, 300, 200, 2, 2);             /* nothing */
    lg_text_box_draw(b, cr, 300, 250, 0, b->n_lines + 5); /* clamped */
    lg_text_box_free(b);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    assert_int_equal(cairo_surface_status(pdf), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(pdf);

    FILE *fp = fdopen(fd, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    assert_true(ftell(fp) > 1000);
    fclose(fp);
    remove(path);
}

/* Asserts that lg_layout_measure gives TEXT the lines lg_layout_text gives
 * it: the same line starts and line tops, to the last bit. Returns whether
 * the fast path took it (its box has no layout). */
static bool check_measure(lg_layout *l, const char *text, const lg_font *font, double width,
                          lg_align align, bool justify)
{
    lg_text_box *m = lg_layout_measure(l, text, font, width, align, justify);
    lg_text_box *t = lg_layout_text(l, text, font, width, align, justify);
    if (m->n_lines != t->n_lines)
        fail_msg("width %g: %zu lines measured, Pango has %zu: \"%s\"", width, m->n_lines,
                 t->n_lines, text);
    for (size_t i = 0; i <= t->n_lines; i++) {
        if (m->line_start[i] != t->line_start[i])
            fail_msg("width %g, line %zu starts at byte %zu, Pango's at %zu: \"%s\"", width,
                     i + 1, m->line_start[i], t->line_start[i], text);
        if (m->line_top[i] != t->line_top[i])
            fail_msg("width %g, line %zu top %.17g, Pango's %.17g", width, i + 1, m->line_top[i],
                     t->line_top[i]);
    }
    assert_true(m->height == t->height);
    assert_int_equal(m->unknown_glyphs, t->unknown_glyphs);
    bool fast = m->impl == NULL;
    lg_text_box_free(m);
    lg_text_box_free(t);
    return fast;
}

/* A line separator (U+2028) is a break Pango takes whatever follows it,
 * a mark the rules keep off a line's start too: in a long paragraph
 * (filled line by line) and a short one, the lines are Pango's and the
 * text is all there. */
static void test_line_separator(void **state)
{
    lg_layout *l = *state;
    for (int n = 10; n <= 2100; n += 2090) {
        GString *s = g_string_new(NULL);
        for (int i = 0; i < n; i++)
            g_string_append(s, "推进");
        g_string_append(s, "\u2028，完成。");
        lg_text_box *b = lg_layout_text(l, s->str, &serif10, 150, LG_ALIGN_LEFT, true);
        check_box(b, s->str, 150);
        lg_text_box_free(b);
        check_measure(l, s->str, &serif10, 150, LG_ALIGN_LEFT, true);
        g_string_free(s, TRUE);
    }
}

static cairo_status_t to_bytes(void *closure, const unsigned char *data, unsigned int n)
{
    g_byte_array_append(closure, data, n);
    return CAIRO_STATUS_SUCCESS;
}

/* A PDF surface writing into BYTES, dated as every run of the test. */
static cairo_t *pdf_into(GByteArray *bytes)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_bytes, bytes, 400, 800);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2022-11-01T00:00:00");
    cairo_t *cr = cairo_create(s);
    cairo_surface_destroy(s);
    return cr;
}

static void pdf_finish(cairo_t *cr)
{
    cairo_surface_finish(cairo_get_target(cr));
    assert_int_equal(cairo_surface_status(cairo_get_target(cr)), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
}

/* Finishes the PDFs drawn on A into BA and on B into BB (pdf_into) and
 * asserts that they are the same bytes. */
static void assert_same_pdfs(cairo_t *a, const GByteArray *ba, cairo_t *b, const GByteArray *bb)
{
    pdf_finish(a);
    pdf_finish(b);
    assert_int_equal(ba->len, bb->len);
    assert_memory_equal(ba->data, bb->data, ba->len);
}

/* Draws TEXT as the PDF renderer does, in FAST from the glyphs that
 * lg_layout_fast measured and in SLOW by Pango, whole and from its second
 * line on, each on a page of its own. Returns whether it took the fast
 * path. */
static bool draw_both(lg_layout *l, const char *text, const lg_font *font, double width,
                      const lg_column *col, cairo_t *fast, cairo_t *slow)
{
    lg_text_box *f = lg_layout_fast(l, text, font, width, col->align, col->justify);
    lg_text_box *t = lg_layout_text(l, text, font, width, col->align, col->justify);
    assert_int_equal(f->n_lines, t->n_lines);
    for (size_t i = 0; i <= t->n_lines; i++) {
        assert_int_equal(f->line_start[i], t->line_start[i]);
        assert_true(f->line_top[i] == t->line_top[i]);
    }
    bool by_glyphs = f->glyphs != NULL;
    lg_text_box *boxes[2] = {f, t};
    cairo_t *crs[2] = {fast, slow};
    for (int k = 0; k < 2; k++) {
        lg_text_box_draw(boxes[k], crs[k], 10.5, 20.25, 0, boxes[k]->n_lines);
        cairo_show_page(crs[k]);
        lg_text_box_draw(boxes[k], crs[k], 10.5, 20.25, 1, boxes[k]->n_lines);
        cairo_show_page(crs[k]);
    }
    lg_text_box_free(f);
    lg_text_box_free(t);
    return by_glyphs;
}

/* Every long cell of a generated city drawn from the glyphs lg_layout_fast
 * measured gives, unit by unit, the very PDF that Pango's drawing of it
 * gives, byte for byte: the same glyphs at the same places (justified
 * lines too), with the same text behind them. */
static void test_city_fast_drawing(void **state)
{
    lg_layout *l = *state;
    char dir[] = "/tmp/ledgerc-fastdraw-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *cmd = lg_xasprintf("/usr/bin/python3 %s/scripts/gen-corpus --out %s --units 60 "
                             "--tasks 300 --months 1 --start 2022-10",
                             LG_SOURCE_DIR, dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    lg_xml_init();
    lg_diags d = {0};
    char *plan_path = lg_xasprintf("%s/plan.xml", dir);
    lg_plan *p = lg_plan_load(plan_path, &d);
    lg_template *tpl = lg_template_load(LG_SOURCE_DIR "/templates/ledger.xml", &d);
    assert_non_null(p);
    assert_non_null(tpl);
    lg_month *m = lg_month_load(p, dir, 2022, 10, &d);
    assert_int_equal(lg_diags_count(&d, LG_ERROR), 0);
    const lg_view_layout *v = lg_template_view(tpl, "unit");
    size_t long_cells = 0, fast = 0;
    for (size_t u = 0; u < p->n_units; u++) {
        lg_arena *a = lg_arena_new();
        const lg_table *t = lg_view_unit(a, m, &p->units[u], v, tpl->title_format);
        GByteArray *bf = g_byte_array_new(), *bs = g_byte_array_new();
        cairo_t *cf = pdf_into(bf), *cs = pdf_into(bs);
        for (size_t r = 0; r < t->n_rows; r++)
            for (size_t c = 0; c < t->n_columns; c++) {
                const lg_column *col = &t->columns[c];
                const char *text = lg_table_cell(t, r, c)->text;
                if (strlen(text) <= 48)
                    continue;
                long_cells++;
                fast += draw_both(l, text, NULL, LG_MM_TO_PT(col->width_mm - 2 * tpl->padding_mm),
                                  col, cf, cs);
            }
        assert_same_pdfs(cf, bf, cs, bs);
        g_byte_array_unref(bf);
        g_byte_array_unref(bs);
        lg_arena_free(a);
    }
    print_message("%zu long cells, %zu drawn from measured glyphs\n", long_cells, fast);
    assert_true(fast * 10 > long_cells * 7);
    lg_template_free(tpl);
    lg_plan_free(p);
    lg_diags_free(&d);
    free(plan_path);
    cmd = lg_xasprintf("rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* The 破折号 —— is one glyph for two characters in Noto Serif CJK: a text
 * with it is drawn from its measured glyphs all the same (the second dash
 * joined to the first's cluster), justified or not, wherever the lines
 * break around it, and the PDF is the very one Pango's drawing gives,
 * the dash's text behind its one glyph. */
static void test_dash_ligature_drawn(void **state)
{
    lg_layout *l = *state;
    static const char *const texts[] = {
        "“十四五”规划中期评估——包括“一县一策”专项评估——稳步推进，已完成年度目标任务的百分之八十五。",
        "一是建立周调度机制——定期通报进展情况；二是对照年度目标任务——逐项细化分解，压实工作责任。",
        "完成投资12.5亿元——同比增长8.5%——超额完成年度目标任务，相关工作有序推进。",
    };
    GByteArray *bf = g_byte_array_new(), *bs = g_byte_array_new();
    cairo_t *cf = pdf_into(bf), *cs = pdf_into(bs);
    /* the serif's —— is narrower than two dashes; the sans' may not be */
    const lg_font fonts[] = {serif10, {"Noto Sans CJK SC", 9, false, NULL}};
    size_t drawn = 0, tried = 0;
    for (size_t f = 0; f < sizeof fonts / sizeof *fonts; f++)
        for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
            for (double w = 60; w <= 200; w += 10.5)
                for (int justify = 0; justify < 2; justify++) {
                    lg_column col = {.align = LG_ALIGN_LEFT, .justify = justify};
                    drawn += draw_both(l, texts[i], &fonts[f], w, &col, cf, cs);
                    tried++;
                }
    assert_same_pdfs(cf, bf, cs, bs);
    /* Drawn from glyphs but where a line breaks inside a kerned run of
     * marks around a number (as Pango shapes such a line again). */
    print_message("%zu of %zu drawn from glyphs\n", drawn, tried);
    assert_true(drawn * 10 >= tried * 9);
    g_byte_array_unref(bf);
    g_byte_array_unref(bs);
}

/* Paragraphs indented with ideographic spaces (　　一是…), as offices
 * write them, take the fast path: measured as Pango breaks them, drawn
 * from their glyphs as Pango draws them, byte for byte, down to a column
 * so narrow that a line would hold the indent alone (which the fast path
 * leaves to Pango, since Pango does not count spaces at a line's end). */
static void test_indent_fast(void **state)
{
    lg_layout *l = *state;
    static const char *const texts[] = {
        "　　一是持续跟踪项目进展，协调解决冬季停工等问题；二是会同安和县人民政府开展专题推进会，"
        "推动各项措施落地见效。\n　　一是按照“6个一”工作要求，倒排工期、挂图作战。",
        "　　一是R&D经费投入强度达到7.1%，GDP同比增长1.5%；二是持续跟踪项目进展。\n"
        "　　二是做好普惠托育服务体系建设总结评估，谋划明年重点工作。\n",
        "　一是截至10月底，累计完成投资79.1亿元，占年度计划的79.7%。\n\n　　（详见附件5）",
    };
    GByteArray *bf = g_byte_array_new(), *bs = g_byte_array_new();
    cairo_t *cf = pdf_into(bf), *cs = pdf_into(bs);
    size_t measured = 0, drawn = 0, tried = 0; /* at 4 ems or more */
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        for (double w = 12; w <= 240; w += (w < 40 ? 1.5 : 9.5))
            for (int justify = 0; justify < 2; justify++) {
                lg_column col = {.align = LG_ALIGN_LEFT, .justify = justify};
                bool m = check_measure(l, texts[i], &serif10, w, col.align, justify);
                bool d = draw_both(l, texts[i], &serif10, w, &col, cf, cs);
                if (w >= 40) {
                    measured += m;
                    drawn += d;
                    tried++;
                }
            }
    assert_same_pdfs(cf, bf, cs, bs);
    print_message("%zu indented boxes 4 ems wide or more: %zu measured, %zu drawn by the fast "
                  "path\n", tried, measured, drawn);
    assert_int_equal(measured, tried);
    assert_true(drawn * 10 >= tried * 9);
    g_byte_array_unref(bf);
    g_byte_array_unref(bs);
}

/* A box made again from the lines of its first layout (as a table drawn
 * after its pages were planned makes it when the layout's cache no longer
 * has it) is the very box: the same lines, and the same PDF drawn from it,
 * byte for byte; and it takes those lines as they are, without breaking
 * the text again: lines measured at a narrower width stay. */
static void test_fast_again(void **state)
{
    lg_layout *l = *state;
    lg_layout *again = lg_layout_new(); /* whose cache has none of them */
    static const char *const more[] = {
        "全社会研发投入增长百分之十以上，R&D经费投入强度达到百分之二点五，GDP同比增长百分之六点五。",
        "一是建立周调度机制——定期通报进展情况；二是对照年度目标任务——逐项细化分解，压实工作责任。",
        "第一段，完成年度目标任务的百分之八十五。\n\n第三段，前一段是空的。\n",
    };
    const char *texts[sizeof sentences / sizeof *sentences + sizeof more / sizeof *more];
    size_t n_texts = 0;
    for (size_t i = 0; i < sizeof sentences / sizeof *sentences; i++)
        texts[n_texts++] = sentences[i];
    for (size_t i = 0; i < sizeof more / sizeof *more; i++)
        texts[n_texts++] = more[i];
    GByteArray *bf = g_byte_array_new(), *ba = g_byte_array_new();
    cairo_t *cf = pdf_into(bf), *ca = pdf_into(ba);
    size_t made_again = 0, kept_narrow = 0;
    for (size_t i = 0; i < n_texts; i++)
        for (double w = 40; w <= 240; w += 7.5)
            for (int justify = 0; justify < 2; justify++) {
                lg_text_box *b = lg_layout_fast(l, texts[i], &serif10, w, LG_ALIGN_LEFT, justify);
                uint32_t *lines = lg_xmalloc((b->n_lines + 1) * sizeof *lines);
                if (!lg_text_box_lines(b, lines)) {
                    assert_null(b->glyphs); /* laid out by Pango */
                    free(lines);
                    lg_text_box_free(b);
                    continue;
                }
                lg_text_box *a = lg_layout_fast_again(again, texts[i], &serif10, w,
                                                      LG_ALIGN_LEFT, justify, lines);
                assert_non_null(a->glyphs);
                assert_int_equal(a->n_lines, b->n_lines);
                for (size_t k = 0; k <= b->n_lines; k++) {
                    assert_int_equal(a->line_start[k], b->line_start[k]);
                    assert_true(a->line_top[k] == b->line_top[k]);
                }
                lg_text_box_draw(b, cf, 10.5, 20.25, 0, b->n_lines);
                lg_text_box_draw(a, ca, 10.5, 20.25, 0, a->n_lines);
                cairo_show_page(cf);
                cairo_show_page(ca);
                made_again++;
                /* the same lines at twice the width: kept as they are */
                lg_text_box *wide = lg_layout_fast_again(again, texts[i], &serif10, 2 * w,
                                                         LG_ALIGN_LEFT, justify, lines);
                if (wide->glyphs && b->n_lines > 1) {
                    assert_int_equal(wide->n_lines, b->n_lines);
                    for (size_t k = 0; k <= b->n_lines; k++)
                        assert_int_equal(wide->line_start[k], b->line_start[k]);
                    kept_narrow++;
                }
                lg_text_box_free(wide);
                lg_text_box_free(a);
                lg_text_box_free(b);
                free(lines);
            }
    assert_same_pdfs(cf, bf, ca, ba);
    print_message("%zu boxes made again from their lines, %zu kept at twice the width\n",
                  made_again, kept_narrow);
    assert_true(made_again >= 200);
    assert_true(kept_narrow >= 100);
    g_byte_array_unref(bf);
    g_byte_array_unref(ba);
    lg_layout_free(again);
}

static bool is_ideograph(gunichar c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

/* A line that ends with a Chinese mark before a Latin word (，|R&D) ends
 * between two items of the paragraph's shaping, which Pango does not shape
 * again: the text is drawn from its measured glyphs there, as Pango draws
 * it, byte for byte. */
static void test_item_break_drawn(void **state)
{
    lg_layout *l = *state;
    static const char *const texts[] = {
        "全社会研发投入增长百分之十以上，R&D经费投入强度达到百分之二点五，GDP同比增长百分之六点五，"
        "PM2.5年均浓度持续下降，OA系统上线运行，MES系统集成完成。",
        "推进数字政府建设、5G基站建设、AI产业发展，完成ERP/MES系统改造，“放管服”改革持续深化。",
    };
    GByteArray *bf = g_byte_array_new(), *bs = g_byte_array_new();
    cairo_t *cf = pdf_into(bf), *cs = pdf_into(bs);
    size_t at_items = 0;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        for (double w = 50; w <= 250; w += 2.5)
            for (int justify = 0; justify < 2; justify++) {
                lg_column col = {.align = LG_ALIGN_LEFT, .justify = justify};
                lg_text_box *b = lg_layout_fast(l, texts[i], &serif10, w, col.align, justify);
                /* a line that begins with a Latin letter after a Chinese
                 * mark, and no other break between two characters that are
                 * not ideographs (ERP/|MES, ，|“, and 、|5G, where the digit,
                 * of no script, belongs to the item before it: Pango shapes
                 * the two parts of such an item again) */
                bool item_break = false, run_break = false;
                for (size_t k = 1; k < b->n_lines; k++) {
                    const char *at = texts[i] + b->line_start[k];
                    gunichar c = g_utf8_get_char(at);
                    gunichar before = g_utf8_get_char(g_utf8_prev_char(at));
                    bool mark_latin = !is_ideograph(before) && before >= 0x3000 &&
                                      g_ascii_isalpha((int)c);
                    item_break |= mark_latin;
                    run_break |= !mark_latin && !is_ideograph(c) && !is_ideograph(before);
                }
                if (item_break && !run_break) {
                    at_items++;
                    assert_true(draw_both(l, texts[i], &serif10, w, &col, cf, cs));
                }
                lg_text_box_free(b);
            }
    assert_same_pdfs(cf, bf, cs, bs);
    print_message("%zu boxes with a line broken before a Latin word after a mark\n", at_items);
    assert_true(at_items >= 20);
    g_byte_array_unref(bf);
    g_byte_array_unref(bs);
}

/* A line broken inside one item of the text's shaping (in a URL at a dot
 * or a slash, between a Chinese mark and the number after it, 、|5G) is
 * drawn from the glyphs measured when the two characters there shape
 * apart as together (no kerning, no ligature): as Pango draws it, byte
 * for byte, the item's two parts shaped again. Noto Serif CJK kerns a
 * stop against some letters (.e .c .g): a break there is still Pango's
 * to draw. */
static void test_split_item_drawn(void **state)
{
    lg_layout *l = *state;
    static const char *const texts[] = {
        "相关材料已在https://www.example.gov.cn/zwgk/tzgg/2022/notice_000158.html公开，"
        "详见www.gov.cn/zhengce/content/2022-10/notice.html。",
        "一是已有7个项目开工建设，开工率78.5%；二是截至10月底，累计完成投资55.6亿元，"
        "占年度计划的90.8%；三是完成重点企业168个、5G基站828个，超额完成年度目标。",
    };
    GByteArray *bf = g_byte_array_new(), *bs = g_byte_array_new();
    cairo_t *cf = pdf_into(bf), *cs = pdf_into(bs);
    size_t split = 0, drawn = 0;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        for (double w = 60; w <= 250; w += 3.5)
            for (int justify = 0; justify < 2; justify++) {
                lg_column col = {.align = LG_ALIGN_LEFT, .justify = justify};
                lg_text_box *b = lg_layout_measure(l, texts[i], &serif10, w, col.align, justify);
                /* a line that begins inside a URL or with a digit after a mark */
                bool inside = false;
                for (size_t k = 1; k < b->n_lines; k++) {
                    const char *at = texts[i] + b->line_start[k];
                    gunichar c = g_utf8_get_char(at);
                    gunichar before = g_utf8_get_char(g_utf8_prev_char(at));
                    inside |= (before < 0x80 && c < 0x80) ||
                              (!is_ideograph(before) && before >= 0x3000 && g_ascii_isdigit((int)c));
                }
                lg_text_box_free(b);
                if (inside) {
                    split++;
                    drawn += draw_both(l, texts[i], &serif10, w, &col, cf, cs);
                }
            }
    assert_same_pdfs(cf, bf, cs, bs);
    print_message("%zu boxes broken inside an item, %zu drawn from glyphs\n", split, drawn);
    assert_true(split >= 100);
    assert_true(drawn >= 30);
    g_byte_array_unref(bf);
    g_byte_array_unref(bs);
}

/* Every cell of a generated city (60 units, 300 tasks) at its column's width
 * in the PDF and in the spreadsheet: no line starts or ends against the
 * rules, the lines put back together give the text, and the fast path of
 * lg_layout_measure breaks it exactly as Pango does. */
static void test_city_corpus(void **state)
{
    lg_layout *l = *state;
    char dir[] = "/tmp/ledgerc-kinsoku-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *cmd = lg_xasprintf("/usr/bin/python3 %s/scripts/gen-corpus --out %s --units 60 "
                             "--tasks 300 --months 1 --start 2022-10",
                             LG_SOURCE_DIR, dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    lg_xml_init();
    lg_diags d = {0};
    char *plan_path = lg_xasprintf("%s/plan.xml", dir);
    lg_plan *p = lg_plan_load(plan_path, &d);
    lg_template *tpl = lg_template_load(LG_SOURCE_DIR "/templates/ledger.xml", &d);
    assert_non_null(p);
    assert_non_null(tpl);
    lg_month *m = lg_month_load(p, dir, 2022, 10, &d);
    assert_int_equal(lg_diags_count(&d, LG_ERROR), 0);
    const lg_view_layout *v = lg_template_view(tpl, "unit");
    size_t cells = 0, long_cells = 0, fast = 0;
    for (size_t u = 0; u < p->n_units; u++) {
        lg_arena *a = lg_arena_new();
        const lg_table *t = lg_view_unit(a, m, &p->units[u], v, tpl->title_format);
        for (size_t r = 0; r < t->n_rows; r++)
            for (size_t c = 0; c < t->n_columns; c++) {
                const lg_column *col = &t->columns[c];
                const char *text = lg_table_cell(t, r, c)->text;
                double widths[2] = {LG_MM_TO_PT(col->width_mm - 2 * tpl->padding_mm),
                                    lg_xlsx_text_width(tpl, col->width_mm)};
                for (int w = 0; w < 2; w++) {
                    lg_text_box *b = lg_layout_text(l, text, &tpl->body_font, widths[w],
                                                    col->align, col->justify);
                    check_box(b, text, widths[w]);
                    lg_text_box_free(b);
                    bool f = check_measure(l, text, &tpl->body_font, widths[w], col->align,
                                           col->justify);
                    cells++;
                    long_cells += strlen(text) > 48;
                    fast += f;
                }
            }
        lg_arena_free(a);
    }
    /* Every cell of every unit's ledger: a row per task and unit that
     * reports on it, as the generated plan says. */
    size_t rows = 0;
    for (size_t i = 0; i < p->n_tasks; i++)
        rows += p->tasks[i].shared ? p->n_units : p->tasks[i].n_owners;
    assert_true(rows >= p->n_tasks);
    assert_int_equal(cells, 2 * v->n_columns * rows);
    /* The fast path is worth having: it takes most long cells. */
    print_message("%zu cells, %zu long, %zu by the fast path\n", cells, long_cells, fast);
    assert_true(fast * 10 > long_cells * 7);
    lg_template_free(tpl);
    lg_plan_free(p);
    lg_diags_free(&d);
    free(plan_path);
    cmd = lg_xasprintf("rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* Random texts of the fast path's characters, weighted towards the ones
 * that constrain breaking (punctuation around numbers, quotes, brackets,
 * ——, ……, paragraph ends), at widths that include exact multiples of an
 * em: the fast path and Pango agree on every one. */
static void test_measure_random(void **state)
{
    lg_layout *l = *state;
    static const char *const pieces[] = {
        "中", "国", "发", "展", "改", "革", "委", "员", "会", "项", "目", "建", "设", "推",
        "进", "，", "。", "、", "；", "：", "？", "！", "“", "”", "‘", "’", "（", "）", "《",
        "》", "【", "】", "〔", "〕", "——", "……", "…", "—", "·", "0", "1", "2", "5", "9",
        "12.5", "85%", "2022", "-", "/", ".", ",", ":", "(", ")", "+", "％", "１", "２",
        "．", "～", "℃", "‰", "°", "\n", "\n\n", "〈", "〉", "「", "」", "『", "』", "—",
        "\n　　", "\n　", /* a paragraph indented with ideographic spaces */
        "=", "#", "*", "<", ">", "@", "_",
        /* Latin words, kerned pairs, ligatures, a URL */
        "R&D", "GDP", "PM2.5", "5G", "AI", "AVATAR", "Type", "WAVE", "office", "fifty", "ffl",
        "https://www.example.gov.cn/zwgk/tzgg/2022/notice_000789.html", "www.gov.cn", "Yo.",
        "（R&D）", "(GDP)", "《AI》", "“PM2.5”", "R&D……", "5G——", "[A]", "A．", "ok！", "WiFi、",
    };
    const size_t n_pieces = sizeof pieces / sizeof *pieces;
    const lg_font fonts[] = {serif10, {"Noto Serif CJK SC", 10.5, false, NULL},
                             {"Noto Serif CJK SC", 12, true, NULL}, {"Noto Sans CJK SC", 9, false, NULL}};
    uint32_t seed = 20221031;
    size_t fast = 0, total = 0, drawn = 0;
    GByteArray *bf = g_byte_array_new(), *bs = g_byte_array_new();
    cairo_t *cf = pdf_into(bf), *cs = pdf_into(bs);
    for (int i = 0; i < 3000; i++) {
        GString *s = g_string_new(i % 5 == 0 ? "　　" : NULL);
        int len = 17 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 120;
        for (int k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pick = (seed >> 16) % (2 * n_pieces);
            /* Half the picks are ideographs, so that paragraphs read like text. */
            g_string_append(s, pick < n_pieces ? pieces[pick] : pieces[pick % 14]);
        }
        seed = seed * 1103515245u + 12345u;
        const lg_font *f = &fonts[(seed >> 16) % 4];
        double width = (i % 3 == 0) ? f->size * (2 + (seed >> 20) % 30) /* a whole number of ems */
                                    : 15 + (double)((seed >> 12) % 4000) / 16;
        fast += check_measure(l, s->str, f, width, LG_ALIGN_LEFT, i % 2);
        total++;
        /* Drawn from the glyphs measured, as Pango draws it: the same
         * PDF, a hundred texts at a time. Not the bold face: Cairo 1.16
         * aborts finishing a PDF where Pango drew "fffiffi" in the whole
         * Noto Serif CJK SC Bold (a build draws with its subset faces,
         * which it finishes). */
        lg_column col = {.align = LG_ALIGN_LEFT, .justify = i % 2};
        if (!f->bold && i % 4 < 2)
            drawn += draw_both(l, s->str, f, width, &col, cf, cs);
        if (i % 100 == 99) {
            pdf_finish(cf);
            pdf_finish(cs);
            if (bf->len != bs->len || memcmp(bf->data, bs->data, bf->len) != 0)
                fail_msg("texts %d to %d: drawn from glyphs, not as Pango draws them", i - 99, i);
            g_byte_array_set_size(bf, 0);
            g_byte_array_set_size(bs, 0);
            cf = pdf_into(bf);
            cs = pdf_into(bs);
        }
        g_string_free(s, TRUE);
    }
    cairo_destroy(cf);
    cairo_destroy(cs);
    g_byte_array_unref(bf);
    g_byte_array_unref(bs);
    print_message("%zu random texts, %zu by the fast path, %zu drawn from glyphs\n", total, fast,
                  drawn);
    assert_true(fast * 2 > total);
    assert_true(drawn > 100); /* most have a piece refused: a ligature, a break in a word */
}


/* The widest gap between two ideographs side by side on a justified line
 * of B (every line but a paragraph's last), over its natural advance of
 * EM points. */
static double widest_ideograph_gap(const lg_text_box *b, const char *text, double em)
{
    double widest = 0;
    for (size_t k = 0; k + 1 < b->n_lines; k++) {
        if (text[b->line_start[k + 1] - 1] == '\n')
            continue;
        for (size_t i = b->line_start[k]; i < b->line_start[k + 1];) {
            size_t j = (size_t)(g_utf8_next_char(text + i) - text);
            gunichar c = g_utf8_get_char(text + i), d = g_utf8_get_char(text + j);
            bool han = c >= 0x4E00 && c <= 0x9FFF && d >= 0x4E00 && d <= 0x9FFF;
            if (j < b->line_start[k + 1] && han) {
                double gap = (double)(char_x(b, j) - char_x(b, i)) / PANGO_SCALE - em;
                if (gap > widest)
                    widest = gap;
            }
            i = j;
        }
    }
    return widest / em;
}

/* Issue 15's seed case: 「政协民主监督和社会舆论监督。」 in the plan column was set
 * 「政 协 民 主 监 督 和 社 会 舆 论 监」 so that 「督。」 could start a line. Broken as
 * a paragraph, at any width of that column and around it, no justified
 * line opens a gap of a quarter em between two ideographs; at the seed's
 * width (52 mm less the padding), not even 0.12 em. */
static void test_paragraph_breaking(void **state)
{
    lg_layout *l = *state;
    const char *texts[] = {
        "认真完成市人大和政协交办的各项工作，自觉接受人大法律监督、政协民主监督和社会舆论监督。",
        "认真执行市人大及其常委会的决议决定，贯彻执行地方性法规，自觉接受人大法律监督、政协民主监督和社会舆论监督。",
        sentences[0], sentences[2],
    };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        for (double w = 120; w <= 260; w += 0.5) {
            lg_text_box *b = lg_layout_text(l, texts[t], &serif10, w, LG_ALIGN_LEFT, true);
            check_box(b, texts[t], w);
            double gap = widest_ideograph_gap(b, texts[t], 10);
            if (gap > 0.25)
                fail_msg("width %g: a gap of %.3f em in \"%s\"", w, gap, texts[t]);
            lg_text_box_free(b);
        }
    double seed = LG_MM_TO_PT(52 - 2 * 1.5);
    /* A closing quote ends a line before an ideograph (UAX #14 glues
     * 「批”改」): the city's 「205.落实“一枚印章管审」 was set 0.29 em apart. */
    const char *quoted = "205.落实“一枚印章管审批”改革，形成可复制可推广的经验，争取上级资金";
    lg_text_box *q = lg_layout_text(l, quoted, &serif10, seed, LG_ALIGN_LEFT, true);
    assert_true(g_str_has_prefix(quoted + q->line_start[1], "改革"));
    assert_true(widest_ideograph_gap(q, quoted, 10) <= 0.12);
    lg_text_box_free(q);
    for (size_t t = 0; t < 2; t++) {
        lg_text_box *b = lg_layout_text(l, texts[t], &serif10, seed, LG_ALIGN_LEFT, true);
        assert_true(widest_ideograph_gap(b, texts[t], 10) <= 0.12);
        lg_text_box_free(b);
    }
}

/* 推入 before 推出: a line one mark too wide sets its closing mark at half
 * width and keeps it, rather than sending 十，down and letter-spacing the
 * nine characters left. */
static void test_push_in(void **state)
{
    lg_layout *l = *state;
    const char *t = "一二三四五六七八九十，一二三四五六七八";
    lg_text_box *b = lg_layout_text(l, t, &serif10, 105, LG_ALIGN_LEFT, true);
    assert_true(b->n_lines == 2);
    assert_string_equal(t + b->line_start[1], "一二三四五六七八");
    assert_true(fabs(lg_text_box_line_width(b, 0) - 105) < 0.01);
    lg_text_box *m = lg_layout_measure(l, t, &serif10, 105, LG_ALIGN_LEFT, true);
    assert_int_equal(m->line_start[1], b->line_start[1]);
    lg_text_box_free(m);
    lg_text_box_free(b);
}

/* Marks beside marks are set at half width (clreq): 「第三批）》），」 is
 * 3 + 3 × 1/2 + 1 em wide, 。” and ：“ 1.5 em, （《 1.5 em; a mark alone
 * stays full width. */
static void test_mark_compression(void **state)
{
    lg_layout *l = *state;
    struct {
        const char *text;
        double ems;
    } cases[] = {
        {"第三批）》），", 5.5}, {"完成。”", 3.5}, {"指出：“好", 4.5},
        {"（《报告》）", 5}, {"甲，乙", 3},  {"重点项目清单（第三批）》），", 12.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_width(l, cases[i].text, cases[i].ems, 0.01);
    /* The opening mark's glyph moves left with its box: drawn from the
     * measured glyphs, the very PDF Pango draws (test_city_fast_drawing
     * compares long texts; here one with every kind of pair). */
    const char *t = "重点项目清单（第三批）》），指出：“加快进度。”（《报告》）已印发，"
                    "各县区“（一）”项落实到位，完成率达到百分之百并已报市政府审定。";
    GByteArray *bf = g_byte_array_new(), *bs = g_byte_array_new();
    cairo_t *cf = pdf_into(bf), *cs = pdf_into(bs);
    lg_column col = {.align = LG_ALIGN_LEFT, .justify = true};
    for (double w = 60; w <= 200; w += 7)
        assert_true(draw_both(l, t, NULL, w, &col, cf, cs));
    assert_same_pdfs(cf, bf, cs, bs);
    g_byte_array_unref(bf);
    g_byte_array_unref(bs);
}

/* The breaks of T at widths 60..200 inside its URL (from URL to the
 * first "公开"): as convention has it — after //, before a single / or a
 * hyphen, after a dot (避头尾: never before) — and never between two
 * letters or digits while such a break fits; no line is wider than the
 * column. Returns how many breaks fell inside the URL. */
static size_t check_url_breaks(lg_layout *l, const char *t, const char *url)
{
    size_t url_end = (size_t)(strstr(t, "公开") - t);
    size_t inside = 0;
    for (double w = 60; w <= 200; w += 1) {
        lg_text_box *b = lg_layout_text(l, t, &serif10, w, LG_ALIGN_LEFT, true);
        check_box(b, t, w);
        for (size_t k = 1; k < b->n_lines; k++) {
            size_t at = b->line_start[k];
            char before = t[at - 1], after = t[at];
            if (at <= (size_t)(url - t) || at >= url_end)
                continue;
            inside++;
            bool ok = (before == '/' && t[at - 2] == '/') || (after == '/' && before != '/') ||
                      before == '.' || after == '-';
            if (!ok)
                fail_msg("width %g: the URL broken at \"%.*s|%.6s\"", w, 6, t + at - 6, t + at);
        }
        for (size_t k = 0; k < b->n_lines; k++)
            assert_true(lg_text_box_line_width(b, k) <= w + 0.01);
        lg_text_box_free(b);
    }
    return inside;
}

/* A URL too long for its line breaks as convention has it; so does the
 * rest of one cut after its scheme, as an XLSX continuation row starts
 * (lg_xlsx_split_text: "（续）//www..."). */
static void test_url_breaks(void **state)
{
    lg_layout *l = *state;
    const char *t = "已在https://www.example.gov.cn/xxgk/2022/10/notice-of-the-municipal-office.html"
                    "公开，共220家单位";
    assert_true(check_url_breaks(l, t, strstr(t, "https")) > 100);
    const char *cut = "（续）//www.example.gov.cn/xxgk/2022/10/notice-of-the-municipal-office.html"
                      "公开，共220家单位";
    assert_true(check_url_breaks(l, cut, strstr(cut, "//")) > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cjk_width, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_height, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paragraphs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kinsoku_sweep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kinsoku_known_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kinsoku_no_legal_break, setup, teardown),
        cmocka_unit_test_setup_teardown(test_city_corpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_city_fast_drawing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measure_random, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_glyphs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_chars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_justify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_justify_keeps_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_justify_marks_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_lone_last_character, setup, teardown),
        cmocka_unit_test_setup_teardown(test_number_units, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ellipsis_dash_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ellipsis_dash_widths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paragraph_breaking, setup, teardown),
        cmocka_unit_test_setup_teardown(test_push_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mark_compression, setup, teardown),
        cmocka_unit_test_setup_teardown(test_url_breaks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draw_split_is_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dash_ligature_drawn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_item_break_drawn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fast_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indent_fast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_split_item_drawn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_separator, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draw_alignment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draw_pdf, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
