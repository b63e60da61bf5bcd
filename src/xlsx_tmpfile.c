/* Where libxlsxwriter's temporary files go, and how they are made. */
#define _GNU_SOURCE /* O_TMPFILE */
#include "xlsx_tmpfile.h"

#include <fcntl.h>
#include <unistd.h>

#include "outfile.h"

/* libxlsxwriter writes each sheet to a temporary file in constant_memory mode,
 * and each part of the package to one when the workbook is closed, in the
 * workbook's tmpdir. Its own lxw_tmpfile (1.1.4 as Debian builds it: with
 * tmpfileplus, not tmpfile()) creates a named file "tmp.XXXXXXXXXX" there and
 * removes the name only after opening it: a run killed in between leaves the
 * file behind. This definition takes the place of the library's, which the
 * library calls through the dynamic linker, and the linker finds the
 * program's first (test_streamed checks it does). Its file never has a name
 * (O_TMPFILE). Where TMPDIR's file system cannot make one, it falls back to
 * glibc's tmpfile(), which tries the same in /tmp before naming a file there
 * and removing the name at once. */
FILE *lxw_tmpfile(char *tmpdir)
{
    int fd = tmpdir ? open(tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600) : -1;
    if (fd < 0)
        return tmpfile();
    FILE *f = fdopen(fd, "w+b");
    if (!f)
        close(fd);
    return f;
}

char *lg_xlsx_tmpdir(const char *path)
{
    return lg_folder_of(path);
}
