"""What the load test's visitors do (bench/load.py runs it with locust).

Anonymous visitors and signed-in craftsmen read the studio index, studio
pages, the problem board, problem pages and search, in the proportions of
the task weights, on random pages among 10,000 studios and 10,000 problems.
LOAD_FIXTURE names the JSON file bench/load.py wrote: studio slugs, public
problem ids, search words and the signed-in users' session cookies.
"""

import json
import os
import random

from locust import HttpUser, between, task

FIXTURE = json.loads(open(os.environ["LOAD_FIXTURE"], encoding="utf-8").read())  # noqa: SIM115
ROUTES = ["studio index", "studio page", "problem board", "problem page", "search"]


class Visitor(HttpUser):
    weight = 4
    wait_time = between(0.5, 1.5)
    suffix = ""

    def _get(self, route, url):
        self.client.get(url, name=route + self.suffix)

    @task(2)
    def studio_index(self):
        page = random.randint(1, FIXTURE["studio_index_pages"])
        self._get("studio index", f"/studios/?page={page}")

    @task(3)
    def studio_page(self):
        self._get("studio page", f"/studios/{random.choice(FIXTURE['studios'])}/")

    @task(2)
    def problem_board(self):
        page = random.randint(1, FIXTURE["board_pages"])
        self._get("problem board", f"/problems/?page={page}")

    @task(3)
    def problem_page(self):
        self._get("problem page", f"/problems/{random.choice(FIXTURE['problems'])}/")

    @task(2)
    def search(self):
        self._get("search", "/search/?q=" + random.choice(FIXTURE["queries"]))


class SignedInCraftsman(Visitor):
    """A studio's craftsman, signed in: pages are not served from the page
    cache, and the board shows what the craftsman may see."""

    weight = 1
    suffix = " (signed in)"

    def on_start(self):
        cookie = random.choice(FIXTURE["sessions"])
        self.client.cookies.set(FIXTURE["session_cookie"], cookie)
