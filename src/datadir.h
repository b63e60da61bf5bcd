/* Where the program's own data is: beside an installed executable, or in the source
 * checkout for a program run from its build folder. */
#ifndef LG_DATADIR_H
#define LG_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

/** Writes into BUF the folder SUB ("ledgerc/templates") of the data folder that was
 * installed with the running executable: the executable's folder (bin/, read from
 * /proc/self/exe), then the way from the install's bin/ to its share/ ("../share"),
 * then SUB. So an install given --prefix at install time, or moved as a whole, finds
 * its own files. Touches no file but /proc/self/exe. False when the executable's
 * path cannot be read or the result does not fit in CAP bytes. */
bool lg_datadir_installed(const char *sub, char *buf, size_t cap);

/** Whether the running executable lies in the CMake build folder it was built in.
 * Only such a program may use data of the source checkout (a string comparison:
 * no file is looked at). */
bool lg_datadir_in_build_tree(void);

#endif
