"""Every kind of diagnostic the code gives has its row in the one table of
kinds (src/diag.c), so that the 问题清单 names it in Chinese and README
documents it. Reads the sources: the kind is the first string literal of
each call that adds a diagnostic, or of the helpers that wrap it."""
import glob
import os
import re
import sys

SOURCE = os.environ.get("LG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), ".."))
CALLS = re.compile(r"\b(lg_diags_add|lg_diags_vadd|error|warning|WARN|error_at|fail|cell_error|"
                   r"attr_error|refuse)\s*\(")
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')
KEY = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9.]+)*")


def kinds_used():
    used = {}
    for path in sorted(glob.glob(os.path.join(SOURCE, "src", "*.c"))):
        text = open(path, encoding="utf-8").read()
        for m in CALLS.finditer(text):
            args = text[m.end():m.end() + 400].split(";")[0]
            lit = LITERAL.search(args)
            if lit and KEY.fullmatch(lit.group(1)):
                used.setdefault(lit.group(1), os.path.basename(path))
    return used


def kinds_in_table():
    text = open(os.path.join(SOURCE, "src", "diag.c"), encoding="utf-8").read()
    return {k for k in re.findall(r'\{"([A-Za-z0-9.-]+)", "[^"]*", LG_(?:ERROR|WARNING)\}', text)}


def main():
    used, table = kinds_used(), kinds_in_table()
    clause = {k for k in used if k.startswith("pdfa-6.")}
    missing = sorted(k for k in used if k not in table and not (k in clause and "pdfa-CLAUSE" in table))
    if len(used) < 80:
        print("only %d kinds found in src/: the scan is broken" % len(used))
        return 1
    for k in missing:
        print("%s (in %s) is not in the table of kinds in src/diag.c" % (k, used[k]))
    print("%d kinds used, %d in the table, %d missing" % (len(used), len(table), len(missing)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
