#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""Tandem's test-server kit: a throw-away Dovecot (IMAP, IMAPS, POP3, POP3S,
submission) and an SMTP server that stores what it receives, on free loopback
ports, from one folder.

    kit.py start --dir DIR [--profile PROFILE] [--corpus none|tiny|small|bench]
    kit.py stop  --dir DIR

Profiles (servers that behave like poorer or different ones):
    pooled         Dovecot, 200 connections per user and IP, "/" as separator (the default)
    default-limit  Dovecot with its default limit of 10 connections per user and IP
    trimmed        Dovecot advertising only a small IMAP capability list
                   (TANDEM_KIT_CAPABILITIES_HIDDEN names what is gone) and no
                   special-use folder attributes
    condstore      Dovecot advertising all it offers but QRESYNC (CONDSTORE kept):
                   a client's CONDSTORE-only paths against a real server
    dotted         Dovecot with the personal namespace under "INBOX." and "." as
                   separator (Courier/Cyrus style: folders are INBOX.Work ...)
    pop3-locked    Dovecot with pop3_lock_session = yes: one POP3 session per
                   maildrop at a time, a second login gets -ERR [IN-USE]
    mailutils      GNU Mailutils imap4d and pop3d with mbox mailboxes; users log
                   in as user@localhost (TANDEM_KIT_LOGIN<n>); no submission
                   service, no anvil socket, no Dovecot configuration; POP3
                   only when started as root (pop3d insists on group mail)

The corpus manifest names folders as the server in that profile does (INBOX
stays INBOX; INBOX.Work under `dotted`) and says so in its folder_prefix and
delimiter keys. kit.env says which server runs (TANDEM_KIT_SERVER), its
personal namespace (TANDEM_KIT_FOLDER_PREFIX, TANDEM_KIT_DELIMITER), the login
name of user n (TANDEM_KIT_LOGIN<n>, in every profile) and, for `trimmed`,
`condstore` and `mailutils`, what a client must not expect
(TANDEM_KIT_CAPABILITIES_HIDDEN).
Keys a profile's server cannot back are left out (see `mailutils` above).
tools/testkit/check_profiles.py checks every profile from the outside.

`start` writes DIR/kit.env (KEY=VALUE lines, shell-sourceable) with the ports,
users, CA certificate and SMTP store, and returns once every service answers and
the corpus is imported. It works as root and as an ordinary user; it never
touches the system's Dovecot. Any failure is an exit code other than 0 with the
reason on stderr (and Dovecot's log printed), so CI fails instead of skipping.
"""
import argparse
import grp
import imaplib
import json
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mailutils  # noqa: E402 - the kit's own module beside this file
PYTHON = "/usr/bin/python3"  # aiosmtpd is a Debian package; python3 on PATH may be another interpreter

# The kit's users: (name, password). Index 1 gets the corpus; the others start empty.
USERS = [("alice", "alice-Secret-1"), ("bob", "bob-Secret-2"), ("carol", "carol-Secret-3")]

# What Dovecot 2.3.19 advertises under `trimmed`, before and after login
# (plus STARTTLS and AUTH= before it): what almost every IMAP server offers, so a
# client that needs more than this needs a fallback.
TRIMMED_CAPABILITY = "IMAP4rev1 LOGIN-REFERRALS ID ENABLE IDLE NAMESPACE UNSELECT CHILDREN SORT"
# What the kit's pooled Dovecot advertises after login and `trimmed` does not,
# plus LITERAL- (which Dovecot offers instead of LITERAL+ when so configured).
TRIMMED_HIDDEN = [
    "MOVE", "UIDPLUS", "LITERAL+", "LITERAL-", "ESEARCH", "LIST-STATUS", "SPECIAL-USE", "CONDSTORE",
    "QRESYNC", "SASL-IR", "ESORT", "LIST-EXTENDED", "CONTEXT=SEARCH", "SEARCHRES", "WITHIN", "BINARY",
    "MULTIAPPEND", "CATENATE", "URL-PARTIAL", "SORT=DISPLAY", "THREAD=REFERENCES", "THREAD=REFS",
    "THREAD=ORDEREDSUBJECT", "I18NLEVEL=1", "SNIPPET=FUZZY", "PREVIEW=FUZZY", "PREVIEW", "STATUS=SIZE",
    "SAVEDATE", "NOTIFY",
]

# What the kit's pooled Dovecot advertises after login, but QRESYNC: a server
# with CONDSTORE alone (its pre-login list is the same plus STARTTLS and AUTH=).
CONDSTORE_CAPABILITY = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS "
    "THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED "
    "I18NLEVEL=1 CONDSTORE ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY "
    "PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE"
)

# server: dovecot or mailutils. max_conn: Dovecot's mail_max_userip_connections;
# "pooled" lets a pool open many connections, "default-limit" keeps Dovecot's
# default of 10 (B05 in docs/POOL.md). prefix/delimiter: the personal namespace.
# pop3_lock: Dovecot's pop3_lock_session (a second POP3 session is refused).
PROFILES = {
    "pooled": {"server": "dovecot", "max_conn": 200, "prefix": "", "delimiter": "/"},
    "default-limit": {"server": "dovecot", "max_conn": 10, "prefix": "", "delimiter": "/"},
    "trimmed": {"server": "dovecot", "max_conn": 200, "prefix": "", "delimiter": "/",
                "capability": TRIMMED_CAPABILITY, "hidden": TRIMMED_HIDDEN},
    "condstore": {"server": "dovecot", "max_conn": 200, "prefix": "", "delimiter": "/",
                  "capability": CONDSTORE_CAPABILITY, "hidden": ["QRESYNC"]},
    "dotted": {"server": "dovecot", "max_conn": 200, "prefix": "INBOX.", "delimiter": "."},
    "pop3-locked": {"server": "dovecot", "max_conn": 200, "prefix": "", "delimiter": "/", "pop3_lock": True},
    "mailutils": {"server": "mailutils", "prefix": "", "delimiter": "/",
                  "hidden": mailutils.HIDDEN_CAPABILITIES},
}

# Short-lived children of this process that must not outlive a failed start.
HELPERS = []

SERVICES = ["imap", "imaps", "pop3", "pop3s", "submission", "submissions", "smtp", "smtps", "smtp_relay"]


def die(message):
    print(f"kit: {message}", file=sys.stderr)
    sys.exit(1)


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        die(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result


class PortTaken(Exception):
    """A port free_ports() gave was bound by another process before our server
    bound it (two kits starting at once, as CTest's fixtures do, can be handed
    the same port one after the other)."""


def free_ports(count):
    """Ports the kernel hands out for port 0, all held at once so they differ."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def make_certificates(tls_dir):
    """A throw-away CA and a server certificate for localhost/127.0.0.1 signed by it."""
    os.makedirs(tls_dir, exist_ok=True)
    ca_key, ca_crt = f"{tls_dir}/ca.key", f"{tls_dir}/ca.crt"
    key, csr, crt = f"{tls_dir}/server.key", f"{tls_dir}/server.csr", f"{tls_dir}/server.crt"
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run(["openssl", "req", "-x509", *ec, "-keyout", ca_key, "-out", ca_crt, "-days", "30",
         "-subj", "/CN=Tandem Test Kit CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    run(["openssl", "req", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=localhost"])
    ext = f"{tls_dir}/server.ext"
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    run(["openssl", "x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial",
         "-out", crt, "-days", "30", "-extfile", ext])
    for path in (key, ca_key):
        os.chmod(path, 0o644)  # Dovecot reads it as root before dropping; the folder is private enough
    return ca_crt, crt, key


def identity():
    """Who Dovecot's processes run as, and which uid owns the mail."""
    if os.geteuid() == 0:
        return {"internal_user": "dovecot", "login_user": "dovenull", "internal_group": None,
                "mail_uid": 65534, "mail_gid": 65534, "root": True}
    user = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    return {"internal_user": user, "login_user": user, "internal_group": group,
            "mail_uid": os.geteuid(), "mail_gid": os.getegid(), "root": False}


def dovecot_config(d, ports, who, profile, cert, key):
    max_conn = profile["max_conn"]
    chroot = "" if who["root"] else "  chroot =\n"
    group = f"default_internal_group = {who['internal_group']}\n" if who["internal_group"] else ""
    # A server without SPECIAL-USE has the same folders but does not mark them.
    attribute = "" if "SPECIAL-USE" in profile.get("hidden", ()) else "    special_use = \\{name}\n"
    special_use = "".join(f"  mailbox {name} {{\n{attribute.format(name=name)}    auto = subscribe\n  }}\n"
                          for name in ("Sent", "Drafts", "Trash", "Junk", "Archive"))
    # Without a + the list replaces Dovecot's own, in the greeting and in CAPABILITY before
    # and after login, and Dovecot then adds neither SASL-IR nor LITERAL+ itself.
    capability = f"imap_capability = {profile['capability']}\n" if profile.get("capability") else ""
    prefix = f"  prefix = {profile['prefix']}\n" if profile["prefix"] else ""
    # A maildrop locked for the whole POP3 session, as some servers in the wild do.
    lock = {"pop3": "  pop3_lock_session = yes\n"} if profile.get("pop3_lock") else {}
    protocols = "".join(f"protocol {name} {{\n  mail_max_userip_connections = {max_conn}\n{lock.get(name, '')}}}\n"
                        for name in ("imap", "pop3"))

    def login(service, extra=""):
        """A login service with its plain (STARTTLS) listener and its implicit-TLS one."""
        plain, tls = service, service + "s"
        return (f"service {service}-login {{\n"
                f"  inet_listener {plain} {{\n    port = {ports[plain]}\n  }}\n"
                f"  inet_listener {tls} {{\n    port = {ports[tls]}\n    ssl = yes\n  }}\n"
                f"{extra}{chroot}}}\n")

    imap_login = login("imap", "  # One long-lived login process serves many TLS logins (the default allows ~100).\n"
                               "  service_count = 0\n  process_min_avail = 2\n")
    pop3_login = login("pop3", "  service_count = 0\n")
    return f"""# Generated by tools/testkit/kit.py; thrown away with its folder.
instance_name = tandem-kit-{ports['imap']}
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/log/dovecot.log
listen = 127.0.0.1
protocols = imap pop3 submission
default_internal_user = {who['internal_user']}
default_login_user = {who['login_user']}
{group}
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain login
{capability}# Loopback is trusted so failed-login tests don't slow every later login.
login_trusted_networks = 127.0.0.0/8
auth_failure_delay = 0 secs
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {d}/users
}}
mail_location = maildir:~/Maildir
mail_fsync = never
first_valid_uid = 1
namespace inbox {{
  inbox = yes
  separator = {profile['delimiter']}
{prefix}{special_use}}}
{protocols}pop3_uidl_format = %08Xv%08Xu
hostname = localhost
submission_relay_host = 127.0.0.1
submission_relay_port = {ports['smtp_relay']}
submission_relay_trusted = yes
{imap_login}{pop3_login}{login("submission")}service anvil {{
{chroot}}}
service imap {{
  process_limit = 1024
}}
service pop3 {{
  process_limit = 1024
}}
"""


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception as e:  # noqa: BLE001 - any failure means "not yet"
            last = e
        time.sleep(0.1)
    die(f"{what} did not come up within {seconds} s (last error: {last})")


def tls_context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    return ctx


def imap_login_works(port, ca, user, password):
    with imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls_context(ca), timeout=5) as m:
        m.login(user, password)
        m.logout()
    return True


def smtp_answers(port):
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        return s.recv(100).startswith(b"220")


def pop3_answers(port):
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        return s.recv(100).startswith(b"+OK")


def start_corpus(d, corpus):
    """Starts generating the deterministic corpus (mbox files and manifest) in
    DIR/corpus; it takes longer than starting the servers, so both run at once."""
    gen = os.path.join(HERE, "make_corpus.py")
    cmd = [PYTHON, gen, "--out", f"{d}/corpus", "--seed", "20261124", "--profile", corpus]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    HELPERS.append(proc)
    return cmd, proc


def finish_corpus(d, generator):
    cmd, proc = generator
    output = proc.communicate()[0]
    if proc.returncode != 0:
        die(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output}")
    out = f"{d}/corpus"
    # doveadm imports as the mail user and writes its index beside the mbox
    # files, so that user must own the corpus folder.
    who = identity()
    for root, dirs, files in os.walk(out):
        os.chmod(root, 0o755)
        if who["root"]:
            os.chown(root, who["mail_uid"], who["mail_gid"])
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)
            if who["root"]:
                os.chown(os.path.join(root, f), who["mail_uid"], who["mail_gid"])
    with open(f"{out}/manifest.json") as f:
        manifest = json.load(f)
    return out, manifest


def import_corpus(conf, out, user, profile):
    """Imports the corpus' mbox folders with doveadm."""
    mbox = f"{out}/mbox"
    source = ["-s", f"mbox:{mbox}:INBOX={mbox}/INBOX"]
    if not profile["prefix"]:
        run(["doveadm", "-c", conf, "import", "-u", user, *source, "", "ALL"])
        return
    # Under a prefix a folder's name must carry it, or no namespace takes it:
    # the other folders go below INBOX (INBOX.Work), INBOX itself stays INBOX.
    run(["doveadm", "-c", conf, "import", "-u", user, *source, "", "MAILBOX", "INBOX"])
    parent = profile["prefix"][:-len(profile["delimiter"])]
    run(["doveadm", "-c", conf, "import", "-u", user, *source, parent, "NOT", "MAILBOX", "INBOX"])


def name_folders_as_server(manifest_path, manifest, profile):
    """Rewrites the manifest so its folder names are the server's (INBOX.Work
    under `dotted`); INBOX stays INBOX. The corpus' own names never contain a
    delimiter, so only the prefix changes."""
    manifest["folders"] = {name if name == "INBOX" else profile["prefix"] + name: entries
                           for name, entries in manifest["folders"].items()}
    manifest["folder_prefix"] = profile["prefix"]
    manifest["delimiter"] = profile["delimiter"]
    tmp = manifest_path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, manifest_path)


def verify_import(port, ca, user, password, manifest):
    """Every folder of the manifest holds exactly its number of messages."""
    with imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls_context(ca), timeout=30) as m:
        m.login(user, password)
        for folder, messages in manifest["folders"].items():
            typ, data = m.select(f'"{folder}"', readonly=True)
            if typ != "OK" or int(data[0]) != len(messages):
                die(f"folder {folder}: expected {len(messages)} messages after import, server says {typ} {data}")
        m.logout()


def stop(d):
    stopped = False
    # Mailutils' servers fork a child per connection and were started as the
    # leaders of their own process group: the whole group goes.
    for pid_file, group in ((f"{d}/run/master.pid", False), (f"{d}/imap4d.pid", True),
                            (f"{d}/pop3d.pid", True), (f"{d}/smtp.pid", False)):
        try:
            with open(pid_file) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            continue
        kill = os.killpg if group else os.kill
        try:
            kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(100):  # up to 10 s for a clean exit
            try:
                kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            try:
                kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if group:
            os.remove(pid_file)  # a later stop must not signal a group that reused the id
        stopped = True
    return stopped


def start_dovecot(d, ports, who, profile, cert, key):
    with open(f"{d}/users", "w") as f:
        for name, password in USERS:
            home = f"{d}/mail/{name}"
            os.makedirs(home, exist_ok=True)  # a second try after PortTaken
            if who["root"]:
                os.chown(home, who["mail_uid"], who["mail_gid"])
            f.write(f"{name}:{{PLAIN}}{password}:{who['mail_uid']}:{who['mail_gid']}::{home}::\n")
    os.chmod(f"{d}/users", 0o644)
    if who["root"]:
        os.chown(f"{d}/mail", who["mail_uid"], who["mail_gid"])

    conf = f"{d}/dovecot.conf"
    with open(conf, "w") as f:
        f.write(dovecot_config(d, ports, who, profile, cert, key))

    dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
    # Dovecot daemonizes; its children inherit our stdout, so it goes to a file
    # (a pipe would never see EOF and this call would never return).
    with open(f"{d}/log/dovecot-start.log", "w") as log:
        code = subprocess.call([dovecot, "-c", conf], stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    if code != 0:
        stop(d)
        with open(f"{d}/log/dovecot-start.log") as log:
            text = log.read()
        if "Address already in use" in text:
            raise PortTaken(text.strip())
        die(f"Dovecot did not start:\n{text}{dovecot_log(d)}")
    return conf


def start_mailutils(d, ports, who, cert, key, corpus_dir, manifest):
    """Mailutils reads the mbox files as they are, so they are written before it starts."""
    mailutils.write_users(d, USERS, who)
    if corpus_dir:
        mailutils.import_corpus(d, f"{corpus_dir}/mbox", manifest["folders"], USERS[0][0])
    mailutils.own_mail(d, who)
    confs = mailutils.write_configs(d, ports, cert, key)
    mailutils.start_server(d, "imap4d", confs["imap4d"], who)
    if mailutils.pop3d_can_run(who):
        mailutils.start_server(d, "pop3d", confs["pop3d"], who)
        return True
    return False


def start_smtp(d, ports, logins, cert, key):
    """The kit's SMTP server (smtp_server.py) on ports["smtp"], ["smtps"] and ["smtp_relay"]."""
    smtp_users = dict(USERS)
    # The SMTP server also takes the IMAP login name, so one account setting serves both.
    smtp_users.update({login: password for login, (_, password) in zip(logins, USERS)})
    smtp_config = {"store": f"{d}/smtp-store", "cert": cert, "key": key,
                   "users": smtp_users, "smtp_port": ports["smtp"], "smtps_port": ports["smtps"],
                   "relay_port": ports["smtp_relay"], "ready_file": f"{d}/smtp.pid"}
    with open(f"{d}/smtp.json", "w") as f:
        json.dump(smtp_config, f)
    with open(f"{d}/log/smtp.log", "w") as log:
        return subprocess.Popen([PYTHON, os.path.join(HERE, "smtp_server.py"), "--config", f"{d}/smtp.json"],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)


def start(args):
    d = os.path.abspath(args.dir)
    profile = PROFILES[args.profile]
    dovecot = profile["server"] == "dovecot"
    if os.path.isdir(d):
        stop(d)  # a previous run that was not stopped
        shutil.rmtree(d)
    for sub in ("run", "state", "log", "mail", "smtp-store"):
        os.makedirs(f"{d}/{sub}")
    os.chmod(d, 0o755)

    for tool in ("dovecot", "doveadm", "openssl") if dovecot else ("openssl",):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            die(f"{tool} is not installed: run tools/install-deps.sh")
    if not dovecot and mailutils.missing_tools():
        die(f"{' '.join(mailutils.missing_tools())} not installed: run tools/install-deps.sh")

    generator = start_corpus(d, args.corpus) if args.corpus != "none" else None
    who = identity()
    ca, cert, key = make_certificates(f"{d}/tls")
    logins = [name if dovecot else mailutils.login_name(name) for name, _ in USERS]

    corpus_dir, manifest = None, None
    conf, pop3 = None, True
    for attempt in range(1, 6):
        ports = dict(zip(SERVICES, free_ports(len(SERVICES))))
        smtp = start_smtp(d, ports, logins, cert, key)
        if not dovecot:
            break
        try:
            conf = start_dovecot(d, ports, who, profile, cert, key)
            break
        except PortTaken as taken:
            smtp.terminate()
            smtp.wait()
            if attempt == 5:
                die(f"Dovecot did not start: five sets of free ports were taken meanwhile:\n{taken}")
    if dovecot:
        server_log = dovecot_log
    else:
        if generator:
            corpus_dir, manifest = finish_corpus(d, generator)
        pop3 = start_mailutils(d, ports, who, cert, key, corpus_dir, manifest)
        server_log = mailutils.logs

    user, password = logins[0], USERS[0][1]
    try:
        wait_for(lambda: imap_login_works(ports["imaps"], ca, user, password), 30, "IMAPS login")
        wait_for(lambda: smtp_answers(ports["smtp"]), 15, "the SMTP server")
        if dovecot:
            wait_for(lambda: smtp_answers(ports["submission"]), 15, "Dovecot submission")
        elif pop3:
            wait_for(lambda: pop3_answers(ports["pop3"]), 15, "pop3d")
    except SystemExit:
        print(server_log(d), file=sys.stderr)
        stop(d)
        raise

    manifest_path = ""
    if args.corpus != "none":
        if dovecot:
            corpus_dir, manifest = finish_corpus(d, generator)
            import_corpus(conf, corpus_dir, user, profile)
        manifest_path = f"{corpus_dir}/manifest.json"
        name_folders_as_server(manifest_path, manifest, profile)
        verify_import(ports["imaps"], ca, user, password, manifest)

    env = {"TANDEM_KIT_DIR": d, "TANDEM_KIT_HOST": "127.0.0.1", "TANDEM_KIT_PROFILE": args.profile,
           "TANDEM_KIT_SERVER": profile["server"],
           "TANDEM_KIT_FOLDER_PREFIX": profile["prefix"], "TANDEM_KIT_DELIMITER": profile["delimiter"]}
    if "hidden" in profile:
        env["TANDEM_KIT_CAPABILITIES_HIDDEN"] = " ".join(profile["hidden"])
    if dovecot:
        env["TANDEM_KIT_MAX_USERIP_CONNECTIONS"] = str(profile["max_conn"])
    env["TANDEM_KIT_CA_CERT"] = ca
    if dovecot:
        env["TANDEM_KIT_DOVECOT_CONF"] = conf
        # Dovecot's connection counter (anvil): tests ask it how many sessions
        # a user holds without starting doveadm (a fork in a threaded test
        # process is what ThreadSanitizer cannot follow).
        env["TANDEM_KIT_ANVIL_SOCKET"] = f"{d}/run/anvil"
    env.update({"TANDEM_KIT_SMTP_STORE": f"{d}/smtp-store", "TANDEM_KIT_CORPUS": args.corpus,
                "TANDEM_KIT_CORPUS_MANIFEST": manifest_path})
    # Mailutils has no submission service, and pop3d may not be able to run.
    absent = set() if dovecot else {"submission", "submissions"} | (set() if pop3 else {"pop3", "pop3s"})
    for service, port in ports.items():
        if service not in absent:
            env[f"TANDEM_KIT_{service.upper()}_PORT"] = str(port)
    for i, ((name, password), login) in enumerate(zip(USERS, logins), start=1):
        env[f"TANDEM_KIT_USER{i}"] = name
        env[f"TANDEM_KIT_PASSWORD{i}"] = password
        # What IMAP, POP3 and SMTP take as the login: under Mailutils user@localhost.
        env[f"TANDEM_KIT_LOGIN{i}"] = login
    tmp = f"{d}/kit.env.tmp"
    with open(tmp, "w") as f:
        f.write("# Written by tools/testkit/kit.py start; read by tests and the demo.\n")
        for k, v in env.items():
            f.write(f"{k}='{v}'\n")
    os.rename(tmp, f"{d}/kit.env")  # readers never see a half-written file
    services = [f"IMAPS 127.0.0.1:{ports['imaps']}", f"IMAP {ports['imap']}"]
    if pop3:
        services += [f"POP3S {ports['pop3s']}", f"POP3 {ports['pop3']}"]
    if dovecot:
        services.append(f"submission {ports['submission']}")
    services.append(f"SMTP {ports['smtp']}")
    print(f"kit: {'Dovecot' if dovecot else 'Mailutils'} {', '.join(services)}; "
          f"profile {args.profile}, corpus {args.corpus}; env in {d}/kit.env")


def dovecot_log(d):
    try:
        with open(f"{d}/log/dovecot.log") as f:
            return "\n--- dovecot.log ---\n" + f.read()[-4000:]
    except OSError:
        return ""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start")
    p_start.add_argument("--dir", required=True)
    p_start.add_argument("--profile", choices=sorted(PROFILES), default="pooled")
    p_start.add_argument("--corpus", choices=["none", "tiny", "small", "bench"], default="small")
    p_stop = sub.add_parser("stop")
    p_stop.add_argument("--dir", required=True)
    args = parser.parse_args()
    if args.command == "start":
        try:
            start(args)
        finally:
            for proc in HELPERS:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    else:
        if os.path.isfile(f"{args.dir}/kit.env"):
            os.remove(f"{args.dir}/kit.env")
        print("kit: stopped" if stop(os.path.abspath(args.dir)) else "kit: nothing was running")


if __name__ == "__main__":
    main()
