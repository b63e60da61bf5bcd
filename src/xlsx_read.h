/* Reading XLSX workbooks back: the cells of named sheets, as Excel, WPS,
 * LibreOffice and openpyxl save them. Built on libzip and libxml2's
 * xmlReader; reads only the parts it needs (the package and workbook
 * relationships, workbook.xml, sharedStrings.xml and the sheets asked for),
 * writes no file, and treats the file as hostile:
 *
 *   - the file is read into memory once, at most max_file_bytes;
 *   - at most max_entries entries in the archive;
 *   - each part read is inflated while counting, never trusting its
 *     declared size: at most max_entry_bytes, at most max_ratio times its
 *     compressed size (plus 1 MiB), and at most max_total_bytes in all;
 *   - each part is read to its end, so that libzip checks its CRC;
 *   - an encrypted entry, or one compressed other than stored or deflated,
 *     is refused; so is an XML part with a DOCTYPE, and no DTD, entity or
 *     network resource is ever loaded.
 *
 * Every problem is added to the diagnostics with the file's path, naming the
 * part, sheet or cell, e.g. `form.xlsx: error: sheet "市科技局", cell D5: …`. */
#ifndef LG_XLSX_READ_H
#define LG_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct lg_xlsx_limits {
    size_t max_file_bytes;  /* the .xlsx file itself */
    size_t max_entries;     /* entries in the archive */
    size_t max_entry_bytes; /* one part, inflated */
    size_t max_total_bytes; /* all parts read, inflated */
    size_t max_ratio;       /* inflated / compressed, over the first MiB */
    size_t max_cells;       /* cells of a sheet; shared strings */
} lg_xlsx_limits;

/** 64 MiB file, 10,000 entries, 64 MiB a part, 256 MiB in all, 200:1,
 * 2,000,000 cells. */
extern const lg_xlsx_limits lg_xlsx_default_limits;

typedef enum {
    LG_XLSX_VISIBLE,
    LG_XLSX_HIDDEN,     /* state="hidden": Format > Sheet > Unhide shows it */
    LG_XLSX_VERY_HIDDEN /* state="veryHidden": only a program can show it */
} lg_xlsx_state;

typedef enum {
    LG_XLSX_STRING, /* a shared, inline or formula string */
    LG_XLSX_NUMBER, /* the number as written, e.g. "2022" or "0.5" */
    LG_XLSX_BOOL,   /* "TRUE" or "FALSE" */
    LG_XLSX_ERROR,  /* e.g. "#N/A" */
    LG_XLSX_DATE    /* t="d": ISO 8601 text */
} lg_xlsx_type;

typedef struct lg_xlsx_cell {
    uint32_t row, col; /* 0-based: A1 is (0, 0) */
    lg_xlsx_type type;
    const char *text; /* UTF-8, _xHHHH_ escapes decoded, rich-text runs joined
                       * (phonetic runs left out); never NULL */
} lg_xlsx_cell;

typedef struct lg_xlsx_sheet {
    const char *name;
    const lg_xlsx_cell *cells; /* sorted by row, then column; one per position */
    size_t n_cells;
} lg_xlsx_sheet;

/* An open workbook; owns every sheet and string it returns. */
typedef struct lg_xlsx lg_xlsx;

/** Opens the workbook at PATH with the default limits and reads its list of
 * sheets and its shared strings. On any problem (not a zip archive, an
 * encrypted or old .xls file, a damaged or oversized part …) adds an error to
 * D and returns NULL. Close with lg_xlsx_close. */
lg_xlsx *lg_xlsx_open(const char *path, lg_diags *d);
/** As lg_xlsx_open, with the limits LIM. */
lg_xlsx *lg_xlsx_open_opt(const char *path, const lg_xlsx_limits *lim, lg_diags *d);
void lg_xlsx_close(lg_xlsx *x);

/** The workbook's sheets, in the order of its tabs. */
size_t lg_xlsx_sheet_count(const lg_xlsx *x);
const char *lg_xlsx_sheet_name(const lg_xlsx *x, size_t i);
lg_xlsx_state lg_xlsx_sheet_state(const lg_xlsx *x, size_t i);
/** The index of the sheet called NAME (compared as Excel does, ignoring
 * ASCII case), or -1. */
long lg_xlsx_sheet_find(const lg_xlsx *x, const char *name);

/** Reads the cells of sheet I (once; later calls return the same sheet).
 * NULL after adding an error to D when its part cannot be read. Owned by X. */
const lg_xlsx_sheet *lg_xlsx_sheet_read(lg_xlsx *x, size_t i, lg_diags *d);

/** The cell at ROW, COL (0-based), or NULL when the sheet has none there. */
const lg_xlsx_cell *lg_xlsx_cell_at(const lg_xlsx_sheet *s, uint32_t row, uint32_t col);
/** The text of the cell at ROW, COL, or "" when there is none. */
const char *lg_xlsx_text_at(const lg_xlsx_sheet *s, uint32_t row, uint32_t col);

/** Writes the A1-style name of ROW, COL (0-based), e.g. "D5", into BUF (at
 * least 16 bytes) and returns BUF. */
char *lg_xlsx_ref(uint32_t row, uint32_t col, char *buf);
/** Parses an A1-style reference ("D5", "$D$5"); false when it is not one
 * within Excel's 1,048,576 rows and 16,384 columns. */
bool lg_xlsx_parse_ref(const char *s, uint32_t *row, uint32_t *col);

/** Decodes the _xHHHH_ escapes of S (Excel's way of writing characters XML
 * cannot hold, e.g. _x000D_ for a carriage return, _x005F_ for '_'); a
 * surrogate pair written as two escapes becomes one character, a NUL or a
 * lone surrogate U+FFFD. Returns a new string; the caller frees. */
char *lg_xlsx_unescape(const char *s);

#endif
