"""Content-Security-Policy for every HTML page (Django 5.2 has none built in).

Scripts, styles, fonts and images come from this site only: no inline <script> code, no <style>
blocks, no style="" attributes and no on…= handlers anywhere (scripts are static/js files, data goes
in data-* attributes or json_script). Bootstrap's icons are data: URIs in its CSS, hence img-src
data:. Evidence PDFs open in a same-site iframe (frame-src 'self'); no other site may frame a page
(frame-ancestors 'self', as X-Frame-Options SAMEORIGIN). Only HTML gets the header: a PDF or an
image served to the browser's viewer must not be subject to a page policy."""

from django.conf import settings

DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def policy_header_value(policy=None):
    policy = policy or DEFAULT_POLICY
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = policy_header_value(getattr(settings, "CONTENT_SECURITY_POLICY", None))
        report_only = getattr(settings, "CSP_REPORT_ONLY", False)
        self.header = "Content-Security-Policy-Report-Only" if report_only else "Content-Security-Policy"

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and self.header not in response:
            response[self.header] = self.value
        return response
