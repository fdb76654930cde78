"""The load test's users (run by benchmarks/load_test.py, which prepares the fixture it reads).

Four kinds of people act at once, each with a demo account and real pages:
- officers autosave single items of their own sheet (each officer its own items, so a save never
  meets a colleague's) and now and then open the whole sheet;
- appraisers open their queue and appraisal sheets;
- viewers open the year's dashboards and ranking;
- report users request a commune report, follow the job until the file is ready, download it.
A probe user asks /healthz, the floor the other figures are compared with.
"""

import itertools
import json
import os
import re
import time

from locust import HttpUser, between, constant, task

FIXTURE = json.loads(open(os.environ["LOAD_FIXTURE"]).read())
PASSWORD = FIXTURE["password"]
_officer_slots = itertools.count()


def login(user, username):
    page = user.client.get(FIXTURE["login_url"], name="đăng nhập (trang)")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = user.client.post(FIXTURE["login_url"], name="đăng nhập",
                                data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                                headers={"Referer": user.host + FIXTURE["login_url"]})
    if "sessionid" not in user.client.cookies:
        raise RuntimeError(f"{username} could not log in (status {response.status_code})")


def csrf(user):
    return user.client.cookies.get("csrftoken", "")


class Officer(HttpUser):
    weight = 15
    wait_time = between(1, 3)

    def on_start(self):
        slot = next(_officer_slots)
        self.sheet = FIXTURE["officers"][slot % len(FIXTURE["officers"])]
        login(self, self.sheet["username"])
        # Each officer keeps to its own items (every n-th of the sheet) and tracks their versions.
        share = FIXTURE["officer_item_shares"]
        self.items = [dict(i) for i in self.sheet["items"][slot // len(FIXTURE["officers"]) % share::share]]
        self.round = 0

    @task(8)
    def autosave_item(self):
        item = self.items[self.round % len(self.items)]
        self.round += 1
        value = f"{(self.round % 3) * item['step']:.2f}".replace(".", ",")
        with self.client.post(item["save_url"], name="lưu một mục (autosave)", catch_response=True,
                              data={**item["fields"], item["value_field"]: value, "version": item["version"]},
                              headers={"X-CSRFToken": csrf(self), "Referer": self.host + self.sheet["sheet_url"],
                                       "Accept": "application/json"}) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return
            item["version"] = response.json()["version"]

    @task(1)
    def open_sheet(self):
        self.client.get(self.sheet["sheet_url"], name="mở phiếu tự chấm")


class Appraiser(HttpUser):
    weight = 10
    wait_time = between(1, 3)

    def on_start(self):
        login(self, FIXTURE["appraiser"]["username"])

    @task(1)
    def open_queue(self):
        self.client.get(FIXTURE["appraiser"]["queue_url"], name="mở hàng chờ thẩm định")

    @task(2)
    def open_sheet(self):
        url = FIXTURE["appraiser"]["sheet_urls"][int(time.monotonic() * 1000) % len(FIXTURE["appraiser"]["sheet_urls"])]
        self.client.get(url, name="mở phiếu thẩm định")


class Viewer(HttpUser):
    weight = 15
    wait_time = between(1, 3)

    def on_start(self):
        login(self, FIXTURE["viewer"]["username"])

    @task
    def open_dashboard(self):
        for name, url in FIXTURE["viewer"]["pages"].items():
            self.client.get(url, name=name)


class ReportUser(HttpUser):
    weight = 8
    wait_time = between(2, 5)

    def on_start(self):
        login(self, FIXTURE["reporter"]["username"])

    @task
    def request_and_download(self):
        response = self.client.post(FIXTURE["reporter"]["request_url"], name="yêu cầu báo cáo",
                                    data={"report_type": "commune_pdf", "assessment": FIXTURE["reporter"]["assessment"]},
                                    headers={"X-CSRFToken": csrf(self), "Referer": self.host + "/"})
        match = re.search(r"/bao-cao/(\d+)/", response.url)
        if not match:
            return
        status_url = f"/bao-cao/{match.group(1)}/trang-thai/"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = self.client.get(status_url, name="theo dõi báo cáo").json()
            if status["finished"]:
                if status["download_url"]:
                    self.client.get(status["download_url"], name="tải báo cáo")
                return
            time.sleep(1)


class Probe(HttpUser):
    weight = 2
    wait_time = between(0.5, 1)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz")


def smoke_run():
    """load_test.py --smoke: one person of each kind (weights alone could leave the probe out of a
    handful of users) and short pauses, so that every request the figures need happens in seconds.
    (A function: locust would take a module-level loop variable holding a class for one more kind.)"""
    for kind in (Officer, Appraiser, Viewer, ReportUser, Probe):
        kind.fixed_count = 1
        kind.wait_time = constant(0.2)


if os.environ.get("LOAD_SMOKE") == "1":
    smoke_run()
