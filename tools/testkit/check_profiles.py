#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""Self-check of the test kit's profiles: starts each one, checks it from the
outside the way a client meets it, stops it and checks nothing is left.

    check_profiles.py [--profile NAME ...] [--corpus tiny|small] [--base DIR] [--probe]

Checks (any failure: exit code 1): kit.env keys; login over implicit TLS and
over STARTTLS; the advertised capabilities before and after login, and that none
of TANDEM_KIT_CAPABILITIES_HIDDEN is among them; NAMESPACE and LIST against
TANDEM_KIT_FOLDER_PREFIX / TANDEM_KIT_DELIMITER and the manifest's folder names;
message counts; the bytes of a FETCH against the manifest's sha256 (under
Mailutils, which rewrites mbox headers, only reported); POP3 over both TLS
kinds; no process left after `kit.py stop`.

--probe also tries, as user 2 (never the corpus user), what the server does
with commands it does not advertise (UID MOVE, LITERAL+, SASL-IR, ENABLE
CONDSTORE, ...); that is reported, never checked: a client must simply not use
what is not advertised. Standard library only, for /usr/bin/python3.
"""
import argparse
import base64
import hashlib
import imaplib
import json
import os
import poplib
import re
import socket
import ssl
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KIT = os.path.join(HERE, "kit.py")
PYTHON = "/usr/bin/python3"
sys.path.insert(0, HERE)
from kit import PROFILES  # noqa: E402 - the kit beside this file


class Checker:
    def __init__(self, profile):
        self.profile = profile
        self.failures = []

    def check(self, ok, what):
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failures.append(what)
        return ok

    @staticmethod
    def note(what):
        print(f"  note {what}")


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                env[key] = value[1:-1] if value.startswith("'") else value
    return env


def caps(data):
    return set(b" ".join(data).decode().upper().split())


def kit_processes(d, roots):
    """Every process of this kit: the recorded servers, their descendants and
    anything whose command line names the kit folder."""
    parents, cmdlines = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdlines[int(entry)] = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found = {pid for pid, cmd in cmdlines.items() if d in cmd and pid != os.getpid()}
    found |= {pid for pid in roots if pid in parents}
    grew = True
    while grew:
        children = {pid for pid, ppid in parents.items() if ppid in found} - found
        found |= children
        grew = bool(children)
    return {pid: cmdlines.get(pid, "") for pid in found}


def recorded_pids(d):
    pids = set()
    for name in ("run/master.pid", "smtp.pid", "imap4d.pid", "pop3d.pid"):
        try:
            with open(f"{d}/{name}") as f:
                pids.add(int(f.read().strip()))
        except (OSError, ValueError):
            pass
    return pids


ADDED_HEADERS = re.compile(rb"^(?:Status|X-UID|X-IMAPbase|X-UIDL|X-Status|X-Keywords):[^\r\n]*\r\n"
                           rb"(?:[ \t][^\r\n]*\r\n)*", re.IGNORECASE | re.MULTILINE)


def without_added_headers(message):
    """The message without the header fields an mbox server keeps its state in
    (the corpus has none of them)."""
    head, sep, body = message.partition(b"\r\n\r\n")
    return ADDED_HEADERS.sub(b"", head + b"\r\n")[:-2] + sep + body


def check_imap(c, env, manifest):
    ctx = ssl.create_default_context(cafile=env["TANDEM_KIT_CA_CERT"])
    login, password = env["TANDEM_KIT_LOGIN1"], env["TANDEM_KIT_PASSWORD1"]
    hidden = set(env.get("TANDEM_KIT_CAPABILITIES_HIDDEN", "").split())
    prefix, delimiter = env["TANDEM_KIT_FOLDER_PREFIX"], env["TANDEM_KIT_DELIMITER"]
    host = env["TANDEM_KIT_HOST"]

    m = imaplib.IMAP4("127.0.0.1", int(env["TANDEM_KIT_IMAP_PORT"]), timeout=30)
    before = {cap.upper() for cap in m.capabilities}
    print(f"  imap greeting: {m.welcome.decode(errors='replace')}")
    print(f"  imap before STARTTLS: {' '.join(m.capabilities)}")
    c.check("STARTTLS" in before, "plain IMAP port advertises STARTTLS")
    m.starttls(ssl.create_default_context(cafile=env["TANDEM_KIT_CA_CERT"]))
    after_tls = {cap.upper() for cap in m.capabilities}
    print(f"  imap after STARTTLS: {' '.join(sorted(after_tls))}")
    c.check("STARTTLS" not in after_tls, "STARTTLS no longer advertised after TLS")
    typ, data = m.login(login, password)
    c.check(typ == "OK", f"IMAP login as {login} after STARTTLS")
    after = caps(m.capability()[1])
    print(f"  imap after login (STARTTLS session): {' '.join(sorted(after))}")
    m.logout()

    m = imaplib.IMAP4_SSL(host, int(env["TANDEM_KIT_IMAPS_PORT"]), ssl_context=ctx, timeout=30)
    pre = {cap.upper() for cap in m.capabilities}
    print(f"  imaps before login: {' '.join(m.capabilities)}")
    typ, _ = m.login(login, password)
    c.check(typ == "OK", f"IMAPS login as {login}")
    post = caps(m.capability()[1])
    print(f"  imaps after login: {' '.join(sorted(post))}")
    c.check("IMAP4REV1" in post, "IMAP4rev1 advertised")
    seen_hidden = hidden & (before | after_tls | after | pre | post)
    c.check(not seen_hidden, f"none of the {len(hidden)} hidden capabilities advertised"
            + (f" (advertised: {' '.join(sorted(seen_hidden))})" if seen_hidden else ""))

    typ, data = m.namespace()
    ns = data[0].decode()
    expected_ns = f'(("{prefix}" "{delimiter}"))'
    c.check(ns.startswith(expected_ns), f"NAMESPACE personal is {expected_ns} (server: {ns})")

    typ, data = m.list()
    listed = {}
    for line in data:
        match = re.match(rb'\(([^)]*)\) (NIL|"((?:[^"\\]|\\.)*)") (.*)$', line)
        if not match:
            c.check(False, f"LIST line parses: {line!r}")
            continue
        name = match.group(4).decode()
        if name.startswith('"'):
            name = name[1:-1]
        listed[name] = (match.group(1).decode(), match.group(3).decode() if match.group(3) is not None else None)
    print(f"  LIST: {', '.join(f'{n} ({a}; {d!r})' for n, (a, d) in listed.items())}")
    for folder in manifest["folders"]:
        present = folder in listed
        c.check(present, f"LIST shows {folder}")
        if present and folder != "INBOX":
            c.check(listed[folder][1] == delimiter, f"{folder} has delimiter {delimiter!r}")
        if folder != "INBOX":
            c.check(folder.startswith(prefix), f"{folder} carries the prefix {prefix!r}")
    if "INBOX" in listed and listed["INBOX"][1] != delimiter:
        c.note(f"INBOX is listed with delimiter {listed['INBOX'][1]!r}, not {delimiter!r}")

    exact, differs = 0, []
    for folder, entries in manifest["folders"].items():
        typ, data = m.select(f'"{folder}"', readonly=True)
        c.check(typ == "OK" and int(data[0]) == len(entries), f"{folder}: {len(entries)} messages (server: {data[0]!r})")
        # Every message of the first folders, the first one of the big ones.
        count = len(entries) if folder == "INBOX" or len(entries) <= 50 else 1
        typ, data = m.fetch(f"1:{count}", "(RFC822.SIZE BODY.PEEK[])")
        bodies = [part for part in data if isinstance(part, tuple)]
        for n, (head, body) in enumerate(bodies):
            entry = entries[n]
            size = int(re.search(rb"RFC822\.SIZE (\d+)", head).group(1))
            if hashlib.sha256(body).hexdigest() == entry["sha256"] and size == entry["size"] == len(body):
                exact += 1
            else:
                differs.append((folder, n + 1, entry, body, size))
    total = exact + len(differs)
    if env["TANDEM_KIT_SERVER"] == "mailutils":
        c.note(f"FETCH BODY.PEEK[]: {exact} of {total} messages match the manifest's sha256 and size")
    else:
        c.check(not differs, f"FETCH BODY.PEEK[] of {total} messages matches the manifest's sha256 and size")
    if differs:
        folder, n, entry, body, size = differs[0]
        message_id = re.search(rb"(?im)^Message-ID:\s*<([^>]*)>", body)
        added = [h for h in (b"Status", b"X-UID", b"X-IMAPbase", b"X-UIDL")
                 if re.search(rb"(?im)^" + h + rb":", body)]
        c.note(f"first difference {folder} #{n}: size {len(body)} (RFC822.SIZE {size}) vs manifest {entry['size']}; "
               f"Message-ID {'matches' if message_id and message_id.group(1).decode() == entry['message_id'] else 'differs'}; "
               f"headers the server added: {b' '.join(added).decode() or 'none'}")
    if differs and env["TANDEM_KIT_SERVER"] == "mailutils":
        restored = sum(1 for folder, n, entry, body, size in differs
                       if hashlib.sha256(without_added_headers(body)).hexdigest() == entry["sha256"])
        c.check(exact + restored == total, f"{exact + restored} of {total} match the manifest's sha256 once the "
                f"headers Mailutils adds (Status, X-UID, X-IMAPbase, X-UIDL) are taken out")
    m.logout()


def check_rewrite(c, env, manifest):
    """Mailutils keeps its state (UIDs, flags) in mbox headers it writes into
    the messages: how INBOX #1 looks after each kind of session (the POP3 one of
    check_pop3 has already ended when this runs)."""
    entry = manifest["folders"]["INBOX"][0]
    ctx = ssl.create_default_context(cafile=env["TANDEM_KIT_CA_CERT"])

    def imap():
        m = imaplib.IMAP4_SSL(env["TANDEM_KIT_HOST"], int(env["TANDEM_KIT_IMAPS_PORT"]), ssl_context=ctx)
        m.login(env["TANDEM_KIT_LOGIN1"], env["TANDEM_KIT_PASSWORD1"])
        return m

    def first(m, when):
        head, body = m.fetch("1", "(RFC822.SIZE BODY.PEEK[])")[1][0]
        size = int(re.search(rb"RFC822\.SIZE (\d+)", head).group(1))
        same = hashlib.sha256(body).hexdigest() == entry["sha256"]
        restored = hashlib.sha256(without_added_headers(body)).hexdigest() == entry["sha256"]
        added = [h.decode() for h in (b"Status", b"X-UID", b"X-IMAPbase", b"X-UIDL")
                 if re.search(rb"(?im)^" + h + rb":", body.split(b"\r\n\r\n", 1)[0])]
        c.note(f"INBOX #1 {when}: {len(body)} octets (RFC822.SIZE {size}, manifest {entry['size']}), sha256 "
               f"{'matches' if same else 'differs'}; headers added: {' '.join(added) or 'none'}")
        c.check(same or restored, f"INBOX #1 {when} equals the manifest's bytes apart from Mailutils' own headers")

    def examined(when):
        m = imap()
        m.select("INBOX", readonly=True)
        first(m, when)
        m.logout()

    if "TANDEM_KIT_POP3S_PORT" in env:
        examined("after the POP3 sessions (STAT, LIST, RETR; QUIT)")
    m = imap()
    m.select("INBOX")
    first(m, "in a read-write SELECT")
    typ, data = m.fetch("2", "(FLAGS BODY[])")
    c.note(f"read-write FETCH 2 (FLAGS BODY[]) that sets \\Seen answers: {data[0][0].decode(errors='replace')}")
    m.logout()
    examined("after that read-write session")
    if "TANDEM_KIT_POP3S_PORT" in env:
        p = poplib.POP3_SSL(env["TANDEM_KIT_HOST"], int(env["TANDEM_KIT_POP3S_PORT"]), context=ctx)
        p.user(env["TANDEM_KIT_LOGIN1"])
        p.pass_(env["TANDEM_KIT_PASSWORD1"])
        p.uidl()
        p.quit()
        examined("after a POP3 session with UIDL")


def check_pop3(c, env, manifest):
    if "TANDEM_KIT_POP3S_PORT" not in env:
        c.note("no POP3 in this kit (TANDEM_KIT_POP3*_PORT absent)")
        return
    ctx = ssl.create_default_context(cafile=env["TANDEM_KIT_CA_CERT"])
    login, password = env["TANDEM_KIT_LOGIN1"], env["TANDEM_KIT_PASSWORD1"]
    inbox = manifest["folders"].get("INBOX", [])
    p = poplib.POP3_SSL(env["TANDEM_KIT_HOST"], int(env["TANDEM_KIT_POP3S_PORT"]), context=ctx, timeout=30)
    print(f"  pop3s greeting: {p.getwelcome().decode(errors='replace')}; CAPA {' '.join(p.capa())}")
    p.user(login)
    c.check(p.pass_(password).startswith(b"+OK"), f"POP3S login as {login}")
    count, _ = p.stat()
    listing = p.list()[1]
    c.check(count == len(inbox) == len(listing), f"POP3 STAT/LIST: {len(inbox)} INBOX messages (server: {count}, {len(listing)})")
    if inbox:
        lines = p.retr(1)[1]
        body = b"\r\n".join(lines) + b"\r\n"
        same = hashlib.sha256(body).hexdigest() == inbox[0]["sha256"]
        if env["TANDEM_KIT_SERVER"] == "mailutils":
            c.note(f"POP3 RETR 1 {'matches' if same else 'does not match'} the manifest's sha256 ({len(body)} vs {inbox[0]['size']} octets)")
        else:
            c.check(same, "POP3 RETR 1 matches the manifest's sha256")
    p.quit()
    p = poplib.POP3(env["TANDEM_KIT_HOST"], int(env["TANDEM_KIT_POP3_PORT"]), timeout=30)
    c.check("STLS" in p.capa(), "plain POP3 port advertises STLS")
    p.stls(ctx)
    p.user(login)
    c.check(p.pass_(password).startswith(b"+OK"), "POP3 login after STLS")
    c.check(p.stat()[0] == len(inbox), "POP3 after STLS sees the INBOX count")
    p.quit()


class Raw:
    """A bare IMAP session over implicit TLS, for commands imaplib would refuse to send."""

    def __init__(self, env):
        ctx = ssl.create_default_context(cafile=env["TANDEM_KIT_CA_CERT"])
        sock = socket.create_connection((env["TANDEM_KIT_HOST"], int(env["TANDEM_KIT_IMAPS_PORT"])), timeout=10)
        self.s = ctx.wrap_socket(sock, server_hostname=env["TANDEM_KIT_HOST"])
        self.f = self.s.makefile("rb")
        self.n = 0
        self.f.readline()

    def cmd(self, text, literal=None, sync=True):
        """Sends a command (with one literal: synchronizing, or LITERAL+ when sync is
        False) and returns (tagged status line, untagged lines)."""
        self.n += 1
        tag = f"P{self.n}"
        untagged = []
        if literal is None:
            self.s.sendall(f"{tag} {text}\r\n".encode())
        else:
            self.s.sendall(f"{tag} {text} {{{len(literal)}{'' if sync else '+'}}}\r\n".encode())
            if sync:
                line = self.f.readline()
                if not line.startswith(b"+"):
                    return line.decode(errors="replace").strip(), untagged
            self.s.sendall(literal + b"\r\n")
        while True:
            line = self.f.readline()
            if not line:
                return "(connection closed)", untagged
            if line.startswith(tag.encode() + b" "):
                return line.decode(errors="replace").strip(), untagged
            untagged.append(line.decode(errors="replace").strip())

    def close(self):
        try:
            self.cmd("LOGOUT")
        except OSError:
            pass
        self.s.close()


def probe(env):
    """What the server does with what it may not advertise; reported only."""
    login, password = env["TANDEM_KIT_LOGIN2"], env["TANDEM_KIT_PASSWORD2"]
    r = Raw(env)
    sasl = base64.b64encode(f"\0{login}\0{password}".encode()).decode()
    print(f"  probe AUTHENTICATE PLAIN with initial response (SASL-IR): {r.cmd('AUTHENTICATE PLAIN ' + sasl)[0]}")
    r.close()
    r = Raw(env)
    r.s.sendall(b"P0 AUTHENTICATE PLAIN\r\n")
    r.f.readline()  # the empty continuation
    r.s.sendall(sasl.encode() + b"\r\n")
    status = r.f.readline().decode(errors="replace").strip()
    print(f"  probe AUTHENTICATE PLAIN without SASL-IR: {status}")
    if status.split()[1] != "OK":
        status = r.cmd(f'LOGIN "{login}" "{password}"')[0]
        print(f"  probe LOGIN: {status}")
    prefix = env["TANDEM_KIT_FOLDER_PREFIX"]
    target = f"{prefix}Probe"
    print(f"  probe CREATE {target}: {r.cmd(f'CREATE {target}')[0]}")
    message = b"From: a@example.org\r\nTo: b@example.org\r\nSubject: probe\r\n\r\nprobe\r\n"
    print(f"  probe APPEND (synchronizing literal): {r.cmd('APPEND INBOX', message)[0]}")
    print(f"  probe APPEND with LITERAL+ ({{n+}}): {r.cmd('APPEND INBOX', message, sync=False)[0]}")
    status, untagged = r.cmd("SELECT INBOX")
    print(f"  probe SELECT INBOX: {status}; {' | '.join(u for u in untagged if 'OK [' in u or 'EXISTS' in u)}")
    for text in ("ENABLE CONDSTORE", "UID FETCH 1 (MODSEQ)", "UID SEARCH RETURN (ALL) ALL", "UID SORT (DATE) UTF-8 ALL",
                 'LIST "" "*" RETURN (STATUS (MESSAGES))', 'LIST (SPECIAL-USE) "" "*"',
                 f"UID MOVE 1 {target}", "UID EXPUNGE 2", "UNSELECT", "ID NIL", "NAMESPACE"):
        status, untagged = r.cmd(text)
        extra = "; ".join(untagged[:3])
        print(f"  probe {text}: {status}{' <- ' + extra if extra else ''}")
    print(f"  probe DELETE {target}: {r.cmd(f'DELETE {target}')[0]}")
    r.close()


def check_profile(profile, corpus, base, do_probe):
    c = Checker(profile)
    d = f"{base}-{profile}"
    print(f"== {profile} (corpus {corpus}) in {d}")
    t0 = time.monotonic()
    result = subprocess.run([PYTHON, KIT, "start", "--dir", d, "--profile", profile, "--corpus", corpus],
                            capture_output=True, text=True)
    elapsed = time.monotonic() - t0
    print(f"  start: {elapsed:.2f} s, exit {result.returncode}: {(result.stdout + result.stderr).strip()}")
    if not c.check(result.returncode == 0, "kit.py start"):
        return c.failures
    try:
        env = read_env(f"{d}/kit.env")
        print("  kit.env (new keys): " + ", ".join(
            f"{k}={env[k]!r}" for k in env if k in ("TANDEM_KIT_SERVER", "TANDEM_KIT_FOLDER_PREFIX",
                                                     "TANDEM_KIT_DELIMITER", "TANDEM_KIT_LOGIN1")))
        for key in ("TANDEM_KIT_SERVER", "TANDEM_KIT_FOLDER_PREFIX", "TANDEM_KIT_DELIMITER", "TANDEM_KIT_CA_CERT",
                    "TANDEM_KIT_IMAP_PORT", "TANDEM_KIT_IMAPS_PORT", "TANDEM_KIT_SMTP_PORT", "TANDEM_KIT_SMTPS_PORT",
                    "TANDEM_KIT_SMTP_STORE", "TANDEM_KIT_CORPUS_MANIFEST", "TANDEM_KIT_USER1", "TANDEM_KIT_LOGIN1",
                    "TANDEM_KIT_PASSWORD1"):
            c.check(key in env, f"kit.env has {key}")
        if env.get("TANDEM_KIT_SERVER") == "dovecot":
            for key in ("TANDEM_KIT_SUBMISSION_PORT", "TANDEM_KIT_DOVECOT_CONF", "TANDEM_KIT_ANVIL_SOCKET",
                        "TANDEM_KIT_MAX_USERIP_CONNECTIONS", "TANDEM_KIT_POP3S_PORT"):
                c.check(key in env, f"kit.env has {key}")
        with open(env["TANDEM_KIT_CORPUS_MANIFEST"]) as f:
            manifest = json.load(f)
        check_imap(c, env, manifest)
        check_pop3(c, env, manifest)
        if env["TANDEM_KIT_SERVER"] == "mailutils" and manifest["folders"].get("INBOX"):
            check_rewrite(c, env, manifest)
        if do_probe:
            probe(env)
    except Exception as e:  # noqa: BLE001 - any surprise is a failed check, then stop anyway
        c.check(False, f"unexpected {type(e).__name__}: {e}")
    finally:
        roots = recorded_pids(d)
        before = kit_processes(d, roots)
        subprocess.run([PYTHON, KIT, "stop", "--dir", d], capture_output=True, text=True)
        time.sleep(0.2)
        left = {pid: cmd for pid, cmd in kit_processes(d, set()).items()}
        left.update({pid: cmd for pid, cmd in before.items() if os.path.exists(f"/proc/{pid}")})
        c.check(not left, f"no process left after stop ({len(before)} before)"
                + (f": {left}" if left else ""))
    return c.failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", action="append", choices=PROFILES, help="default: every profile")
    parser.add_argument("--corpus", choices=["tiny", "small"], default="small")
    parser.add_argument("--base", default="/tmp/kitprof-check", help="kit folders are BASE-PROFILE")
    parser.add_argument("--probe", action="store_true", help="also try commands the server may not advertise")
    args = parser.parse_args()
    failed = {}
    for profile in args.profile or PROFILES:
        failures = check_profile(profile, args.corpus, args.base, args.probe)
        if failures:
            failed[profile] = failures
    for profile, failures in failed.items():
        print(f"check_profiles: {profile}: {len(failures)} failed: {'; '.join(failures)}", file=sys.stderr)
    print("check_profiles: all passed" if not failed else "check_profiles: FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
