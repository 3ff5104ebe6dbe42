#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""Deterministic mail corpus for Tandem's test servers.

    make_corpus.py --out DIR --seed N --profile {tiny,small,bench}

Writes DIR/mbox/<Folder> (one classic mbox file per folder, LF line endings)
and DIR/manifest.json. The same seed and profile always give byte-identical
files: every choice comes from random.Random instances seeded from the seed,
the profile family and the folder name; dates are a fixed base date plus seeded
offsets; MIME boundaries and Message-IDs come from the same generators.

mbox layout: every message is written as

    From <envelope-sender> <asctime date>\\n
    <message bytes, LF line endings>
    \\n

The empty line after each message belongs to the separator (that is how
Dovecot reads mbox), so the message itself is exactly the manifest's bytes
with LF instead of CRLF. No body line starts with "From ", no line exceeds
998 octets, and no message carries Status, X-Status, X-UID, X-IMAP,
X-IMAPbase, X-Keywords or Content-Length headers, so the files import
unchanged with

    doveadm import -s mbox:DIR/mbox:INBOX=DIR/mbox/INBOX "" ALL

manifest.json:

    {"seed": N, "profile": "small", "user": "alice@example.org",
     "folders": {"INBOX": [entry, ...], "Archive": [...], ...}}

Each folder's list is in mbox order (first entry = UID 1). An entry has
message_id (no angle brackets), subject (decoded), from_name, from_address,
to (list of addresses), date (the Date header as written), size (RFC822.SIZE:
octets with CRLF line endings), sha256 (of those CRLF octets), features and
attachments. Features describe the top-level message (not the inside of a
forwarded message/rfc822), except charset:<name>, which lists every charset
declared on a text part at any depth. Attachments list every part that has a
file name, at any depth, in MIME order: filename, mime_type, size and sha256
(of the decoded bytes), disposition ("attachment" or "inline"), content_id
(or null) and nested (true inside a forwarded message/rfc822).

Python 3.11 standard library only.
"""
import argparse
import base64
import binascii
import datetime as dt
import hashlib
import io
import json
import math
import os
import random
import re
import struct
import sys
import zipfile
import zlib

ME = ("Alice Example", "alice@example.org")
MY_DOMAIN = "example.org"

PROFILES = {
    "tiny": [("INBOX", 20)],
    "small": [("INBOX", 120), ("Archive", 50), ("Work", 50), ("Lists", 50), ("Sent", 27), ("Large", 3),
              ("Showcase", 3)],
}
PROFILES["bench"] = PROFILES["small"] + [("Bench", 10000)]

FEATURE_ORDER = ["plain", "html-alternative", "html-only", "attachment", "inline-image", "rfc822",
                 "rfc2047-subject", "rfc2047-from", "large", "flowed"]
LARGE_THRESHOLD = 1024 * 1024  # a message this big or bigger is tagged "large"

FORBIDDEN_HEADERS = ("status", "x-status", "x-uid", "x-imap", "x-imapbase", "x-keywords", "content-length")

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# ---------------------------------------------------------------------------
# Text material (written for this corpus). No sentence, subject or name may
# contain "From" so that no line can ever start with "From ".

SENTENCES = {
    "en": [
        "Thanks for sending the updated figures so quickly.",
        "I had a look at the draft and left a few comments in the margin.",
        "Could you check whether the numbers in the second table still add up?",
        "The build server will be offline on Saturday morning for maintenance.",
        "Let me know if Thursday afternoon works for you, otherwise we can move it to Friday.",
        "We agreed to postpone the migration until the new storage arrives.",
        "Attached you will find the minutes of yesterday's call.",
        "Please remember to update your password before the end of the month.",
        "The customer reported that the search is slow on folders with many messages.",
        "I think we should keep the first version simple and add the sync options later.",
        "Our flight lands at half past nine, so we should be at the hotel by eleven.",
        "The new office printer is on the second floor next to the kitchen.",
        "Sorry for the late reply, I was travelling most of last week.",
        "Happy to help with the review if you need another pair of eyes.",
        "The release notes still mention the old configuration file name.",
        "We need two more volunteers for the booth at the trade fair.",
        "Could you forward me the invoice once it arrives?",
        "The test suite passes on all three platforms now.",
        "I have booked the small meeting room for the whole morning.",
        "There is a known issue with very long attachment names that we are tracking.",
        "Let's discuss the budget in person, it is easier than over mail.",
        "The weather forecast looks good for the team hike on Sunday.",
        "I'll be out of the office until the 12th with limited access to mail.",
        "Our quarterly numbers are slightly above the forecast.",
        "The shared calendar now shows the public holidays for every office.",
    ],
    "de": [
        "Vielen Dank für die schnelle Rückmeldung.",
        "Ich habe den Entwurf gelesen und ein paar Anmerkungen ergänzt.",
        "Können wir die Besprechung auf Donnerstag verschieben?",
        "Die Unterlagen liegen im gemeinsamen Ordner unter Projekte.",
        "Bitte prüfe noch einmal die Zahlen für das dritte Quartal.",
        "Nächste Woche bin ich auf einer Schulung in Köln.",
        "Der Server wird am Wochenende gewartet, es kann zu kurzen Ausfällen kommen.",
        "Schöne Grüße an das ganze Team in Düsseldorf.",
        "Wir müssen die Größe der Anhänge begrenzen, sonst wird das Postfach zu voll.",
        "Die Übergabe an den Kunden ist für Ende März geplant.",
        "Ich würde vorschlagen, dass wir zunächst die wichtigsten Fehler beheben.",
        "Das Straßenfest findet dieses Jahr bei jedem Wetter statt.",
        "Hast du schon eine Antwort vom Steuerbüro bekommen?",
        "Für Rückfragen stehe ich gerne zur Verfügung.",
        "Die Äpfel aus dem Garten reichen für drei Kuchen.",
    ],
    "fr": [
        "Merci beaucoup pour votre réponse rapide.",
        "Je vous envoie ci-joint le compte rendu de la réunion de mardi.",
        "Pourriez-vous vérifier les chiffres du deuxième trimestre ?",
        "La réunion est déplacée à jeudi après-midi.",
        "Nous avons reçu la facture, mais le montant ne correspond pas à la commande.",
        "Les congés d'été commencent la semaine prochaine.",
        "Le serveur sera arrêté samedi matin pour une opération de maintenance.",
        "Je reste à votre disposition pour toute question complémentaire.",
        "L'équipe de Montréal a déjà validé la nouvelle version.",
        "Il faudra prévoir un créneau pour la démonstration au client.",
        "Bonne fête à toute la famille et à bientôt à Genève.",
        "Ça fait plaisir d'avoir enfin des nouvelles de votre part.",
        "Le document « Procédures internes » a été mis à jour.",
    ],
    "pl": [
        "Dziękuję za szybką odpowiedź.",
        "W załączniku przesyłam poprawioną wersję umowy.",
        "Czy możemy przełożyć spotkanie na środę?",
        "Proszę o potwierdzenie otrzymania tej wiadomości.",
        "Zespół z Gdańska zakończył już testy nowej wersji.",
        "Źródła błędu wciąż szukamy, ale mamy kilka podejrzeń.",
        "Życzę miłego weekendu i do zobaczenia w poniedziałek.",
        "Faktura zostanie wysłana pocztą w przyszłym tygodniu.",
        "Łączna długość spotkania nie powinna przekroczyć godziny.",
        "Wszystkie pliki są dostępne na wspólnym dysku.",
        "Zażółć gęślą jaźń, jak mówią wszyscy testerzy polskich znaków.",
    ],
    "cs": [
        "Děkuji za rychlou odpověď.",
        "V příloze posílám upravenou verzi smlouvy.",
        "Můžeme přesunout schůzku na čtvrtek odpoledne?",
        "Prosím o potvrzení přijetí této zprávy.",
        "Účetní oddělení potřebuje podklady do pátku.",
        "Příští týden budu na služební cestě v Brně.",
        "Příliš žluťoučký kůň úpěl ďábelské ódy.",
        "Server bude o víkendu mimo provoz kvůli údržbě.",
        "Těším se na spolupráci a přeji hezký den.",
        "Ceník pro příští rok ještě není schválený.",
    ],
    "ru": [
        "Спасибо за быстрый ответ.",
        "Во вложении отправляю исправленную версию договора.",
        "Можем ли мы перенести встречу на четверг?",
        "Пожалуйста, подтвердите получение этого письма.",
        "Сервер будет недоступен в субботу утром из-за обслуживания.",
        "Отчёт за третий квартал почти готов.",
        "Команда из Новосибирска уже закончила тестирование.",
        "Ещё раз поздравляю с успешным запуском проекта.",
        "Счёт будет отправлен на следующей неделе.",
        "Если будут вопросы, пишите или звоните в любое время.",
        "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    ],
    "ja": [
        "いつもお世話になっております。",
        "先日の会議の資料をお送りします。",
        "来週の打ち合わせの日程を調整させていただけますでしょうか。",
        "見積書を添付いたしましたので、ご確認ください。",
        "サーバーのメンテナンスのため、土曜日の午前中は利用できません。",
        "ご不明な点がございましたら、お気軽にお問い合わせください。",
        "新しいバージョンのテストは順調に進んでいます。",
        "東京は今日もとても暑いです。",
        "お忙しいところ恐れ入りますが、よろしくお願いいたします。",
        "資料の修正版は明日までに共有します。",
    ],
    "zh": [
        "感谢您的及时回复。",
        "附件是会议纪要，请查收。",
        "我们能否把会议改到星期四下午？",
        "请确认是否收到这封邮件。",
        "服务器将于星期六上午进行维护。",
        "第三季度的报告基本完成了。",
        "上海团队已经完成了新版本的测试。",
        "如果有任何问题，请随时与我联系。",
        "祝您周末愉快！",
        "合同的修改意见已经发给法务部门。",
    ],
}

# Sentences with the Euro sign (ISO-8859-15, windows-1252, UTF-8).
EURO = {
    "en": ["The hotel costs €120 per night including breakfast.",
           "Train tickets for the whole team came to €845."],
    "de": ["Das Angebot beläuft sich auf 1.250,00 € zuzüglich Mehrwertsteuer.",
           "Die Fahrtkosten von 86,40 € werden erstattet.",
           "Für das Mittagessen rechnen wir mit etwa 15 € pro Person."],
    "fr": ["Le cœur du projet coûte environ 3 400 € par mois.",
           "Le billet de train revient à 89 € aller-retour."],
}
# Sentences with typographic quotes and dashes (windows-1252, UTF-8).
SMART = {
    "en": ["That’s exactly what I meant by “good enough for now”.",
           "She said the figures were “final” – let’s double-check anyway.",
           "It’s the customer’s decision… but I’d push back a little."],
    "de": ["Er nannte es „eine vorläufige Lösung“ – mal sehen, wie lange sie hält.",
           "Das Motto lautet „Weniger ist mehr“, sagt die Chefin."],
    "fr": ["Il l’a appelée « la version définitive » – on verra bien."],
}

SUBJECTS = {
    "en": ["Quarterly report draft", "Lunch on Thursday?", "Invoice 4711 for January",
           "Build server maintenance window", "Photos of the offsite", "Your order has shipped",
           "Review request: IMAP IDLE handling", "Meeting notes", "Rescheduling the design review",
           "Welcome to the team", "Travel plans for the conference", "Question about the API",
           "Updated slides for Monday", "Holiday schedule"],
    "de": ["Einladung zur Weihnachtsfeier", "Änderungen am Projektplan", "Grüße aus München",
           "Rückfrage zur Rechnung", "Übergabe der Schlüssel", "Termin für die Besprechung nächste Woche",
           "Urlaubsvertretung im Juli", "Protokoll der Sitzung"],
    "fr": ["Réunion de lundi prochain", "Compte rendu de la réunion", "Vacances d'été",
           "Problème avec la facture", "Félicitations pour la sortie", "Présentation du projet"],
    "pl": ["Spotkanie w przyszłym tygodniu", "Zmiana terminu dostawy", "Życzenia świąteczne",
           "Pytanie dotyczące faktury", "Wyniki kwartalne"],
    "cs": ["Schůzka v úterý", "Žádost o schválení dovolené", "Smlouva k podpisu", "Nabídka na údržbu"],
    "ru": ["Встреча в пятницу", "Отчёт за квартал", "Вопрос по счёту", "Поздравляю с днём рождения",
           "Новая версия программы"],
    "ja": ["会議の日程について", "見積書送付のお知らせ", "来週の打ち合わせ", "資料の確認をお願いします"],
    "zh": ["下周会议安排", "关于合同的问题", "项目进度报告", "新年快乐"],
}
EURO_SUBJECTS = {"en": ["Hotel quote: €120 per night"], "de": ["Angebot: 1.250 € netto"],
                 "fr": ["Devis à 3 400 € par mois"]}
SMART_SUBJECTS = {"en": ["“Quick” question about the budget"], "de": ["Projekt „Sonnenschein“ – Stand"],
                  "fr": ["Projet « Soleil » – point d’étape"]}

PEOPLE = {
    "en": [("Grace Johnson", "grace.johnson@example.com"), ("Bob Miller", "bob.miller@example.net"),
           ("Carol Nguyen", "carol.nguyen@example.com"), ("David O'Brien", "dobrien@corp.example.com"),
           ("Emma Clarke", "emma.clarke@example.net"), ("Frank Osei", "frank.osei@corp.example.com")],
    "de": [("Jürgen Weiß", "juergen.weiss@firma.example"), ("Anna Müller", "anna.mueller@firma.example"),
           ("Sören Käßmann", "soeren.kaessmann@beispiel.example"), ("Lena Schröder", "lena.schroeder@example.net")],
    "fr": [("Hélène Lefèvre", "helene.lefevre@societe.example"), ("François Dupont", "francois.dupont@societe.example"),
           ("Gaëlle Brûlé", "gaelle.brule@example.com")],
    "pl": [("Łukasz Wiśniewski", "lukasz.wisniewski@firma.example"), ("Małgorzata Wójcik", "m.wojcik@example.com"),
           ("Paweł Żak", "pawel.zak@example.net")],
    "cs": [("Jiří Dvořák", "jiri.dvorak@firma.example"), ("Petra Nováková", "petra.novakova@example.com"),
           ("Tomáš Černý", "tomas.cerny@example.net")],
    "ru": [("Дмитрий Соколов", "d.sokolov@example.com"), ("Анна Иванова", "anna.ivanova@example.net"),
           ("Сергей Петров", "s.petrov@firma.example")],
    "ja": [("田中 健一", "k.tanaka@kaisha.example"), ("佐藤 美咲", "misaki.sato@example.com"),
           ("鈴木 一郎", "ichiro.suzuki@example.net")],
    "zh": [("王伟", "wang.wei@gongsi.example"), ("李娜", "li.na@example.com"), ("张敏", "zhang.min@example.net")],
}

GREETINGS = {
    "en": ["Hi {first},", "Hello {first},", "Dear {first},"],
    "de": ["Hallo {first},", "Guten Tag {full},"],
    "fr": ["Bonjour {first},", "Chère équipe,"],
    "pl": ["Cześć {first},", "Dzień dobry,"],
    "cs": ["Dobrý den,", "Ahoj {first},"],
    "ru": ["Здравствуйте, {first}!", "Добрый день!"],
    "ja": ["{first}様", "皆様"],
    "zh": ["{full}，您好：", "大家好："],
}
GENERIC_GREETING = {"en": "Hello,", "de": "Hallo,", "fr": "Bonjour,", "pl": "Dzień dobry,", "cs": "Dobrý den,",
                    "ru": "Добрый день!", "ja": "皆様", "zh": "大家好："}
CLOSINGS = {
    "en": ["Best regards,", "Cheers,", "Thanks,"], "de": ["Viele Grüße", "Beste Grüße"],
    "fr": ["Cordialement,", "Bien à vous,"], "pl": ["Pozdrawiam,", "Z poważaniem,"], "cs": ["S pozdravem,"],
    "ru": ["С уважением,"], "ja": ["よろしくお願いいたします。"], "zh": ["祝好，"],
}
ATTRIBUTION = {
    "en": "On {date}, {name} wrote:", "de": "Am {date} schrieb {name}:", "fr": "Le {date}, {name} a écrit :",
    "pl": "W dniu {date} {name} napisał(a):", "cs": "Dne {date} napsal(a) {name}:",
    "ru": "{date}, {name} пишет:", "ja": "{date} {name} wrote:", "zh": "{date}，{name} 写道：",
}
FORWARD_NOTES = {
    "en": "See the forwarded message below, including its attachment.",
    "de": "Anbei die weitergeleitete Nachricht mit Anhang.",
    "fr": "Voici le message transféré avec sa pièce jointe.",
}

LANG_CHARSETS = {
    "en": ["utf-8", "us-ascii", "windows-1252"],
    "de": ["utf-8", "iso-8859-1", "iso-8859-15", "windows-1252"],
    "fr": ["utf-8", "iso-8859-1", "iso-8859-15", "windows-1252"],
    "pl": ["utf-8", "iso-8859-2"],
    "cs": ["utf-8", "iso-8859-2"],
    "ru": ["utf-8", "koi8-r"],
    "ja": ["utf-8", "shift_jis"],
    "zh": ["utf-8", "gb2312"],
}
CHARSET_CTES = {
    "us-ascii": ["7bit"],
    "utf-8": ["8bit", "quoted-printable", "base64"],
    "iso-8859-1": ["quoted-printable", "8bit"],
    "iso-8859-15": ["quoted-printable", "8bit"],
    "iso-8859-2": ["quoted-printable", "8bit"],
    "windows-1252": ["quoted-printable", "8bit"],
    "koi8-r": ["8bit", "base64"],
    "shift_jis": ["base64"],
    "gb2312": ["base64", "8bit"],
}
LANG_WEIGHTS = [("en", 50), ("de", 14), ("fr", 9), ("pl", 6), ("cs", 4), ("ru", 7), ("ja", 5), ("zh", 5)]
CJK = ("ja", "zh")

MAILING_LISTS = {
    "en": [("Tandem developers", "tandem-dev", "lists.example.org"),
           ("Mail standards discussion", "mail-standards", "lists.example.net")],
    "pl": [("Grupa użytkowników Linuksa", "glug", "lists.example.com")],
    "ru": [("Клуб любителей почты", "pochta", "lists.example.com")],
}
USER_AGENTS = ["Tandem/0.1", "Mozilla Thunderbird 115.6.0", "Microsoft Outlook 16.0", "Apple Mail (2.3774)",
               "Roundcube Webmail/1.6.5", "Evolution 3.50.2"]

KIND_WEIGHTS = [("plain", 34), ("alt", 34), ("html", 8), ("attach", 15), ("related", 4), ("forward", 2),
                ("flowed", 3)]

# The recipes that every ordinary folder starts with, so each of them covers
# every feature (except "large") and every charset and transfer encoding.
COVERAGE = [
    dict(kind="plain", lang="en", charset="us-ascii", cte="7bit"),
    dict(kind="plain", lang="de", charset="utf-8", cte="8bit", subj_enc=("utf-8", "Q")),
    dict(kind="plain", lang="fr", charset="iso-8859-1", cte="quoted-printable", subj_enc=("iso-8859-1", "Q"),
         from_enc=("iso-8859-1", "Q")),
    dict(kind="plain", lang="de", charset="iso-8859-15", cte="8bit", subj_enc=("iso-8859-15", "Q"), euro=True),
    dict(kind="plain", lang="en", charset="windows-1252", cte="quoted-printable", subj_enc=("windows-1252", "B"),
         smart=True),
    dict(kind="plain", lang="pl", charset="iso-8859-2", cte="quoted-printable", subj_enc=("iso-8859-2", "Q"),
         from_enc=("utf-8", "B")),
    dict(kind="alt", lang="cs", charset="iso-8859-2", cte="8bit", subj_enc=("utf-8", "B"),
         from_enc=("iso-8859-2", "Q")),
    dict(kind="plain", lang="ru", charset="koi8-r", cte="8bit", subj_enc=("koi8-r", "B"), from_enc=("koi8-r", "B")),
    dict(kind="plain", lang="ja", charset="shift_jis", cte="base64", subj_enc=("utf-8", "B"),
         from_enc=("utf-8", "B")),
    dict(kind="plain", lang="zh", charset="gb2312", cte="base64", subj_enc=("gb2312", "B"),
         from_enc=("gb2312", "B")),
    dict(kind="flowed", lang="en", charset="utf-8", cte="8bit"),
    dict(kind="alt", lang="en", charset="utf-8", cte="quoted-printable"),
    dict(kind="html", lang="de", charset="windows-1252", cte="quoted-printable", smart=True),
    dict(kind="attach", lang="en", charset="utf-8", cte="quoted-printable", attach=["pdf-2231", "csv"]),
    dict(kind="attach", lang="de", charset="utf-8", cte="base64", alt=True, attach=["png", "zip-2231-long"]),
    dict(kind="related", lang="fr", charset="utf-8", cte="quoted-printable", subj_enc=("utf-8", "Q")),
    dict(kind="forward", lang="en", charset="utf-8", cte="8bit"),
    dict(kind="alt", lang="ru", charset="utf-8", cte="base64", from_enc=("utf-8", "Q")),
]
# Coverage positions that reply to an earlier coverage message: a thread of four.
FORCED_REPLIES = {10: 0, 11: 10, 13: 11}

TZ_OFFSETS = [0, 60, 60, 120, -300, -480, 180, 330, 480, 540]

# ---------------------------------------------------------------------------
# Small helpers


def fits(text, charset):
    try:
        text.encode(charset)
        return True
    except UnicodeEncodeError:
        return False


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def wrap_words(text, width):
    lines, cur = [], ""
    for word in text.split(" "):
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width:
            cur += " " + word
        else:
            lines.append(cur)
            cur = word
    lines.append(cur)
    return lines


def wrap_text(text, lang, width=72):
    if lang in CJK:
        w = width // 2
        return [text[i:i + w] for i in range(0, len(text), w)]
    return wrap_words(text, width)


def html_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def rfc2822_date(d, offset_minutes):
    local = d + dt.timedelta(minutes=offset_minutes)
    sign = "+" if offset_minutes >= 0 else "-"
    off = abs(offset_minutes)
    return (f"{WEEKDAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} "
            f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} {sign}{off // 60:02d}{off % 60:02d}")


def asctime(d):
    return (f"{WEEKDAYS[d.weekday()]} {MONTHS[d.month - 1]} {d.day:2d} "
            f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} {d.year}")


# --- RFC 2047 -------------------------------------------------------------

def _q_word(data):
    out = []
    for b in data:
        if (48 <= b <= 57) or (65 <= b <= 90) or (97 <= b <= 122):
            out.append(chr(b))
        elif b == 32:
            out.append("_")
        else:
            out.append("=%02X" % b)
    return "".join(out)


def encoded_words(text, charset, mode):
    """Splits text into RFC 2047 encoded words of at most 75 characters,
    never inside a character."""
    def enc(s):
        data = s.encode(charset)
        body = base64.b64encode(data).decode() if mode == "B" else _q_word(data)
        return f"=?{charset}?{mode}?{body}?="
    words, cur = [], ""
    for ch in text:
        if cur and len(enc(cur + ch)) > 75:
            words.append(enc(cur))
            cur = ch
        else:
            cur += ch
    if cur:
        words.append(enc(cur))
    return words


def fold(name, tokens, sep=" "):
    """A header from tokens joined by sep, folded before a token when the line
    would pass 78 characters (unfolding restores the joined text)."""
    lines, line = [], f"{name}:"
    for i, tok in enumerate(tokens):
        joiner = " " if i == 0 else sep
        if i > 0 and len(line) + len(joiner) + len(tok) > 78:
            lines.append(line + sep.rstrip())
            line = " " + tok
        else:
            line += joiner + tok
    lines.append(line)
    return "\n".join(lines)


def unstructured(name, text, charset, mode):
    """A Subject-like header; ASCII leading words stay literal, the rest is
    encoded when it is not ASCII. Returns (header, used_encoding)."""
    if text.isascii():
        return fold(name, text.split(" ")), False
    words = text.split(" ")
    lead = []
    for w in words:
        if w.isascii():
            lead.append(w)
        else:
            break
    rest = " ".join(words[len(lead):])
    if not fits(rest, charset):
        charset = "utf-8"
    enc = encoded_words(rest, charset, mode)
    # Encoded words are separated by folding whitespace, which decoders drop.
    head = f"{name}: " + " ".join(lead)
    lines = [head.rstrip() + " " + enc[0] if lead else head + enc[0]]
    for w in enc[1:]:
        lines.append(" " + w)
    return "\n".join(lines), True


def phrase(name, charset, mode):
    """A display name as it goes into an address header."""
    if not name:
        return "", False
    if name.isascii():
        if re.fullmatch(r"[A-Za-z0-9' -]+", name):
            return name, False
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"', False
    if not fits(name, charset):
        charset = "utf-8"
    words = encoded_words(name, charset, mode)
    if len(words) > 1:
        # Decoders disagree on whitespace between encoded words in a phrase,
        # so a display name is always a single encoded word.
        words = encoded_words(name, charset, "B")
    if len(words) > 1:
        words = encoded_words(name, "utf-8", "B")
    assert len(words) == 1, name
    return words[0], True


def address(name, addr, charset, mode):
    p, used = phrase(name, charset, mode)
    return (f"{p} <{addr}>" if p else addr), used


# --- RFC 2231 -------------------------------------------------------------

def _pct(data):
    safe = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._"
    return "".join(chr(b) if b in safe else "%%%02X" % b for b in data)


def file_param(param, filename, charset="utf-8"):
    """Parameter text (without the leading "; ") for a file name: quoted when
    ASCII, RFC 2231 (with continuations when long) otherwise."""
    if filename.isascii() and '"' not in filename and "\\" not in filename:
        return f'{param}="{filename}"'
    if not fits(filename, charset):
        charset = "utf-8"
    value = _pct(filename.encode(charset))
    if len(value) <= 50:
        return f"{param}*={charset}''{value}"
    chunks, i = [], 0
    while i < len(value):
        j = min(i + 45, len(value))
        # never split a %XX triple
        if j < len(value):
            k = value.rfind("%", i, j)
            if k != -1 and k + 3 > j:
                j = k
        chunks.append(value[i:j])
        i = j
    parts = [f"{param}*0*={charset}''{chunks[0]}"] + [f"{param}*{n}*={c}" for n, c in enumerate(chunks[1:], 1)]
    return ";\n ".join(parts)


# --- transfer encodings ---------------------------------------------------

FROM_LINE = re.compile(rb"^From ", re.M)


def qp(data):
    out = binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)
    return FROM_LINE.sub(b"=46rom ", out)


def b64(data):
    return base64.encodebytes(data)


def encode_body(data, cte):
    if cte == "base64":
        return b64(data)
    if cte == "quoted-printable":
        return qp(data)
    return data


# ---------------------------------------------------------------------------
# MIME entities: (header lines, body bytes ending in LF)

def leaf(ctype, cte, body, extra=()):
    headers = [f"Content-Type: {ctype}"] + list(extra) + [f"Content-Transfer-Encoding: {cte}"]
    return headers, encode_body(body, cte)


def serialize(headers, body):
    return ("\n".join(headers) + "\n\n").encode("ascii") + body


def multipart(rng, subtype, parts, params=""):
    boundary = "=_tandem_%024x" % rng.getrandbits(96)
    headers = [f'Content-Type: multipart/{subtype};{params}\n boundary="{boundary}"']
    b = boundary.encode()
    chunks = [b"This is a multi-part message in MIME format.\n"]
    for h, body in parts:
        chunks.append(b"--" + b + b"\n")
        chunks.append(serialize(h, body))
    chunks.append(b"--" + b + b"--\n")
    return headers, b"".join(chunks)


# ---------------------------------------------------------------------------
# Binary payloads


class Payload:
    """A pool of seeded random bytes; slices of it make attachment contents."""

    def __init__(self, seed):
        rng = random.Random(f"tandem-corpus/{seed}/payload")
        self.pool = rng.randbytes(4 * 1024 * 1024)

    def take(self, rng, n):
        out = []
        while n > 0:
            start = rng.randrange(len(self.pool) // 2)
            k = min(n, len(self.pool) - start)
            out.append(self.pool[start:start + k])
            n -= k
        return b"".join(out)


def random_bytes(rng, payload, n):
    if n > len(payload.pool) // 2:
        return rng.randbytes(n)
    return payload.take(rng, n)


def _stored_zlib(raw):
    """A zlib stream of stored (uncompressed) deflate blocks: deterministic
    whatever zlib implementation is installed."""
    out = [b"\x78\x01"]
    for i in range(0, max(len(raw), 1), 65535):
        block = raw[i:i + 65535]
        final = 1 if i + 65535 >= len(raw) else 0
        out.append(struct.pack("<BHH", final, len(block), 0xFFFF ^ len(block)))
        out.append(block)
    out.append(struct.pack(">I", zlib.adler32(raw) & 0xFFFFFFFF))
    return b"".join(out)


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def make_png(width, height, pixels):
    """A valid RGB PNG; pixels holds width*height*3 bytes."""
    stride = width * 3
    raw = b"".join(b"\x00" + pixels[y * stride:(y + 1) * stride] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _png_chunk(b"tEXt", b"Software\x00Tandem test corpus")
            + _png_chunk(b"IDAT", _stored_zlib(raw))
            + _png_chunk(b"IEND", b""))


def picture_png(rng, width=48, height=48):
    """A small, viewable picture: a seeded two-colour gradient."""
    c1 = [rng.randrange(256) for _ in range(3)]
    c2 = [rng.randrange(256) for _ in range(3)]
    px = bytearray()
    for y in range(height):
        for x in range(width):
            t = (x + y) / (width + height - 2)
            px += bytes(int(c1[i] + (c2[i] - c1[i]) * t) for i in range(3))
    return make_png(width, height, bytes(px))


def sized_png(rng, payload, size):
    width = 256
    height = max(1, (size - 200) // (width * 3 + 1))
    return make_png(width, height, random_bytes(rng, payload, width * height * 3))


def sized_pdf(rng, payload, size):
    head = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
            b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n")
    tail = b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Size 5 >>\n%%EOF\n"
    n = max(0, size - len(head) - len(tail) - 64)
    stream_head = b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % n
    data = head + stream_head + random_bytes(rng, payload, n) + tail
    if len(data) < size:  # pad the comment so the size is exact
        data = data[:-6] + b"%" + b" " * (size - len(data) - 2) + b"\n" + data[-6:]
    return data


def sized_zip(rng, payload, size, members=None):
    def build(n):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            info = zipfile.ZipInfo("data/archive.bin", date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, data_for(n))
            for name, text in members or []:
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                z.writestr(info, text)
        return buf.getvalue()
    content = {}

    def data_for(n):
        if n not in content:
            content[n] = random_bytes(rng, payload, n) if n else b""
        return content[n]
    overhead = len(build(0))
    return build(max(0, size - overhead))


def sized_jpeg(rng, payload, size):
    head = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
            b"\xff\xdb\x00\x43\x00" + bytes(range(1, 65)))
    body = random_bytes(rng, payload, max(0, size - len(head) - 2))
    return head + body + b"\xff\xd9"


def csv_table(rng, rows):
    lines = ["date,account,description,amount_eur"]
    items = ["Office supplies", "Travel", "Hosting", "Licences", "Catering", "Übersetzung", "Réception"]
    for i in range(rows):
        lines.append(f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},{4000 + rng.randrange(900)},"
                     f"{rng.choice(items)},{rng.randrange(10, 99999) / 100:.2f}")
    return ("\n".join(lines) + "\n").encode("utf-8")


ATTACHMENT_NAMES = {
    "pdf": ["report-q3.pdf", "invoice-4711.pdf", "minutes.pdf", "contract_v2.pdf"],
    "pdf-2231": ["Übersicht März 2024.pdf", "Sprawozdanie_żółć.pdf", "Отчёт за квартал.pdf", "見積書.pdf",
                 "Présentation été.pdf"],
    "png": ["screenshot.png", "diagram.png", "chart-2024.png"],
    "jpeg": ["IMG_2041.jpg", "team-photo.jpg", "whiteboard.jpg"],
    "zip": ["logs.zip", "source-snapshot.zip", "photos.zip"],
    "zip-2231-long": ["Projektübersicht_und_Zeitplan_für_das_zweite_Halbjahr_2024_endgültige_Fassung.zip",
                      "Документация_по_проекту_и_план_работ_на_второе_полугодие.zip"],
    "csv": ["expenses.csv", "ledger-2024.csv"],
    "docx": ["proposal.docx", "会议纪要.docx", "Angebot_Müller.docx"],
}
MIME_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg", "zip": "application/zip",
              "csv": "text/csv", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def make_attachment(rng, payload, kind, size=None):
    """Returns (filename, mime_type, data, name_charset)."""
    base = kind.split("-")[0]
    filename = rng.choice(ATTACHMENT_NAMES[kind])
    if size is None:
        size = {"pdf": (20_000, 180_000), "png": (8_000, 90_000), "jpeg": (15_000, 120_000),
                "zip": (10_000, 150_000), "csv": (0, 0), "docx": (8_000, 60_000)}[base]
        size = rng.randint(*size)
    if base == "pdf":
        data = sized_pdf(rng, payload, size)
    elif base == "png":
        data = sized_png(rng, payload, size)
    elif base == "jpeg":
        data = sized_jpeg(rng, payload, size)
    elif base == "zip":
        data = sized_zip(rng, payload, size, [("README.txt", b"Snapshot for the test corpus.\n")])
    elif base == "docx":
        data = sized_zip(rng, payload, size, [("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types/>")])
    else:
        data = csv_table(rng, rng.randint(20, 400) if size == 0 else max(1, size // 40))
    charset = "iso-8859-1" if fits(filename, "iso-8859-1") and not filename.isascii() and rng.random() < 0.3 \
        else "utf-8"
    return filename, MIME_TYPES[base], data, charset


def attachment_entity(rng, filename, mime, data, name_charset, disposition="attachment", cid=None):
    params = file_param("name", filename, name_charset)
    headers = [f"Content-Type: {mime};\n {params}",
               f"Content-Disposition: {disposition};\n {file_param('filename', filename, name_charset)}"]
    if cid:
        headers.append(f"Content-ID: <{cid}>")
    headers.append("Content-Transfer-Encoding: base64")
    info = {"filename": filename, "mime_type": mime, "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "disposition": disposition,
            "content_id": cid, "nested": False}
    return (headers, b64(data)), info


# ---------------------------------------------------------------------------
# Text pools


class Para:
    __slots__ = ("text", "plain", "html")

    def __init__(self, text, lang):
        self.text = text
        self.plain = wrap_text(text, lang)
        self.html = wrap_text(html_escape(text), lang, 76)


class Pools:
    def __init__(self, seed):
        self.seed = seed
        self.cache = {}

    def get(self, lang, charset):
        key = (lang, charset)
        if key not in self.cache:
            rng = random.Random(f"tandem-corpus/{self.seed}/pool/{lang}/{charset}")
            base = [s for s in SENTENCES[lang] if fits(s, charset)]
            special = []
            if charset in ("iso-8859-15", "windows-1252", "utf-8"):
                special += [s for s in EURO.get(lang, []) if fits(s, charset)]
            if charset in ("windows-1252", "utf-8"):
                special += [s for s in SMART.get(lang, []) if fits(s, charset)]
            assert base, key
            joiner = "" if lang in CJK else " "
            paras = []
            for _ in range(48):
                sents = rng.sample(base, min(len(base), rng.randint(2, 6)))
                if special and (charset != "utf-8" or rng.random() < 0.3):
                    sents.insert(rng.randrange(len(sents) + 1), rng.choice(special))
                paras.append(Para(joiner.join(sents), lang))
            self.cache[key] = paras
        return self.cache[key]


BYTES_PER_CHAR = {"ja": 2.6, "zh": 2.6, "ru": 1.9}


def pick_paragraphs(rng, pools, lang, charset, target):
    pool = pools.get(lang, charset)
    per = BYTES_PER_CHAR.get(lang, 1.03)
    out, total = [], 0
    while not out or total < target:
        p = rng.choice(pool)
        out.append(p)
        total += (len(p.text) + 2) * per
    return out


def first_name(name, lang):
    if lang == "zh":
        return name
    return name.split(" ")[0]


def greeting_for(rng, lang, charset, recipient):
    g = rng.choice(GREETINGS[lang])
    if "{" in g:
        name = recipient[0] if recipient else ""
        if not name or not fits(name, charset):
            return GENERIC_GREETING[lang]
        g = g.format(first=first_name(name, lang), full=name)
    return g


def signer_for(sender, charset):
    return sender[0] if fits(sender[0], charset) else sender[1]


# ---------------------------------------------------------------------------
# Message rendering


class Ctx:
    def __init__(self, seed):
        self.seed = seed
        self.pools = Pools(seed)
        self.payload = Payload(seed)
        self.ids = set()


def text_bodies(rng, ctx, spec, target, html=False, flowed=False, images=()):
    """(plain text, html text) for a spec; either may be None."""
    lang, charset = spec["lang"], spec["charset"]
    paras = pick_paragraphs(rng, ctx.pools, lang, charset, target)
    greeting = greeting_for(rng, lang, charset, spec["to"][0] if spec["to"] and not spec.get("list") else None)
    closing = rng.choice(CLOSINGS[lang])
    signer = signer_for(spec["from"], charset)
    quote = None
    parent = spec.get("parent")
    if parent is not None:
        qparas = pick_paragraphs(rng, ctx.pools, lang, charset, 200)[:2]
        pname = parent["from"][0] if fits(parent["from"][0], charset) else parent["from"][1]
        attribution = ATTRIBUTION[lang].format(date=parent["date_header"], name=pname)
        if not fits(attribution, charset):
            attribution = ATTRIBUTION["en"].format(date=parent["date_header"], name=parent["from"][1])
        quote = (attribution, qparas)
    plain = None
    if not spec.get("html_only"):
        lines = [greeting, ""]
        for p in paras:
            if flowed:
                wl = wrap_words(p.text, 66)
                lines.extend([w + " " for w in wl[:-1]] + [wl[-1]])
            else:
                lines.extend(p.plain)
            lines.append("")
        if spec.get("note"):
            lines.extend(wrap_text(spec["note"], lang) + [""])
        lines.extend([closing, signer])
        if rng.random() < 0.3:
            lines.extend(["", "-- ", signer, "Phone +1 555 0100"])
        if quote:
            lines.extend(["", quote[0]])
            for i, p in enumerate(quote[1]):
                if i:
                    lines.append(">")
                lines.extend("> " + l for l in p.plain)
        plain = "\n".join(lines) + "\n"
    h = None
    if html:
        lines = ["<!DOCTYPE html>", f'<html lang="{lang}">', "<head>",
                 f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
                 "<style>body { font-family: sans-serif; font-size: 14px; } "
                 "blockquote { border-left: 2px solid #888; margin: 0; padding-left: 8px; }</style>",
                 "</head>", "<body>", f"<p>{html_escape(greeting)}</p>"]
        for i, p in enumerate(paras):
            if i == 1 and rng.random() < 0.5:
                lines.append('<p>Project page: <a href="https://intranet.example.com/projects/tandem">'
                             'intranet.example.com/projects/tandem</a></p>')
            if i == 2 and rng.random() < 0.3:
                lines.extend(["<ul>", "<li><b>Status:</b> on track</li>", "<li><i>Owner:</i> team</li>", "</ul>"])
            lines.append("<p>")
            lines.extend(p.html)
            lines.append("</p>")
        for cid, alt in images:
            lines.append(f'<p><img src="cid:{cid}" alt="{html_escape(alt)}" width="48" height="48"></p>')
        if spec.get("note"):
            lines.append("<p>" + html_escape(spec["note"]) + "</p>")
        lines.append(f"<p>{html_escape(closing)}<br>")
        lines.append(f"{html_escape(signer)}</p>")
        if quote:
            lines.append(f"<p>{html_escape(quote[0])}</p>")
            lines.append("<blockquote>")
            for p in quote[1]:
                lines.append("<p>")
                lines.extend(p.html)
                lines.append("</p>")
            lines.append("</blockquote>")
        lines.extend(["</body>", "</html>"])
        h = "\n".join(lines) + "\n"
    return plain, h


def text_leaf(spec, subtype, text, charset, cte, flowed=False):
    params = f"; charset={charset}" + ("; format=flowed" if flowed else "")
    return leaf(f"text/{subtype}{params}", cte, text.encode(charset))


def body_entity(rng, ctx, spec, state, target):
    """The text part of a message (plain, alternative or HTML only)."""
    charset, cte = spec["charset"], spec["cte"]
    state["charsets"].add(charset)
    kind = spec["kind"]
    if kind == "flowed":
        plain, _ = text_bodies(rng, ctx, spec, target, flowed=True)
        state["features"] |= {"plain", "flowed"}
        return text_leaf(spec, "plain", plain, charset, cte, flowed=True)
    want_alt = kind == "alt" or spec.get("alt") or kind == "related"
    if kind == "html":
        spec = dict(spec, html_only=True)
        _, html = text_bodies(rng, ctx, spec, target, html=True)
        state["features"].add("html-only")
        return text_leaf(spec, "html", html, charset, cte)
    if want_alt:
        images = []
        if kind == "related":
            for i in range(rng.randint(1, 2)):
                cid = "img%d.%08x@%s" % (i + 1, rng.getrandbits(32), spec["from"][1].split("@")[1])
                images.append((cid, f"Picture {i + 1}"))
        plain, html = text_bodies(rng, ctx, spec, target / 2.2, html=True, images=images)
        alt = multipart(rng, "alternative", [text_leaf(spec, "plain", plain, charset, cte),
                                             text_leaf(spec, "html", html, charset, cte)])
        state["features"].add("html-alternative")
        if not images:
            return alt
        parts = [alt]
        for cid, alt_text in images:
            png = picture_png(rng)
            ent, info = attachment_entity(rng, f"picture{len(parts)}.png", "image/png", png, "utf-8",
                                          disposition="inline", cid=cid)
            parts.append(ent)
            state["attachments"].append(info)
        state["features"].add("inline-image")
        return multipart(rng, "related", parts, ' type="multipart/alternative";')
    plain, _ = text_bodies(rng, ctx, spec, target)
    state["features"].add("plain")
    return text_leaf(spec, "plain", plain, charset, cte)


def envelope_headers(rng, spec, state, nested=False):
    """Top-level headers (without MIME ones)."""
    lang = spec["lang"]
    legacy = [c for c in LANG_CHARSETS[lang] if c not in ("us-ascii",)]
    subj_cs, subj_mode = spec.get("subj_enc") or (rng.choice(legacy), rng.choice("BQ"))
    from_cs, from_mode = spec.get("from_enc") or (rng.choice(legacy), rng.choice("BQ"))
    h = []
    if not nested and spec["folder"] != "Sent":
        h.append(f"Return-Path: <{spec['from'][1]}>")
        qid = "%010X" % rng.getrandbits(40)
        n = 10 + rng.randrange(200)
        dom = spec["from"][1].split("@")[1]
        h.append(f"Received: from mail.{dom} (mail.{dom} [192.0.2.{n}])\n\tby mx.{MY_DOMAIN} (Postfix) "
                 f"with ESMTPS id {qid}\n\tfor <{ME[1]}>; {spec['date_header']}")
    h.append(f"Message-ID: <{spec['message_id']}>")
    h.append(f"Date: {spec['date_header']}")
    frm, used = address(spec["from"][0], spec["from"][1], from_cs, from_mode)
    h.append(f"From: {frm}")
    if used and not nested:
        state["features"].add("rfc2047-from")
    if spec.get("sender"):
        h.append(f"Sender: {spec['sender']}")
    to_cs, to_mode = rng.choice(legacy), rng.choice("BQ")
    h.append(fold("To", [address(n, a, to_cs, to_mode)[0] for n, a in spec["to"]], sep=", "))
    if spec.get("cc"):
        h.append(fold("Cc", [address(n, a, to_cs, to_mode)[0] for n, a in spec["cc"]], sep=", "))
    subj, used = unstructured("Subject", spec["subject"], subj_cs, subj_mode)
    h.append(subj)
    if used and not nested:
        state["features"].add("rfc2047-subject")
    if spec.get("parent") is not None:
        p = spec["parent"]
        h.append(f"In-Reply-To: <{p['message_id']}>")
        refs = p["references"] + [p["message_id"]]
        h.append(fold("References", [f"<{r}>" for r in refs]))
    if spec.get("list"):
        lname, lid, ldom = spec["list"]
        lphrase, _ = phrase(lname, "utf-8", "Q")
        h.append(f"List-Id: {lphrase} <{lid}.{ldom}>")
        h.append(f"List-Unsubscribe: <mailto:{lid}-leave@{ldom}>,\n <https://{ldom}/unsubscribe/{lid}>")
        h.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        h.append(f"List-Post: <mailto:{lid}@{ldom}>")
        h.append(f"List-Archive: <https://{ldom}/archive/{lid}/>")
        h.append("Precedence: list")
    h.append(f"User-Agent: {spec['agent']}")
    h.append("MIME-Version: 1.0")
    return h


def render(rng, ctx, spec):
    """Returns (LF bytes, features, attachments) for a spec."""
    state = {"features": set(), "charsets": set(), "attachments": []}
    target = spec["target"]
    kind = spec["kind"]
    if kind in ("attach", "large"):
        body = body_entity(rng, ctx, dict(spec, kind="alt" if spec.get("alt") else "plain"), state, target)
        parts = [body]
        for item in spec["attach"]:
            kind_name, size = item if isinstance(item, tuple) else (item, None)
            fn, mime, data, ncs = make_attachment(rng, ctx.payload, kind_name, size)
            ent, info = attachment_entity(rng, fn, mime, data, ncs)
            parts.append(ent)
            state["attachments"].append(info)
        state["features"].add("attachment")
        root = multipart(rng, "mixed", parts)
    elif kind == "forward":
        inner_spec = spec["inner"]
        inner_state = {"features": set(), "charsets": set(), "attachments": []}
        ib = body_entity(rng, ctx, inner_spec, inner_state, 600)
        fn, mime, data, ncs = make_attachment(rng, ctx.payload, "pdf", spec.get("inner_size"))
        ent, info = attachment_entity(rng, fn, mime, data, ncs)
        inner_root = multipart(rng, "mixed", [ib, ent])
        inner = serialize(envelope_headers(rng, inner_spec, inner_state, nested=True) + inner_root[0],
                          inner_root[1])
        for a in inner_state["attachments"] + [info]:
            a["nested"] = True
        fspec = dict(spec, kind="plain", parent=None, note=FORWARD_NOTES.get(spec["lang"], FORWARD_NOTES["en"]))
        body = body_entity(rng, ctx, fspec, state, 300)
        cte = "7bit" if inner.isascii() else "8bit"
        rfc = (["Content-Type: message/rfc822", "Content-Disposition: inline",
                f"Content-Transfer-Encoding: {cte}"], inner)
        root = multipart(rng, "mixed", [body, rfc])
        state["charsets"] |= inner_state["charsets"]
        state["attachments"] += inner_state["attachments"] + [info]
        state["features"].add("rfc822")
    else:
        root = body_entity(rng, ctx, spec, state, target)
    headers = envelope_headers(rng, spec, state) + root[0]
    data = serialize(headers, root[1])
    if len(data) + data.count(b"\n") >= LARGE_THRESHOLD:
        state["features"].add("large")
    features = [f for f in FEATURE_ORDER if f in state["features"]]
    features += [f"charset:{c}" for c in sorted(state["charsets"])]
    return data, features, state["attachments"]


# ---------------------------------------------------------------------------
# Planning: which messages a folder holds


FOLDER_STYLE = {
    "INBOX": dict(start=(2024, 1, 2), gap=(5, 480), reply=0.3),
    "Archive": dict(start=(2022, 6, 1), gap=(60, 4000), reply=0.3),
    "Work": dict(start=(2024, 1, 8), gap=(20, 600), reply=0.35),
    "Lists": dict(start=(2023, 11, 1), gap=(30, 900), reply=0.5),
    "Sent": dict(start=(2024, 1, 2), gap=(120, 1800), reply=0.65),
    "Large": dict(start=(2024, 2, 1), gap=(600, 3000), reply=0.0),
    "Bench": dict(start=(2024, 3, 1), gap=(1, 90), reply=0.3),
}


def random_recipe(rng, folder):
    lang = weighted(rng, LANG_WEIGHTS)
    charset = "utf-8" if rng.random() < 0.45 else rng.choice(LANG_CHARSETS[lang])
    cte = rng.choice(CHARSET_CTES[charset])
    weights = KIND_WEIGHTS
    if folder == "Work":
        weights = [(k, w * (3 if k in ("attach", "alt") else 1)) for k, w in KIND_WEIGHTS]
    kind = weighted(rng, weights)
    if kind == "flowed" and lang in CJK:  # format=flowed needs spaces to break at
        lang = rng.choice(["en", "de", "fr", "pl", "cs", "ru"])
        charset = rng.choice(LANG_CHARSETS[lang])
        cte = rng.choice(CHARSET_CTES[charset])
    r = dict(kind=kind, lang=lang, charset=charset, cte=cte)
    if kind == "attach":
        r["alt"] = rng.random() < 0.5
        n = 1 if rng.random() < 0.7 else rng.randint(2, 3)
        r["attach"] = [rng.choice(["pdf", "pdf", "png", "jpeg", "zip", "csv", "docx", "pdf-2231"]) for _ in range(n)]
    if kind == "forward" and lang not in FORWARD_NOTES:
        r["lang"], r["charset"], r["cte"] = "en", "utf-8", rng.choice(CHARSET_CTES["utf-8"])
    return r


def bench_sizes(rng, recipe):
    """Bench message sizes: mostly 2-20 KB, some with 50-500 KB attachments."""
    if recipe["kind"] == "attach":
        if rng.random() < 0.25:
            sizes = [int(math.exp(rng.uniform(math.log(50_000), math.log(500_000))))]
        else:
            sizes = [rng.randint(3_000, 30_000) for _ in recipe["attach"]]
        kinds = [k if k not in ("csv",) else "pdf" for k in recipe["attach"]][:len(sizes)]
        recipe["attach"] = list(zip(kinds, sizes))
        return rng.randint(600, 3000)
    if recipe["kind"] == "forward":
        recipe["inner_size"] = rng.randint(5_000, 60_000)
    return int(math.exp(rng.uniform(math.log(1_600), math.log(18_000))))


def pick_person(rng, lang, exclude=None):
    choices = [p for p in PEOPLE[lang] if p != exclude]
    return rng.choice(choices)


def new_subject(rng, recipe):
    lang = recipe["lang"]
    if recipe.get("euro") and lang in EURO_SUBJECTS:
        return rng.choice(EURO_SUBJECTS[lang])
    if recipe.get("smart") and lang in SMART_SUBJECTS:
        return rng.choice(SMART_SUBJECTS[lang])
    return rng.choice(SUBJECTS[lang])


def strip_prefix(subject):
    while subject.startswith(("Re: ", "Fwd: ")):
        subject = subject.split(" ", 1)[1]
    return subject


def plan_folder(rng, ctx, folder, count, planned):
    style = FOLDER_STYLE[folder]
    date = dt.datetime(*style["start"], 8, 0, 0)
    specs = []
    inbox = planned.get("INBOX", [])
    for i in range(count):
        date = date + dt.timedelta(minutes=rng.randint(*style["gap"]), seconds=rng.randrange(60))
        if folder == "Large":
            recipe = dict(kind="large", lang="en", charset=["us-ascii", "utf-8", "utf-8"][i], cte="7bit" if i == 0
                          else "quoted-printable", attach=[[("pdf", 1 << 20)], [("png", 5 << 20)],
                                                           [("zip", 20 << 20)]][i])
        elif folder != "Bench" and i < len(COVERAGE):
            recipe = dict(COVERAGE[i])
        else:
            recipe = random_recipe(rng, folder)
        target = bench_sizes(rng, recipe) if folder == "Bench" else rng.randint(300, 3000)
        parent = None
        if folder == "Sent":
            earlier = [s for s in inbox if s["date"] < date][-20:]
            if earlier and rng.random() < style["reply"] and recipe["kind"] != "forward":
                parent = rng.choice(earlier)
        elif folder != "Bench" and i < len(COVERAGE):
            if i in FORCED_REPLIES:
                parent = specs[FORCED_REPLIES[i]]
        elif specs and recipe["kind"] != "forward" and rng.random() < style["reply"]:
            parent = rng.choice(specs[-12:])
        lang = recipe["lang"]
        # people
        sender = pick_person(rng, lang)
        if folder == "Sent":
            sender = ME
            to = [parent["from"]] if parent else [pick_person(rng, lang)]
        elif folder == "Lists":
            lst = parent["list"] if parent and parent.get("list") else \
                rng.choice(MAILING_LISTS.get(lang, MAILING_LISTS["en"]))
            to = [(lst[0], f"{lst[1]}@{lst[2]}")]
            recipe["list"] = lst
        else:
            to = [ME]
        if parent and folder != "Sent" and parent["from"] != ME and rng.random() < 0.5 and folder != "Lists":
            to = [ME, parent["from"]]
        cc = []
        if folder in ("Work", "INBOX", "Bench", "Archive") and rng.random() < (0.4 if folder == "Work" else 0.15):
            cc = [pick_person(rng, lang, sender) for _ in range(rng.randint(1, 2))]
            cc = list(dict.fromkeys(cc))
        if folder == "Sent" and rng.random() < 0.2:
            to = to + [pick_person(rng, lang, to[0])]
        # subject
        if parent:
            subject = "Re: " + strip_prefix(parent["subject"])
        else:
            subject = new_subject(rng, recipe)
            if folder == "Large":
                subject = ["Scanned contract (1 MB)", "Site photo, full resolution", "Raw measurement data"][i]
            if recipe.get("list"):
                subject = f"[{recipe['list'][1]}] " + subject
        inner = None
        if recipe["kind"] == "forward":
            ilang = rng.choice(["en", "de", "fr", "pl", "ru"])
            icharset = rng.choice(LANG_CHARSETS[ilang])
            inner = dict(kind="plain", lang=ilang, charset=icharset, cte=rng.choice(CHARSET_CTES[icharset]),
                         folder=folder, date=date - dt.timedelta(days=rng.randint(1, 30)),
                         **{"from": pick_person(rng, ilang)}, to=[pick_person(rng, ilang)],
                         subject=new_subject(rng, dict(lang=ilang)), parent=None, references=[], target=600,
                         agent=rng.choice(USER_AGENTS))
            inner["date_header"] = rfc2822_date(inner["date"], rng.choice(TZ_OFFSETS))
            inner["message_id"] = new_message_id(rng, ctx, inner)
            subject = "Fwd: " + inner["subject"]
        spec = dict(recipe, folder=folder, date=date, to=to, cc=cc, subject=subject, parent=parent,
                    target=target, inner=inner, agent=rng.choice(USER_AGENTS), **{"from": sender})
        if recipe.get("list"):
            spec["sender"] = f"{recipe['list'][1]}-bounces@{recipe['list'][2]}"
        spec["date_header"] = rfc2822_date(date, 0 if folder == "Sent" else rng.choice(TZ_OFFSETS))
        spec["references"] = (parent["references"] + [parent["message_id"]])[-10:] if parent else []
        spec["message_id"] = new_message_id(rng, ctx, spec)
        specs.append(spec)
    if folder == "Sent":
        specs.sort(key=lambda s: s["date"])
    return specs


def new_message_id(rng, ctx, spec):
    dom = spec["from"][1].split("@")[1]
    while True:
        mid = f"{spec['date']:%Y%m%d%H%M%S}.{rng.getrandbits(48):012x}@{dom}"
        if mid not in ctx.ids:
            ctx.ids.add(mid)
            return mid


# ---------------------------------------------------------------------------
# Showcase: three fixed messages the GUI tests and the demo open by UID (see
# tests/ui/). Written by hand rather than planned, so each one shows exactly
# one thing a viewer must get right.

SHOWCASE_TEXT = {
    # UID 1: non-ASCII headers, plain + HTML alternative, one file to save.
    "plain": "Hallo Alice,\n\nDie Zahlen für März sind da: 1.234 € Umsatz.\n\nViele Grüße\nJörg\n",
    "html": ("<html><body><h2>Grüße aus Köln</h2>\n<p>Die Zahlen für <b>März</b> sind da: "
             "1.234 € Umsatz.</p>\n<p>Viele Grüße<br>Jörg</p>\n</body></html>\n"),
    # UID 2: remote images, a tracking pixel and a remote style sheet, none of which may load.
    "remote": ("<html><head><link rel=\"stylesheet\" href=\"https://cdn.shop.example.com/news.css\">"
               "</head><body>\n<p><img src=\"https://images.shop.example.com/spring-banner.png\" "
               "alt=\"Spring banner\" width=\"400\" height=\"120\"></p>\n<h2>Spring offers</h2>\n"
               "<p>Our garden furniture is 20% off until Sunday.</p>\n"
               "<img src=\"http://tracker.shop.example.com/open.gif?u=alice\" width=\"1\" height=\"1\">\n"
               "</body></html>\n"),
    # UID 3: an inline picture referenced by Content-ID, which is local and does show.
    "inline": ("<html><body>\n<p>The view from the top of the hike:</p>\n"
               "<p><img src=\"cid:hike-photo@example.org\" alt=\"hike photo\"></p>\n"
               "<p>See you next Sunday!</p>\n</body></html>\n"),
}


def showcase_csv():
    rows = ["Monat;Umsatz;Kosten", "Januar;1.102;870", "Februar;998;912", "März;1.234;905"]
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def showcase_folder(rng, ctx):
    """[(spec, LF bytes, features, attachments)] for the Showcase folder."""
    out = []
    base = dt.datetime(2024, 3, 18, 9, 30, 0)
    people = [("Jörg Müller", "joerg.mueller@example.de"), ("Garden Shop", "news@shop.example.com"),
              ("Maya Lindqvist", "maya@example.net")]
    subjects = ["Grüße aus Köln: Zahlen für März", "Spring offers: 20% off garden furniture",
                "Photo from the hike"]
    for i in range(3):
        date = base + dt.timedelta(hours=5 * i)
        spec = {"from": people[i], "to": [ME], "subject": subjects[i], "date": date,
                "date_header": rfc2822_date(date, 60), "folder": "Showcase"}
        spec["message_id"] = new_message_id(rng, ctx, spec)
        frm, from_encoded = address(people[i][0], people[i][1], "utf-8", "Q")
        subj, subject_encoded = unstructured("Subject", subjects[i], "utf-8", "Q")
        head = [f"Message-ID: <{spec['message_id']}>", f"Date: {spec['date_header']}", f"From: {frm}",
                f"To: {ME[0]} <{ME[1]}>", subj, "MIME-Version: 1.0"]
        features, attachments = set(), []
        if i == 0:
            alt = multipart(rng, "alternative", [
                leaf("text/plain; charset=utf-8", "quoted-printable", SHOWCASE_TEXT["plain"].encode("utf-8")),
                leaf("text/html; charset=utf-8", "quoted-printable", SHOWCASE_TEXT["html"].encode("utf-8"))])
            ent, info = attachment_entity(rng, "Zahlen März.csv", "text/csv", showcase_csv(), "utf-8")
            root = multipart(rng, "mixed", [alt, ent])
            attachments.append(info)
            features |= {"html-alternative", "attachment"}
        elif i == 1:
            root = leaf("text/html; charset=utf-8", "7bit", SHOWCASE_TEXT["remote"].encode("utf-8"))
            features.add("html-only")
        else:
            html = leaf("text/html; charset=utf-8", "7bit", SHOWCASE_TEXT["inline"].encode("utf-8"))
            ent, info = attachment_entity(rng, "hike.png", "image/png", picture_png(rng, 96, 64), "utf-8",
                                          disposition="inline", cid="hike-photo@example.org")
            root = multipart(rng, "related", [html, ent], params=' type="text/html";')
            attachments.append(info)
            features |= {"html-only", "inline-image"}
        if from_encoded:
            features.add("rfc2047-from")
        if subject_encoded:
            features.add("rfc2047-subject")
        data = serialize(head + root[0], root[1])
        listed = [f for f in FEATURE_ORDER if f in features] + ["charset:utf-8"]
        out.append((spec, data, listed, attachments))
    return out


# ---------------------------------------------------------------------------
# Output

LONG_LINE = re.compile(rb"[^\n]{999}")


def check_message(data, where):
    problems = []
    if b"\r" in data:
        problems.append("bare CR")
    if FROM_LINE.search(data):
        problems.append('a line starting with "From "')
    if LONG_LINE.search(data):
        problems.append("a line longer than 998 octets")
    if not data.endswith(b"\n") or data.endswith(b"\n\n"):
        problems.append("bad final line")
    head = data.split(b"\n\n", 1)[0]
    for line in head.split(b"\n"):
        name = line.split(b":", 1)[0].strip().lower().decode("ascii", "replace")
        if not line[:1].isspace() and name in FORBIDDEN_HEADERS:
            problems.append(f"forbidden header {name}")
    if problems:
        raise AssertionError(f"{where}: " + ", ".join(problems))


def render_one(rng, ctx, spec):
    return (spec,) + render(rng, ctx, spec)


def generate(out, seed, profile):
    ctx = Ctx(seed)
    family = "tiny" if profile == "tiny" else "std"
    mbox_dir = os.path.join(out, "mbox")
    os.makedirs(mbox_dir, exist_ok=True)
    folders = PROFILES[profile]
    names = {f for f, _ in folders}
    for existing in os.listdir(mbox_dir):  # stale folders of an earlier run would be imported too
        p = os.path.join(mbox_dir, existing)
        if existing not in names and os.path.isfile(p):
            os.remove(p)
    manifest = {"seed": seed, "profile": profile, "user": ME[1], "folders": {}}
    planned = {}
    total_bytes = 0
    total_msgs = 0
    for folder, count in folders:
        rng = random.Random(f"tandem-corpus/{seed}/{family}/{folder}")
        if folder == "Showcase":
            rendered = showcase_folder(rng, ctx)
        else:
            specs = plan_folder(rng, ctx, folder, count, planned)
            planned[folder] = specs
            rendered = (render_one(rng, ctx, spec) for spec in specs)
        entries = []
        tmp = os.path.join(mbox_dir, folder + ".tmp")
        with open(tmp, "wb", buffering=1 << 20) as f:
            for n, (spec, data, features, attachments) in enumerate(rendered, 1):
                check_message(data, f"{folder} message {n}")
                crlf = data.replace(b"\n", b"\r\n")
                envelope = spec["from"][1]
                f.write(f"From {envelope} {asctime(spec['date'])}\n".encode("ascii"))
                f.write(data)
                f.write(b"\n")
                entries.append({
                    "message_id": spec["message_id"],
                    "subject": spec["subject"],
                    "from_name": spec["from"][0],
                    "from_address": spec["from"][1],
                    "to": [a for _, a in spec["to"]],
                    "date": spec["date_header"],
                    "size": len(crlf),
                    "sha256": hashlib.sha256(crlf).hexdigest(),
                    "features": features,
                    "attachments": attachments,
                })
                total_bytes += len(crlf)
        os.replace(tmp, os.path.join(mbox_dir, folder))
        manifest["folders"][folder] = entries
        total_msgs += len(entries)
    tmp = os.path.join(out, "manifest.json.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, os.path.join(out, "manifest.json"))
    return manifest, total_msgs, total_bytes


def main(argv=None):
    parser = argparse.ArgumentParser(description="Generate Tandem's deterministic test mail corpus.")
    parser.add_argument("--out", required=True, help="output directory (created if missing)")
    parser.add_argument("--seed", required=True, type=int, help="random seed (a non-negative integer)")
    parser.add_argument("--profile", required=True, choices=sorted(PROFILES), help="corpus size")
    args = parser.parse_args(argv)
    if args.seed < 0:
        parser.error("--seed must be a non-negative integer")
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        parser.error(f"--out {args.out} exists and is not a directory")
    try:
        os.makedirs(args.out, exist_ok=True)
        manifest, msgs, size = generate(args.out, args.seed, args.profile)
    except OSError as e:
        print(f"make_corpus: {e}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {len(v)}" for k, v in manifest["folders"].items())
    print(f"make_corpus: profile {args.profile}, seed {args.seed}: {len(manifest['folders'])} folders "
          f"({counts}), {msgs} messages, {size} bytes (CRLF) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
