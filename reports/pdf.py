"""PDF rendering with WeasyPrint. The report and each appendix are separate HTML documents (each
numbers its own pages, NĐ30 Phụ lục I Mục III) joined page by page with Document.copy(), the
documented way: restarting page counters inside one WeasyPrint document is unreliable."""

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string

from . import charts

STATIC_DIR = Path(settings.BASE_DIR) / "static"

_font_config = None
_font_config_pid = None


def font_config():
    """One FontConfiguration per process, made lazily so that a prefork worker builds its own after
    the fork: a new one per PDF grows the process by ~200 KB each time (stack-notes)."""
    global _font_config, _font_config_pid
    if _font_config is None or _font_config_pid != os.getpid():
        from weasyprint.text.fonts import FontConfiguration

        _font_config, _font_config_pid = FontConfiguration(), os.getpid()
    return _font_config


def _allowed_roots():
    roots = [STATIC_DIR]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [r.resolve() for r in roots]


def static_only_url_fetcher():
    """A fetcher that reads only files under static/ (fonts, print CSS) and refuses everything else:
    report text is user input, and no URL in it may reach the network or the server's files."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data":
                # Inline content (the charts): no file or network access involved.
                return super().fetch(url, headers)
            if parsed.scheme == "file" and not parsed.netloc:
                path = Path(unquote(parsed.path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in _allowed_roots()):
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
            raise ValueError(f"Tài nguyên không được phép trong báo cáo: {url[:200]}")

    return StaticOnlyURLFetcher()


def html_document(template, context):
    """Render one template to a laid-out WeasyPrint document (its pages numbered from 1)."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_only_url_fetcher()).render(
        font_config=font_config(),
    )


# Archival output: PDF/A-3b (fonts embedded, XMP identification, sRGB output intent) and tagged
# (structure tree, MarkInfo) so that screen readers and records offices can use the report.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}


def join_documents(documents):
    """Concatenate laid-out documents into one PDF, each keeping its own page numbering."""
    first = documents[0]
    pages = [page for document in documents for page in document.pages]
    return first.copy(pages).write_pdf(**PDF_OPTIONS)


def commune_report_pdf(data, progress=None):
    context = {"data": data, "chart_svg": charts.data_uri(charts.area_scores_svg(data["chart"]))}
    report = html_document("reports/pdf/commune_report.html", context)
    if progress:
        progress(60)
    appendix = html_document("reports/pdf/commune_appendix.html", context)
    if progress:
        progress(80)
    return join_documents([report, appendix])


def summary_report_pdf(data, progress=None):
    chart = charts.data_uri(charts.ranking_svg(data["chart"])) if data["chart"]["labels"] else ""
    document = html_document("reports/pdf/summary_report.html", {"data": data, "chart_svg": chart})
    if progress:
        progress(80)
    return join_documents([document])


def remedy_plan_pdf(data, progress=None):
    """The Kế hoạch reads like the commune report (same NĐ30 header, body blocks, recipients and
    signature, so the same template), with its task table as the appendix."""
    context = {"data": data, "chart_svg": ""}
    plan = html_document("reports/pdf/commune_report.html", context)
    if progress:
        progress(60)
    appendix = html_document("reports/pdf/remedy_appendix.html", context)
    if progress:
        progress(80)
    return join_documents([plan, appendix])
