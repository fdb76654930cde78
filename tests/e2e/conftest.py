"""Browser journeys: pytest-playwright drives Debian's chromium against pytest-django's live server.

Each test loads the demo data (`python manage.py load_demo`) into a transactional database, which
the live server's thread (and, in the services run, the Celery worker) can see. Every persona gets
its own browser context (its own cookies), logs in through the login page, and each step is kept as
a full-page screenshot in $E2E_ARTIFACTS (default artifacts/e2e) as `<journey>-<step>.png`.
"""

import io
import os
import re
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from parindex.demo import BA_DONG, BA_THANH, DEMO_PASSWORD
from parindex.models import Assessment

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
# Generous: the machines are small and shared, and in the services run the worker renders reports.
TIMEOUT_MS = 30_000
# Assertions retry until this long: pages of 86 items after a POST can take seconds on a busy machine.
expect.set_options(timeout=20_000)


def artifacts_dir():
    folder = Path(os.environ.get("E2E_ARTIFACTS") or "artifacts/e2e")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Never `playwright install`: the browser is the distribution's chromium.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def artifacts():
    return artifacts_dir()


class _DemoSnapshot:
    """The demo, loaded once per test process and restored for each later journey.

    On the embedded run's in-memory SQLite database, a journey's demo is a copy of the first one's
    database (sqlite3's backup API, milliseconds) and media files, instead of running load_demo
    again (a second per journey). On PostgreSQL (services run) every journey runs load_demo itself,
    which is also what keeps that command exercised."""

    def __init__(self):
        self.database = None
        self.media = None

    def load(self, tmp_root):
        from django.conf import settings
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            call_command("load_demo", stdout=io.StringIO())
            return
        connection.ensure_connection()
        media_root = Path(settings.MEDIA_ROOT)
        if self.database is None:
            call_command("load_demo", stdout=io.StringIO())
            self.database = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.database)
            self.media = tmp_root / "demo-media"
            if media_root.exists():
                shutil.copytree(media_root, self.media, dirs_exist_ok=True)
            return
        self.database.backup(connection.connection)
        # Content type ids come from the snapshot, not from the flush that ended the last journey.
        ContentType.objects.clear_cache()
        if self.media.exists():
            shutil.copytree(self.media, media_root, dirs_exist_ok=True)


_demo_snapshot = _DemoSnapshot()


@pytest.fixture
def demo(transactional_db, live_server, tmp_path_factory):
    """The demo data, committed, so that the live server's thread (and a real worker) see it."""
    _demo_snapshot.load(tmp_path_factory.getbasetemp())
    users = {u.username: u for u in get_user_model().objects.all()}
    assessments = {a.unit.code: a for a in Assessment.objects.filter(year__year=2024).select_related("unit", "year")}
    return SimpleNamespace(
        users=users, assessments=assessments, ba_dong=assessments[BA_DONG], ba_thanh=assessments[BA_THANH],
        year=assessments[BA_DONG].year, password=DEMO_PASSWORD,
    )


class Browsing:
    """One persona in one browser context: its page, its screenshots, and what went wrong on the way
    (JavaScript errors, static files or pages that failed) for the test to assert on."""

    def __init__(self, context, live_server, artifacts, journey):
        self.context = context
        self.live_server = live_server
        self.artifacts = artifacts
        self.journey = journey
        self.page = context.new_page()
        self.js_errors = []
        self.bad_responses = []
        self.dialogs = []
        self.page.on("pageerror", lambda exc: self.js_errors.append(str(exc)))
        self.page.on("response", self._record_response)
        self.page.on("dialog", self._accept_dialog)

    def _record_response(self, response):
        if "/static/" in response.url and response.status >= 400:
            self.bad_responses.append(f"{response.status} {response.url}")

    def _accept_dialog(self, dialog):
        # The confirmations the app asks for ("Trả bản đánh giá cho xã…?"): the person says yes.
        self.dialogs.append(dialog.message)
        dialog.accept()

    def url(self, path):
        return self.live_server.url + path

    def goto(self, path):
        response = self.page.goto(self.url(path))
        return response

    def login(self, username, password):
        page = self.page
        page.goto(self.url("/dang-nhap/"))
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        assert "/dang-nhap/" not in page.url, f"{username} could not log in"

    def shot(self, step):
        """A full-page screenshot `<journey>-<step>.png`; the step name says what it shows."""
        assert re.fullmatch(r"[0-9a-z-]+", step), step
        path = self.artifacts / f"{self.journey}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_healthy(self):
        """Bootstrap and the app's own files loaded, and no script failed."""
        # After a click the next page may still be loading (a busy machine): judge the page it leads to.
        self.page.wait_for_load_state("load")
        assert not self.bad_responses, self.bad_responses
        assert not self.js_errors, self.js_errors
        primary = self.page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--bs-primary').trim()"
        )
        assert primary, "Bootstrap's CSS did not load"
        assert self.page.evaluate("typeof window.bootstrap === 'object'"), "Bootstrap's JavaScript did not load"


@pytest.fixture
def browse(browser, live_server, artifacts):
    """browse(journey, username, **context_options) → a logged-in persona in its own context, whose
    browser speaks Vietnamese unless the options say another locale."""
    opened = []

    def open_as(journey, username, password=DEMO_PASSWORD, **options):
        context = browser.new_context(**{"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", **options})
        context.set_default_timeout(TIMEOUT_MS)
        persona = Browsing(context, live_server, artifacts, journey)
        opened.append(persona)
        persona.login(username, password)
        return persona

    yield open_as
    for persona in opened:
        persona.context.close()


@pytest.fixture
def evidence_pdf(tmp_path):
    """A small, valid PDF (one A4 page, made by pypdf) to upload as evidence."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Quyết định ban hành Kế hoạch CCHC năm 2024"})
    path = tmp_path / "qd-ke-hoach-cchc-2024.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path
