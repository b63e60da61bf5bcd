/* Templates: the layout of a ledger as data (templates/NAME.xml): paper, margins,
 * fonts, title and footer formats, and per view the columns with their header
 * text, width, alignment and whether equal neighbours merge. Changing a
 * template changes the output without recompiling. */
#ifndef LG_TEMPLATE_H
#define LG_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "status.h"

/* What a column shows (see "What a ledger row shows" in the input contract). */
typedef enum {
    LG_FIELD_UNIT,        /* 单位 */
    LG_FIELD_TASK,        /* 工作任务: "{no}.{text}" */
    LG_FIELD_DUE,         /* 时限要求 */
    LG_FIELD_PROGRESS,    /* 进展情况 */
    LG_FIELD_PLAN,        /* 下个月工作计划 */
    LG_FIELD_ON_SCHEDULE, /* 是否达到序时进度: 是/否 */
    LG_FIELD_REMARK,      /* 备注 */
    /* the summary (汇总): a unit's figures, see lg_unit_stats */
    LG_FIELD_TASKS,             /* tasks owned */
    LG_FIELD_REPORTED,          /* with an entry */
    LG_FIELD_ON_SCHEDULE_COUNT, /* 是 */
    LG_FIELD_BEHIND_COUNT,      /* 否 */
    LG_FIELD_UNREPORTED,        /* 未报送 */
    LG_FIELD_OVERDUE,           /* due before the month and not completed */
    LG_FIELD_COMPLETED,
    LG_FIELD_ON_SCHEDULE_RATE,  /* 是 / tasks owned */
    LG_FIELD_RANK,              /* 名次: by the rate, ties by fewer 逾期 */
    LG_FIELD_STATUS_DONE,       /* rows of each status (status.h) */
    LG_FIELD_STATUS_UNREPORTED,
    LG_FIELD_STATUS_OVERDUE,
    LG_FIELD_STATUS_BEHIND,
    LG_FIELD_STATUS_DUE_SOON,
    LG_FIELD_STATUS_NORMAL,
    LG_FIELD_ESCALATED,         /* rows escalated */
    /* the problem list (问题清单) */
    LG_FIELD_SEVERITY, /* 错误 / 警告 */
    LG_FIELD_KIND,     /* the rule's name */
    LG_FIELD_LOCATION, /* file:line */
    LG_FIELD_MESSAGE,
    /* the fill-in form (填报表) */
    LG_FIELD_PROMISED_PLAN, /* 本月计划（上月填报）: last month's 下个月工作计划 */
    /* the data sheet (数据), fixed columns: see lg_view_data */
    LG_FIELD_UNIT_ID,   /* 单位代码: the unit's id */
    LG_FIELD_TASK_NO,   /* 任务号, a number */
    LG_FIELD_TASK_TEXT, /* 工作任务 without its number */
    LG_FIELD_DONE,      /* 已完成: 是/否, empty when not reported */
    LG_FIELD_STATUS,    /* 状态: the row's status (status.h), in any ledger view too */
    /* a task's history (ledgerc history) */
    LG_FIELD_MONTH, /* 月份: 2022年3月 */
    /* plans with sections, roles and targets (docs/input-format.md) */
    LG_FIELD_SECTION,  /* 一、title: the task's section, empty outside one */
    LG_FIELD_LEAD,     /* 牵头单位: the lead's name; a shared task's owner-label */
    LG_FIELD_SUPPORT,  /* 配合单位: the other owners' names joined by 、 */
    LG_FIELD_LEADER,   /* 牵头领导 */
    LG_FIELD_PROBLEMS, /* 存在问题 */
    LG_FIELD_TARGET,   /* 目标: 80亿元, 增长5.5% */
    LG_FIELD_ACTUAL,   /* 完成 (cumulative): 62.5亿元, 增长5.8% */
    LG_FIELD_RATE,     /* 完成率: 78.1% (an amount's actual ÷ target) */
    LG_FIELD_ELAPSED,  /* 序时进度: the share of the year elapsed, 83.3% (amounts) */
} lg_field;

typedef enum { LG_ALIGN_LEFT, LG_ALIGN_CENTER, LG_ALIGN_RIGHT } lg_align;

typedef struct lg_font {
    /* The PDF's faces: a fontconfig family ("Noto Serif CJK SC"), or a
     * fallback chain of them, "FandolFang,Noto Serif CJK SC" (the template
     * may put spaces after the commas): each character is drawn by the
     * first that has it, one that none has is a missing-glyph warning. */
    const char *family;
    double size;        /* points */
    bool bold;
    /* The face the XLSX declares, one that Excel and WPS on Windows have
     * (宋体, 仿宋, 黑体, 楷体 …); "宋体" when the template names none. */
    const char *xlsx_family;
} lg_font;

typedef struct lg_column {
    lg_field field;
    const char *header; /* header row text */
    double width_mm;
    lg_align align;
    bool merge;   /* equal neighbours in this column merge into one cell */
    bool justify; /* long text: lines flush at both ends but a paragraph's last */
} lg_column;

typedef struct lg_view_layout {
    const char *name; /* "unit" */
    lg_column *columns;
    size_t n_columns;
} lg_view_layout;

typedef enum {
    LG_FOOTER_CENTER, /* footer format centred on every page */
    LG_FOOTER_GBT9704 /* GB/T 9704 official style: "— N —", right on odd pages, left on even */
} lg_footer_style;

typedef struct lg_template {
    lg_arena *arena;
    const char *file;
    const char *paper;          /* "A4", "A3" */
    bool landscape;
    double page_w_mm, page_h_mm; /* orientation applied */
    double margin_top_mm, margin_bottom_mm, margin_left_mm, margin_right_mm;
    unsigned short_row_lines; /* a row of at most this many lines is never split over pages */
    const char *continued_mark; /* <page continued-mark="续表">: above a table's later pages; NULL: none */
    double padding_mm;  /* inside each cell, on every side */
    double border_pt;   /* cell border line width */
    lg_font title_font, header_font, body_font;
    lg_font footer_font; /* the page numbers: <font role="footer">, else the body's */
    const char *title_format;  /* "{title}（{year}.{month}）" */
    const char *footer_format; /* "第 {page} 页 共 {pages} 页" */
    lg_footer_style footer_style;
    lg_view_layout *views;
    size_t n_views;
    const char *author; /* document author: the office that compiles the ledger */
    lg_status_rules status; /* <status>: names, colours, thresholds; else the defaults */
} lg_template;

/** Loads and validates the template at PATH. Adds errors to D and returns NULL
 * when it is not valid. Free with lg_template_free. */
lg_template *lg_template_load(const char *path, lg_diags *d);
void lg_template_free(lg_template *t);

/** The name a template gives FIELD in column/@field ("promised-plan"), or NULL
 * for a value that is not a field. A static string. */
const char *lg_field_name(lg_field field);

/** The families of FAMILY (an lg_font's family, a chain "A, B"), in order,
 * spaces around each name dropped, empty names left out; NULL-terminated.
 * NULL is no family. Free with lg_font_families_free. */
char **lg_font_families(const char *family);
void lg_font_families_free(char **families);

/** The columns of the view NAME, or NULL when the template has none. */
const lg_view_layout *lg_template_view(const lg_template *t, const char *name);

/** The template used when none is given: $LEDGERC_TEMPLATE_DIR/ledger.xml when the
 * variable is set (even if missing, so that the error names it); otherwise the first
 * that exists of ledger.xml in the templates installed with the executable
 * (lg_datadir_installed), the source checkout's templates/ (only for a program run
 * from its build folder), and the templates of the configured install prefix.
 * When none exists, the first of these that applies (the load then fails naming
 * it). Returns a static string. */
const char *lg_template_default_path(void);

/** Formats FORMAT, replacing {title}, {year}, {month} (two digits), {page} and
 * {pages} by the given values (NULL: left out), so that the XLSX footer can
 * pass "&P" and "&N" and the PDF the numbers. The caller frees. */
char *lg_format_fields(const char *format, const char *title, int year, int month,
                       const char *page, const char *pages);

#define LG_MM_TO_PT(mm) ((mm) * 72.0 / 25.4)

#endif
