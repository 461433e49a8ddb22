"""render_pdf(template, context) -> bytes: the one way this portal makes a PDF (WeasyPrint).

Static files (the print stylesheet) are read through Django's staticfiles finders, never
fetched over HTTP from the portal itself: that would deadlock a single worker and needs the
network. Everything else (http, https, file) is refused, so a report cannot pull in
anything from outside.
"""

import logging
import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The base URL given to WeasyPrint; "{% static %}" paths ("/static/...") resolve against it.
# The host is reserved (.invalid), so nothing could ever be fetched from it over the network.
BASE_URL = "https://portal.invalid/"

# WeasyPrint reports every layout step at INFO; only its warnings belong in the portal's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _static_prefix() -> str:
    return BASE_URL + settings.STATIC_URL.strip("/") + "/"


class StaticFilesURLFetcher(URLFetcher):
    """Serves "static/..." URLs from Django's staticfiles finders; refuses every other URL."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = _static_prefix()
        if url.startswith(prefix):
            path = url.removeprefix(prefix).split("?")[0].split("#")[0]
            found = finders.find(path) if ".." not in path else None
            if found:
                mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
                with open(found, "rb") as handle:
                    body = handle.read()
                return URLFetcherResponse(url, body, {"Content-Type": mime})
        raise ValueError(f"Bestand niet gevonden of niet toegestaan in een PDF: {url}")


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint alone, on ready HTML (also what bench/report.py measures as the baseline)."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher()).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))
