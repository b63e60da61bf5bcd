/* The limits on input (README.md, "Limits"). Each keeps one malformed or
 * runaway file from exhausting memory or time; each is far above what a
 * province's ledger needs (3,000+ tasks, 400 units, 45,000 ledger rows), and
 * passing one is an error that names the file and the line. */
#ifndef LG_INPUT_LIMITS_H
#define LG_INPUT_LIMITS_H

/* An input file, in bytes (xmlload.c). A month's report is kilobytes, a
 * province's plan a few megabytes. */
#define LG_MIB (1024L * 1024) /* messages give byte limits in MB of this */
#define LG_MAX_FILE_BYTES (64L * LG_MIB)

/* All the reports of one month together, in bytes (load_report.c). */
#define LG_MAX_MONTH_BYTES (512L * LG_MIB)

/* Elements in one file, and attributes in one tag (xmlload.c). They bound the
 * memory the parsed document takes (a 64 MB file of empty elements would take
 * 3 GB), and the time libxml2 2.9 takes to check a tag's attributes for
 * duplicates, which grows with their square. */
#define LG_MAX_ELEMENTS 500000L
#define LG_MAX_ATTRIBUTES 50

/* Units and tasks in a plan, entries in a report (load_plan.c, load_report.c). */
#define LG_MAX_UNITS 2000L
#define LG_MAX_TASKS 50000L
#define LG_MAX_ENTRIES LG_MAX_TASKS

/* Ledger rows the plan makes: each task counts once per owner, a shared task
 * (owners="*") once per unit. It bounds every ledger and the time to build
 * them (load_plan.c). */
#define LG_MAX_ROWS 100000L

/* Characters (code points) in one text: a task's text or an entry's
 * progress, plan or remark. About three full Excel cells; the XLSX renderer
 * continues a longer text on extra rows. */
#define LG_MAX_TEXT_CHARS 100000L

/* Characters in one attribute value: a title, a name, a label or a code.
 * Names and labels print in a single cell (the title row, a merged 单位 cell)
 * that cannot continue on another row. owners, a list of unit ids, may be
 * longer. */
#define LG_MAX_ATTR_CHARS 1000L
#define LG_MAX_OWNERS_CHARS 100000L

/* Problems listed for one file: enough to show every mistake of a kind, few
 * enough that a file of garbage does not print millions of lines. */
#define LG_MAX_ERRORS_PER_FILE 1000L

#endif
