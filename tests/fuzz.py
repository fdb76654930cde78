"""Strategies for fuzzing what people type, shared by the fuzz tests of every form and POST endpoint."""

import re

from hypothesis import strategies as st

NASTY_NUMBERS = [
    "3.000", "3 000", "3\u00a0000", "3000", "3,5", "6,5", "6.5", "1.234,5", "1,2,3", "1e28", "1e309", "-1e309",
    "1E-400", "+1", "1_0", "NaN", "nan", "-Infinity", "inf", "²", "٣", "１２", "-0", "-1", "0,001",
    "99999999999999999999999999999", "2147483648", "9223372036854775808", "", " ", "0x10", "1/2", "½",
    "\x00", "1\x00", "<script>alert(1)</script>",
]
NASTY_TEXTS = [
    "\x00", "a\x00b", "\x01\x02\x1f\x7f", "<script>alert('xss')</script>", "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\ud7ff\ue000\uffff", "Ghi chú\r\ndòng 2\tcột",
    "'; DROP TABLE parindex_score; --", "{{ 7*7 }}", "{% debug %}",
]

numberish = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.from_regex(re.compile(r"-?[0-9]{1,40}([.,][0-9]{0,10})?"), fullmatch=True),
    st.from_regex(re.compile(r"[0-9]{1,3}([ .\u00a0][0-9]{3}){1,4}(,[0-9]{1,3})?"), fullmatch=True),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-10**6, 10**6), st.integers(-500, 500)),
    st.text(alphabet=st.characters(categories=("Nd", "No")), min_size=1, max_size=6),
    st.text(max_size=12),
)
# A megabyte of text now and then (one of the nasty texts), not in most examples: it is slow to send.
MEGABYTE = "<b>ạ</b>\x00" * (1_000_000 // 9)
texts = st.one_of(st.sampled_from([*NASTY_TEXTS, MEGABYTE]), st.text(max_size=300))
ids = st.one_of(numberish, st.integers(-10, 10**20).map(str))

ENGLISH = ("Enter a", "This field", "Ensure this", "Null characters", "is not a valid", "Enter a whole")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def assert_answered(response):
    """Never a server error; a refusal is explained in Vietnamese, never in Django's English. Returns
    the page when the form came back (a refusal), "" when it was saved or the body was too large (the
    page then asks to go back to the form, which the browser keeps)."""
    assert response.status_code < 500, response.status_code
    if response.status_code == 413:
        assert "Quay lại" in response.content.decode()
        return ""
    if response.status_code == 302 or not response.get("Content-Type", "").startswith("text/html"):
        return ""
    page = response.content.decode()
    for english in ENGLISH:
        assert english not in page, english
    assert "<script>alert(" not in page and "<img src=x" not in page, "unescaped user text"
    return page


def kept(text):
    """How a typed text comes back on the page: without control characters, HTML-escaped."""
    from django.utils.html import escape

    return escape(CONTROL.sub("", text).strip())
