"""The spreadsheets printed as a unit prints them (issue 14): LibreOffice
converts a generated city's ledger.xlsx and a unit's workbook to PDF; each
takes at most 1.15 times the pages of ledgerc's own PDF, and every text of the
XML is in what LibreOffice printed, none cut off by a row too short for it.
Slow: LibreOffice lays out hundreds of pages."""
import os
import re
import shutil
import subprocess
import unittest

from e2e_xlsx import expected_data
from lgtest import gen_corpus, run, workdir

PERIOD = "2022-10"
UNIT = "kjj"
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
        profile = "file://" + os.path.join(d, "lo-profile")
        files = [os.path.join(cls.out, "ledger.xlsx"),
                 os.path.join(cls.out, "units", UNIT + ".xlsx")]
        subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless",
                        "--convert-to", "pdf", "--outdir", cls.lo, *files],
                       check=True, capture_output=True, timeout=3600)

    def printed(self, name):
        """The pages LibreOffice printed of the sheets that the PDF has too."""
        pages = pdf_pages(os.path.join(self.lo, name + ".pdf"))
        return [p for p in pages if not any(h in squeeze(p) for h in NOT_IN_PDF)]

    def ours(self, name):
        sub = "units" if name == UNIT else ""
        return pdf_pages(os.path.join(self.out, sub, name + ".pdf"))

    def test_at_most_115_percent_of_the_pdf_pages(self):
        for name in ("ledger", UNIT):
            lo, pdf = len(self.printed(name)), len(self.ours(name))
            print("%s: LibreOffice %d pages, ledgerc's PDF %d" % (name, lo, pdf))
            self.assertLessEqual(lo, 1.15 * pdf, name)

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
        printed = squeeze("".join(self.printed("ledger")))
        missing = []
        for row in expected_data(self.inp):
            for text in (row[5], row[6], row[8]):  # progress, plan, remark
                for para in text.split("\n"):
                    for piece in self.pieces(squeeze(para)):
                        if piece not in printed:
                            missing.append(piece)
        self.assertEqual(missing, [])


if __name__ == "__main__":
    unittest.main()
