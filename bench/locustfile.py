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
# route: (weight, a random address on it)
ROUTES = {
    "studio index": (
        2,
        lambda: f"/studios/?page={random.randint(1, FIXTURE['studio_index_pages'])}",
    ),
    "studio page": (3, lambda: f"/studios/{random.choice(FIXTURE['studios'])}/"),
    "problem board": (
        2,
        lambda: f"/problems/?page={random.randint(1, FIXTURE['board_pages'])}",
    ),
    "problem page": (3, lambda: f"/problems/{random.choice(FIXTURE['problems'])}/"),
    "search": (2, lambda: "/search/?q=" + random.choice(FIXTURE["queries"])),
}
NAMES = list(ROUTES)
WEIGHTS = [weight for weight, _ in ROUTES.values()]


class Visitor(HttpUser):
    weight = 4
    wait_time = between(0.5, 1.5)
    suffix = ""

    @task
    def visit(self):
        (route,) = random.choices(NAMES, WEIGHTS)
        self.client.get(ROUTES[route][1](), name=route + self.suffix)


class SignedInCraftsman(Visitor):
    """A studio's craftsman, signed in: pages are not served from the page
    cache, and the board shows what the craftsman may see."""

    weight = 1
    suffix = " (signed in)"

    def on_start(self):
        cookie = random.choice(FIXTURE["sessions"])
        self.client.cookies.set(FIXTURE["session_cookie"], cookie)
