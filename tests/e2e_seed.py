"""The seed ledger (市科技局, 2022-10) compiled from ../shared/examples must
equal the real ledger cell for cell, as a user's program (openpyxl) reads it."""
import filecmp
import json
import os
import unittest

from lgtest import SHARED, run, sheet_cells, workdir

EXAMPLES = os.path.join(SHARED, "examples")


class SeedLedger(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = workdir("seed")
        status, _, err = run("build", "--input", EXAMPLES, "--out", cls.out, "2022-10")
        assert status == 0, err
        with open(os.path.join(EXAMPLES, "expected-kjj-2022-10.json"), encoding="utf-8") as f:
            cls.expected = json.load(f)
        cls.ws, cls.rows, cls.merges = sheet_cells(os.path.join(cls.out, "units", "kjj.xlsx"))

    def test_title(self):
        self.assertEqual(self.rows[0][0], self.expected["title"])
        self.assertTrue(all(c == "" for c in self.rows[0][1:]))

    def test_header(self):
        self.assertEqual(self.rows[1], self.expected["header"])

    def test_body_cells(self):
        body = self.rows[2:]
        self.assertEqual(len(body), len(self.expected["rows"]))
        self.assertEqual(sum(len(r) for r in body), 77)
        for got, want in zip(body, self.expected["rows"]):
            self.assertEqual(got, want)

    def test_merges(self):
        self.assertIn("A3:A6", self.merges)
        self.assertIn("A7:A13", self.merges)
        self.assertIn("A1:G1", self.merges)
        self.assertEqual(len(self.merges), 3)

    def test_print_setup(self):
        ws = self.ws
        self.assertEqual(ws.page_setup.orientation, "landscape")
        self.assertEqual(int(ws.page_setup.paperSize), 9)  # A4
        self.assertEqual(ws.print_title_rows, "$1:$2")
        self.assertEqual(ws.freeze_panes, "A3")
        self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)
        self.assertIn(ws.page_setup.fitToWidth, (None, 1))  # 1 is the default, left out
        self.assertEqual(ws.page_setup.fitToHeight, 0)
        self.assertEqual(ws.oddFooter.center.text, "第 &P 页 共 &N 页")

    def test_row_heights_set(self):
        # Every body row has a height computed from its text; LibreOffice and
        # Excel do not grow merged or formatted rows by themselves.
        for r in range(3, 14):
            self.assertIsNotNone(self.ws.row_dimensions[r].height, r)
            self.assertLessEqual(self.ws.row_dimensions[r].height, 409)

    def test_byte_identical(self):
        again = workdir("seed-again")
        status, _, err = run("build", "--input", EXAMPLES, "--out", again, "2022-10")
        self.assertEqual(status, 0, err)
        for name in os.listdir(os.path.join(self.out, "units")):
            self.assertTrue(filecmp.cmp(os.path.join(self.out, "units", name),
                                        os.path.join(again, "units", name), shallow=False), name)

    def test_no_temporary_files_left(self):
        names = sorted(os.listdir(os.path.join(self.out, "units")))
        self.assertEqual([n for n in names if n.startswith(".")], [])


if __name__ == "__main__":
    unittest.main()
