/* Where the files of an input folder are: INPUT/plan.xml and
 * INPUT/reports/YYYY-MM/UNIT.xml. Trailing slashes of INPUT are dropped
 * (but "/" stays "/"), so that "input/" and "input" name the same files in
 * the same words. Each result is the caller's to free. */
#ifndef LG_INPUT_PATH_H
#define LG_INPUT_PATH_H

/** INPUT_DIR/plan.xml. */
char *lg_input_plan_path(const char *input_dir);

/** INPUT_DIR/reports/YYYY-MM, the folder of a month's reports. */
char *lg_input_month_dir(const char *input_dir, int year, int month);

/** INPUT_DIR/reports/YYYY-MM/UNIT_ID.xml, where a unit's report goes. */
char *lg_input_report_path(const char *input_dir, int year, int month, const char *unit_id);

#endif
