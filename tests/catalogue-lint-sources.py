#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The catalogue lint refuses a rule or a phrases entry without a source,
a phrase listed twice as the engine folds it (accents left out), and a
pattern not in Unicode NFC.

Copies the catalogue and the lint's reference files into a temporary tree,
breaks one entry's source at a time (removed; a sample mail of Sisimai's
test suite; a note instead of a URL) and runs build-aux/catalogue-lint.py on
the copy: it must exit non-zero and name the entry.  The same entry in the
untouched copy draws no error, so the failure is the broken source's.

Usage: catalogue-lint-sources.py SRCDIR CATALOGUE-QUERY
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

SRCDIR, ENGINE = sys.argv[1], sys.argv[2]
LINT = os.path.join(SRCDIR, "build-aux", "catalogue-lint.py")
CAT = os.path.join("src", "core", "catalogue")


def make_tree(dest):
    shutil.copytree(os.path.join(SRCDIR, CAT), os.path.join(dest, CAT))
    shutil.copy(os.path.join(SRCDIR, "src", "core", "bounce-core.gresource.xml"),
                os.path.join(dest, "src", "core"))
    shutil.copytree(os.path.join(SRCDIR, "tests", "reference"),
                    os.path.join(dest, "tests", "reference"))
    shutil.copy(os.path.join(SRCDIR, "tests", "catalogue-exclusions.txt"),
                os.path.join(dest, "tests"))


def lint(tree):
    proc = subprocess.run([sys.executable, LINT, "--quiet", "--srcdir", tree,
                           "--engine", ENGINE], capture_output=True, text=True)
    return proc.returncode, proc.stderr


def errors_for(stderr, eid):
    return [l for l in stderr.splitlines() if f":{eid}:" in l]


def edit(tree, name, kind, change):
    """Apply change to the first entry of kind in name; its id."""
    path = os.path.join(tree, CAT, name)
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    entry = next(e for e in data["entries"] if e.get("kind") == kind and "source" in e)
    change(entry)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
    return entry["id"]


def drop(entry):
    del entry["source"]


CASES = [
    ("rules-wording.json", "rule", drop, "names no source"),
    ("rules-mta.json", "rule", drop, "names no source"),
    ("phrases-sisimai.json", "phrases", drop, "names no source"),
    ("rules-dnsbl.json", "rule",
     lambda e: e.update(source="https://github.com/sisimai/set-of-emails/blob/master/maildir/bsd/lhost-postfix-01.eml"),
     "is not an RFC"),
    ("rules-isp.json", "rule",
     lambda e: e.update(source="https://github.com/sisimai/p5-sisimai/blob/v5.1.0/t/lhost-postfix.t"),
     "is not an RFC"),
    ("rules-generic.json", "rule", lambda e: e.update(source="seen in lhost-exim-01.eml"),
     "is not an RFC"),
    # a module may be cited at a commit, its test suite may not, in either port
    ("rules-yahoo.json", "phrases",
     lambda e: e.update(source="https://github.com/sisimai/p5-sisimai/blob/"
                        "0691512953464bdad727cc26ea5119cde14c15be/t/lhost-postfix.t"),
     "is not an RFC"),
    ("rules-google.json", "phrases",
     lambda e: e.update(source="https://github.com/sisimai/go-sisimai/blob/"
                        "76b75059e66a91ab1bcd36dd992596a84e528e13/rhost/00-rhost_test.go"),
     "is not an RFC"),
    # the engine folds accents away (bounce_literal_fold()): "empfängers"
    # and "empfangers" are one phrase
    ("phrases-languages.json", "phrases",
     lambda e: e["phrases"].append(e["phrases"][0].replace("\u00e4", "a")),
     "listed twice (as folded)"),
    # a text outside ASCII is matched composed (NFC): a pattern in NFD
    # would never match it
    ("rules-isp.json", "rule",
     lambda e: e.update(pattern=e["pattern"] + "|refuse\u0301 tout"),
     "not in Unicode NFC"),
]


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as clean:
        make_tree(clean)
        _, clean_err = lint(clean)
        for n, (name, kind, change, expect) in enumerate(CASES, start=1):
            with tempfile.TemporaryDirectory() as tree:
                make_tree(tree)
                eid = edit(tree, name, kind, change)
                status, err = lint(tree)
                mine = errors_for(err, eid)
                ok = status != 0 and any(expect in l for l in mine) and \
                    not errors_for(clean_err, eid)
                print(f"{'ok' if ok else 'not ok'} {n} - {name} {eid}: "
                      f"exit {status}, {mine[0] if mine else 'no error for it'}")
                failures += not ok
    print(f"1..{len(CASES)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
