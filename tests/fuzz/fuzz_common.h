/* What the libFuzzer targets share: each writes its input to a file in a
 * private temporary folder and loads it as ledgerc would, through the path
 * the program uses (the loaders take a path, and read the file themselves).
 *
 * By hand, from a build folder configured as tests/fuzz/CMakeLists.txt says:
 *   mkdir -p corpus-plan
 *   tests/fuzz/fuzz_plan -dict=../tests/fuzz/xml.dict -max_total_time=600 \
 *       corpus-plan ../tests/fuzz/plan
 * New inputs go to the first folder; the seeds in tests/fuzz/<target>/ are
 * read, not changed. A crash, a leak or a timeout leaves crash-*, leak-* or
 * timeout-* in the current folder: make it a bad-input case in
 * tests/data/bad/ with the message it must give, and fix the bug. */
#ifndef LG_FUZZ_COMMON_H
#define LG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/** The path of NAME (e.g. "plan.xml", "reports/2022-10/kjj.xml") in this
 * process's temporary folder, which is made on first use (in /dev/shm when
 * there is one) and removed with what is in it at exit. Parent folders of
 * NAME are made too. Returns a string owned by this module. */
const char *lg_fuzz_path(const char *name);

/** Writes DATA[0..SIZE) to PATH, replacing what was there. Aborts on failure:
 * a fuzz run without its file would test nothing. */
void lg_fuzz_write(const char *path, const uint8_t *data, size_t size);

/** libxml2 set up as ledgerc's main does; once per process. */
void lg_fuzz_init(void);

#endif
