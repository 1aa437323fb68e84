"""The load mix for benchmarks/load.py: case list, case page, evaluate and case create."""

import itertools
import os

from locust import HttpUser, between, task

TOKEN = os.environ["LOAD_TOKEN"]
USERNAME, PASSWORD = os.environ["LOAD_USER"], os.environ["LOAD_PASSWORD"]
RUN = os.environ["LOAD_RUN"]
PROFILE = {
    "setting": "metastatic",
    "trastuzumab_response": "acquired_resistance",
    "prior_therapies": ["trastuzumab", "pertuzumab"],
    "her2_ihc": "3+",
    "er": "positive",
    "pik3ca": "mutated",
    "markers": {"MUC4": "high"},
}
counter = itertools.count(1)


def letters(number: int) -> str:
    """A number in letters: notes refuse long digit runs (they look like record numbers)."""
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text = chr(ord("a") + digit) + text
        if not number:
            return text


class BoardUser(HttpUser):
    wait_time = between(0, 0.05)

    def on_start(self):
        self.headers = {"Authorization": f"Token {TOKEN}"}
        self.client.get("/accounts/login/")
        self.client.post(
            "/accounts/login/",
            {"username": USERNAME, "password": PASSWORD,
             "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            headers={"Referer": self.host + "/accounts/login/"},
        )  # fmt: skip
        self.codes = []

    @task(4)
    def case_list(self):
        self.client.get("/api/v1/cases/", headers=self.headers, name="case list")

    @task(3)
    def case_page(self):
        if self.codes:
            self.client.get(f"/cases/{self.codes[-1]}/", name="case page")

    @task(4)
    def evaluate(self):
        self.client.post("/api/v1/evaluate/", json=PROFILE, headers=self.headers, name="evaluate")

    @task(1)
    def create(self):
        item = next(counter)
        with self.client.post(
            "/api/v1/cases/",
            json={**PROFILE, "notes": f"load {RUN} item {letters(item)} {letters(os.getpid())}"},
            headers=self.headers,
            name="case create",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                self.codes.append(response.json()["code"])
                with open(os.environ["LOAD_CREATED"], "a", encoding="utf-8") as log:
                    log.write(
                        f"{response.json()['code']}\t{letters(item)} {letters(os.getpid())}\n"
                    )
                response.success()
