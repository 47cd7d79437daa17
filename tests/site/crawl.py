"""A crawler over the test client: follows every link and resource from the
seeds, in the signed-in client's session, and notes what a reader must never
meet: a 5xx, a broken link, a resource or link to another host, the word
``localhost``."""

import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

RESOURCE_ATTRIBUTES = {
    "link": ["href"],
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "video": ["src", "poster"],
    "audio": ["src"],
}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)")
TEXT_TYPES = (
    "text/html",
    "application/xml",
    "text/xml",
    "text/plain",
    "application/json",
)
REDIRECTS = (301, 302, 303, 307, 308)


def urls_in(attribute, value):
    if attribute == "srcset":
        return [part.split()[0] for part in value.split(",") if part.strip()]
    return [value]


def is_foreign(url):
    parts = urlsplit(urljoin("http://testserver/", url))
    return bool(parts.netloc) and parts.netloc != "testserver"


class Crawl:
    """Breadth first, in three queues: the person's own pages (account,
    problems) first, then other plain paths, then addresses with a query
    (filters, pages of lists), so that a cap cuts the least telling ones.

    ``admin_entry`` paths are requested but not followed (the admins' own
    pages are Wagtail's and Django's, not ours to crawl); ``skip`` prefixes
    are never requested (logout, media files)."""

    OWN = ("/accounts/", "/problems/", "/en/accounts/", "/en/problems/")

    def __init__(self, client, *, skip=(), admin_entry=(), outbound=()):
        self.client = client
        self.skip, self.admin_entry = tuple(skip), set(admin_entry)
        self.outbound = set(outbound)  # links a person added to the content
        self.seen, self.answers, self.problems = set(), {}, []
        self.queues = (deque(), deque(), deque())

    def add(self, url, base="/"):
        url = urldefrag(urljoin(base, url)).url
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https") or is_foreign(url):
            return
        query = parts.query
        if parts.path.endswith(("/accounts/login/", "/accounts/register/")):
            query = ""  # the header's ?next= back to each page: one sign-in page
        path = parts.path + (f"?{query}" if query else "")
        if not path.startswith("/") or path in self.seen:
            return
        if path.startswith(self.skip):
            return
        if path.startswith(("/admin/", "/django-admin/")) and (
            parts.path not in self.admin_entry
        ):
            return
        self.seen.add(path)
        if query:
            self.queues[2].append(path)
        elif path.startswith(self.OWN):
            self.queues[0].append(path)
        else:
            self.queues[1].append(path)

    @property
    def waiting(self):
        return sum(len(q) for q in self.queues)

    def run(self, cap):
        while self.waiting and len(self.answers) < cap:
            queue = next(q for q in self.queues if q)
            path = queue.popleft()
            response = self.client.get(path)
            self.answers[path] = response.status_code
            if response.status_code >= 500:
                self.problems.append(f"{path}: {response.status_code}")
                continue
            if response.status_code in REDIRECTS:
                self.add(response["Location"], path)
                continue
            self.read(path, response)

    def read(self, path, response):
        kind = response.get("Content-Type", "")
        body = b"".join(response) if response.streaming else response.content
        if kind.startswith(TEXT_TYPES) and b"localhost" in body:
            self.problems.append(f"{path}: names localhost")
        if kind.startswith("text/css"):
            for url in CSS_URL.findall(body.decode(errors="replace")):
                if is_foreign(url):
                    self.problems.append(f"{path}: CSS resource from {url}")
        if not kind.startswith("text/html"):
            return
        page = BeautifulSoup(body.decode(), "html.parser")
        follow = path.split("?")[0] not in self.admin_entry
        for tag, attributes in RESOURCE_ATTRIBUTES.items():
            for element in page.find_all(tag):
                for attribute in attributes:
                    for url in urls_in(attribute, element.get(attribute) or ""):
                        if is_foreign(url):
                            self.problems.append(f"{path}: <{tag}> from {url}")
                        else:
                            self.add(url, path)
        for link in page.find_all("a", href=True):
            href = link["href"]
            if is_foreign(href) and href not in self.outbound:
                self.problems.append(f"{path}: link to {href}")
            if follow:
                self.add(href, path)
