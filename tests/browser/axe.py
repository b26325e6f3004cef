"""axe-core on every page the browser tests visit: a serious or critical violation fails the test.

Every browser context the tests open (`browser.new_context`, so the `page` fixture's too) gets
axe-core (var/axe/axe.min.js, fetched by `make test-deps` with scripts/fetch_axe.py) as an init
script, and a second init script that runs `axe.run()` once each document has loaded and hands
the violations to Python (a binding) when done. The Page methods that wait for a navigation
(`goto`, `wait_for_url`, …) then wait for that page's check too, so a test that moves on at once
skips no page it waited for. The test's teardown waits for the runs still going on the pages left
open, then fails on any violation of impact serious or critical, naming the rule, the page and the
first elements.
"""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from fetch_axe import TARGET as AXE_SCRIPT  # noqa: E402

sys.path.pop(0)

FAILING_IMPACTS = ("serious", "critical")

# Defines `__axeRun` (checks the document once; later calls return the same promise) and calls it
# after the load event. The result goes to Python through the `__axeReport` binding as soon as it is
# ready, and COLLECT returns it too: Python calls that right after every navigation a test waits for
# (`goto`, `wait_for_url`, …), so a test moving on at once cannot skip a page. `id` tells the two apart.
RUNNER = """
(() => {
  if (window.top !== window || location.protocol === "about:") return;
  const id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  window.__axeRun = () => (window.__axeDone ||= window.axe.run(document, {resultTypes: ["violations"]}).then(
    (results) => ({id, url: location.href, found: results.violations
      .filter((v) => IMPACTS.includes(v.impact))
      .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}))}),
    (error) => ({id, url: location.href, found: [{id: "axe-error", impact: "critical", help: String(error),
                                                  targets: []}]}),
  ).then((result) => { window.__axeReport(result).catch(() => {}); return result; }));
  if (document.readyState === "complete") setTimeout(window.__axeRun, 0);
  else window.addEventListener("load", () => setTimeout(window.__axeRun, 0), {once: true});
})();
""".replace("IMPACTS", json.dumps(FAILING_IMPACTS))
# The document's result, waiting for its check (started here when the load event has passed).
COLLECT = """async () => {
  if (!window.__axeRun || document.readyState !== "complete") return null;
  return await window.__axeRun();
}"""


@dataclass
class AxeLog:
    """What axe found on the pages of one test, and the contexts it watches."""

    violations: list[dict[str, Any]] = field(default_factory=list)
    pages_checked: int = 0
    contexts: list[Any] = field(default_factory=list)

    reported: set[str] = field(default_factory=set)

    def record(self, result: dict[str, Any] | None) -> None:
        if result is None or result["id"] in self.reported:
            return
        self.reported.add(result["id"])
        self.pages_checked += 1
        self.violations.extend({**v, "url": result["url"]} for v in result["found"])

    def collect(self, frame: Any) -> None:
        """Record the check of the document in `frame`, waiting for it if it is still running."""
        with contextlib.suppress(PlaywrightError):  # no document yet, or closed meanwhile
            self.record(frame.evaluate(COLLECT))

    def watch(self, context: Any) -> Any:
        if not AXE_SCRIPT.exists():
            raise RuntimeError(f"{AXE_SCRIPT} is missing: run `make test-deps` (scripts/fetch_axe.py).")
        context.expose_binding("__axeReport", lambda source, result: self.record(result))
        context.add_init_script(path=str(AXE_SCRIPT))
        context.add_init_script(script=RUNNER)
        self.contexts.append(context)
        return context

    def settle(self) -> None:
        """Wait for the runs still going on every open page (a closed page's run is lost)."""
        for context in self.contexts:
            for page in list(getattr(context, "pages", [])):
                self.collect(page.main_frame)

    def failures(self) -> str:
        lines = []
        for v in self.violations:
            lines.append(f"{v['impact']}: {v['id']} ({v['help']}) on {v['url']} at {', '.join(v['targets'])}")
        return "\n".join(dict.fromkeys(lines))

    def reset(self) -> None:
        self.violations.clear()
        self.reported.clear()
        self.pages_checked = 0
        self.contexts.clear()


class CheckedBrowser:
    """A Playwright browser whose every new context runs axe on its pages."""

    def __init__(self, browser: Any, log: AxeLog) -> None:
        self._browser = browser
        self._log = log

    def new_context(self, *args: Any, **kwargs: Any) -> Any:
        return self._log.watch(self._browser.new_context(*args, **kwargs))

    def new_page(self, *args: Any, **kwargs: Any) -> Any:
        return self.new_context(*args, **kwargs).new_page()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


def check_after_navigations(log: AxeLog) -> None:
    """Make the Page methods that wait for a navigation also wait for that page's check."""
    from playwright.sync_api import Page

    for name in ("goto", "reload", "go_back", "go_forward", "wait_for_url", "wait_for_load_state", "set_content"):
        original = getattr(Page, name)
        if getattr(original, "_checks_accessibility", False):
            continue

        def checked(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            result = _original(self, *args, **kwargs)
            log.collect(self.main_frame)
            return result

        checked._checks_accessibility = True  # type: ignore[attr-defined]
        setattr(Page, name, checked)
