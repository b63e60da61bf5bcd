"""ledgerc installed as a tool: `cmake --install --prefix DIR` from a build of a
copy of the source, the copy then deleted; the installed program finds its own
templates (and never the checkout's), wherever the install is moved, in the
documented order, and its message catalogue (LANG=zh_CN.UTF-8 gives Chinese); its manual page renders and names every option; its bash
completion completes; `cpack -G DEB` makes a package for /usr with its
dependencies declared. It configures and builds ledgerc once (about a minute)."""
import filecmp
import os
import re
import shutil
import subprocess
import unittest

from lgtest import EPOCH, LEDGERC, SOURCE, sheet_cells, workdir

W = workdir("install")
SRC, BUILD = os.path.join(W, "src"), os.path.join(W, "build")
PREFIX = os.path.join(W, "prefix")  # given at install time only
MOVED = os.path.join(W, "moved")    # where the whole install is moved to
DECOY_TITLE = "〔检出〕"


def sh(*args, cwd=None):
    return subprocess.run(args, check=True, capture_output=True, text=True, cwd=cwd).stdout


def ledgerc(exe, *args, cwd, env=None):
    """Runs EXE with ARGS in CWD with no LEDGERC_* variable but those of ENV."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERC")}
    e.update(SOURCE_DATE_EPOCH=EPOCH, **(env or {}))
    p = subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, env=e)
    return p.returncode, p.stdout, p.stderr


def unit_title(out_dir):
    """The title row of the unit's ledger: the template's title format applied."""
    _, rows, _ = sheet_cells(os.path.join(out_dir, "units", "kjj.xlsx"))
    return rows[0][0]


def setUpModule():
    def at_root(d, names):  # build folders, outputs and git of the checkout stay behind
        return [n for n in names if d == SOURCE and (n.startswith("build") or n in
                                                      (".git", "output"))]
    shutil.copytree(SOURCE, SRC, ignore=at_root)
    sh("cmake", "-S", SRC, "-B", BUILD, "-DBUILD_TESTING=OFF")
    sh("cmake", "--build", BUILD, "-j2")
    sh("cmake", "--install", BUILD, "--prefix", PREFIX)
    sh("cpack", "-G", "DEB", cwd=BUILD)
    os.makedirs(os.path.join(W, "deb"))
    for n in os.listdir(BUILD):
        if n.endswith(".deb"):
            shutil.copy(os.path.join(BUILD, n), os.path.join(W, "deb"))
    shutil.copytree(os.path.join(SOURCE, "input"), os.path.join(W, "input"))


class Installed(unittest.TestCase):
    """In the order the tests run (unittest sorts them by name)."""

    def test_1_build_tree_program_uses_the_checkout_installed_never(self):
        # the checkout's template now titles differently from the installed one
        tpl = os.path.join(SRC, "templates", "ledger.xml")
        with open(tpl, encoding="utf-8") as f:
            text = f.read()
        with open(tpl, "w", encoding="utf-8") as f:
            f.write(text.replace("{month}）", "{month}）" + DECOY_TITLE))
        run_dir = workdir("install/run1")
        args = ("build", "--input", "../input", "--views", "units", "--formats", "xlsx", "2022-10")
        status, _, err = ledgerc(os.path.join(BUILD, "ledgerc"), *args, cwd=run_dir)
        self.assertEqual((status, err), (0, ""))
        self.assertTrue(unit_title(os.path.join(run_dir, "output", "2022-10")).endswith(DECOY_TITLE))
        shutil.rmtree(os.path.join(run_dir, "output"))
        status, _, err = ledgerc(os.path.join(PREFIX, "bin", "ledgerc"), *args, cwd=run_dir)
        self.assertEqual((status, err), (0, ""))
        self.assertEqual(unit_title(os.path.join(run_dir, "output", "2022-10")),
                         "2022年度《政府工作报告》落实情况台账（2022.10）")
        # without its own templates the installed program fails naming them,
        # although the checkout's are there
        own = os.path.join(PREFIX, "share", "ledgerc", "templates")
        os.rename(own, own + ".away")
        try:
            if os.path.exists("/usr/local/share/ledgerc/templates/ledger.xml"):
                self.skipTest("an installed ledgerc in /usr/local is this program's last resort")
            status, _, err = ledgerc(os.path.join(PREFIX, "bin", "ledgerc"), *args, cwd=run_dir)
            self.assertEqual(status, 1)
            self.assertEqual(err.splitlines()[0], os.path.join(own, "ledger.xml") +
                             ": error: cannot open the file: No such file or directory")
        finally:
            os.rename(own + ".away", own)

    def test_2_moved_install_without_checkout_builds_the_month(self):
        shutil.rmtree(SRC)
        shutil.rmtree(BUILD)
        os.rename(PREFIX, MOVED)
        exe = os.path.join(MOVED, "bin", "ledgerc")
        run_dir = workdir("install/run2")
        status, out, err = ledgerc(exe, "build", "--input", "../input", "2022-10", cwd=run_dir)
        self.assertEqual((status, out, err), (0, "ledgerc: compiled 2022-10 into output/2022-10/\n", ""))
        # the same files as the build-tree program's from the same input
        ref_dir = workdir("install/ref")
        status, _, _ = ledgerc(LEDGERC, "build", "--input", "../input", "2022-10", cwd=ref_dir)
        self.assertEqual(status, 0)
        names = ["ledger.xlsx", "ledger.pdf", "units/kjj.xlsx", "units/kjj.pdf", "SHA256SUMS"]
        out_dir, ref = (os.path.join(d, "output", "2022-10") for d in (run_dir, ref_dir))
        for name in names:
            self.assertTrue(filecmp.cmp(os.path.join(out_dir, name), os.path.join(ref, name),
                                        shallow=False), name)
        self.assertEqual(sorted(os.listdir(out_dir)),
                         [".ledgerc-month", "SHA256SUMS", "ledger.pdf", "ledger.xlsx", "units"])

    def test_2b_moved_install_speaks_chinese(self):
        # the catalogue installed with the program: the build folder is gone
        exe = os.path.join(MOVED, "bin", "ledgerc")
        self.assertTrue(os.path.isfile(os.path.join(MOVED, "share", "locale", "zh_CN",
                                                    "LC_MESSAGES", "ledgerc.mo")))
        run_dir = workdir("install/run2b")
        # LC_ALL=zh_CN.nosuch: a locale the system has not generated
        for env in ({"LANG": "zh_CN.UTF-8"}, {"LC_ALL": "zh_CN.nosuch"}):
            status, out, err = ledgerc(exe, "build", "--input", "../input", "2022-10",
                                       cwd=run_dir, env=env)
            self.assertEqual((status, out, err),
                             (0, "ledgerc: 已将2022-10的台账生成到 output/2022-10/\n", ""), env)
            status, _, err = ledgerc(exe, "build", "2022-13", cwd=run_dir, env=env)
            self.assertEqual((status, err.splitlines()[:2]),
                             (2, ["ledgerc: 月份 PERIOD 应写作 YYYY-MM，例如 2022-10，不能是“2022-13”",
                                  "用法见 ledgerc --help。"]), env)
        status, out, _ = ledgerc(exe, "build", "--input", "../input", "2022-10", cwd=run_dir,
                                 env={"LANG": "C"})
        self.assertEqual((status, out), (0, "ledgerc: compiled 2022-10 into output/2022-10/\n"))
        # without its catalogue the installed program speaks English, although the
        # build-tree program's catalogue is there
        mo = os.path.join(MOVED, "share", "locale", "zh_CN", "LC_MESSAGES", "ledgerc.mo")
        os.rename(mo, mo + ".away")
        try:
            status, out, _ = ledgerc(exe, "build", "--input", "../input", "2022-10", cwd=run_dir,
                                     env={"LANG": "zh_CN.UTF-8"})
            self.assertEqual((status, out), (0, "ledgerc: compiled 2022-10 into output/2022-10/\n"))
        finally:
            os.rename(mo + ".away", mo)

    def test_3_template_order(self):
        exe = os.path.join(MOVED, "bin", "ledgerc")
        installed = os.path.join(MOVED, "share", "ledgerc", "templates", "ledger.xml")
        mine = workdir("install/mytemplates")
        with open(installed, encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(mine, "ledger.xml"), "w", encoding="utf-8") as f:
            f.write(text.replace("{month}）", "{month}）" + DECOY_TITLE))
        args = ("build", "--input", "../input", "--views", "units", "--formats", "xlsx", "2022-10")
        run_dir = workdir("install/run3")
        out_dir = os.path.join(run_dir, "output", "2022-10")
        # the variable before the installed templates
        status, _, err = ledgerc(exe, *args, cwd=run_dir, env={"LEDGERC_TEMPLATE_DIR": mine})
        self.assertEqual((status, err), (0, ""))
        self.assertTrue(unit_title(out_dir).endswith(DECOY_TITLE))
        # --template before the variable
        status, _, err = ledgerc(exe, *args[:-1], "--template", installed, "2022-10", cwd=run_dir,
                                 env={"LEDGERC_TEMPLATE_DIR": mine})
        self.assertEqual((status, err), (0, ""))
        self.assertFalse(unit_title(out_dir).endswith(DECOY_TITLE))
        # a variable naming a folder without a template is an error, not skipped
        empty = workdir("install/notemplates")
        status, _, err = ledgerc(exe, *args, cwd=run_dir, env={"LEDGERC_TEMPLATE_DIR": empty})
        self.assertEqual(status, 1)
        self.assertEqual(err.splitlines()[0], os.path.join(empty, "ledger.xml") +
                         ": error: cannot open the file: No such file or directory")

    def test_4_manual_page(self):
        page = os.path.join(MOVED, "share", "man", "man1", "ledgerc.1.gz")
        env = dict(os.environ, MANPAGER="cat", MANWIDTH="100", LANG="C.UTF-8")
        p = subprocess.run(["man", "-l", page], capture_output=True, text=True, env=env)
        self.assertEqual((p.returncode, p.stderr), (0, ""))
        text = p.stdout
        self.assertRegex(text.splitlines()[0], r"^LEDGERC\(1\) +User Commands +LEDGERC\(1\)$")
        for title in ["NAME", "SYNOPSIS", "COMMANDS", "OPTIONS", "TEMPLATES", "ENVIRONMENT",
                      "EXIT STATUS", "FILES"]:
            self.assertIn("\n" + title + "\n", text)
        # every command and option the program knows
        status, usage, _ = ledgerc(os.path.join(MOVED, "bin", "ledgerc"), "--help", cwd=W)
        options = set(re.findall(r"--[a-z]+", usage))
        self.assertGreaterEqual(len(options), 13)
        for option in sorted(options):  # each described under its own heading
            self.assertTrue(re.search(r"\n {7}(-[a-z], )?%s\b" % option, text), option)
        for word in ["build", "check", "forms", "import", "LEDGERC_TEMPLATE_DIR",
                     "SOURCE_DATE_EPOCH", "LANGUAGE", "LC_ALL"]:
            self.assertTrue(re.search(r"\n {7}%s\b" % word, text), word)
        self.assertIn("../share/ledgerc/templates/", text)
        self.assertIn("/usr/share/locale/zh_CN/LC_MESSAGES/ledgerc.mo", text)
        _, version, _ = ledgerc(os.path.join(MOVED, "bin", "ledgerc"), "--version", cwd=W)
        self.assertIn(version.strip(), text.splitlines()[-1])

    def complete(self, *words):
        """What the installed completion offers for WORDS (the last being completed),
        run in the folder W where input/reports/2022-10/ is."""
        script = os.path.join(MOVED, "share", "bash-completion", "completions", "ledgerc")
        quoted = " ".join("'%s'" % w for w in words)
        cmd = ('source "$1"; COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _ledgerc; '
               'printf "%%s\\n" "${COMPREPLY[@]}"' % quoted)
        p = subprocess.run(["bash", "-c", cmd, "bash", script], capture_output=True, text=True,
                           cwd=W, check=True)
        return sorted(filter(None, p.stdout.split("\n")))

    def test_5_bash_completion(self):
        self.assertEqual(self.complete("ledgerc", ""),
                         ["--help", "--version", "build", "check", "forms", "import"])
        self.assertEqual(self.complete("ledgerc", "build", "--v"), ["--verbose", "--views"])
        self.assertEqual(self.complete("ledgerc", "check", "--"),
                         ["--format", "--help", "--input", "--template"])
        self.assertEqual(self.complete("ledgerc", "import", "--"),
                         ["--force", "--help", "--input", "--period", "--quiet"])
        self.assertEqual(self.complete("ledgerc", "build", "--views", "by"), ["by-task", "by-unit"])
        # months: the folders of reports/ in the input given, and for forms the next
        self.assertEqual(self.complete("ledgerc", "build", "20"), ["2022-10"])
        self.assertEqual(self.complete("ledgerc", "check", "--input", "nowhere", "20"), [])
        self.assertEqual(self.complete("ledgerc", "forms", ""), ["2022-10", "2022-11"])

    def test_6_debian_package(self):
        # made by cpack -G DEB in the build of setUpModule
        debs = os.listdir(os.path.join(W, "deb"))
        self.assertEqual(len(debs), 1, debs)
        self.assertRegex(debs[0], r"^ledgerc_[0-9.]+-1_[a-z0-9]+\.deb$")
        deb = os.path.join(W, "deb", debs[0])
        depends = [d.strip() for d in sh("dpkg-deb", "-f", deb, "Depends").split(",")]
        names = {d.split()[0] for d in depends}
        for lib in ["libc6", "libxml2", "libcairo2", "libpango-1.0-0", "libpangocairo-1.0-0",
                    "libfontconfig1", "libzip4", "fonts-noto-cjk"]:
            self.assertIn(lib, names)
        self.assertTrue(any(n.startswith("libxlsxwriter") for n in names), depends)
        files = sorted(line.split()[-1] for line in sh("dpkg-deb", "-c", deb).splitlines()
                       if not line.startswith("d"))
        self.assertEqual(files, ["./usr/bin/ledgerc",
                                 "./usr/share/bash-completion/completions/ledgerc",
                                 "./usr/share/ledgerc/templates/fengong.xml",
                                 "./usr/share/ledgerc/templates/gbt9704.xml",
                                 "./usr/share/ledgerc/templates/ledger.xml",
                                 "./usr/share/ledgerc/templates/zhibiao.xml",
                                 "./usr/share/locale/zh_CN/LC_MESSAGES/ledgerc.mo",
                                 "./usr/share/man/man1/ledgerc.1.gz"])


if __name__ == "__main__":
    unittest.main()
