#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""Tandem's test-server kit: a throw-away Dovecot (IMAP, IMAPS, POP3, POP3S,
submission) and an SMTP server that stores what it receives, on free loopback
ports, from one folder.

    kit.py start --dir DIR [--profile pooled|default-limit] [--corpus none|tiny|small|bench]
    kit.py stop  --dir DIR

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
PYTHON = "/usr/bin/python3"  # aiosmtpd is a Debian package; python3 on PATH may be another interpreter

# The kit's users: (name, password). Index 1 gets the corpus; the others start empty.
USERS = [("alice", "alice-Secret-1"), ("bob", "bob-Secret-2"), ("carol", "carol-Secret-3")]

# mail_max_userip_connections per profile: "pooled" lets a pool open many
# connections; "default-limit" keeps Dovecot's default of 10 (B05 in docs/POOL.md).
PROFILES = {"pooled": 200, "default-limit": 10}

SERVICES = ["imap", "imaps", "pop3", "pop3s", "submission", "submissions", "smtp", "smtps", "smtp_relay"]


def die(message):
    print(f"kit: {message}", file=sys.stderr)
    sys.exit(1)


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        die(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result


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


def dovecot_config(d, ports, who, max_conn, cert, key):
    chroot = "" if who["root"] else "  chroot =\n"
    group = f"default_internal_group = {who['internal_group']}\n" if who["internal_group"] else ""
    special_use = "".join(f"  mailbox {name} {{\n    special_use = \\{name}\n    auto = subscribe\n  }}\n"
                          for name in ("Sent", "Drafts", "Trash", "Junk", "Archive"))
    protocols = "".join(f"protocol {name} {{\n  mail_max_userip_connections = {max_conn}\n}}\n"
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
# Loopback is trusted so failed-login tests don't slow every later login.
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
  separator = /
{special_use}}}
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


def import_corpus(d, conf, corpus, user):
    """Generates the deterministic corpus and imports it with doveadm."""
    out = f"{d}/corpus"
    gen = os.path.join(HERE, "make_corpus.py")
    run([PYTHON, gen, "--out", out, "--seed", "20261124", "--profile", corpus])
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
    mbox = f"{out}/mbox"
    run(["doveadm", "-c", conf, "import", "-u", user, "-s", f"mbox:{mbox}:INBOX={mbox}/INBOX", "", "ALL"])
    with open(f"{out}/manifest.json") as f:
        manifest = json.load(f)
    return f"{out}/manifest.json", manifest


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
    for pid_file in (f"{d}/run/master.pid", f"{d}/smtp.pid"):
        try:
            with open(pid_file) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(100):  # up to 10 s for a clean exit
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
        stopped = True
    return stopped


def start(args):
    d = os.path.abspath(args.dir)
    if os.path.isdir(d):
        stop(d)  # a previous run that was not stopped
        shutil.rmtree(d)
    for sub in ("run", "state", "log", "mail", "smtp-store"):
        os.makedirs(f"{d}/{sub}")
    os.chmod(d, 0o755)

    for tool in ("dovecot", "doveadm", "openssl"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            die(f"{tool} is not installed: run tools/install-deps.sh")

    who = identity()
    ports = dict(zip(SERVICES, free_ports(len(SERVICES))))
    ca, cert, key = make_certificates(f"{d}/tls")

    with open(f"{d}/users", "w") as f:
        for name, password in USERS:
            home = f"{d}/mail/{name}"
            os.makedirs(home)
            if who["root"]:
                os.chown(home, who["mail_uid"], who["mail_gid"])
            f.write(f"{name}:{{PLAIN}}{password}:{who['mail_uid']}:{who['mail_gid']}::{home}::\n")
    os.chmod(f"{d}/users", 0o644)
    if who["root"]:
        os.chown(f"{d}/mail", who["mail_uid"], who["mail_gid"])

    conf = f"{d}/dovecot.conf"
    with open(conf, "w") as f:
        f.write(dovecot_config(d, ports, who, PROFILES[args.profile], cert, key))

    smtp_config = {"store": f"{d}/smtp-store", "cert": cert, "key": key,
                   "users": dict(USERS), "smtp_port": ports["smtp"], "smtps_port": ports["smtps"],
                   "relay_port": ports["smtp_relay"], "ready_file": f"{d}/smtp.pid"}
    with open(f"{d}/smtp.json", "w") as f:
        json.dump(smtp_config, f)
    with open(f"{d}/log/smtp.log", "w") as log:
        subprocess.Popen([PYTHON, os.path.join(HERE, "smtp_server.py"), "--config", f"{d}/smtp.json"],
                         stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True)

    dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
    # Dovecot daemonizes; its children inherit our stdout, so it goes to a file
    # (a pipe would never see EOF and this call would never return).
    with open(f"{d}/log/dovecot-start.log", "w") as log:
        code = subprocess.call([dovecot, "-c", conf], stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    if code != 0:
        stop(d)
        with open(f"{d}/log/dovecot-start.log") as log:
            die(f"Dovecot did not start:\n{log.read()}{dovecot_log(d)}")

    user, password = USERS[0]
    try:
        wait_for(lambda: imap_login_works(ports["imaps"], ca, user, password), 30, "Dovecot IMAPS login")
        wait_for(lambda: smtp_answers(ports["smtp"]), 15, "the SMTP server")
        wait_for(lambda: smtp_answers(ports["submission"]), 15, "Dovecot submission")
    except SystemExit:
        print(dovecot_log(d), file=sys.stderr)
        stop(d)
        raise

    manifest_path = ""
    if args.corpus != "none":
        manifest_path, manifest = import_corpus(d, conf, args.corpus, user)
        verify_import(ports["imaps"], ca, user, password, manifest)

    env = {"TANDEM_KIT_DIR": d, "TANDEM_KIT_HOST": "127.0.0.1", "TANDEM_KIT_PROFILE": args.profile,
           "TANDEM_KIT_MAX_USERIP_CONNECTIONS": str(PROFILES[args.profile]),
           "TANDEM_KIT_CA_CERT": ca, "TANDEM_KIT_DOVECOT_CONF": conf,
           # Dovecot's connection counter (anvil): tests ask it how many sessions
           # a user holds without starting doveadm (a fork in a threaded test
           # process is what ThreadSanitizer cannot follow).
           "TANDEM_KIT_ANVIL_SOCKET": f"{d}/run/anvil",
           "TANDEM_KIT_SMTP_STORE": f"{d}/smtp-store", "TANDEM_KIT_CORPUS": args.corpus,
           "TANDEM_KIT_CORPUS_MANIFEST": manifest_path}
    for service, port in ports.items():
        env[f"TANDEM_KIT_{service.upper()}_PORT"] = str(port)
    for i, (name, password) in enumerate(USERS, start=1):
        env[f"TANDEM_KIT_USER{i}"] = name
        env[f"TANDEM_KIT_PASSWORD{i}"] = password
    tmp = f"{d}/kit.env.tmp"
    with open(tmp, "w") as f:
        f.write("# Written by tools/testkit/kit.py start; read by tests and the demo.\n")
        for k, v in env.items():
            f.write(f"{k}='{v}'\n")
    os.rename(tmp, f"{d}/kit.env")  # readers never see a half-written file
    print(f"kit: Dovecot IMAPS 127.0.0.1:{ports['imaps']}, IMAP {ports['imap']}, POP3S {ports['pop3s']}, "
          f"POP3 {ports['pop3']}, submission {ports['submission']}, SMTP {ports['smtp']}; "
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
        start(args)
    else:
        if os.path.isfile(f"{args.dir}/kit.env"):
            os.remove(f"{args.dir}/kit.env")
        print("kit: stopped" if stop(os.path.abspath(args.dir)) else "kit: nothing was running")


if __name__ == "__main__":
    main()
