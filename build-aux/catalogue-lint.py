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

Sources.  Every rule and every phrases entry names where its facts come
from in "source": a server answers in these words, and they mean this.
"Seen in a bounce" is not a source.  The source is an https URL (the
application shows it as a link) of one of these forms:

  standard       an RFC or the IANA registry:
                 https://www.rfc-editor.org/rfc/rfcNNNN[#section-N.N],
                 https://datatracker.ietf.org/doc/..., https://www.iana.org/assignments/...
  sisimai        a module of the Sisimai library's lib/ tree at a release tag or a commit,
                 https://github.com/sisimai/p5-sisimai/blob/vX.Y.Z/lib/Sisimai/Reason/Name.pm
                 (or blob/<40 hex digits>/lib/...), or its Go port's module,
                 https://github.com/sisimai/go-sisimai/blob/<tag or commit>/rhost/for-name.go
                 (also lhost/, reason/)
                 (also Lhost/, Rhost/); never its test suites (t/, xt/) or the
                 set-of-emails collection
  documentation  the mail server's own documentation or source, or the
                 provider's or list operator's page.  A row of the reference
                 tables (tests/reference/*.tsv) is cited by the page it names.

A URL of a test suite or a sample collection (t/, xt/, tests/, corpus,
set-of-emails, maildir, *.eml, *.mbox) is never a source.  Generic wording
rules (no provider) cite a standard, a Sisimai module or an MTA's own
documentation (MTA_DOCS), never one provider's help page, which would then
show under "More information" for every other provider's bounce; their
links cite standards only.

Exit status: 0 when clean, 1 on any error.  --quiet prints errors only.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import unicodedata

# The letters bounce_literal_fold() spells in ASCII (bounce-literal.c,
# after CLDR's Latin-ASCII transform).
FOLD_ASCII = {"\u00df": "ss", "\u00e6": "ae", "\u00f8": "o", "\u0111": "d",
              "\u0127": "h", "\u0131": "i", "\u0142": "l", "\u0153": "oe"}

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
                  "lookup_domain", "delist", "status", "closed", "multi", "dns"},
    "provider": {"code", "pattern", "examples", "name", "tokens", "within"},
    "phrases": {"reason", "strength", "priority", "provider", "phrases",
                "ordered", "unless"},
}
REQUIRED = {
    "class": {"code"},
    "subject": {"code"},
    "enhanced": {"code", "reason"},
    "reply": {"code", "reason", "temporary"},
    "rule": {"pattern", "examples", "reason", "strength", "source"},
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

# A promise that the sending server is still retrying.  Only true while a
# delivery is delayed, so a step that says it must apply only then
# ("state": "delayed"), an entry that is permanent may not have such a step,
# and no explanation (which shows in every case) may say it.
PROMISE = re.compile(
    r"\b(?:your|the\s+sending)\s+server\s+(?:\w+\s+){0,2}?"
    r"(?:retries|retry|will\s+(?:retry|try\s+again)|is\s+still\s+(?:re)?trying|keeps\s+(?:re)?trying)\b"
    r"|\bretr(?:y|ies)\s+(?:on\s+its\s+own|by\s+itself|automatically)\b"
    r"|\bthe\s+server\s+will\s+(?:retry|try\s+again)\b"
    r"|\b(?:the\s+)?(?:message|it)\s+will\s+be\s+retried\b", re.I)

# Generic wording rules (no provider) explain what any server may write:
# their source is a standard, a Sisimai module or an MTA's documentation,
# and their links cite standards only, never one provider's help page,
# which would then show under "More information" for every other
# provider's bounce.
GENERIC_FILES = ("rules-wording.json", "rules-generic.json")
STANDARD_HOSTS = ("https://www.rfc-editor.org/", "https://datatracker.ietf.org/",
                  "https://www.iana.org/")
MTA_DOCS = ("https://www.postfix.org/", "https://www.exim.org/", "https://cr.yp.to/",
            "https://www.sendmail.org/", "https://www.mailenable.com/")

# The accepted forms of a source (see the header).
SOURCE_STANDARD = re.compile(
    r"https://(?:www\.rfc-editor\.org/rfc/rfc\d{3,5}(?:#section-[0-9A-Z.]+)?"
    r"|datatracker\.ietf\.org/doc/\S+|www\.iana\.org/assignments/\S+)")
SOURCE_SISIMAI = re.compile(
    r"https://github\.com/sisimai/p5-sisimai/blob/(?:v\d+\.\d+\.\d+|[0-9a-f]{40})/lib/Sisimai/"
    r"(?:[A-Za-z0-9]+/)*[A-Za-z0-9]+\.pm"
    r"|https://github\.com/sisimai/go-sisimai/blob/(?:v\d+\.\d+\.\d+|[0-9a-f]{40})/"
    r"(?:rhost|lhost|reason)/[a-z0-9-]+\.go")
# Test suites and sample mail: where a rule's words were seen, not why.
NOT_A_SOURCE = re.compile(
    r"github\.com/sisimai/(?!p5-sisimai/blob/(?:v[0-9.]+|[0-9a-f]{40})/lib/"
    r"|go-sisimai/blob/(?:v[0-9.]+|[0-9a-f]{40})/(?:rhost|lhost|reason)/)|set-of-emails"
    r"|/(?:t|xt|tests?|corpus|maildir)/|_test\.go\b|\.(?:eml|mbox)(?:$|[?#])", re.I)
SOURCE_KINDS = ("rule", "phrases")

# Terms a helpdesk reader does not know: the title, explanation and the
# sender's steps say them in plain words (the admin's steps may use them).
JARGON = re.compile(r"\b(?:DANE|TLSA|DNSSEC|tenants?|HELO|EHLO|x-dg-ref|snowshoe)\b", re.I)

STEP_KEYS = {"text", "case", "state", "class", "words", "otherwise", "said", "sent"}

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
        self.dns_list_refs = []

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
        # the compiled catalogue is made again when one of these changes
        # (a tree of the catalogue alone, as tests/catalogue-lint-sources.py
        # makes, has no meson.build)
        mpath = os.path.join(self.srcdir, "src", "core", "meson.build")
        if os.path.exists(mpath):
            with open(mpath, encoding="utf-8") as f:
                mtext = f.read()
            for name in ["index.json"] + self.files:
                if f"'catalogue/{name}'" not in mtext:
                    self.err("src/core/meson.build", f"{name} is not in catalogue_json")
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

    @staticmethod
    def source_form(url):
        """Which accepted form a source has (see the header), or None."""
        if not isinstance(url, str) or not url.startswith("https://") or \
                re.search(r"\s", url) or NOT_A_SOURCE.search(url):
            return None
        if SOURCE_STANDARD.fullmatch(url):
            return "standard"
        if SOURCE_SISIMAI.fullmatch(url):
            return "sisimai"
        if url.startswith(STANDARD_HOSTS) or url.startswith("https://github.com/sisimai/"):
            return None  # a standard's or Sisimai's page in another form
        return "documentation"

    def check_source(self, where, url):
        if self.source_form(url) is None:
            self.err(where, f"source {url!r} is not an RFC, a Sisimai lib/ module or a "
                     "documentation page (a test suite or sample mail is not a source; "
                     "see the accepted forms in build-aux/catalogue-lint.py)")

    def check_text(self, where, field, value):
        if not isinstance(value, str) or not value.strip():
            self.err(where, f"{field} must be a non-empty string")
            return
        if value != value.strip() or "  " in value:
            self.err(where, f"{field} has stray spaces")
        # Typographic apostrophes and quotes, as the application's own
        # strings write them (GNOME Human Interface Guidelines, "Writing
        # style": typographic quotes and apostrophes).
        if re.search(r"[A-Za-z0-9]'[A-Za-z]|[a-z]s'(?=[\s,.;:)]|$)", value):
            self.err(where, f"{field}: write the apostrophe as \u2019, not ': {value!r}")
        if '"' in value:
            self.err(where, f"{field}: write quotes as \u201c...\u201d, not \": {value!r}")
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
        # The engine matches a text outside ASCII composed (NFC):
        # bounce_catalogue_match_rules(), Unicode Standard Annex #15.
        if not unicodedata.is_normalized("NFC", pattern):
            self.err(where, f"pattern not in Unicode NFC: {pattern!r}")
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
            if kind == "phrases" and e.get("ordered"):
                needed.discard("phrases")
            for k in sorted(needed):
                if k not in e and k == "source":
                    self.err(where, f"the {kind} {eid} names no source: add \"source\", the RFC, "
                             "Sisimai module or documentation page that says what it asserts")
                elif k not in e:
                    self.err(where, f"missing {k}")
            if "title" in e:
                self.check_text(where, "title", e["title"])
            if "explanation" in e:
                self.check_text(where, "explanation", e["explanation"])
                n = len(re.findall(r"[.?!](?:\s|$)", e["explanation"]))
                if n > 3:
                    self.err(where, f"explanation has {n} sentences (max 3)")
            if isinstance(e.get("explanation"), str) and PROMISE.search(e["explanation"]):
                self.err(where, "the explanation promises that the server retries, "
                         "which is false once delivery has failed: say it in a "
                         "step for the delayed state")
            for k in ("sender", "admin"):
                if k in e:
                    if not isinstance(e[k], list) or not e[k]:
                        self.err(where, f"{k} must be a non-empty list")
                        continue
                    self.check_steps(where, e, k)
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
            if kind == "provider" and "within" in e and (
                    e["within"] not in self.providers or e["within"] == e.get("code")):
                self.err(where, f"within names no other provider: {e['within']!r}")
            if "source" in e:
                self.check_source(where, e["source"])
            if name in GENERIC_FILES and "provider" not in e:
                src = e.get("source")
                if isinstance(src, str) and self.source_form(src) == "documentation" and \
                        not src.startswith(MTA_DOCS):
                    self.err(where, "a generic rule's source is a standard, a Sisimai module "
                             f"or an MTA's documentation, not {src}")
                for url in [l.get("url") for l in e.get("links", [])]:
                    if url and not url.startswith(STANDARD_HOSTS):
                        self.err(where, f"a generic rule's links cite a standard, not {url}")
            for k in ("title", "explanation"):
                if isinstance(e.get(k), str) and JARGON.search(e[k]):
                    self.err(where, f"{k} uses a term a helpdesk reader does not know: "
                             f"{JARGON.search(e[k]).group(0)}")
            for st in e.get("sender", []):
                t = st.get("text", "") if isinstance(st, dict) else st
                if isinstance(t, str) and JARGON.search(t):
                    self.err(where, f"a sender step uses a term a helpdesk reader does not "
                             f"know: {JARGON.search(t).group(0)}")
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

    @staticmethod
    def fold(phrase):
        """A phrase as bounce_literal_fold() (bounce-literal.c) reads it,
        near enough to find two that read the same: lower case, runs of
        white space as one space, decomposed (NFD) without the accents of
        Latin letters, and the letters it spells in ASCII."""
        out = ""
        for ch in unicodedata.normalize("NFD", " ".join(phrase.split())):
            if "\u0300" <= ch <= "\u036f" and out and \
                    ((out[-1].isascii() and out[-1].isalpha()) or
                     unicodedata.name(out[-1], "").startswith("LATIN ")):
                continue
            ch = ch.lower()
            out += FOLD_ASCII.get(ch, ch)
        return out

    def check_phrases(self, where, e):
        """Literal phrases: non-empty, trimmed, each listed once, and no
        phrase under two reasons in the same scope (only one reading could
        win).  A provider's own table may read a phrase otherwise than the
        unscoped lists do: for that provider's bounces its reading wins."""
        if not hasattr(self, "phrase_reasons"):
            self.phrase_reasons = {}
        lists = [("phrases", e.get("phrases", [] if e.get("ordered") else None)),
                 ("unless", e.get("unless", []))]
        for key, value in lists:
            if not isinstance(value, list) or (key == "phrases" and not value and not e.get("ordered")):
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
            # (two spellings that fold the same are one phrase to the engine)
            key = (e.get("provider"), self.fold(p))
            if key in seen:
                self.err(where, f"phrase listed twice (as folded): {p!r}")
            seen.add(key)
            other = self.phrase_reasons.get(key)
            if other and other[0] != e.get("reason"):
                self.err(where, f"phrase {p!r} also names {other[0]} in {other[1]}")
            self.phrase_reasons.setdefault(key, (e.get("reason"), e.get("id")))

    def check_steps(self, where, e, field):
        steps = e[field]
        have_words = False
        for n, step in enumerate(steps, start=1):
            at = f"{where} {field}[{n}]"
            if isinstance(step, str):
                self.check_text(at, "step", step)
                if PROMISE.search(step):
                    self.err(at, "a step that says the server retries must have "
                             "\"state\": \"delayed\"")
                continue
            if not isinstance(step, dict):
                self.err(at, "a step is a string or an object")
                continue
            for k in step:
                if k not in STEP_KEYS:
                    self.err(at, f"unknown step key {k!r}")
            self.check_text(at, "step", step.get("text"))
            if "case" in step:
                self.check_text(at, "case", step["case"])
                if not step["case"].startswith("If "):
                    self.err(at, "a case starts with \"If \"")
                if step["case"].endswith((".", ":")):
                    self.err(at, "a case ends without punctuation")
            conds = [k for k in ("state", "class", "words", "otherwise", "said", "sent") if k in step]
            if not conds:
                self.err(at, "a step object without a condition: write a string")
            if step.get("state", "delayed") not in ("delayed", "failed"):
                self.err(at, "state must be delayed or failed")
            if step.get("class", "temporary") not in ("temporary", "permanent"):
                self.err(at, "class must be temporary or permanent")
            if "otherwise" in step and step["otherwise"] is not True:
                self.err(at, "otherwise can only be true")
            if "sent" in step and step["sent"] is not True:
                self.err(at, "sent can only be true")
            if "words" in step and "otherwise" in step:
                self.err(at, "words and otherwise exclude each other")
            if "said" in step and step["said"] not in self.reasons:
                self.err(at, "said must name one of the reasons")
            if ("words" in step or "otherwise" in step or "said" in step) and "case" not in step:
                self.err(at, "a step that depends on the server's words needs a case")
            if len([k for k in ("state", "class") if k in step]) > 1 and "case" not in step:
                self.err(at, "a step with two conditions needs a case")
            if "words" in step:
                rx = self.check_pattern(at, step["words"]) \
                    if isinstance(step["words"], str) else None
                if rx is None:
                    self.err(at, "words must be a pattern")
                have_words = True
            if step.get("otherwise") and not have_words:
                self.err(at, "an otherwise step must follow a words step")
            text = step.get("text", "")
            if isinstance(text, str) and PROMISE.search(text) and step.get("state") != "delayed":
                self.err(at, "a step that says the server retries must have "
                         "\"state\": \"delayed\"")

    # -- conditional steps, as the engine shows them -----------------------
    # The cases a failure can be in: (outcome, class), as
    # tests/catalogue-query --steps takes them.  A temporary code is either
    # still being tried or was given up; a permanent one is final.
    CASES = {
        "temporary": [("delayed", "temporary"), ("gave-up", "temporary")],
        "permanent": [("permanent", "permanent")],
    }
    CASES["unknown"] = CASES["temporary"] + CASES["permanent"]

    @staticmethod
    def split_steps(field):
        return [x for x in field.split("\x1f") if x]

    def check_step_cases(self):
        """Ask the engine which steps it shows in every case an entry can
        meet: at least one sender step each time, and never, once delivery
        has ended (a permanent code, or a temporary one given up), a step
        that says the server retries.  The same for each rule example,
        analysed as a pasted line: an entry whose examples are permanent may
        not tell the sender to wait for a retry."""
        with_steps = [e for _, _, e in self.entries
                      if e.get("kind") != "provider" and isinstance(e.get("sender"), list)]
        perms = self.ask("--permanence", [e["id"] + "\n" for e in with_steps])
        queries, where = [], []
        for e, perm in zip(with_steps, perms):
            for field in ("sender", "admin"):
                for step in e.get(field, []):
                    if not isinstance(step, dict):
                        continue
                    if step.get("state") == "delayed" and perm == "permanent":
                        self.err(e["id"], "a permanent entry has no delayed case: "
                                 "nothing retries a 5xx")
                    if step.get("class") and perm in ("temporary", "permanent") and \
                            step["class"] != perm:
                        self.err(e["id"], f"a {perm} entry has no {step['class']} case")
            for outcome, klass in self.CASES[perm]:
                queries.append(f"{e['id']}\t{outcome}\t{klass}\t-\n")
                where.append((e, outcome, klass))
        for (e, outcome, klass), answer in zip(where, self.ask("--steps", queries)):
            sender = self.split_steps(answer.split("\t")[0])
            if not sender:
                self.err(e["id"], f"no sender step applies when the outcome is {outcome} "
                         f"with a {klass} code")
            if outcome != "delayed":
                for text in sender:
                    if PROMISE.search(text):
                        self.err(e["id"], f"when the outcome is {outcome} it tells the sender "
                                 f"that the server retries: {text!r}")
        examples = {e["id"]: list(e.get("examples", [])) for _, _, e in self.entries
                    if e.get("kind") == "rule"}
        for line in self.ask("--examples"):
            rid, outcome, sender, _ = (line.split("\t") + ["", "", ""])[:4]
            ex = examples.get(rid, [""]).pop(0) if examples.get(rid) else ""
            if outcome in ("-", "delayed", "none"):
                continue
            for text in self.split_steps(sender):
                if PROMISE.search(text):
                    self.err(rid, f"its example {ex!r} is final ({outcome}), yet a step "
                             f"says that the server retries: {text!r}")

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
        if "dns" in e:
            self.check_dns(where, e)

    LOOPBACK = re.compile(r"127\.(?:\d{1,3})\.(?:\d{1,3})\.(?:\d{1,3})")

    def check_dns(self, where, e):
        """The live check's data: how to ask the list, what it answers."""
        dns = e["dns"]
        if e.get("status") == "closed":
            self.err(where, "a closed list is never asked: no dns")
        if not isinstance(dns, dict):
            self.err(where, "dns must be an object")
            return
        unknown = set(dns) - {"zone", "query", "txt", "answers", "refused", "source"}
        if unknown:
            self.err(where, f"unknown dns keys {sorted(unknown)}")
        zone = dns.get("zone", "")
        if not re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", zone):
            self.err(where, "dns.zone must be a lower-case domain")
        query = dns.get("query")
        if not query or not isinstance(query, list) or \
                any(q not in ("ipv4", "ipv6", "domain") for q in query):
            self.err(where, "dns.query must list ipv4, ipv6 or domain")
        if "txt" in dns and not isinstance(dns["txt"], bool):
            self.err(where, "dns.txt must be a boolean")
        if "source" not in dns:
            self.err(where, "dns needs the list's documentation as source")
        else:
            self.check_url(where, dns["source"])
        for member in ("answers", "refused"):
            for a in dns.get(member, []):
                if not isinstance(a, dict):
                    self.err(where, f"dns.{member}: entries must be objects")
                    continue
                if set(a) - {"code", "bit", "list", "meaning", "source"}:
                    self.err(where, f"dns.{member}: unknown keys {sorted(set(a))}")
                if ("code" in a) == ("bit" in a):
                    self.err(where, f"dns.{member}: needs either code or bit")
                if "code" in a:
                    parts = a["code"].split("-")
                    if len(parts) > 2 or not all(self.LOOPBACK.fullmatch(p) for p in parts):
                        self.err(where, f"dns.{member}: code {a['code']!r} is not in 127.0.0.0/8")
                if "bit" in a and a["bit"] not in (1, 2, 4, 8, 16, 32, 64, 128):
                    self.err(where, f"dns.{member}: bit must be a power of two up to 128")
                if "meaning" not in a:
                    self.err(where, f"dns.{member}: an answer needs a meaning")
                else:
                    self.check_text(where, "meaning", a["meaning"])
                if "source" in a:
                    self.check_url(where, a["source"])
                if "list" in a:
                    self.dns_list_refs.append((where, a["list"]))

    def check_dns_refs(self):
        lists = {e["id"] for _, _, e in self.entries if e.get("kind") == "blocklist"}
        for where, ref in self.dns_list_refs:
            if ref not in lists:
                self.err(where, f"a dns answer names {ref!r}, which is no blocklist")

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
            self.check_step_cases()
            self.check_dns_refs()
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
