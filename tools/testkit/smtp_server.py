#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""The test kit's SMTP server: aiosmtpd with STARTTLS, implicit TLS and AUTH.

Every accepted message is written, byte for byte as received after DATA's
dot-unstuffing, to STORE/new/<n>.eml (written to tmp/ first, then renamed, so a
reader never sees half a file). The envelope goes beside it in
STORE/envelopes/<n>.json. Started and stopped by kit.py; not meant to be run by hand.
"""
import argparse
import asyncio
import itertools
import json
import os
import signal
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class StoreHandler:
    def __init__(self, store):
        self.store = store
        self.counter = itertools.count(1)
        for sub in ("tmp", "new", "envelopes"):
            os.makedirs(os.path.join(store, sub), exist_ok=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # Addresses whose local part starts with "reject" are refused, so tests
        # can see one recipient refused while the others get the message.
        if address.lower().startswith("reject"):
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        name = f"{n:06d}"
        tmp = os.path.join(self.store, "tmp", name + ".eml")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "smtp_utf8": envelope.smtp_utf8,
            "authenticated_as": session.auth_data.login.decode() if session.authenticated and session.auth_data else None,
            "tls": session.ssl is not None,
        }
        with open(os.path.join(self.store, "envelopes", name + ".json"), "w") as f:
            json.dump(meta, f)
        os.rename(tmp, os.path.join(self.store, "new", name + ".eml"))
        return "250 2.0.0 Message accepted for delivery"


def make_authenticator(users):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        ok = users.get(login) == auth_data.password.decode("utf-8", "replace")
        # handled=False on failure: aiosmtpd then answers 535 itself; with the
        # default (handled=True) it answers nothing and the client hangs.
        return AuthResult(success=ok, handled=ok, auth_data=auth_data if ok else None)
    return authenticate


async def serve(config):
    loop = asyncio.get_running_loop()
    handler = StoreHandler(config["store"])
    users = config["users"]
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(config["cert"], config["key"])
    common = dict(hostname="localhost", enable_SMTPUTF8=True, data_size_limit=64 * 1024 * 1024,
                  decode_data=False)

    def starttls_server():
        return SMTP(handler, tls_context=tls, require_starttls=True, auth_required=True,
                    auth_require_tls=True, authenticator=make_authenticator(users), **common)

    def implicit_tls_server():
        return SMTP(handler, auth_required=True, auth_require_tls=False,
                    authenticator=make_authenticator(users), **common)

    def relay_server():
        # Dovecot's submission service relays here; it has authenticated the user already.
        return SMTP(handler, **common)

    servers = [
        await loop.create_server(starttls_server, "127.0.0.1", config["smtp_port"]),
        await loop.create_server(implicit_tls_server, "127.0.0.1", config["smtps_port"], ssl=tls),
        await loop.create_server(relay_server, "127.0.0.1", config["relay_port"]),
    ]
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    with open(config["ready_file"], "w") as f:
        f.write(str(os.getpid()))
    await stop.wait()
    for s in servers:
        s.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    with open(args.config) as f:
        config = json.load(f)
    asyncio.run(serve(config))


if __name__ == "__main__":
    main()
