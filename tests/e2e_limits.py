"""Input at the edges, end to end: texts longer than an Excel cell holds are
continued on extra rows with nothing lost, unit names that are not valid sheet
names still give workbooks that open, and input past a limit of
src/input_limits.h fails with FILE:LINE and writes nothing."""
import filecmp
import os
import re
import shutil
import subprocess
import unittest
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from lgtest import EXAMPLES, SOURCE, run, workdir

EXCEL_CELL = 32767   # UTF-16 units in a cell
EXCEL_LF = 253       # line feeds in a cell


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def set_entry(report, task, **parts):
    """Replaces the <progress>, <plan> or <remark> of the entry for TASK in
    the report file with the given XML content."""
    tree = ET.parse(report)
    for e in tree.getroot().iter("entry"):
        if e.get("task") == str(task):
            for name, xml in parts.items():
                old = e.find(name)
                new = ET.fromstring("<%s>%s</%s>" % (name, xml, name))
                new.tail = old.tail
                e[list(e).index(old)] = new
    tree.write(report, encoding="UTF-8", xml_declaration=True)


def all_cells(path):
    """(sheet name, cell value) of every non-empty cell of the workbook."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if v is not None:
                    yield ws.title, str(v)


def assert_valid_sheet_names(test, names):
    seen = set()
    for n in names:
        test.assertTrue(1 <= utf16_len(n) <= 31, n)
        test.assertFalse(set(n) & set("[]:*?/\\"), n)
        test.assertFalse(n.startswith("'") or n.endswith("'"), n)
        test.assertNotEqual(n.lower(), "history")
        test.assertNotIn(n.lower(), seen)
        seen.add(n.lower())


class BadCorpus(unittest.TestCase):
    """Every message that tests/data/bad expects (tests/test_load.c checks that
    each case gives exactly these) names its file and a line."""

    def test_every_message_names_file_and_line(self):
        bad = os.path.join(SOURCE, "tests", "data", "bad")
        cases = [n for n in os.listdir(bad) if n.endswith(".expected")]
        self.assertGreaterEqual(len(cases), 80)
        for n in cases:
            with open(os.path.join(bad, n), encoding="utf-8") as f:
                lines = f.read().splitlines()
            self.assertTrue(lines, n)
            case = n[:-len(".expected")]
            for line in lines:
                self.assertRegex(line, r"^%s(\.xml|/reports/2022-10/[^/:]+\.xml):[1-9][0-9]*: error: "
                                 % re.escape(case), n)


class LongText(unittest.TestCase):
    """A text past Excel's 32,767 characters a cell, and past its 253 line
    feeds, builds: the XLSX continues it on extra rows, and read back in
    order it is the text of the XML."""

    @classmethod
    def setUpClass(cls):
        d = workdir("limits-long")
        cls.inp = os.path.join(d, "in")
        shutil.copytree(EXAMPLES, cls.inp)
        # every phrase differs, so that a lost, doubled or moved piece shows
        cls.progress = "".join("第%d项工作已完成，" % i for i in range(1, 5001)) + "全部完成。"
        cls.plan = "".join("https://example.gov.cn/%05d/" % i for i in range(1, 1301))
        cls.remark = ["第%d段。" % i for i in range(1, 301)]
        assert utf16_len(cls.progress) > EXCEL_CELL and len(cls.progress) < 100000
        assert len(cls.plan) > EXCEL_CELL
        set_entry(os.path.join(cls.inp, "reports", "2022-10", "kjj.xml"), 139,
                  progress=escape(cls.progress), plan=escape(cls.plan),
                  remark="".join("<p>%s</p>" % p for p in cls.remark))
        cls.out = os.path.join(d, "out")
        cls.status, _, cls.err = run("build", "--input", cls.inp, "--out", cls.out, "2022-10")

    def test_builds(self):
        self.assertEqual(self.status, 0, self.err)

    def test_nothing_lost_in_the_unit_ledger(self):
        import openpyxl
        ws = openpyxl.load_workbook(os.path.join(self.out, "units", "kjj.xlsx")).worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        header = rows[1]
        col = {h: i for i, h in enumerate(header)}
        first = next(i for i, r in enumerate(rows) if str(r[col["工作任务"]] or "").startswith("139."))
        # below a page break the task's number again with （续）: still 139
        end = next((i for i in range(first + 1, len(rows))
                    if rows[i][col["工作任务"]] and
                    not str(rows[i][col["工作任务"]]).startswith("139.")), len(rows))
        part = rows[first:end]
        self.assertGreater(len(part), 1, "the text was not continued on extra rows")

        def chunks(name):
            # each continued piece is marked （续）
            got = [str(r[col[name]]) for r in part if r[col[name]] is not None]
            for g in got[1:]:
                self.assertTrue(g.startswith("（续）"), g[:20])
            return got[:1] + [g[len("（续）"):] for g in got[1:]]

        # a single paragraph is cut at a sentence or clause end: the pieces
        # join as they are
        self.assertEqual("".join(chunks("进展情况")), self.progress)
        self.assertEqual("".join(chunks("下个月工作计划")), self.plan)
        # paragraphs are cut between paragraphs: their line feed is the cut
        self.assertEqual("\n".join(chunks("备注")), "\n".join(self.remark))
        self.assertGreater(len(chunks("进展情况")), 1)
        self.assertGreater(len(chunks("备注")), 1)

    def test_every_cell_within_excel_limits(self):
        for path in self.xlsx_files():
            for sheet, v in all_cells(path):
                self.assertLessEqual(utf16_len(v), EXCEL_CELL, (path, sheet))
                self.assertLessEqual(v.count("\n"), EXCEL_LF, (path, sheet))

    def test_pdf_holds_the_text(self):
        pdf = os.path.join(self.out, "units", "kjj.pdf")
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True,
                              check=True).stdout
        flat = "".join(text.split())
        self.assertIn("第1项工作已完成", flat)
        self.assertIn("第5000项工作已完成，全部完成。", flat)
        self.assertIn("第300段。", flat)

    def xlsx_files(self):
        for root, _, files in os.walk(self.out):
            for f in files:
                if f.endswith(".xlsx"):
                    yield os.path.join(root, f)


class SheetNames(unittest.TestCase):
    """Unit names that Excel does not take as sheet names (too long, with
    []:*?/\\, a leading apostrophe, "History", equal but for what is
    replaced) build into workbooks that open, with valid, distinct names."""

    NAMES = {
        "a": "'市科技局[办公室]:第*批?/\\试点单位一二三四五六七八九十甲乙丙丁戊己庚'",
        "b": "History",
        "c": "市科技局/甲",
        "d": "市科技局:甲",
        "e": "𠮷" * 20,
    }

    def test_build_and_open(self):
        d = workdir("limits-sheets")
        inp = os.path.join(d, "in")
        os.makedirs(inp)
        units = "".join('    <unit id="%s" name="%s"/>\n' % (k, escape(v, {'"': "&quot;"}))
                        for k, v in self.NAMES.items())
        tasks = "".join('    <task no="%d" owners="%s" due="2022-12">任务%d。</task>\n' % (i, k, i)
                        for i, k in enumerate(self.NAMES, 1))
        with open(os.path.join(inp, "plan.xml"), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<plan year="2022" title="2022年度台账">\n  <units>\n%s  </units>\n'
                    '  <tasks>\n%s  </tasks>\n</plan>\n' % (units, tasks))
        os.makedirs(os.path.join(inp, "reports", "2022-10"))  # a month nobody reported on
        out = os.path.join(d, "out")
        status, _, err = run("build", "--input", inp, "--out", out, "2022-10")
        self.assertEqual(status, 0, err)
        import openpyxl
        for uid, name in self.NAMES.items():
            wb = openpyxl.load_workbook(os.path.join(out, "units", uid + ".xlsx"))
            assert_valid_sheet_names(self, wb.sheetnames)
            # the ledger itself shows the name as written
            self.assertIn(name, [v for _, v in all_cells(os.path.join(out, "units", uid + ".xlsx"))])
        for root, _, files in os.walk(out):
            for f in files:
                if f.endswith(".xlsx"):
                    assert_valid_sheet_names(self, openpyxl.load_workbook(os.path.join(root, f)).sheetnames)


class PastALimit(unittest.TestCase):
    """Input past a limit stops the run with FILE:LINE; nothing is written and
    earlier outputs stay as they were."""

    def test_too_many_units_writes_nothing(self):
        d = workdir("limits-units")
        inp = os.path.join(d, "in")
        os.makedirs(inp)
        with open(os.path.join(inp, "plan.xml"), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<plan year="2022" title="t">\n<units>\n')
            for i in range(1, 2002):
                f.write('<unit id="u%d" name="单位%d"/>\n' % (i, i))
            f.write('</units>\n<tasks>\n<task no="1" owners="*" due="ongoing">任务。</task>\n'
                    '</tasks>\n</plan>\n')
        out = os.path.join(d, "out")
        status, stdout, err = run("build", "--input", inp, "--out", out, "2022-10")
        self.assertEqual(status, 1)
        self.assertEqual(stdout, "")
        self.assertEqual(err.splitlines()[0],
                         "%s:2004: error: the plan has more than 2,000 units, the most ledgerc "
                         "takes; a province has about 400" % os.path.join(inp, "plan.xml"))
        self.assertEqual(err.splitlines()[-1], "ledgerc: 1 error; nothing was written")
        self.assertFalse(os.path.exists(out))

    def test_too_long_text_keeps_earlier_outputs(self):
        d = workdir("limits-text")
        inp = os.path.join(d, "in")
        shutil.copytree(EXAMPLES, inp)
        out = os.path.join(d, "out")
        status, _, err = run("build", "--input", inp, "--out", out, "2022-10")
        self.assertEqual(status, 0, err)
        before = os.path.join(d, "before")
        shutil.copytree(out, before)

        report = os.path.join(inp, "reports", "2022-10", "kjj.xml")
        set_entry(report, 145, remark="备" * 100001)
        with open(report, encoding="utf-8") as f:
            text = f.read()
        line = text[:text.index("备" * 10)].count("\n") + 1
        status, _, err = run("build", "--input", inp, "--out", out, "2022-10")
        self.assertEqual(status, 1)
        self.assertEqual(err.splitlines()[0],
                         "%s:%d: error: entry for task 145: <remark> is 100,001 characters long; "
                         "a text may be at most 100,000" % (report, line))
        self.assertEqual(sorted(os.listdir(os.path.join(out, "units"))),
                         sorted(os.listdir(os.path.join(before, "units"))))
        for root, _, files in os.walk(before):
            for f in files:
                a = os.path.join(root, f)
                b = os.path.join(out, os.path.relpath(a, before))
                self.assertTrue(filecmp.cmp(a, b, shallow=False), b)


if __name__ == "__main__":
    unittest.main()
