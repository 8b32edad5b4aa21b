#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the bounce catalogue (src/core/catalogue/*.json).

Checks JSON syntax, the fields each kind needs, unique ids, reason names,
https-only URLs, pattern safety, and that every row of
tests/reference/provider-codes.tsv is covered by a rule or a provider-scoped
enhanced entry unless tests/catalogue-exclusions.txt lists it.  What the
engine decides (the reason names, the strengths, which rule ranks first) is
asked of the engine itself, through tests/catalogue-query (--engine); that
every rule's examples pick the rule is tests/test-catalogue's check.

Exit status: 0 when clean, 1 on any error.  --quiet prints errors only.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys

KINDS = ("class", "subject", "enhanced", "reply", "rule", "reason",
         "blocklist", "provider", "phrases")

COMMON_KEYS = {"id", "kind", "title", "explanation", "sender", "admin",
               "source", "links"}
KIND_KEYS = {
    "class": {"code"},
    "subject": {"code", "reason"},
    "enhanced": {"code", "reason", "temporary", "provider"},
    "reply": {"code", "reason", "temporary", "provider"},
    "rule": {"code", "pattern", "examples", "provider", "reason",
             "temporary", "priority", "final_reason", "strength"},
    "reason": {"code", "reason"},
    "blocklist": {"pattern", "examples", "zones", "lookup_ip",
                  "lookup_domain", "delist", "status", "closed", "multi"},
    "provider": {"code", "pattern", "examples", "name", "tokens"},
    "phrases": {"reason", "strength", "priority", "provider", "phrases",
                "ordered", "unless"},
}
REQUIRED = {
    "class": {"code"},
    "subject": {"code"},
    "enhanced": {"code", "reason"},
    "reply": {"code", "reason", "temporary"},
    "rule": {"pattern", "examples", "reason", "strength"},
    "reason": {"code", "reason"},
    "blocklist": {"status"},
    "provider": {"code", "pattern", "name", "examples"},
    "phrases": {"reason", "strength", "source", "phrases"},
}
CODE_RE = {
    "class": r"[245]",
    "subject": r"X\.[0-7]\.X",
    "enhanced": r"(?:[245]|X)\.[0-9]{1,3}\.[0-9]{1,3}",
    "reply": r"[2-5][0-9]{2}",
    "reason": r"[a-z]+",
    "provider": r"[a-z0-9-]+",
    "rule": r"[A-Za-z0-9#._-]+",
}

# Constructs that risk catastrophic backtracking or are not shared by
# Python re and PCRE2.
UNSAFE = [
    (re.compile(r"(?<!\\)\.[*+]"), "unbounded '.*' or '.+'"),
    (re.compile(r"\[\^\\n\][*+]"), "unbounded '[^\\n]*'"),
    (re.compile(r"\\[sS][*+]"), "unbounded '\\s*' or '\\s+'"),
    (re.compile(r"\([^()]*[*+}][^()]*\)[*+{]"), "nested quantifier"),
    (re.compile(r"\(\?P"), "Python-only named group"),
    (re.compile(r"\\[AZz]"), "anchor not shared by PCRE2 and re"),
]


class Lint:
    def __init__(self, srcdir, quiet, engine):
        self.srcdir = srcdir
        self.quiet = quiet
        self.engine = engine
        self.reasons = self.ask("--reasons")
        self.strengths = self.ask("--strengths")
        self.errors = []
        self.entries = []
        self.files = []

    def ask(self, question, lines=None):
        """The engine's answer, one line per item (tests/catalogue-query)."""
        proc = subprocess.run([self.engine, question], input="".join(lines or []),
                              capture_output=True, text=True, check=True)
        return proc.stdout.splitlines()

    def err(self, where, msg):
        self.errors.append(f"{where}: {msg}")

    def info(self, msg):
        if not self.quiet:
            print(msg)

    # -- loading ----------------------------------------------------------
    def load(self):
        catdir = os.path.join(self.srcdir, "src", "core", "catalogue")
        try:
            with open(os.path.join(catdir, "index.json"), encoding="utf-8") as f:
                index = json.load(f)
        except (OSError, ValueError) as e:
            self.err("index.json", str(e))
            return
        if not isinstance(index.get("version"), str):
            self.err("index.json", "missing version")
        self.files = index.get("files", [])
        on_disk = {n for n in os.listdir(catdir) if n.endswith(".json")}
        on_disk.discard("index.json")
        for missing in sorted(on_disk - set(self.files)):
            self.err("index.json", f"{missing} is not listed")
        gres = os.path.join(self.srcdir, "src", "core",
                            "bounce-core.gresource.xml")
        with open(gres, encoding="utf-8") as f:
            gtext = f.read()
        for name in ["index.json"] + self.files:
            if f"catalogue/{name}</file>" not in gtext:
                self.err("bounce-core.gresource.xml", f"{name} is not listed")
        for name in self.files:
            try:
                with open(os.path.join(catdir, name), encoding="utf-8") as f:
                    data = json.load(f)
            except (OSError, ValueError) as e:
                self.err(name, str(e))
                continue
            if set(data) != {"entries"} or not isinstance(data["entries"], list):
                self.err(name, "must be { \"entries\": [...] }")
                continue
            for i, e in enumerate(data["entries"]):
                self.entries.append((name, i, e))

    # -- per entry --------------------------------------------------------
    def check_url(self, where, url, template=None):
        if not isinstance(url, str) or not url.startswith("https://"):
            self.err(where, f"not an https URL: {url!r}")
            return
        if re.search(r"\s", url):
            self.err(where, f"whitespace in URL: {url!r}")
        if template and template not in url:
            self.err(where, f"template lacks {template}: {url}")
        for t in re.findall(r"\{[^}]*\}", url):
            if t not in ("{ip}", "{domain}"):
                self.err(where, f"unknown placeholder {t}")

    def check_text(self, where, field, value):
        if not isinstance(value, str) or not value.strip():
            self.err(where, f"{field} must be a non-empty string")
            return
        if value != value.strip() or "  " in value:
            self.err(where, f"{field} has stray spaces")
        if field == "title":
            if value.endswith("."):
                self.err(where, "title ends with a period")
            # Brand names keep their own case (iCloud, qmail).
            brand = re.match(r"[a-z]+[A-Z]", value) or \
                value.split()[0] in ("qmail", "invaluement")
            if not value[0].isupper() and not value[0].isdigit() and not brand:
                self.err(where, "title must start with a capital")
            if len(value) > 90:
                self.err(where, "title longer than 90 characters")
        if field in ("explanation", "step") and not value.endswith((".", "?", ")")):
            self.err(where, f"{field} must end with a full stop: {value!r}")

    def check_pattern(self, where, pattern):
        for rx, what in UNSAFE:
            if rx.search(pattern):
                self.err(where, f"pattern: {what}: {pattern}")
        try:
            return re.compile(pattern, re.IGNORECASE)
        except re.error as e:
            self.err(where, f"pattern does not compile: {e}")
            return None

    def check_entries(self):
        seen = {}
        self.providers = {e.get("code") for _, _, e in self.entries
                          if e.get("kind") == "provider"}
        self.compiled = {}
        for name, i, e in self.entries:
            eid = e.get("id", f"#{i}")
            where = f"{name}:{eid}"
            if not isinstance(e.get("id"), str) or \
                    not re.fullmatch(r"[a-z0-9._-]+", e["id"]):
                self.err(where, "bad id")
            elif e["id"] in seen:
                self.err(where, f"duplicate id (also in {seen[e['id']]})")
            else:
                seen[e["id"]] = name
            kind = e.get("kind")
            if kind not in KINDS:
                self.err(where, f"unknown kind {kind!r}")
                continue
            allowed = COMMON_KEYS | KIND_KEYS[kind]
            for k in e:
                if k not in allowed:
                    self.err(where, f"key {k!r} not allowed for {kind}")
            needed = set(REQUIRED[kind])
            if kind != "phrases":
                needed |= {"title"}
            if kind not in ("provider", "phrases"):
                needed |= {"explanation", "sender", "admin"}
            for k in sorted(needed):
                if k not in e:
                    self.err(where, f"missing {k}")
            if "title" in e:
                self.check_text(where, "title", e["title"])
            if "explanation" in e:
                self.check_text(where, "explanation", e["explanation"])
                n = len(re.findall(r"[.?!](?:\s|$)", e["explanation"]))
                if n > 3:
                    self.err(where, f"explanation has {n} sentences (max 3)")
            for k in ("sender", "admin"):
                if k in e:
                    if not isinstance(e[k], list) or not e[k]:
                        self.err(where, f"{k} must be a non-empty list")
                        continue
                    for s in e[k]:
                        self.check_text(where, "step", s)
            if "name" in e:
                self.check_text(where, "name", e["name"])
            if "code" in e:
                if not isinstance(e["code"], str) or \
                        not re.fullmatch(CODE_RE[kind], e["code"]):
                    self.err(where, f"bad code {e.get('code')!r} for {kind}")
            if kind == "phrases":
                self.check_phrases(where, e)
            if kind in ("rule", "phrases") and e.get("strength") not in self.strengths:
                self.err(where, f"strength {e.get('strength')!r} is not one of {self.strengths}")
            if "reason" in e and e["reason"] not in self.reasons:
                self.err(where, f"unknown reason {e['reason']!r}")
            if kind == "reason":
                if e.get("code") != e.get("reason") or \
                        e.get("id") != f"reason.{e.get('code')}":
                    self.err(where, "reason id/code/reason disagree")
            if "temporary" in e and not isinstance(e["temporary"], bool):
                self.err(where, "temporary must be a boolean")
            if "priority" in e and not isinstance(e["priority"], int):
                self.err(where, "priority must be an integer")
            if "provider" in e and e["provider"] not in self.providers:
                self.err(where, f"unknown provider {e['provider']!r}")
            if "source" in e:
                self.check_url(where, e["source"])
            for link in e.get("links", []):
                if set(link) != {"title", "url"}:
                    self.err(where, "a link needs exactly title and url")
                    continue
                self.check_text(where, "title", link["title"])
                self.check_url(where, link["url"])
            if kind == "blocklist":
                self.check_blocklist(where, e)
            if "pattern" in e:
                rx = self.check_pattern(where, e["pattern"])
                if rx is not None:
                    self.compiled[e["id"]] = rx
                    ex = e.get("examples", [])
                    if not isinstance(ex, list) or (kind == "rule" and not ex):
                        self.err(where, "examples must be a non-empty list")
                        ex = []
                    for x in ex:
                        if not rx.search(x):
                            self.err(where, f"example does not match: {x!r}")
            elif "examples" in e:
                self.err(where, "examples without pattern")

    def check_phrases(self, where, e):
        """Literal phrases: non-empty, trimmed, each listed once, and no
        phrase under two reasons (only one reading could win)."""
        if not hasattr(self, "phrase_reasons"):
            self.phrase_reasons = {}
        lists = [("phrases", e.get("phrases")), ("unless", e.get("unless", []))]
        for key, value in lists:
            if not isinstance(value, list) or (key == "phrases" and not value):
                self.err(where, f"{key} must be a non-empty list of strings")
                continue
            for p in value:
                if not isinstance(p, str) or not p.strip() or p != p.strip() or "  " in p:
                    self.err(where, f"{key}: bad phrase {p!r}")
        ordered = e.get("ordered", [])
        if not isinstance(ordered, list) or not all(
                isinstance(o, list) and len(o) >= 2 and
                all(isinstance(p, str) and p.strip() and p == p.strip() for p in o)
                for o in ordered):
            self.err(where, "ordered must be a list of lists of two or more phrases")
            ordered = []
        seen = set()
        for p in [x for x in e.get("phrases", []) if isinstance(x, str)] + \
                [" ... ".join(o) for o in ordered]:
            key = " ".join(p.lower().split())
            if key in seen:
                self.err(where, f"phrase listed twice: {p!r}")
            seen.add(key)
            other = self.phrase_reasons.get(key)
            if other and other[0] != e.get("reason"):
                self.err(where, f"phrase {p!r} also names {other[0]} in {other[1]}")
            self.phrase_reasons.setdefault(key, (e.get("reason"), e.get("id")))

    def check_blocklist(self, where, e):
        if e.get("status") not in ("operating", "closed"):
            self.err(where, "status must be operating or closed")
        if e.get("status") == "closed":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", e.get("closed", "")):
                self.err(where, "a closed list needs an ISO closed date")
        elif "closed" in e:
            self.err(where, "closed date on an operating list")
        if "lookup_ip" in e:
            self.check_url(where, e["lookup_ip"], "{ip}")
        if "lookup_domain" in e:
            self.check_url(where, e["lookup_domain"], "{domain}")
        if "delist" in e:
            self.check_url(where, e["delist"])
        if "multi" in e and not isinstance(e["multi"], bool):
            self.err(where, "multi must be a boolean")
        if not isinstance(e.get("zones", []), list):
            self.err(where, "zones must be a list")

    # -- rule ordering ----------------------------------------------------
    def best_rules(self, queries):
        """The engine's first-ranked rule for each (text, provider), by id."""
        by_id = {e["id"]: e for _, _, e in self.entries}
        lines = [f"{p or '-'}\t{t.replace(chr(9), ' ').replace(chr(10), ' ')}\n" for t, p in queries]
        answers = self.ask("--best", lines)
        return [by_id.get(a.split("\t")[0]) for a in answers]

    # -- reference coverage -----------------------------------------------
    def reference(self, name):
        path = os.path.join(self.srcdir, "tests", "reference", name)
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f, delimiter="\t"))

    def check_registry(self):
        codes = {e.get("code") for _, _, e in self.entries
                 if e.get("kind") == "enhanced" and "provider" not in e}
        for row in self.reference("enhanced-status-codes.tsv"):
            if row["row_type"] == "enumerated" and row["code"] not in codes:
                self.err("enhanced.json", f"registry code {row['code']} missing")
        replies = {e.get("code") for _, _, e in self.entries
                   if e.get("kind") == "reply" and "provider" not in e}
        for row in self.reference("reply-codes.tsv"):
            if row["code"] not in replies:
                self.err("replies.json", f"reply code {row['code']} missing")
        lists = [e for _, _, e in self.entries if e.get("kind") == "blocklist"]
        want = len(self.reference("blacklist-checks.tsv"))
        if len(lists) < want:
            self.err("blocklists.json", f"{len(lists)} lists, reference has {want}")
        for e in lists:
            zone_text = " ".join(e.get("zones", []))
            if "sorbs" in zone_text or "manitu" in zone_text:
                if e.get("status") != "closed":
                    self.err(e["id"], "this list has closed")

    PROVIDER_OF_ROW = [
        ("Google", "google"), ("Microsoft 365", "microsoft"),
        ("Exchange Server", "exchange"), ("Outlook.com", "outlook"),
        ("Yahoo", "yahoo"), ("Apple", "apple"), ("Comcast", "comcast"),
        ("Cox", "cox"), ("Spectrum", "spectrum"), ("GoDaddy", "godaddy"),
        ("GMX", "gmx"), ("Yandex", "yandex"), ("Mail.ru", "mailru"),
        ("Zoho", "zoho"), ("Proofpoint", "proofpoint"),
        ("Mimecast", "mimecast"), ("Barracuda", "barracuda"),
        ("Cisco", "cisco"), ("Orange", "orange"), ("Postfix", "postfix"),
        ("Exim", "exim"), ("Sendmail", "sendmail"), ("qmail", "qmail"),
        ("MailEnable", "mailenable"), ("DNSBL", None),
    ]

    @staticmethod
    def row_texts(row):
        """Test lines made of the row's reply code, enhanced code and phrase."""
        def alts(value, sep):
            return [v.strip() for v in value.split(sep) if v.strip()] or [""]
        replies = []
        for r in alts(row["reply_code"], "/"):
            r = re.sub(r"^([45])xx$", r"\g<1>50", r, flags=re.I)
            replies.append(r)
        enhanced = []
        for c in alts(row["enhanced_code"], " / "):
            for c2 in c.split("/"):
                enhanced.append(re.sub(r"-\d+$", "", c2.strip()))
        phrases = []
        parts = alts(row["phrase_fragment"], "|")
        # A one-word piece of a split phrase ("account") identifies nothing.
        if len(parts) > 1:
            parts = [p for p in parts if not re.fullmatch(r"[a-z]+", p)] or parts
        for p in parts:
            m = re.fullmatch(r"AUP#I/AUP#O \+ (\d+)(?:-(\d+))?", p)
            if m:
                for num in filter(None, m.groups()):
                    phrases += [f"AUP#I-{num}", f"AUP#O-{num}"]
                continue
            p = p.replace(" * ", " mail.example.net ")
            p = re.sub(r"^\.\.\.? ", "<someone@example.net>... ", p)
            p = re.sub(r" \.\.\.? ", " example.net ", p)
            phrases.append(p)
        out = []
        for r in replies:
            for c in enhanced:
                for p in phrases:
                    out.append(" ".join(x for x in (r, c, p) if x))
        return out

    def check_coverage(self):
        path = os.path.join(self.srcdir, "tests", "catalogue-exclusions.txt")
        excluded = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    excluded[int(line.split()[0])] = True
        scoped = {(e.get("provider"), e.get("code")) for _, _, e in self.entries
                  if e.get("kind") == "enhanced" and "provider" in e}
        rows = self.reference("provider-codes.tsv")
        covered = 0
        disagree = []
        queries = []
        for n, row in enumerate(rows, start=2):  # file line numbers
            provider = next((code for key, code in self.PROVIDER_OF_ROW
                             if row["provider"].startswith(key)), "?")
            if provider == "?":
                self.err("provider-codes.tsv", f"line {n}: unknown provider")
                continue
            if n not in excluded:
                queries.append((n, row, provider, self.row_texts(row)))
        flat = [(text, provider) for _, _, provider, texts in queries for text in texts]
        answers = iter(self.best_rules(flat))
        for n, row, provider, texts in queries:
            ok = True
            for text in texts:
                best = next(answers)
                code = text.split()[1] if len(text.split()) > 1 else ""
                if best is None and (provider, code) not in scoped and ok:
                    ok = False
                    self.err("coverage",
                             f"provider-codes.tsv line {n} not covered: {text!r}")
                if best is not None and best.get("reason") != row["reason"]:
                    disagree.append(f"line {n}: {best['id']} says "
                                    f"{best.get('reason')}, row says {row['reason']}")
            covered += ok
        total = len(rows) - len(excluded)
        self.info(f"coverage: {covered}/{len(rows)} provider-codes.tsv rows "
                  f"covered ({100.0 * covered / len(rows):.1f}%), "
                  f"{len(excluded)} excluded; {covered}/{total} of the rest")
        if covered < total:
            pass  # already reported row by row
        if disagree and not self.quiet:
            print(f"reason differs from the reference on {len(disagree)} row texts:")
            for d in disagree:
                print("  " + d)

    def run(self):
        self.load()
        if not self.entries:
            self.err("catalogue", "no entries")
        else:
            self.check_entries()
            self.check_registry()
            self.check_coverage()
        kinds = {}
        for _, _, e in self.entries:
            kinds[e.get("kind")] = kinds.get(e.get("kind"), 0) + 1
        self.info("entries: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        for e in self.errors:
            print("error: " + e, file=sys.stderr)
        self.info(f"{len(self.errors)} errors")
        return 1 if self.errors else 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--srcdir", default=os.path.dirname(here))
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--engine", required=True,
                    help="path of tests/catalogue-query, built against the core")
    args = ap.parse_args()
    return Lint(args.srcdir, args.quiet, args.engine).run()


if __name__ == "__main__":
    sys.exit(main())
