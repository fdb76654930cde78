"""The one boundary where every request's input is checked before any view sees it.

- Size: a body larger than the limits is refused from its Content-Length, before it is read, with a
  Vietnamese page that explains and sends the person back to the form (the browser keeps what was
  typed there). Django's own refusal would be a bare 400 and the typed page lost.
- Text: NUL and other control characters (everything below U+0020 but tab and line breaks, DEL and
  the C1 range) are removed from every submitted and query value. PostgreSQL refuses NUL in text,
  openpyxl refuses control characters in cells, and no person types them on purpose."""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from parindex.numbers import format_number

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MB = 1024 * 1024


def text_clean(value):
    """A text value without NUL and control characters (tab, \\n and \\r are kept)."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def querydict_clean(data):
    if not any(CONTROL_CHARACTERS.search(k) or any(CONTROL_CHARACTERS.search(v) for v in data.getlist(k))
               for k in data):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key in data:
        cleaned.setlist(text_clean(key), [text_clean(v) for v in data.getlist(key)])
    cleaned._mutable = False
    return cleaned


def body_limit(request):
    """The largest body accepted for this request, in bytes: uploads (multipart) may carry files, a
    plain form only text."""
    if request.content_type == "multipart/form-data":
        return settings.REQUEST_MAX_UPLOAD_MB * MB
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _size_text(size):
    return f"{format_number(size / MB, 1)} MB"


def request_too_large(request, *, size=None, limit=None, reason=None):
    return render(request, "request_too_large.html", {
        "size": _size_text(size) if size else "", "limit": _size_text(limit) if limit else "",
        "reason": reason, "back": request.META.get("HTTP_REFERER", "") if _same_site(request) else "",
    }, status=413)


def _same_site(request):
    referer = request.META.get("HTTP_REFERER", "")
    host = request.get_host()
    return bool(referer) and re.match(rf"^https?://{re.escape(host)}/", referer) is not None


class RequestInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                size = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                size = 0
            limit = body_limit(request)
            if size > limit:
                return request_too_large(request, size=size, limit=limit)
            try:
                request.POST = querydict_clean(request.POST)
            except RequestDataTooBig:
                return request_too_large(request, limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            except TooManyFieldsSent:
                return request_too_large(request, reason="Trang gửi lên quá nhiều ô dữ liệu cùng lúc.")
            except MultiPartParserError:
                return request_too_large(request, reason="Dữ liệu gửi lên không đọc được (tệp tải lên bị gián đoạn?).")
        request.GET = querydict_clean(request.GET)
        return self.get_response(request)
