"""The command line as a user meets it: help, version, wrong arguments, bad
input reported as FILE:LINE with nothing written, earlier outputs untouched."""
import filecmp
import os
import shutil
import unittest

from lgtest import EXAMPLES, run, workdir


def copy_examples(dest):
    shutil.copytree(EXAMPLES, dest)
    return dest


class Cli(unittest.TestCase):
    def test_help(self):
        status, out, err = run("--help")
        self.assertEqual(status, 0)
        self.assertTrue(out.startswith("Usage: ledgerc build [OPTION]... PERIOD\n"))
        self.assertEqual(err, "")
        status, out2, _ = run("build", "--help")
        self.assertEqual((status, out2), (0, out))

    def test_version(self):
        status, out, _ = run("--version")
        self.assertEqual(status, 0)
        self.assertRegex(out, r"^ledgerc \d+\.\d+\.\d+\n$")

    def test_wrong_arguments_print_one_line_and_usage(self):
        cases = [
            (["build"], "ledgerc: build needs the PERIOD, e.g. 2022-10"),
            (["build", "2022-13"], 'ledgerc: PERIOD is a month written YYYY-MM, e.g. 2022-10, not "2022-13"'),
            (["build", "--bogus", "2022-10"], "ledgerc: unknown option --bogus"),
            (["build", "--formats", "doc", "2022-10"], 'ledgerc: --formats takes xlsx, pdf or xlsx,pdf, not "doc"'),
            (["build", "--out"], "ledgerc: option --out needs a value"),
            (["compile"], 'ledgerc: unknown command "compile"'),
            ([], "ledgerc: no command given"),
        ]
        for args, first in cases:
            status, out, err = run(*args)
            self.assertEqual(status, 2, args)
            self.assertEqual(out, "", args)
            lines = err.splitlines()
            self.assertEqual(lines[0], first, args)
            # a pointer to the help, not the whole help scrolling the error away
            self.assertEqual(lines[1:], ["Try 'ledgerc --help' for more information."], args)


class BadInput(unittest.TestCase):
    def test_error_names_file_and_line_and_keeps_earlier_outputs(self):
        d = workdir("cli-bad")
        inp = copy_examples(os.path.join(d, "in"))
        out = os.path.join(d, "out")
        status, _, err = run("build", "--input", inp, "--out", out, "2022-10")
        self.assertEqual(status, 0, err)
        before = os.path.join(d, "before")
        shutil.copytree(out, before)

        report = os.path.join(inp, "reports", "2022-10", "kjj.xml")
        with open(report, encoding="utf-8") as f:
            text = f.read()
        text = text.replace('<entry task="140" on-schedule="yes">',
                            '<entry task="140" on-schedule="maybe">')
        with open(report, "w", encoding="utf-8") as f:
            f.write(text)
        line = text[:text.index('on-schedule="maybe"')].count("\n") + 1

        status, stdout, err = run("build", "--input", inp, "--out", out, "2022-10")
        self.assertEqual(status, 1)
        self.assertEqual(stdout, "")
        lines = err.splitlines()
        self.assertTrue(lines[0].startswith("%s:%d: error: " % (report, line)), err)
        self.assertEqual(lines[-1], "ledgerc: 1 error; nothing was written")
        for name in os.listdir(os.path.join(before, "units")):
            self.assertTrue(filecmp.cmp(os.path.join(before, "units", name),
                                        os.path.join(out, "units", name), shallow=False))
        self.assertEqual(sorted(os.listdir(os.path.join(out, "units"))),
                         sorted(os.listdir(os.path.join(before, "units"))))

    def test_missing_report_is_not_an_error(self):
        d = workdir("cli-missing")
        inp = copy_examples(os.path.join(d, "in"))
        os.makedirs(os.path.join(inp, "reports", "2022-11"))
        out = os.path.join(d, "out")
        status, stdout, err = run("build", "--input", inp, "--out", out, "2022-11")
        self.assertEqual(status, 0, err)
        self.assertIn("kjj.xlsx", os.listdir(os.path.join(out, "units")))
        # the hint repeats the options given
        self.assertIn("run: ledgerc check --input %s 2022-11\n" % inp, stdout)

    def test_ledgers_of_units_gone_are_removed(self):
        d = workdir("cli-stale")
        out = os.path.join(d, "out")
        os.makedirs(os.path.join(out, "units"))
        for name in ("zzz.xlsx", "zzz.pdf", "notes.txt"):
            with open(os.path.join(out, "units", name), "w") as f:
                f.write("from another plan\n")
        status, _, err = run("build", "--input", EXAMPLES, "--out", out, "2022-10")
        self.assertEqual(status, 0, err)
        # a unit's ledgers not of this plan go; what ledgerc did not name stays
        self.assertEqual(sorted(os.listdir(os.path.join(out, "units"))),
                         ["kjj.pdf", "kjj.xlsx", "notes.txt"])
        self.assertFalse(os.path.exists(os.path.join(out, ".ledgerc-lock")))

    def test_two_months_into_one_folder(self):
        # the folder says whose month it holds; another month's build into it
        # is refused, the folder left as it was
        d = workdir("cli-two-months")
        inp = copy_examples(os.path.join(d, "in"))
        os.makedirs(os.path.join(inp, "reports", "2022-11"))
        out = os.path.join(d, "out")
        status, _, err = run("build", "--input", inp, "--out", out, "--formats", "xlsx", "2022-10")
        self.assertEqual(status, 0, err)
        with open(os.path.join(out, ".ledgerc-month"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "2022-10\n")
        with open(os.path.join(out, "SHA256SUMS"), encoding="utf-8") as f:
            self.assertNotIn(".ledgerc-month", f.read())
        before = os.path.join(d, "before")
        shutil.copytree(out, before)

        status, stdout, err = run("build", "--input", inp, "--out", out, "--formats", "xlsx",
                                  "2022-11")
        self.assertEqual(status, 1)
        self.assertEqual(stdout, "")
        self.assertEqual(err, "%s: error: this folder holds the ledgers of 2022-10; the ledgers "
                         "of 2022-11 would leave it mixed: build 2022-11 into a folder of its "
                         "own (--out), or delete the files of 2022-10 from this folder first\n"
                         "ledgerc: 1 error; nothing was written\n" % out)
        cmp = filecmp.dircmp(before, out)
        self.assertEqual((cmp.left_only, cmp.right_only, cmp.diff_files), ([], [], []))
        match, mismatch, errors = filecmp.cmpfiles(
            before, out, [".ledgerc-month", "SHA256SUMS", "ledger.xlsx", "units/kjj.xlsx"],
            shallow=False)
        self.assertEqual((mismatch, errors), ([], []))

        # the same month again, and the other month in a folder of its own
        status, _, err = run("build", "--input", inp, "--out", out, "--formats", "xlsx", "2022-10")
        self.assertEqual(status, 0, err)
        other = os.path.join(d, "out-2022-11")
        status, _, err = run("build", "--input", inp, "--out", other, "--formats", "xlsx",
                             "2022-11")
        self.assertEqual(status, 0, err)
        with open(os.path.join(other, ".ledgerc-month"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "2022-11\n")
        # its files deleted as the message says (rm out/*: the hidden record
        # stays), the folder takes the other month
        for name in os.listdir(out):
            if not name.startswith("."):
                path = os.path.join(out, name)
                shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
        status, _, err = run("build", "--input", inp, "--out", out, "--formats", "xlsx", "2022-11")
        self.assertEqual(status, 0, err)
        with open(os.path.join(out, ".ledgerc-month"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "2022-11\n")

    def test_month_without_its_folder_is_an_error(self):
        d = workdir("cli-nomonth")
        out = os.path.join(d, "out")
        status, stdout, err = run("build", "--input", EXAMPLES, "--out", out, "2022-12")
        self.assertEqual(status, 1)
        folder = os.path.join(EXAMPLES, "reports", "2022-12")
        self.assertEqual(err, "%s: error: there is no folder of the reports of 2022-12; is the "
                         "month right? For a month nobody has reported on yet, create the empty "
                         "folder\nledgerc: 1 error; nothing was written\n" % folder)
        self.assertFalse(os.path.exists(out))

    def test_bad_source_date_epoch(self):
        d = workdir("cli-epoch")
        status, _, err = run("build", "--input", EXAMPLES, "--out", d, "2022-10", epoch="yesterday")
        self.assertEqual(status, 1)
        self.assertIn('SOURCE_DATE_EPOCH="yesterday" is not a number of seconds', err)

    def test_missing_plan(self):
        d = workdir("cli-noplan")
        status, _, err = run("build", "--input", d, "--out", os.path.join(d, "out"), "2022-10")
        self.assertEqual(status, 1)
        self.assertTrue(err.startswith(os.path.join(d, "plan.xml") + ": error: cannot open the file"), err)
        self.assertFalse(os.path.exists(os.path.join(d, "out")))


if __name__ == "__main__":
    unittest.main()
