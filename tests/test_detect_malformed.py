"""Malformed-query detector: hand-written cases in every shape, real-data slices, invariants."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.detect.malformed import (
    MALFORMED_REASONS,
    has_request,
    is_blank,
    malformed_evidence,
    malformed_reasons,
)
from tests.conftest import require_data

JAVA_TRACE = """java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null
\tat com.example.app.Parser.parse(Parser.java:42)
\tat com.example.app.Main.run(Main.java:17)
\tat com.example.app.Main.main(Main.java:9)"""
PY_TRACE = """Traceback (most recent call last):
  File "/srv/app/main.py", line 12, in <module>
    main()
  File "/srv/app/main.py", line 8, in main
    total = sum(values) / len(values)
ZeroDivisionError: division by zero"""
NGINX_LOG = """2024-03-02 10:15:01 [error] 3121#0: *88 connect() failed (111: Connection refused)
2024-03-02 10:15:02 [error] 3121#0: *89 connect() failed (111: Connection refused)
2024-03-02 10:15:04 [warn] 3121#0: *90 upstream server temporarily disabled"""
SYSLOG = """Mar  3 04:12:09 web01 sshd[2211]: Failed password for root from 10.0.0.7 port 5512 ssh2
Mar  3 04:12:11 web01 sshd[2211]: Failed password for root from 10.0.0.7 port 5512 ssh2"""
JSON_DUMP = """{
  "order_id": 48213,
  "status": "shipped",
  "items": [{"sku": "A-11", "qty": 2}, {"sku": "B-07", "qty": 1}],
  "customer": {"name": "R. Diaz", "tier": "gold"}
}"""
HTML_DUMP = """<div class="product-card"><img src="/img/42.png" alt="">
<h2 class="title">Trail shoe</h2><span class="price">$89</span>
<a href="/cart/add/42" class="btn">Add to cart</a></div>"""
CSV_DUMP = """date,region,units,revenue
2024-01-01,north,120,3400.50
2024-01-02,north,98,2790.00
2024-01-03,south,143,4011.25
2024-01-04,south,77,2190.75"""
TSV_DUMP = "name\tteam\tgoals\nAlvarez\tRed\t12\nBrooks\tBlue\t9\nChen\tRed\t15"
BASE64_BLOB = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5Erk"
    "Jggg1234AbCdEfGhIjKlMnOpQrStUvWxYz0987ZyXwVuTsRqPoNmLkJiHgFeDcBa"
)
HEX_BLOB = "4a6f686e20446f652c20313233204d61696e2053742c2053707269"  * 3

MALFORMED_CASES = [
    (JAVA_TRACE, "stack_trace"),
    (PY_TRACE, "stack_trace"),
    (NGINX_LOG, "log_dump"),
    (SYSLOG, "log_dump"),
    (JSON_DUMP, "json_dump"),
    ('[{"id": 1, "ok": true}, {"id": 2, "ok": false}, {"id": 3, "ok": tr', "json_dump"),
    (HTML_DUMP, "html"),
    ("<p>Our <b>spring sale</b> ends <i>Friday</i>. <a href='/sale'>Shop now</a></p>", "html"),
    (CSV_DUMP, "table_dump"),
    (TSV_DUMP, "table_dump"),
    (BASE64_BLOB, "encoded_blob"),
    (HEX_BLOB, "encoded_blob"),
    ("Iâ€™m looking for the cafÃ© near the station", "mojibake"),
    ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚, ÐºÐ°Ðº Ð´ÐµÐ»Ð°", "mojibake"),
    ("where is my order \ufffd\ufffd\ufffd", "mojibake"),
    ("hello\x00\x00world\x07", "control_chars"),
    ("[object Object]", "placeholder"),
    ("undefined", "placeholder"),
    ("Hi {{first_name}}, your ticket {{ticket_id}} was updated", "placeholder"),
    ("NaN", "placeholder"),
    ("Lorem ipsum dolor sit amet, consectetur adipiscing elit", "placeholder"),
    ("??????????", "repeated_punct"),
    ("!!!!!!!!!!!!!!!!!!!!", "repeated_punct"),
    ("why!!!!!!!!!!!!!!!!!!!!!!!!!!", "repeated_punct"),
    ("", "empty"),
    ("   \n\t ", "empty"),
    ("word " * 7000, "too_long"),
]

CLEAN_CASES = [
    "How do I reset my password?",
    "Why does this throw?\n" + JAVA_TRACE,
    PY_TRACE + "\nCan you explain what this error means and how to fix it?",
    "What do these nginx errors mean?\n" + NGINX_LOG,
    "Convert this JSON to YAML:\n" + JSON_DUMP,
    JSON_DUMP + "\nWhich field holds the customer tier?",
    "Why is my card not centered?\n" + HTML_DUMP,
    "What does the <br> tag do in HTML?",
    "Summarize the revenue by region from this CSV:\n" + CSV_DUMP,
    "Please decode this base64 string: " + BASE64_BLOB,
    "def add(a, b):\n    \"\"\"Return the sum of a and b.\"\"\"\n",
    "Write a Python function that parses ISO dates and returns a datetime.",
    "In Jinja, how do I print {{ user.name }} only when it is set?",
    "Is 'undefined' the same as 'null' in JavaScript?",
    "Crème brûlée recipe for four people, please",
    "Wait... what? Really?!",
    "Naïve Bayes vs logistic regression for spam filtering",
    "Translate 'good morning' into Japanese: おはようございます?",
    "what's the weather in São Paulo tomorrow",
    "A. 5, 20, 35\nB. 6, 21, 36\nC. 7, 22, 37\nWhich option continues the pattern 4, 19, 34?",
]

#: Asks around a paste in French, Spanish, German, Portuguese and Italian: requests, not pastes.
OTHER_LANGUAGE_ASKS = [
    "Explique-moi ces erreurs nginx\n" + NGINX_LOG,
    "Peux-tu convertir ce JSON en YAML\n" + JSON_DUMP,
    "Traduis les valeurs de ce JSON en français\n" + JSON_DUMP,
    "Resume las ventas por región de este CSV\n" + CSV_DUMP,
    "Por favor, explica este error\n" + PY_TRACE,
    "¿Qué significa este error?\n" + PY_TRACE,
    "Erkläre mir bitte diesen Fehler\n" + PY_TRACE,
    "Kannst du dieses JSON in YAML umwandeln\n" + JSON_DUMP,
    "Fasse diese CSV-Datei nach Region zusammen\n" + CSV_DUMP,
    "Explique este log do nginx\n" + NGINX_LOG,
    "Você pode corrigir este HTML\n" + HTML_DUMP,
    "Spiega questo errore per favore\n" + PY_TRACE,
    "Riassumi questo CSV per regione\n" + CSV_DUMP,
]


@pytest.mark.parametrize(("text", "reason"), MALFORMED_CASES)
def test_hand_written_malformed_queries_get_their_reason(text: str, reason: str) -> None:
    assert reason in malformed_reasons(text)


@pytest.mark.parametrize("text", CLEAN_CASES)
def test_hand_written_requests_are_not_malformed(text: str) -> None:
    assert malformed_reasons(text) == []


@pytest.mark.parametrize("text", OTHER_LANGUAGE_ASKS)
def test_an_ask_in_another_language_frames_its_paste(text: str) -> None:
    _ask, paste = text.split("\n", 1)
    assert malformed_reasons(paste) != []  # the paste alone is malformed ...
    assert malformed_reasons(text) == []  # ... and the ask around it makes it a request


@pytest.mark.parametrize(
    ("prose", "strict", "expected"),
    [
        ("why does this fail?", True, True),
        ("Fix Hadoop build on Debian", True, False),
        ("Fix Hadoop build on Debian", False, True),
        ("h2. What happened?", True, False),
        ("", False, False),
        ("해결 방법을 한국어로 알려줘", True, True),
    ],
)
def test_has_request_tells_asks_from_reports(prose: str, strict: bool, expected: bool) -> None:
    assert has_request(prose, strict=strict) is expected


def _rows(name: str, limit: int) -> list[dict[str, object]]:
    path = require_data(name)
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(limit), handle)]


@pytest.mark.parametrize(
    ("name", "minimum"),
    [("loghub_chunks", 0.9), ("html_snippets", 0.9), ("json_payloads", 0.9)],
)
def test_real_pastes_are_flagged(name: str, minimum: float) -> None:
    rows = _rows(name, 150)
    flagged = [bool(malformed_reasons(str(r["text"]))) for r in rows]
    assert sum(flagged) / len(flagged) >= minimum


@pytest.mark.parametrize("name", ["humaneval", "mt_bench", "gsm8k_test", "nq_open"])
def test_real_eval_prompts_are_not_flagged(name: str) -> None:
    rows = _rows(name, 150)
    flagged = [bool(malformed_reasons(str(r["text"]))) for r in rows]
    assert sum(flagged) <= 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_reasons_are_known_codes_in_order_for_any_text(text: str) -> None:
    reasons = malformed_reasons(text)
    assert set(reasons) <= set(MALFORMED_REASONS)
    assert reasons == sorted(reasons, key=MALFORMED_REASONS.index)
    assert len(reasons) == len(set(reasons))
    assert (reasons == ["empty"]) == is_blank(text)


# ---- shapes added for traffic nobody tuned on (issue 11) -----------------------------------
#: Hand-written for these tests (not taken from tests/data): each shape, and the request about
#: it that must stay clean.
NEW_SHAPES = [
    ("&lt;h1&gt;Where is my parcel?&lt;/h1&gt;", "html_entities"),
    ("We&#39;re closed on Sundays &amp; public holidays", "html_entities"),
    ("Is the trip refundable&amp;#63;", "html_entities"),
    ("[b][i]Can I pay by invoice?[/i][/b]", "html"),
    ("<![CDATA[Which plan includes SSO?]]>", "html"),
    ('<link rel="preload" href="/fonts/inter.woff2" as="font" crossorigin>', "html"),
    (
        '<?xml version="1.0"?>\n<ns2:order xmlns:ns2="urn:shop"><ns2:id>7</ns2:id></ns2:order>',
        "html",
    ),
    ("KeyError: 'customer_id'", "error_message"),
    ("fatal: refusing to merge unrelated histories", "error_message"),
    ("502 Bad Gateway", "error_message"),
    ("npm ERR! missing script: start", "error_message"),
    ("SELECT name, total FROM invoices WHERE paid = 0 ORDER BY total DESC", "sql_dump"),
    ("INSERT INTO tags (name) VALUES ('urgent');\nDELETE FROM tags WHERE id = 4;", "sql_dump"),
    ("ok ok ok ok ok ok ok ok ok ok", "repetition"),
    (
        "Where is my refund? Where is my refund? Where is my refund? Where is my refund?",
        "repetition",
    ),
    ("zzzzzzzzzzzzzzzzzzzz", "repetition"),
    ("{{ticket_subject}}", "placeholder"),
    ("Reply to {customer_name} about order {order_number}", "placeholder"),
    ("Rewrite this in ${tone}: ${draft}", "placeholder"),
    ("<INSERT_PROMPT>", "placeholder"),
    ("[object HTMLDivElement]", "serialization_debris"),
    ("<app.models.Ticket object at 0x10a3f2d90>", "serialization_debris"),
    ("b'Where is the nearest branch?'", "serialization_debris"),
    ("Message(role='user', text='hello', id=17)", "serialization_debris"),
    ("{'question': 'how late are you open', 'lang': 'en'}", "serialization_debris"),
    (
        "eyJhbGciOiJSUzI1NiJ9.eyJ1c2VyIjoiNDIiLCJyb2xlIjoiYWRtaW4ifQ.c2lnbmF0dXJlLWJ5dGVz",
        "encoded_blob",
    ),
    (
        (
            "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE3n0j1yG5vF8q\n"
            "-----END PUBLIC KEY-----"
        ),
        "encoded_blob",
    ),
    ("QWxsIG9yZGVycyBzaGlwcGVkIHRvZGF5", "encoded_blob"),
    (
        (
            "Received: from relay.example.net (relay.example.net [198.51.100.4])\n"
            "Message-ID: <a1b2c3@example.net>\nMIME-Version: 1.0"
        ),
        "email_headers",
    ),
    ("server:\n  port: 8080\n  host: 0.0.0.0\nlogging:\n  level: debug", "yaml_dump"),
    ("Uploading build.zip: 62%|██████▏   | 31M/50M [00:12<00:07]", "machine_output"),
    ("diff --git a/app.js b/app.js\n--- a/app.js\n+++ b/app.js\n@@ -3,2 +3,2 @@", "machine_output"),
    ("\u200b\u200c\u2060", "empty"),
    ("sku,name,stock,price", "table_dump"),
    ('"id","city","zip"\n"1","Lyon","69001"\n"2","Nice","06000"\n"3","Metz","57000"', "table_dump"),
]
NEW_SHAPE_ASKS = [
    "What does &amp; stand for in an HTML entity?",
    "Why does my page show the text [object Object] instead of the name?",
    "What is 'KeyError: customer_id' telling me?",
    "How do I fix 'fatal: refusing to merge unrelated histories'?",
    "Can you speed up this query? SELECT name FROM invoices WHERE paid = 0",
    "Please please please tell me the store is still open",
    "My mail merge printed {first_name} literally, how do I fix it in Word?",
    "Is <__main__.Foo object at 0x1> what print() shows for a class without __repr__?",
    "Decode this JWT for me: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
    "Where do I put 'port: 8080' in my YAML config?",
    "Why does Excel show Ã© when I open my CSV?",
    "Why do designers use 'lorem ipsum' text?",
    "test",
    "Write a haiku about rain",
]


@pytest.mark.parametrize(("text", "reason"), NEW_SHAPES)
def test_new_shapes_get_their_reason(text: str, reason: str) -> None:
    assert reason in malformed_reasons(text)


@pytest.mark.parametrize("text", NEW_SHAPE_ASKS)
def test_a_request_about_a_new_shape_is_not_malformed(text: str) -> None:
    assert malformed_reasons(text) == []


def test_evidence_is_a_short_snippet_per_reason() -> None:
    evidence = malformed_evidence("&lt;p&gt;Can I change the delivery date?&lt;/p&gt;")
    assert [code for code, _ in evidence] == ["html_entities"]
    assert evidence[0][1].startswith("&lt;p&gt;")
    assert len(evidence[0][1]) <= 40


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_evidence_and_reasons_agree_for_any_text(text: str) -> None:
    evidence = malformed_evidence(text)
    assert [code for code, _ in evidence] == malformed_reasons(text)
    assert all(isinstance(snippet, str) and len(snippet) <= 60 for _, snippet in evidence)


@settings(max_examples=100, deadline=None)
@given(
    st.text(st.characters(categories=("Lu", "Ll", "Nd")), min_size=2, max_size=6),
    st.integers(min_value=6, max_value=20),
)
def test_a_word_repeated_six_times_or_more_is_repetition(word: str, times: int) -> None:
    assert "repetition" in malformed_reasons(" ".join([word] * times))


# ---- second round (written after the first held-out run, never from test rows) -------------
ROUND2_SHAPES = [
 # logs
 "I1130 10:22:31.123456   4312 server.go:88] Starting HTTP server on :8080",
 "level=info ts=2024-05-01T10:00:00Z msg=\"listening\" addr=:9090",
 "WARNING: Retrying (Retry(total=4)) after connection broken by 'ProtocolError'",
 "10.0.0.5 - - [02/Jun/2024:18:33:01 +0200] \"POST /login HTTP/1.1\" 401 512",
 "Jun  2 18:33:01 host kernel: [12345.678901] usb 1-1: new high-speed USB device",
 "2024/06/02 18:33:01 [crit] 1234#0: *5 SSL_do_handshake() failed",
 "E/flutter (12345): [ERROR:flutter/runtime/dart_vm_initializer.cc(41)] Unhandled Exception",
 # serialization debris
 "<Response [404]>",
 "Promise { <pending> }",
 "function () { [native code] }",
 "<generator object gen at 0x7f8b2c3d4e50>",
 "OrderedDict([('a', 1), ('b', 2)])",
 "datetime.datetime(2024, 5, 1, 10, 0)",
 "Symbol(foo)",
 "#<User id: 4, email: \"ana@example.com\">",
 "Optional(\"hello\")",
 "java.lang.Object@1b6d3586",
 "{\"text\": null}",
 # templates
 "Hi <<first_name>>, your code is <<code>>",
 "Dear {{ customer.name }}, thanks for your order.",
 "Your appointment is on %DATE% at %TIME%.",
 "Hello $name, welcome back!",
 "Thank you, [NAME]. We will contact you at [EMAIL].",
 "{{#each items}}{{this}}{{/each}}",
 "[PASTE TEXT HERE]",
 "Summarize: <document>",
 # base64 / blobs
 "aGVsbG8gd29ybGQgdGhpcyBpcyBhIHRlc3Q=",
 "ZXhhbXBsZSBwYXlsb2FkIGZvciB0ZXN0aW5n",
 "AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA",
 "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDZ7x9v3kPq8rT5mW2nLq1Xb3 user@host",
 # csv
 "name,email,plan\nAna,ana@x.com,pro\nBo,bo@y.org,free",
 "product|price|qty\nmug|4.50|2\nplate|7.00|1\nbowl|5.25|6",
 "2024-05-01;1200;EUR\n2024-05-02;980;EUR\n2024-05-03;1430;EUR",
 # email headers
 "From: alerts@bank.example\nTo: me@example.com\nSubject: Security alert\nContent-Type: text/html",
 "X-Mailer: Outlook 16.0\nX-Priority: 3\nThread-Topic: Q2 figures",
 "Delivered-To: me@example.com\nReceived: by 2002:a05:6a10:1234 with SMTP id abc;",
 # errors
 "ERR_CONNECTION_REFUSED",
 "Error 404: Not Found",
 "403 Forbidden",
 "Cannot find module 'react-dom/client'",
 "undefined is not a function",
 "Exception: Invalid token",
 "sh: 1: node: not found",
 "ImportError: cannot import name 'soft_unicode' from 'markupsafe'",
 # repetition
 "help help help help help help help help",
 "no no no no no no no no no no",
 "hellohellohellohellohello",
 "Cancel my order.\nCancel my order.\nCancel my order.\nCancel my order.",
 # truncated / cut
 "{\"prompt\": \"Tell me about the history of",
 "<p>Our return policy allows",
 # markup around question
 "<p><br></p><p>How do I change my email?</p>",
 "<span style=\"font-size:14px\">is the store open on sunday</span>",
 "[size=4]Where can I download the invoice?[/size]",
 "<div><div><div>Can I get a refund?</div></div></div>",
]
ROUND2_CLEAN = [
 "Why does my Flask app log 'WARNING: This is a development server'?",
 "What does HTTP 403 Forbidden mean?",
 "How do I fix 'Cannot find module react-dom/client' in a new Vite project?",
 "Decode this for me please: aGVsbG8gd29ybGQ=",
 "Can you convert this CSV to JSON?\nname,age\nAna,31\nBo,45",
 "What's the difference between null and undefined in JavaScript?",
 "Write an email template with placeholders for the customer's name and order number.",
 "My log shows '2024-05-01 ERROR disk full' every night, what should I check?",
 "Is <div> or <section> better for a page header?",
 "Explain what Promise { <pending> } means when I console.log a fetch.",
 "Please summarize: the meeting moved to Friday and the budget was approved.",
 "Haha yes! That worked, thanks a lot :)",
 "no",
 "ok thanks",
 "yes please",
 "What is 2+2?",
 "Can you write a bash one-liner to count lines in all .txt files?",
 "How do I set the Reply-To header in Python's smtplib?",
 "I keep getting ERR_CONNECTION_REFUSED on localhost:3000, any ideas?",
 "Why is my base64 string ending with '=='?",
]


@pytest.mark.parametrize("text", ROUND2_SHAPES)
def test_second_round_shapes_are_malformed(text: str) -> None:
    assert malformed_reasons(text) != []


@pytest.mark.parametrize("text", ROUND2_CLEAN)
def test_second_round_requests_are_clean(text: str) -> None:
    assert malformed_reasons(text) == []
