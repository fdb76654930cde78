"""What the report benchmarks compare the job with: the final HTML of a commune report and bare
WeasyPrint laying it out (imported after Django is set up)."""

from django.template.loader import render_to_string

from reports import charts, pdf
from reports.models import ReportType
from reports.services import report_data_build


def final_html(assessment):
    """The two HTML documents the job lays out, rendered once (bare WeasyPrint starts from these)."""
    data = report_data_build(report_type=ReportType.COMMUNE_PDF, assessment=assessment)
    context = {"data": data, "chart_svg": charts.data_uri(charts.area_scores_svg(data["chart"]))}
    return [render_to_string(t, context) for t in ("reports/pdf/commune_report.html",
                                                   "reports/pdf/commune_appendix.html")]


def bare_weasyprint(htmls):
    """Lay out and join the documents with WeasyPrint alone, with the job's PDF options; returns the size."""
    from weasyprint import HTML

    documents = [HTML(string=h, base_url=pdf.STATIC_DIR.as_uri() + "/").render() for h in htmls]
    pages = [page for document in documents for page in document.pages]
    return len(documents[0].copy(pages).write_pdf(**pdf.PDF_OPTIONS))
