/* What libxlsxwriter 1.1.4 cannot declare about a workbook's fonts, added to
 * the file it wrote (xlsx_fonts.c): the character set of every font in the
 * styles, and the East Asian typeface of every chart text. Excel and WPS
 * choose a face for Chinese text by them. */
#ifndef LG_XLSX_FONTS_H
#define LG_XLSX_FONTS_H

#include <stdbool.h>

#include "diag.h"

/* GB2312: the character set that marks a font as one for Chinese text. */
#define LG_XLSX_CHARSET_GB2312 134

/** STYLES (xl/styles.xml) with <charset val="CHARSET"/> in every <font> that
 * has none. The caller frees. */
char *lg_xlsx_styles_with_charset(const char *styles, int charset);

/** CHART (xl/charts/chartN.xml) with, after every <a:latin …/>, an <a:ea …/>
 * of the same typeface and attributes, and the language of the text before
 * it (lang="en-US", as libxlsxwriter writes it) zh-CN. The caller frees. */
char *lg_xlsx_chart_with_ea(const char *chart);

/** Rewrites the styles and the charts of the workbook at PATH as above,
 * keeping every other entry and the entries' dates, so that the same input
 * still gives the same bytes. Returns false after adding an error to D. */
bool lg_xlsx_declare_fonts(const char *path, int charset, lg_diags *d);

#endif
