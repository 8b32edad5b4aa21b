# SPDX-License-Identifier: GPL-3.0-or-later
"""What the outside thermometers (score-flufl, score-bounceparser,
score-baunsu, score-crisp, score-bounce-email) share: running an analyzer on one message, reading its
answer, and counting.

An analyzer is bounce-explain (its --json answer is read as it is) or, with
--sisimai, a program that prints what /work/shared/tools/sisimai_dump.pl
prints for one file: {"recipients": [{"address", "reason", "action"}, ...]}.
Sisimai's answer is read into bounce-explain's shape: the recipients whose
reason is vacation, delivered or feedback are dropped, and the kind is
"delay" when every remaining recipient's action is "delayed", "failure"
when any remains, "autoreply" when a vacation one was dropped, else
"not-bounce".

A set of labelled messages gives, per message, a verdict of True (right),
False (wrong) or None (not asked) on each of its measures; a message with a
wrong verdict is printed with what was expected and what was said, and then
each measure's total.  A measure with a minimum (--min-MEASURE) makes the
run exit 1 when fewer are right.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys

NOT_FAILURES = {"vacation", "delivered", "feedback"}


def from_sisimai(answer):
    """A sisimai_dump.pl line, in the shape of bounce-explain's answer."""
    everyone = answer.get("recipients") or []
    failed = [r for r in everyone if (r.get("reason") or "") not in NOT_FAILURES]
    if failed:
        kind = "delay" if all(r.get("action") == "delayed" for r in failed) else "failure"
    elif any(r.get("reason") == "vacation" for r in everyone):
        kind = "autoreply"
    else:
        kind = "not-bounce"
    return {"kind": kind, "recipients": failed}


def analyse(program, path, sisimai=False):
    """The analyzer's answer for one file, or None (with the reason why)."""
    command = shlex.split(program) + ([path] if sisimai else ["--json", path])
    run = subprocess.run(command, capture_output=True, text=True, errors="replace")
    try:
        answer = json.loads(run.stdout.strip().splitlines()[-1] if sisimai else run.stdout)
    except (json.JSONDecodeError, IndexError):
        return None, f"no JSON (exit {run.returncode})"
    if sisimai:
        if "error" in answer:
            return None, f"Sisimai failed: {answer['error']}"
        answer = from_sisimai(answer)
    return answer, None


def addresses(report):
    """The lower-case addresses of the recipients the report names."""
    return {(r.get("address") or "").lower() for r in report["recipients"]} - {""}


def said(report):
    """What the report says, in one line."""
    who = ", ".join(f"{r.get('address')} {r.get('reason')}" for r in report["recipients"]) or "nobody"
    return f"{report['kind']}: {who}"


def parser(description, data_help, measures):
    """The command line every set shares: the analyzer, --data, --sisimai and
    a --min-MEASURE per measure (a list of (name, help) pairs)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("program", help="bounce-explain to run (with --sisimai: the command that dumps "
                   "Sisimai's answer for a file, e.g. 'perl /work/shared/tools/sisimai_dump.pl')")
    p.add_argument("--data", help=data_help)
    p.add_argument("--sisimai", action="store_true",
                   help="the program prints sisimai_dump.pl's JSON line, not bounce-explain's answer")
    for name, text in measures:
        p.add_argument(f"--min-{name}", type=int, default=0, dest=f"min_{name}",
                       help=f"exit 1 when fewer {text}")
    return p


def score(args, measures, labelled, judge):
    """Runs args.program on every message of labelled (name -> (path, label)),
    asks judge(label, report) for {measure: True/False/None} and a line
    saying what was expected, prints the misses and the totals, and exits 1
    below a minimum."""
    right = {name: 0 for name, _ in measures}
    asked = {name: 0 for name, _ in measures}
    for name in sorted(labelled):
        path, label = labelled[name]
        report, problem = analyse(args.program, path, args.sisimai)
        if report is None:
            print(f"{name}: {problem}")
            for measure, _ in measures:
                asked[measure] += 1
            continue
        verdicts, expected = judge(label, report)
        for measure, ok in verdicts.items():
            if ok is not None:
                asked[measure] += 1
                right[measure] += bool(ok)
        if False in verdicts.values():
            wrong = ", ".join(m for m, ok in verdicts.items() if ok is False)
            print(f"{name}: [{wrong}] expected {expected}; said {said(report)}")
    short = []
    for measure, text in measures:
        share = 100.0 * right[measure] / asked[measure] if asked[measure] else 0.0
        print(f"{measure}: {right[measure]} of {asked[measure]} {text} ({share:.1f}%)")
        if right[measure] < getattr(args, f"min_{measure}"):
            short.append(f"{measure} {right[measure]} < {getattr(args, f'min_{measure}')}")
    if short:
        print("FAIL: fewer right than asked: " + "; ".join(short))
        sys.exit(1)


def in_directory(directory, table):
    """name -> (path, label) for the names of table found in directory."""
    return {name: (os.path.join(directory, name), label) for name, label in table.items()}
