"""Container health check for the web service: GET /healthz from inside the container.

Django answers 400 to a Host it does not serve, so the request names one of DJANGO_ALLOWED_HOSTS
(the first one that is a plain name) instead of 127.0.0.1; and it says it came over HTTPS, as the
TLS proxy would, so that DJANGO_SSL_REDIRECT does not turn it into a redirect. Standard library only.
Exit status 0 when /healthz answers 200."""

import os
import sys
import urllib.error
import urllib.request


def probe_host(allowed_hosts):
    for host in (h.strip() for h in allowed_hosts.split(",")):
        if host and host != "*":
            return host.lstrip(".")  # ".example.gov.vn" allows example.gov.vn and its subdomains
    return "localhost"


def healthy(url, allowed_hosts, timeout=5):
    request = urllib.request.Request(url, headers={"Host": probe_host(allowed_hosts),
                                                   "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


if __name__ == "__main__":
    url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")
    sys.exit(0 if healthy(url, os.environ.get("DJANGO_ALLOWED_HOSTS", "")) else 1)
