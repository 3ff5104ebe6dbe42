#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""Tests for make_corpus.py (stdlib unittest; run with /usr/bin/python3).

Generates the tiny and small profiles into temporary folders and checks
determinism, the manifest against the messages parsed back with Python's
email package, feature coverage and the mbox constraints Dovecot needs.
"""
import email
import email.policy
import email.utils
import filecmp
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = os.path.join(HERE, "make_corpus.py")
# Another seed can be tried with TANDEM_CORPUS_TEST_SEED=N.
SEED = int(os.environ.get("TANDEM_CORPUS_TEST_SEED", "7"))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

FEATURES = ["plain", "html-alternative", "html-only", "attachment", "inline-image", "rfc822",
            "rfc2047-subject", "rfc2047-from", "large", "flowed"]
CHARSETS = ["utf-8", "iso-8859-1", "iso-8859-2", "iso-8859-15", "windows-1252", "koi8-r", "shift_jis", "gb2312"]
SMALL_FOLDERS = {"INBOX": 120, "Archive": 50, "Work": 50, "Lists": 50, "Sent": 27, "Large": 3, "Showcase": 3}
FORBIDDEN = {"status", "x-status", "x-uid", "x-imap", "x-imapbase", "x-keywords", "content-length"}
SEPARATOR = re.compile(rb"From \S+@\S+ (Mon|Tue|Wed|Thu|Fri|Sat|Sun) "
                       rb"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d \d\d:\d\d:\d\d \d{4}")


def run_generator(out, seed, profile):
    return subprocess.run([PYTHON, GENERATOR, "--out", out, "--seed", str(seed), "--profile", profile],
                          capture_output=True, text=True, timeout=240)


def split_mbox(raw):
    """(separator line, message bytes) pairs. Every line starting with "From "
    is taken as a separator, so a body line starting so shows up as a
    mismatch with the manifest."""
    starts = [m.start() for m in re.finditer(rb"^From ", raw, re.M)]
    out = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(raw)
        chunk = raw[start:end]
        nl = chunk.index(b"\n")
        body = chunk[nl + 1:]
        if not body.endswith(b"\n\n"):
            raise AssertionError(f"message {i + 1} is not followed by an empty separator line")
        out.append((chunk[:nl], body[:-1]))
    return out


def top_parts(msg):
    """The parts of a message without descending into message/rfc822."""
    yield msg
    if msg.get_content_maintype() == "multipart":
        for part in msg.get_payload():
            yield from top_parts(part)


def all_parts(msg):
    """Every part, including those inside message/rfc822."""
    yield msg
    if msg.get_content_type() == "message/rfc822":
        for inner in msg.get_payload():
            yield from all_parts(inner)
    elif msg.get_content_maintype() == "multipart":
        for part in msg.get_payload():
            yield from all_parts(part)


def header_block(data):
    return data.split(b"\n\n", 1)[0]


def raw_header(data, name):
    """The raw (unfolded, undecoded) value of a top-level header, or None."""
    for line in re.split(rb"\n(?![ \t])", header_block(data)):
        key, _, value = line.partition(b":")
        if key.strip().lower() == name.lower().encode():
            return re.sub(rb"\n[ \t]", b" ", value).strip().decode("ascii")
    return None


class Corpus:
    def __init__(self, out):
        self.out = out
        with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.messages = {}
        for folder in self.manifest["folders"]:
            with open(os.path.join(out, "mbox", folder), "rb") as f:
                self.messages[folder] = split_mbox(f.read())

    def each(self):
        for folder, entries in self.manifest["folders"].items():
            for i, (entry, (sep, data)) in enumerate(zip(entries, self.messages[folder]), 1):
                yield f"{folder}#{i}", entry, sep, data


class MakeCorpusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="tandem-corpus-test-")
        cls.dirs = {}
        seed = SEED
        for key, seed, profile in [("tiny", seed, "tiny"), ("tiny2", seed, "tiny"), ("tiny-other", seed + 1, "tiny"),
                                   ("small", seed, "small"), ("small2", seed, "small")]:
            out = os.path.join(cls.tmp.name, key)
            result = run_generator(out, seed, profile)
            if result.returncode != 0:
                raise AssertionError(f"make_corpus {profile} failed: {result.stderr}")
            cls.dirs[key] = (out, result.stdout)
        cls.tiny = Corpus(cls.dirs["tiny"][0])
        cls.small = Corpus(cls.dirs["small"][0])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    # --- determinism -----------------------------------------------------

    def assertSameTree(self, a, b):
        files_a = sorted(os.path.relpath(os.path.join(r, f), a) for r, _, fs in os.walk(a) for f in fs)
        files_b = sorted(os.path.relpath(os.path.join(r, f), b) for r, _, fs in os.walk(b) for f in fs)
        self.assertEqual(files_a, files_b)
        for rel in files_a:
            self.assertTrue(filecmp.cmp(os.path.join(a, rel), os.path.join(b, rel), shallow=False),
                            f"{rel} differs between two runs with the same seed")

    def test_same_seed_is_byte_identical(self):
        self.assertSameTree(self.dirs["tiny"][0], self.dirs["tiny2"][0])
        self.assertSameTree(self.dirs["small"][0], self.dirs["small2"][0])

    def test_regenerating_into_the_same_folder_is_identical(self):
        out = os.path.join(self.tmp.name, "tiny-again")
        for _ in range(2):
            self.assertEqual(run_generator(out, SEED, "tiny").returncode, 0)
        self.assertSameTree(self.dirs["tiny"][0], out)

    def test_other_seed_differs(self):
        a = os.path.join(self.dirs["tiny"][0], "mbox", "INBOX")
        b = os.path.join(self.dirs["tiny-other"][0], "mbox", "INBOX")
        self.assertFalse(filecmp.cmp(a, b, shallow=False))
        other = Corpus(self.dirs["tiny-other"][0])
        ids_a = {e["message_id"] for e in self.tiny.manifest["folders"]["INBOX"]}
        ids_b = {e["message_id"] for e in other.manifest["folders"]["INBOX"]}
        self.assertFalse(ids_a & ids_b)
        self.assertEqual(other.manifest["seed"], SEED + 1)

    # --- CLI ---------------------------------------------------------------

    def test_summary_line(self):
        out = self.dirs["small"][1].strip().splitlines()
        self.assertEqual(len(out), 1)
        self.assertIn("303 messages", out[0])
        self.assertIn("7 folders", out[0])

    def test_bad_arguments(self):
        out = os.path.join(self.tmp.name, "bad")
        cases = [["--out", out, "--seed", "1", "--profile", "huge"],
                 ["--out", out, "--seed", "one", "--profile", "tiny"],
                 ["--out", out, "--seed", "-3", "--profile", "tiny"],
                 ["--seed", "1", "--profile", "tiny"],
                 ["--out", GENERATOR, "--seed", "1", "--profile", "tiny"]]
        for args in cases:
            r = subprocess.run([PYTHON, GENERATOR] + args, capture_output=True, text=True, timeout=60)
            self.assertNotEqual(r.returncode, 0, args)
            self.assertTrue(r.stderr.strip(), args)
        self.assertFalse(os.path.exists(os.path.join(out, "manifest.json")))

    def test_executable_with_shebang(self):
        with open(GENERATOR, "rb") as f:
            self.assertEqual(f.readline(), b"#!/usr/bin/python3\n")
        self.assertTrue(os.access(GENERATOR, os.X_OK))

    # --- folders and counts ------------------------------------------------

    def test_profiles(self):
        tiny = self.tiny.manifest
        self.assertEqual(list(tiny["folders"]), ["INBOX"])
        self.assertTrue(15 <= len(tiny["folders"]["INBOX"]) <= 25)
        small = self.small.manifest
        self.assertEqual({k: len(v) for k, v in small["folders"].items()}, SMALL_FOLDERS)
        self.assertEqual((small["seed"], small["profile"]), (SEED, "small"))
        self.assertEqual(sorted(os.listdir(os.path.join(self.small.out, "mbox"))), sorted(SMALL_FOLDERS))
        for corpus in (self.tiny, self.small):
            for folder, entries in corpus.manifest["folders"].items():
                self.assertEqual(len(corpus.messages[folder]), len(entries), folder)

    def test_large_folder(self):
        sizes = sorted(max(a["size"] for a in e["attachments"]) for e in self.small.manifest["folders"]["Large"])
        self.assertEqual(len(sizes), 3)
        for got, want in zip(sizes, [1 << 20, 5 << 20, 20 << 20]):
            self.assertAlmostEqual(got, want, delta=want // 50)
        for where, entry, _, _ in self.small.each():
            self.assertEqual("large" in entry["features"], where.startswith("Large#"), where)
        self.assertNotIn("large", {f for e in self.tiny.manifest["folders"]["INBOX"] for f in e["features"]})

    # --- the manifest against the messages ------------------------------

    def check_entry(self, where, entry, sep, data):
        self.assertRegex(sep, SEPARATOR, where)
        crlf = data.replace(b"\n", b"\r\n")
        self.assertNotIn(b"\r", data, where)
        self.assertEqual(entry["size"], len(crlf), where)
        self.assertEqual(entry["sha256"], hashlib.sha256(crlf).hexdigest(), where)

        msg = email.message_from_bytes(data, policy=email.policy.default)
        self.assertFalse(msg.defects, f"{where}: {msg.defects}")
        self.assertEqual(msg["Message-ID"].strip(), f"<{entry['message_id']}>", where)
        self.assertEqual(str(msg["Subject"]), entry["subject"], where)
        frm = msg["From"].addresses
        self.assertEqual(len(frm), 1, where)
        self.assertEqual(frm[0].display_name, entry["from_name"], where)
        self.assertEqual(frm[0].addr_spec, entry["from_address"], where)
        self.assertEqual([a.addr_spec for a in msg["To"].addresses], entry["to"], where)
        self.assertEqual(raw_header(data, "Date"), entry["date"], where)
        self.assertIsNotNone(email.utils.parsedate_to_datetime(entry["date"]).tzinfo, where)
        self.assertEqual(msg["MIME-Version"], "1.0", where)

        # attachments: every part with a file name, in MIME order, at any depth
        found = []
        for part in all_parts(msg):
            if part.get_filename() is not None and not part.is_multipart():
                payload = part.get_payload(decode=True)
                found.append({"filename": part.get_filename(), "mime_type": part.get_content_type(),
                              "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest(),
                              "disposition": part.get_content_disposition(),
                              "content_id": (part["Content-ID"] or "").strip("<> ") or None})
        want = [{k: a[k] for k in ("filename", "mime_type", "size", "sha256", "disposition", "content_id")}
                for a in entry["attachments"]]
        self.assertEqual(found, want, where)

        # charsets: each listed one is declared on a text part and decodes
        declared = {}
        for part in all_parts(msg):
            if part.get_content_maintype() == "text" and part.get_content_charset():
                declared.setdefault(part.get_content_charset(), []).append(part)
        listed = sorted(f.split(":", 1)[1] for f in entry["features"] if f.startswith("charset:"))
        self.assertEqual(listed, sorted(declared), where)
        for cs, parts in declared.items():
            for part in parts:
                text = part.get_payload(decode=True).decode(cs)  # strict
                self.assertTrue(text.strip(), f"{where}: empty {cs} part")
                if cs == "us-ascii" or part.get("Content-Transfer-Encoding", "7bit").lower() == "7bit":
                    self.assertTrue(part.get_payload(decode=True).isascii(), where)

        self.check_features(where, entry, msg, data)

    def check_features(self, where, entry, msg, data):
        features = set(entry["features"])
        unknown = {f for f in features if not f.startswith("charset:")} - set(FEATURES)
        self.assertFalse(unknown, where)
        parts = list(top_parts(msg))
        types = [p.get_content_type() for p in parts]
        has_plain = "text/plain" in types
        has_html = "text/html" in types
        self.assertEqual("plain" in features, has_plain and not has_html, where)
        self.assertEqual("html-alternative" in features,
                         any(p.get_content_type() == "multipart/alternative"
                             and {"text/plain", "text/html"} <= {c.get_content_type() for c in p.get_payload()}
                             for p in parts), where)
        self.assertEqual("html-only" in features, has_html and not has_plain, where)
        self.assertEqual("attachment" in features,
                         any(p.get_content_disposition() == "attachment" for p in parts), where)
        self.assertEqual("rfc822" in features, "message/rfc822" in types, where)
        if "rfc822" in features:
            inner = next(p for p in parts if p.get_content_type() == "message/rfc822").get_payload()[0]
            self.assertTrue(inner["Message-ID"] and inner["From"] and inner["Subject"], where)
            self.assertTrue(any(q.get_content_disposition() == "attachment" for q in all_parts(inner)), where)
        inline = [p for p in parts if p.get_content_maintype() == "image" and p["Content-ID"]]
        self.assertEqual("inline-image" in features, bool(inline), where)
        if inline:
            related = [p for p in parts if p.get_content_type() == "multipart/related"]
            self.assertTrue(related, where)
            html = next(p for p in parts if p.get_content_type() == "text/html").get_content()
            for p in inline:
                self.assertIn("cid:" + p["Content-ID"].strip("<>"), html, where)
        self.assertEqual("rfc2047-subject" in features, "=?" in raw_header(data, "Subject"), where)
        self.assertEqual("rfc2047-from" in features, "=?" in raw_header(data, "From"), where)
        self.assertEqual("large" in features, entry["size"] >= 1024 * 1024, where)
        flowed = [p for p in parts if p.get_content_type() == "text/plain"
                  and p.get_param("format", "").lower() == "flowed"]
        self.assertEqual("flowed" in features, bool(flowed), where)
        for p in flowed:
            self.assertTrue(any(line.endswith(" ") and line != "-- " for line in p.get_content().split("\n")),
                            f"{where}: flowed text without soft line breaks")

    def test_tiny_manifest_matches_messages(self):
        for args in self.tiny.each():
            self.check_entry(*args)

    def test_small_manifest_matches_messages(self):
        for args in self.small.each():
            self.check_entry(*args)

    def test_message_ids_unique_and_threads_resolve(self):
        for corpus in (self.tiny, self.small):
            ids = [e["message_id"] for _, e, _, _ in corpus.each()]
            self.assertEqual(len(ids), len(set(ids)))
            known = set(ids)
            longest = 0
            replies = 0
            for where, entry, _, data in corpus.each():
                irt = raw_header(data, "In-Reply-To")
                refs = raw_header(data, "References")
                if irt is None:
                    self.assertIsNone(refs, where)
                    continue
                replies += 1
                refs = refs.split()
                self.assertEqual(irt, refs[-1], where)
                for r in refs:
                    self.assertIn(r.strip("<>"), known, where)
                self.assertTrue(entry["subject"].startswith("Re: "), where)
                longest = max(longest, len(refs))
            self.assertGreaterEqual(longest, 3)
            self.assertGreaterEqual(replies, 3)

    # --- coverage ------------------------------------------------------------

    def folder_features(self, corpus, folder):
        return {f for e in corpus.manifest["folders"][folder] for f in e["features"]}

    def test_tiny_covers_everything_but_large(self):
        got = self.folder_features(self.tiny, "INBOX")
        for f in FEATURES:
            if f != "large":
                self.assertIn(f, got)
        for cs in CHARSETS:
            self.assertIn(f"charset:{cs}", got)

    def test_small_covers_every_feature_and_charset(self):
        got = set()
        for folder in self.small.manifest["folders"]:
            got |= self.folder_features(self.small, folder)
        for f in FEATURES + [f"charset:{cs}" for cs in CHARSETS]:
            self.assertIn(f, got)
        # every ordinary folder has every feature that makes sense there
        for folder in ("INBOX", "Archive", "Work", "Lists", "Sent"):
            have = self.folder_features(self.small, folder)
            for f in FEATURES + [f"charset:{cs}" for cs in CHARSETS]:
                if f == "large" or (folder == "Sent" and f == "rfc2047-from"):
                    continue
                self.assertIn(f, have, f"{folder} lacks {f}")

    def test_small_covers_encodings_and_headers(self):
        ctes, subject_forms, from_forms, to_forms = set(), set(), set(), set()
        rfc2231 = rfc2231_continued = 0
        charsets_in_headers = set()
        for where, entry, _, data in self.small.each():
            msg = email.message_from_bytes(data, policy=email.policy.default)
            for part in all_parts(msg):
                if not part.is_multipart():
                    ctes.add(part.get("Content-Transfer-Encoding", "7bit").lower())
            for name, forms in (("Subject", subject_forms), ("From", from_forms), ("To", to_forms)):
                for cs, form in re.findall(r"=\?([^?]+)\?([BQ])\?", raw_header(data, name)):
                    forms.add(form)
                    charsets_in_headers.add(cs.lower())
            rfc2231 += len(re.findall(rb"\n filename\*=", data))
            rfc2231_continued += len(re.findall(rb"\n filename\*1\*=", data))
            if where.startswith("Lists#"):
                self.assertIsNotNone(raw_header(data, "List-Id"), where)
                self.assertIsNotNone(raw_header(data, "List-Unsubscribe"), where)
                self.assertRegex(raw_header(data, "List-Id"), r"<[^>]+\.[^>]+>", where)
        self.assertLessEqual({"7bit", "8bit", "quoted-printable", "base64"}, ctes)
        self.assertEqual(subject_forms, {"B", "Q"})
        self.assertEqual(from_forms, {"B", "Q"})
        self.assertEqual(to_forms, {"B", "Q"})
        self.assertLessEqual({"utf-8", "iso-8859-1", "koi8-r", "gb2312"}, charsets_in_headers)
        self.assertGreater(rfc2231, 0)
        self.assertGreater(rfc2231_continued, 0)
        names = {a["filename"] for _, e, _, _ in self.small.each() for a in e["attachments"]}
        self.assertTrue(any(not n.isascii() for n in names))
        mimes = {a["mime_type"] for _, e, _, _ in self.small.each() for a in e["attachments"]}
        self.assertLessEqual({"application/pdf", "image/png", "application/zip"}, mimes)

    def test_languages_really_present(self):
        probes = {"iso-8859-1": "é", "iso-8859-15": "€", "windows-1252": "“", "iso-8859-2": "ł",
                  "koi8-r": "Спасибо", "shift_jis": "お", "gb2312": "的", "utf-8": "ü"}
        seen = {cs: False for cs in probes}
        for _, _, _, data in self.small.each():
            msg = email.message_from_bytes(data, policy=email.policy.default)
            for part in all_parts(msg):
                cs = part.get_content_charset() if part.get_content_maintype() == "text" else None
                if cs in probes and probes[cs] in part.get_payload(decode=True).decode(cs):
                    seen[cs] = True
        self.assertEqual([cs for cs, ok in seen.items() if not ok], [])
        # Czech in ISO-8859-2 too, not only Polish
        texts = "".join(p.get_payload(decode=True).decode("iso-8859-2")
                        for _, _, _, d in self.small.each()
                        for p in all_parts(email.message_from_bytes(d, policy=email.policy.default))
                        if p.get_content_maintype() == "text" and p.get_content_charset() == "iso-8859-2")
        self.assertIn("ř", texts)

    # --- mbox constraints ----------------------------------------------------

    def test_mbox_constraints(self):
        for corpus in (self.tiny, self.small):
            for folder in corpus.manifest["folders"]:
                with open(os.path.join(corpus.out, "mbox", folder), "rb") as f:
                    raw = f.read()
                self.assertNotIn(b"\r", raw)
                self.assertTrue(raw.startswith(b"From "))
                lines = raw.split(b"\n")
                self.assertLessEqual(max(len(line) for line in lines), 998, folder)
                for line in lines:
                    if line.startswith(b"From "):
                        self.assertRegex(line, SEPARATOR, folder)
            for where, _, _, data in corpus.each():
                self.assertIsNone(re.search(rb"^From ", data, re.M), where)
                self.assertIsNone(re.search(rb"^>From ", data, re.M), where)
                self.assertFalse(data.endswith(b"\n\n"), where)
                for line in re.split(rb"\n(?![ \t])", header_block(data)):
                    name = line.split(b":", 1)[0].strip().lower().decode()
                    self.assertNotIn(name, FORBIDDEN, where)
                    self.assertRegex(name, r"^[a-z0-9-]+$", where)


if __name__ == "__main__":
    unittest.main(verbosity=2)
