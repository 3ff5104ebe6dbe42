#!/usr/bin/python3
"""Writes the MIME test corpus: NAME.eml plus NAME.json with the values the
parser must produce. Every message here was written for Tandem's tests.
Run from anywhere: /usr/bin/python3 make_corpus.py (rewrites the folder)."""
import base64, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = []

def case(name, headers, body=b"", expect=None, nl=b"\r\n"):
    if isinstance(body, str):
        body = body.encode("utf-8")
    lines = []
    for h in headers:
        lines.append(h.encode("utf-8") if isinstance(h, str) else h)
    head = nl.join(lines)
    body = body.replace(b"\r\n", b"\n").replace(b"\n", nl)
    raw = head + nl + nl + body if headers else nl + body
    CASES.append((name, raw, expect or {}))

def std(subject="Test", extra=()):
    return ["From: Alice Example <alice@example.org>", "To: bob@example.net",
            "Subject: " + subject, "Date: Mon, 04 Mar 2024 10:15:00 +0100",
            "Message-ID: <" + subject.replace(" ", ".").lower()[:30] + "@example.org>", "MIME-Version: 1.0"] + list(extra)

def b64(data, width=76):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + width] for i in range(0, len(s), width))

# --- plain bodies and headers -------------------------------------------------
case("plain_ascii", std("Hello", ["Content-Type: text/plain; charset=us-ascii"]), "Hi Bob,\nsee you.\n",
     {"subject": "Hello", "from": ["Alice Example <alice@example.org>"], "to": ["bob@example.net"],
      "date": "2024-03-04T10:15:00+01:00", "messageId": "hello@example.org", "plain": "Hi Bob,\nsee you.\n", "attachments": []})
case("plain_lf_only", std("LF only", ["Content-Type: text/plain"]), "line one\nline two\n",
     {"subject": "LF only", "plain": "line one\nline two\n"}, nl=b"\n")
case("plain_no_mime_version", ["From: a@example.org", "Subject: old style", "To: b@example.org"], "Old mail.\n",
     {"subject": "old style", "plain": "Old mail.\n"})
case("subject_q_utf8", std("x", ["Content-Type: text/plain"])[:2] + ["Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?="], "b\n",
     {"subject": "Grüße aus Köln"})
case("subject_b_utf8", ["From: a@example.org", "Subject: =?utf-8?B?0J/RgNC40LLQtdGCINC80LjRgA==?="], "b\n",
     {"subject": "Привет мир"})
case("subject_latin1_q", ["From: a@example.org", "Subject: =?ISO-8859-1?Q?Caf=E9_cr=E8me?="], "b\n",
     {"subject": "Café crème"})
case("subject_adjacent_words", ["From: a@example.org", "Subject: =?utf-8?q?Hello?=  =?utf-8?q?_World?= and =?utf-8?q?more?="], "b\n",
     {"subject": "Hello World and more"})
case("subject_word_inside_token", ["From: a@example.org", "Subject: Re:=?utf-8?q?Gr=C3=BC=C3=9Fe?="], "b\n",
     {"subject": "Re:Grüße"})
case("subject_split_multibyte", ["From: a@example.org", "Subject: =?utf-8?B?w6k=?= =?utf-8?B?w6g=?= =?utf-8?Q?=C3?= =?utf-8?Q?=A0?="], "b\n",
     {"subject": "éèà"})
case("subject_padded_b_words", ["From: =?utf-8?B?SsO8cmdlbg==?=\r\n =?utf-8?B?IE3DvGxsZXI=?= <jm@example.de>", "Subject: =?UTF-8?B?VmllbGUgR3LDvMOfZQ==?=\r\n =?UTF-8?B?IGF1cyBLw7Zsbg==?= =?iso-8859-1?B?IGNhZuk=?="], "b\n",
     {"subject": "Viele Grüße aus Köln café", "from": ["Jürgen Müller <jm@example.de>"]})
case("subject_raw_utf8", [b"From: a@example.org", "Subject: Ünïcödé raw".encode("utf-8")], "b\n",
     {"subject": "Ünïcödé raw"})
case("subject_raw_latin1", [b"From: a@example.org", "Subject: caf\u00e9 noir".encode("latin-1")], "b\n",
     {"subject": "café noir"})
case("subject_folded", ["From: a@example.org", "Subject: This is a rather long subject line that", "\twas folded by the sender", " across three lines"], "b\n",
     {"subject": "This is a rather long subject line that\twas folded by the sender across three lines"})
case("subject_missing_close", ["From: a@example.org", "Subject: =?utf-8?q?unterminated"], "b\n",
     {"subject": "=?utf-8?q?unterminated"})
case("subject_empty", ["From: a@example.org", "Subject:"], "b\n", {"subject": ""})
case("from_encoded_name", ["From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@example.de>", "To: x@example.org"], "b\n",
     {"from": ["Jürgen Müller <jm@example.de>"]})
case("from_quoted_comma", ["From: \"Doe, John\" <john.doe@example.com>", "To: x@example.org"], "b\n",
     {"from": ["Doe, John <john.doe@example.com>"]})
case("to_several", ["From: a@example.org", "To: one@example.org, Two <two@example.org>,\r\n  \"Three T.\" <three@example.org>"], "b\n",
     {"to": ["one@example.org", "Two <two@example.org>", "Three T. <three@example.org>"]})
case("to_group", ["From: a@example.org", "To: Team: ann@example.org, Ben <ben@example.org>;, solo@example.org"], "b\n",
     {"to": ["Team: ann@example.org", "Team: Ben <ben@example.org>", "solo@example.org"]})
case("to_empty_group", ["From: a@example.org", "To: undisclosed-recipients:;"], "b\n",
     {"to": ["undisclosed-recipients: "]})
case("cc_encoded_in_quotes", ["From: a@example.org", "Cc: \"=?utf-8?q?Ren=C3=A9e?=\" <renee@example.fr>"], "b\n",
     {"cc": ["Renée <renee@example.fr>"]})
case("reply_to_and_sender", ["From: List Bot <bot@lists.example.org>", "Sender: owner@lists.example.org",
     "Reply-To: list@lists.example.org", "To: x@example.org"], "b\n",
     {"sender": ["owner@lists.example.org"], "replyTo": ["list@lists.example.org"]})
case("date_positive_zone", ["From: a@example.org", "Date: Tue, 5 Dec 2023 08:30:15 +0530"], "b\n",
     {"date": "2023-12-05T08:30:15+05:30"})
case("date_negative_zone", ["From: a@example.org", "Date: Sun, 31 Dec 2023 23:59:59 -0800"], "b\n",
     {"date": "2023-12-31T23:59:59-08:00"})
case("date_obsolete_zone", ["From: a@example.org", "Date: 1 Jul 2022 12:00:00 EST"], "b\n",
     {"date": "2022-07-01T12:00:00-05:00"})
case("date_missing", ["From: a@example.org", "Subject: no date"], "b\n", {"date": ""})
case("date_garbage", ["From: a@example.org", "Date: the day after tomorrow"], "b\n", {"date": ""})
case("threading_ids", ["From: a@example.org", "Message-ID: <child.3@example.org>", "In-Reply-To: <parent.2@example.org> (Alice's message)",
     "References: <root.1@example.org>\r\n <parent.2@example.org>"], "b\n",
     {"messageId": "child.3@example.org", "inReplyTo": "parent.2@example.org", "references": ["root.1@example.org", "parent.2@example.org"]})
case("list_headers", ["From: a@example.org", "List-Id: Tandem developers <dev.tandem.example.org>",
     "List-Unsubscribe: <mailto:dev-leave@example.org>, <https://example.org/leave>", "List-Post: <mailto:dev@example.org>"], "b\n",
     {"list": {"List-Id": "Tandem developers <dev.tandem.example.org>", "List-Post": "<mailto:dev@example.org>",
               "List-Unsubscribe": "<mailto:dev-leave@example.org>, <https://example.org/leave>"}})
# --- charsets -----------------------------------------------------------------
case("plain_qp_utf8", std("qp", ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]),
     "Stra=C3=9Fe und Br=C3=BCcke, a soft=\nbreak.\n", {"plain": "Straße und Brücke, a softbreak.\n"})
case("plain_base64_utf8", std("b64", ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64"]),
     b64("日本語のテキスト\n".encode("utf-8")) + "\n", {"plain": "日本語のテキスト\n"})
case("plain_latin1", std("latin1", ["Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: 8bit"]),
     "Gar\u00e7on, un caf\u00e9!\n".encode("latin-1"), {"plain": "Garçon, un café!\n"})
case("plain_koi8r", std("koi8", ["Content-Type: text/plain; charset=koi8-r", "Content-Transfer-Encoding: 8bit"]),
     "Привет\n".encode("koi8-r"), {"plain": "Привет\n"})
case("plain_iso2022jp", std("jis", ["Content-Type: text/plain; charset=ISO-2022-JP", "Content-Transfer-Encoding: 7bit"]),
     "こんにちは\n".encode("iso-2022-jp"), {"plain": "こんにちは\n"})
case("plain_gb2312", std("gb", ["Content-Type: text/plain; charset=gb2312", "Content-Transfer-Encoding: base64"]),
     b64("中文邮件\n".encode("gb2312")) + "\n", {"plain": "中文邮件\n"})
case("plain_wrong_utf8", std("wrong", ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]),
     "Price: 5 \u20ac \u2013 cheap\n".encode("cp1252"), {"plain": "Price: 5 € – cheap\n"})
case("plain_unknown_charset", std("unknown", ["Content-Type: text/plain; charset=x-made-up-charset", "Content-Transfer-Encoding: 8bit"]),
     "na\u00efve \u201cquotes\u201d\n".encode("cp1252"), {"plain": "naïve “quotes”\n"})
case("plain_undeclared_utf8", std("undeclared", ["Content-Transfer-Encoding: 8bit"]),
     "Ça marche très bien\n", {"plain": "Ça marche très bien\n"})
case("plain_cp1252_undefined_byte", std("undef", ["Content-Type: text/plain; charset=windows-1252", "Content-Transfer-Encoding: 8bit"]),
     b"odd \x81 byte \xe9\n", {"plain": "odd \u0081 byte é\n"})
case("plain_charset_alias", std("alias", ["Content-Type: text/plain; charset=\"latin1\"", "Content-Transfer-Encoding: quoted-printable"]),
     "=E0 bient=F4t\n", {"plain": "à bientôt\n"})
case("flowed", std("flowed", ["Content-Type: text/plain; charset=utf-8; format=flowed"]),
     "This paragraph was \nwrapped by the \nsender.\n\nSecond paragraph.\n-- \nsig\n",
     {"plain": "This paragraph was wrapped by the sender.\n\nSecond paragraph.\n-- \nsig\n"})
case("flowed_delsp", std("delsp", ["Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes"]),
     "日本語の \n文章です。\n", {"plain": "日本語の文章です。\n"})
case("flowed_quoted", std("flowedq", ["Content-Type: text/plain; format=flowed"]),
     "> quoted text that \n> goes on\n>> deeper \n>> level\nmy answer\n",
     {"plain": "> quoted text that goes on\n>> deeper level\nmy answer\n"})
case("flowed_stuffed", std("stuffed", ["Content-Type: text/plain; format=flowed"]),
     " From the start\n >not a quote\n", {"plain": "From the start\n>not a quote\n"})
# --- structure ------------------------------------------------------------------
case("html_only", std("html", ["Content-Type: text/html; charset=utf-8"]),
     "<html><body><p>Hallo <b>Welt</b> – ✓</p></body></html>\n", {"plain": "", "htmlContains": ["<b>Welt</b> – ✓"], "attachments": []})
ALT = ("--alt1\nContent-Type: text/plain; charset=utf-8\n\nplain version\n--alt1\n"
       "Content-Type: text/html; charset=utf-8\n\n<p>html version</p>\n--alt1--\n")
case("alternative", std("alt", ["Content-Type: multipart/alternative; boundary=alt1"]), ALT,
     {"plain": "plain version", "html": "<p>html version</p>", "attachments": []})
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
REL = ("--outer\nContent-Type: text/plain\n\nSee the logo.\n--outer\nContent-Type: multipart/related; boundary=\"rel\"; type=\"text/html\"\n\n"
       "--rel\nContent-Type: text/html; charset=utf-8\n\n<img src=\"cid:logo.123@example.org\">\n--rel\n"
       "Content-Type: image/gif\nContent-ID: <logo.123@example.org>\nContent-Transfer-Encoding: base64\n\n" + b64(GIF) + "\n--rel--\n--outer--\n")
case("alternative_related_cid", std("related", ["Content-Type: multipart/alternative; boundary=outer"]), REL,
     {"plain": "See the logo.", "htmlContains": ["cid:logo.123@example.org"],
      "attachments": [{"id": "2.2", "name": "", "type": "image/gif", "size": len(GIF), "disposition": "", "cid": "logo.123@example.org"}],
      "cid": {"cid:logo.123@example.org": "2.2", "<logo.123@example.org>": "2.2", "cid:missing@x": ""}})
PDF = b"%PDF-1.4\n% fake but small pdf for the test\n" + bytes(range(256))
case("mixed_pdf", std("pdf", ["Content-Type: multipart/mixed; boundary=\"b-1\""]),
     "preamble\n--b-1\nContent-Type: text/plain\n\nReport attached.\n--b-1\nContent-Type: application/pdf; name=report.pdf\n"
     "Content-Disposition: attachment; filename=\"report.pdf\"\nContent-Transfer-Encoding: base64\n\n" + b64(PDF) + "\n--b-1--\nepilogue\n",
     {"plain": "Report attached.", "attachments": [{"id": "2", "name": "report.pdf", "type": "application/pdf", "size": len(PDF),
      "disposition": "attachment", "cid": "", "sha1": __import__("hashlib").sha1(PDF).hexdigest()}]})
def att(name_headers, content=b"hello\n", ctype="text/plain", enc="base64", disp="attachment"):
    h = "Content-Type: " + ctype + "\n" + name_headers + "\nContent-Transfer-Encoding: " + enc + "\n\n"
    return ("--zz\nContent-Type: text/plain\n\nbody\n--zz\n" + h + (b64(content) if enc == "base64" else content.decode()) + "\n--zz--\n")
case("filename_rfc2231", std("2231", ["Content-Type: multipart/mixed; boundary=zz"]),
     att("Content-Disposition: attachment; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt"),
     {"attachments": [{"name": "naïve résumé.txt", "size": 6, "disposition": "attachment"}]})
case("filename_rfc2231_continuation", std("2231c", ["Content-Type: multipart/mixed; boundary=zz"]),
     att("Content-Disposition: attachment;\n filename*0*=utf-8'de'Sehr%20langer%20;\n filename*1*=Dateiname%20%C3%BC;\n filename*2=ber.txt"),
     {"attachments": [{"name": "Sehr langer Dateiname über.txt"}]})
case("filename_rfc2047", std("2047name", ["Content-Type: multipart/mixed; boundary=zz"]),
     att("Content-Disposition: attachment; filename=\"=?UTF-8?B?0L7RgtGH0ZHRgi5kb2N4?=\""),
     {"attachments": [{"name": "отчёт.docx"}]})
case("filename_in_content_type_only", std("ctname", ["Content-Type: multipart/mixed; boundary=zz"]),
     att("", ctype="application/octet-stream; name=\"data.bin\""),
     {"attachments": [{"name": "data.bin", "type": "application/octet-stream", "disposition": ""}]})
case("filename_unquoted_spaces", std("spaces", ["Content-Type: multipart/mixed; boundary=zz"]),
     att("Content-Disposition: attachment; filename=my file name.txt"),
     {"attachments": [{"name": "my file name.txt"}]})
case("text_attachment", std("textatt", ["Content-Type: multipart/mixed; boundary=zz"]),
     att("Content-Disposition: attachment; filename=notes.txt", content=b"note text\n", enc="7bit"),
     {"plain": "body", "attachments": [{"name": "notes.txt", "type": "text/plain", "content": "note text"}]})
case("inline_image_mixed", std("inlineimg", ["Content-Type: multipart/mixed; boundary=zz"]),
     att("Content-Disposition: inline; filename=dot.gif\nContent-ID: <dot@local>", content=GIF, ctype="image/gif"),
     {"attachments": [{"name": "dot.gif", "type": "image/gif", "disposition": "inline", "cid": "dot@local", "size": len(GIF)}],
      "cid": {"cid:dot@local": "2"}})
INNER = "From: Carol <carol@example.com>\nSubject: Inner message\nDate: Fri, 1 Mar 2024 09:00:00 +0000\nContent-Type: text/plain; charset=utf-8\n\nInner body ✓\n"
case("message_rfc822", std("fwd", ["Content-Type: multipart/mixed; boundary=zz"]),
     "--zz\nContent-Type: text/plain\n\nForwarding.\n--zz\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n" + INNER + "--zz--\n",
     {"plain": "Forwarding.", "attachments": [{"id": "2", "name": "Inner message.eml", "type": "message/rfc822", "message": True}],
      "attached": {"id": "2", "subject": "Inner message", "from": ["Carol <carol@example.com>"], "plain": "Inner body ✓"}})
DEEP = ("From: d@example.org\nSubject: Level 2\nContent-Type: multipart/mixed; boundary=l2\n\n--l2\nContent-Type: text/plain\n\nlevel two\n--l2\n"
        "Content-Type: message/rfc822\n\nFrom: e@example.org\nSubject: Level 3\n\nlevel three\n--l2--\n")
case("message_rfc822_nested", std("nested", ["Content-Type: message/rfc822"]), DEEP,
     {"plain": "", "attachments": [{"id": "1", "name": "Level 2.eml", "message": True}],
      "attached": {"id": "1", "subject": "Level 2", "plain": "level two", "attachmentCount": 1}})
case("digest", std("digest", ["Content-Type: multipart/digest; boundary=dg"]),
     "--dg\n\nFrom: x@example.org\nSubject: Digest one\n\nfirst\n--dg\n\nFrom: y@example.org\nSubject: Digest two\n\nsecond\n--dg--\n",
     {"attachments": [{"id": "1", "name": "Digest one.eml", "message": True, "type": "message/rfc822"},
                      {"id": "2", "name": "Digest two.eml", "message": True}]})
# --- security -----------------------------------------------------------------------
SIGNED = ("--sig\nContent-Type: text/plain; charset=utf-8\n\nSigned text.\n--sig\nContent-Type: application/pgp-signature; name=signature.asc\n\n"
          "-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n--sig--\n")
case("pgp_signed", std("pgps", ["Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=sig"]), SIGNED,
     {"plain": "Signed text.", "security": ["pgp-signed:1"], "attachments": []})
case("pgp_encrypted", std("pgpe", ["Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=enc"]),
     "--enc\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--enc\nContent-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----\n--enc--\n",
     {"plain": "", "security": ["pgp-encrypted:1"], "attachments": []})
case("smime_signed", std("smimes", ["Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=s2"]),
     "--s2\nContent-Type: text/plain\n\nS/MIME signed.\n--s2\nContent-Type: application/pkcs7-signature; name=smime.p7s\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\n--s2--\n",
     {"plain": "S/MIME signed.", "security": ["smime-signed:1"], "attachments": []})
case("smime_encrypted", std("smimee", ["Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m", "Content-Transfer-Encoding: base64"]),
     "MIAGCSqGSIb3DQEHA6CAMIACAQAxggFw\n", {"plain": "", "security": ["smime-encrypted:1"], "attachments": []})
case("smime_opaque_signed", std("smimeo", ["Content-Type: application/x-pkcs7-mime; smime-type=signed-data; name=smime.p7m", "Content-Transfer-Encoding: base64"]),
     "MIAGCSqGSIb3DQEHAqCAMIACAQEx\n", {"security": ["smime-signed:1"]})
case("pgp_inline_signed", std("pgpinline", ["Content-Type: text/plain"]),
     "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nhello\n-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n",
     {"security": ["pgp-signed:1"], "plainContains": ["hello"]})
case("signed_with_attachment", std("sigatt", ["Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=sig"]),
     "--sig\nContent-Type: multipart/mixed; boundary=in\n\n--in\nContent-Type: text/plain\n\ninner text\n--in\nContent-Type: application/zip\nContent-Disposition: attachment; filename=a.zip\nContent-Transfer-Encoding: base64\n\nUEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==\n--in--\n"
     "--sig\nContent-Type: application/pgp-signature\n\nsig\n--sig--\n",
     {"plain": "inner text", "security": ["pgp-signed:1"], "attachments": [{"id": "1.2", "name": "a.zip", "type": "application/zip", "size": 22}]})
# --- broken and hostile ----------------------------------------------------------
case("missing_end_boundary", std("noend", ["Content-Type: multipart/mixed; boundary=cut"]),
     "--cut\nContent-Type: text/plain\n\nfirst part\n--cut\nContent-Type: application/octet-stream; name=x.bin\nContent-Transfer-Encoding: base64\n\nAAEC\n",
     {"plain": "first part", "attachments": [{"name": "x.bin", "size": 3}]})
case("missing_boundary_parameter", std("nobparam", ["Content-Type: multipart/mixed"]),
     "--something\nContent-Type: text/plain\n\ntext\n--something--\n", {"errorCode": "none"})
case("boundary_never_used", std("unused", ["Content-Type: multipart/mixed; boundary=never"]),
     "Just text, no parts at all.\n", {"plain": "", "attachments": []})
case("truncated_base64", std("trunc64", ["Content-Type: multipart/mixed; boundary=t"]),
     "--t\nContent-Type: text/plain\n\nsee\n--t\nContent-Type: image/png; name=cut.png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgoAAAANSUhEUgAAAAEAAAAB\niVBOR",
     {"plain": "see", "attachments": [{"name": "cut.png", "size": 27}]})
case("base64_garbage", std("garbage64", ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64"]),
     "aGVs!!bG8g@@d29y\nbGQ=\n***\n", {"plain": "hello world"})
case("qp_broken", std("qpbroken", ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]),
     "a=ZZb =3 c=\n", {"plainContains": ["a=ZZb"]})
case("header_8bit_garbage", [b"From: \xff\xfe\x80 <junk@example.org>", b"Subject: \x81\x8d\x8f\x90\x9d ok", b"X-Junk: \x00\x01\x02\xc3\x28", b"To: t@example.org"], "body\n",
     {"from": ["\u00ff\u00fe\u20ac <junk@example.org>"], "subjectContains": ["ok"], "plain": "body\n"})
case("no_headers", [], "Just a body without any header.\n", {"subject": "", "plainContains": ["Just a body"]})
case("content_type_garbage", std("ctgarbage", ["Content-Type: ;;;==;"]), "still text\n", {"plain": "still text\n"})
case("unknown_transfer_encoding", std("cte", ["Content-Type: text/plain", "Content-Transfer-Encoding: x-weird"]), "as is\n", {"plain": "as is\n"})
case("two_inline_texts", std("twotexts", ["Content-Type: multipart/mixed; boundary=tt"]),
     "--tt\nContent-Type: text/plain\n\nfirst\n--tt\nContent-Type: image/gif; name=a.gif\nContent-Disposition: inline\nContent-Transfer-Encoding: base64\n\n" + b64(GIF) + "\n--tt\nContent-Type: text/plain\n\nsecond\n--tt--\n",
     {"plain": "first\nsecond", "attachments": [{"name": "a.gif", "disposition": "inline"}]})
# A named text part shown inline is still a file the user may want to save: it
# is shown and listed. A patch (text/x-patch) is listed, not shown.
case("named_inline_text", std("namedtext", ["Content-Type: multipart/mixed; boundary=nt"]),
     "--nt\nContent-Type: text/plain\n\nthe log is attached\n--nt\nContent-Type: text/plain; name=build.log\nContent-Disposition: inline; filename=build.log\n\nline 1\nline 2\n"
     "--nt\nContent-Type: text/x-patch; name=fix.patch\nContent-Disposition: inline; filename=fix.patch\n\n--- a\n+++ b\n--nt--\n",
     {"plain": "the log is attached\nline 1\nline 2", "attachments": [{"id": "2", "name": "build.log", "type": "text/plain", "disposition": "inline", "size": 14},
                                                                     {"id": "3", "name": "fix.patch", "type": "text/x-patch", "disposition": "inline", "size": 12}]})
case("calendar_in_alternative", std("cal", ["Content-Type: multipart/alternative; boundary=c"]),
     "--c\nContent-Type: text/plain\n\ninvite\n--c\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\n\nBEGIN:VCALENDAR\nEND:VCALENDAR\n--c--\n",
     {"plain": "invite", "attachments": [{"type": "text/calendar"}]})
case("empty_body", std("empty", ["Content-Type: text/plain"]), "", {"plain": "", "attachments": []})
case("duplicate_subject", ["From: a@example.org", "Subject: first one", "Subject: second one"], "b\n", {"subject": "second one"})
case("mixed_line_endings", [b"From: a@example.org", b"Subject: mixed\r\nTo: b@example.org", b"Content-Type: text/plain"], b"a\r\nb\nc\r\n",
     {"subject": "mixed", "to": ["b@example.org"]}, nl=b"\n")
case("long_qp_line", std("longqp", ["Content-Type: text/plain", "Content-Transfer-Encoding: quoted-printable"]),
     "=\n".join(["x" * 75] * 40) + "\n", {"plainLength": 75 * 40 + 1})
# Depth beyond MaxDepth (32): parts below are not looked at, the message says so.
nest = 40
body = ""
for i in range(nest):
    body += "--n%d\nContent-Type: multipart/mixed; boundary=n%d\n\n" % (i, i + 1)
body += "--n%d\nContent-Type: text/plain\n\ndeepest\n--n%d--\n" % (nest, nest)
for i in reversed(range(nest)):
    body += "--n%d--\n" % i
case("nesting_too_deep", std("deep", ["Content-Type: multipart/mixed; boundary=n0"]), body, {"truncated": True, "plain": ""})
# More containers than MaxContainerParts (512): refused before GMime sees it.
body = "".join("--m%d\nContent-Type: multipart/mixed; boundary=m%d\n\n" % (i, i + 1) for i in range(600))
case("too_many_containers", std("containers", ["Content-Type: multipart/mixed; boundary=m0"]), body, {"errorCode": "limit"})
# More parts than MaxParts (1000): the first ones are listed, the message is marked truncated.
body = "".join("--p\nContent-Type: application/octet-stream; name=f%d.bin\n\nx\n" % i for i in range(1200)) + "--p--\n"
case("too_many_parts", std("parts", ["Content-Type: multipart/mixed; boundary=p"]), body, {"truncated": True, "attachmentCount": 999})

def main():
    for f in os.listdir(HERE):
        if f.endswith(".eml") or f.endswith(".json"):
            os.remove(os.path.join(HERE, f))
    for name, raw, expect in CASES:
        with open(os.path.join(HERE, name + ".eml"), "wb") as f:
            f.write(raw)
        with open(os.path.join(HERE, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(expect, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")
    print(len(CASES), "messages")

main()
