"""The spreadsheets printed as a unit prints them (issue 14): LibreOffice
converts a generated city's ledger.xlsx and two units' workbooks (the longest
and the shortest) to PDF. Each takes at most 1.15 times the pages of ledgerc's
own PDF; a unit's workbook prints on the pages its manual page breaks plan
(so LibreOffice does not break pages itself); no page holds a single short
row; a merged cell cut by a page break goes on below it with its text again
and （续）; every text of the XML is in what LibreOffice printed.
Slow: LibreOffice lays out hundreds of pages."""
import os
import re
import shutil
import subprocess
import unittest

import openpyxl

from e2e_xlsx import expected_data
from lgtest import gen_corpus, run, workdir

PERIOD = "2022-10"
MARK = "（续）"
# A short row: at most 4 lines (the template's short-row) of 宋体 10 pt, 10.5 pt
# each, with the cell's padding and margins (lg_xlsx_lines_height).
SHORT_ROW_PT = 55.5
# Sheets that the PDF does not have, told by their header on every page (a
# header may wrap in its narrow column: matched without white space).
NOT_IN_PDF = ("单位代码", "文件:行")


def pdf_pages(path):
    """The text of each page of the PDF at PATH in the order it is drawn (a
    cell's lines together), as pdftotext reads it."""
    out = subprocess.run(["pdftotext", "-raw", path, "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = out.split("\f")
    if pages and pages[-1].strip() == "":
        pages.pop()
    return pages


def squeeze(text):
    """TEXT without white space and continuation marks: lines are broken
    differently in each PDF, and a text split over rows is marked （续）."""
    return re.sub(r"\s+", "", text).replace("（续）", "")


@unittest.skipUnless(shutil.which("soffice"), "LibreOffice is not installed")
class Printed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = workdir("print")
        cls.inp = os.path.join(d, "in")
        cls.out = os.path.join(d, "out")
        cls.lo = os.path.join(d, "lo")
        gen_corpus(cls.inp, "--units", "20", "--tasks", "100", "--months", "10")
        status, _, err = run("build", "--input", cls.inp, "--out", cls.out, PERIOD)
        assert status == 0, err
        # the units whose ledgers are the longest and the shortest
        units = os.path.join(cls.out, "units")
        by_pages = sorted((len(pdf_pages(os.path.join(units, f))), f[:-4])
                          for f in sorted(os.listdir(units)) if f.endswith(".pdf"))
        cls.units = [by_pages[-1][1], by_pages[0][1]]
        profile = "file://" + os.path.join(d, "lo-profile")
        files = [cls.xlsx("ledger")] + [cls.xlsx(u) for u in cls.units]
        subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless",
                        "--convert-to", "pdf", "--outdir", cls.lo, *files],
                       check=True, capture_output=True, timeout=3600)

    @classmethod
    def xlsx(cls, name):
        sub = "" if name == "ledger" else "units"
        return os.path.join(cls.out, sub, name + ".xlsx")

    def printed(self, name):
        """The pages LibreOffice printed of the sheets that the PDF has too."""
        pages = pdf_pages(os.path.join(self.lo, name + ".pdf"))
        return [p for p in pages if not any(h in squeeze(p) for h in NOT_IN_PDF)]

    def ours(self, name):
        return pdf_pages(self.xlsx(name)[:-5] + ".pdf")

    def test_at_most_115_percent_of_the_pdf_pages(self):
        for name in ["ledger"] + self.units:
            lo, pdf = len(self.printed(name)), len(self.ours(name))
            print("%s: LibreOffice %d pages, ledgerc's PDF %d" % (name, lo, pdf))
            self.assertLessEqual(lo, 1.15 * pdf, name)

    def test_printed_on_the_pages_planned(self):
        # A unit's workbook is its ledger's sheet: LibreOffice breaks its
        # pages where the workbook's manual breaks say, and nowhere else.
        for name in self.units:
            ws = openpyxl.load_workbook(self.xlsx(name)).worksheets[0]
            planned = len(ws.row_breaks.brk) + 1
            self.assertEqual(len(self.printed(name)), planned, name)

    @staticmethod
    def pages(ws):
        """The body rows (1-based, below title and header) of each page of WS
        as its manual page breaks (the last row of a page) cut it."""
        breaks = sorted(b.id for b in ws.row_breaks.brk)
        pages, first = [], 3
        for b in breaks + [ws.max_row]:
            pages.append(list(range(first, b + 1)))
            first = b + 1
        return pages

    def test_no_page_holds_a_single_short_row(self):
        for name in ["ledger"] + self.units:
            wb = openpyxl.load_workbook(self.xlsx(name))
            for ws in wb.worksheets:
                if not ws.row_breaks.brk:
                    continue
                for rows in self.pages(ws):
                    if len(rows) == 1:
                        h = ws.row_dimensions[rows[0]].height
                        self.assertGreater(h, SHORT_ROW_PT, (name, ws.title, rows))

    def continued_cells(self, name, sheet):
        """The merged cells of SHEET written again below a page break: the
        first row of a page whose cell ends in （续）, and the page's index."""
        ws = openpyxl.load_workbook(self.xlsx(name))[sheet]
        found = []
        for k, rows in enumerate(self.pages(ws)):
            if k == 0:
                continue
            for c in ws[rows[0]]:
                if isinstance(c.value, str) and c.value.endswith(MARK):
                    found.append(c.value)
        return found

    def test_merged_text_goes_on_below_a_break(self):
        # 全市台账's task and a unit ledger's unit: the text again with （续）
        # on the next page, printed (the page before has the text too).
        for name, sheet in (("ledger", "全市台账"), (self.units[0], None)):
            if sheet is None:
                sheet = openpyxl.load_workbook(self.xlsx(name)).sheetnames[0]
            cont = self.continued_cells(name, sheet)
            self.assertGreater(len(cont), 2, name)
            pages = [re.sub(r"\s+", "", p) for p in self.printed(name)]
            for text in cont:
                want = re.sub(r"\s+", "", text)
                at = [i for i, p in enumerate(pages) if want in p]
                self.assertTrue(at, (name, text[:20]))
                self.assertTrue(any(i > 0 and want[:-len(MARK)] in pages[i - 1] for i in at),
                                (name, text[:20]))

    @staticmethod
    def pieces(para):
        """PARA's sentences and, within them, clauses: a text taller than a
        row continues on the next row at one of their ends, and between the
        two parts come the row's other cells."""
        for sentence in re.findall(r"[^。；！？]*[。；！？]?", para):
            yield from (c for c in re.findall(r"[^，、：]*[，、：]?", sentence) if c)

    def test_no_text_missing_from_the_printout(self):
        # The text drawn, not what a reader sees of it: a row too short
        # for its text clips it, but pdftotext reads the clipped text too.
        rows = expected_data(self.inp)
        for name in ["ledger"] + self.units:
            printed = squeeze("".join(self.printed(name)))
            missing = []
            for row in rows:
                if name != "ledger" and row[0] != name:
                    continue
                for text in (row[5], row[6], row[8]):  # progress, plan, remark
                    for para in text.split("\n"):
                        for piece in self.pieces(squeeze(para)):
                            if piece not in printed:
                                missing.append(piece)
            self.assertEqual(missing, [], name)


if __name__ == "__main__":
    unittest.main()
