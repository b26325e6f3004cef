"""Counts views of listing pages and supplier profiles (analytics.counters), after the response.

It wraps every view, so the page cache's answers (marketplace.pagecache serves anonymous visitors
without running the view) are counted too. What counts as a view:

- a GET answered 200, or 304: a browser revalidating the page it holds (the cached pages say
  `no-cache`, so a browser asks again on each visit) is a reader seeing the page again;
- not HEAD (link checkers, monitors), not an error or a redirect;
- not a robot: a User-Agent that is empty or names itself a bot, crawler, spider or a script's
  HTTP library (`BOT_AGENTS`). A robot that lies about itself is counted: views are a trend, not
  an audit.
- signed-in readers count like anyone, the supplier's own members included (telling them apart
  would cost a query on every page).

The API's listing endpoints are not counted: integrations read them, not people.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .counters import LISTING, PROFILE, view_count

BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|fetch|monitor|preview|curl|wget|python-|httpx|go-http|java/|okhttp|libwww|scrapy|headlesschrome/.*lighthouse",
    re.IGNORECASE,
)
COUNTED_VIEWS = {"catalog:listing_detail": (LISTING, "pk"), "suppliers:detail": (PROFILE, "slug")}


def is_robot(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "")
    return not agent or bool(BOT_AGENTS.search(agent))


class ViewCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            match is not None
            and match.view_name in COUNTED_VIEWS
            and request.method == "GET"
            and response.status_code in (200, 304)
            and not is_robot(request)
        ):
            kind, argument = COUNTED_VIEWS[match.view_name]
            view_count(kind, str(match.kwargs[argument]))
        return response
