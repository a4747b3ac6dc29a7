"""axe-core on a Playwright (sync) page, from the copy the pip package axe-playwright-python
ships (axe.min.js inside the wheel): nothing is fetched at run time.

    from tests.browser.axe import assert_no_axe_violations
    assert_no_axe_violations(phone.page)

Rules: WCAG 2.0 and 2.1, levels A and AA, plus axe's best practices (landmarks, one h1, ...).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
IMPACT_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}


@cache
def axe_source() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_version() -> str:
    match = re.search(r"axe v([\d.]+)", axe_source()[:200])
    return match.group(1) if match else "unknown"


def run_axe(page, context: Any = None, disable: tuple[str, ...] = (),
            rules: tuple[str, ...] = ()) -> dict:
    """axe.run() on the page as it is now; returns axe's results object (violations only).
    `rules` runs those rules only (by id), whatever their tags (e.g. WCAG 2.2's target-size)."""
    # color-contrast reads computed styles: the page, its CSS and its fonts must be there.
    page.wait_for_load_state("load")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    # Evaluated through the DevTools protocol, so the page's strict CSP does not block it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options: dict[str, Any] = {
        "runOnly": {"type": "rule", "values": list(rules)} if rules
        else {"type": "tag", "values": TAGS},
        "resultTypes": ["violations"],
    }
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    return page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options]
    )


def _summary(text: str, limit: int = 300) -> str:
    """axe's "Fix any of the following:\n  a\n  b" on one line: "Fix any of the following: a; b"."""
    parts = []
    for block in re.split(r"\n\s*\n", text.strip()):
        head, *items = [line.strip() for line in block.splitlines() if line.strip()] or [""]
        parts.append(f"{head} {'; '.join(items)}".strip())
    summary = " / ".join(parts)
    return summary if len(summary) <= limit else summary[: limit - 1] + "…"


def format_violations(violations: list[dict], url: str = "") -> str:
    """One paragraph per rule: id, impact, help, link, then each offending node's target."""
    lines = [f"axe-core {axe_version()} found {len(violations)} violation(s)"
             + (f" on {url}" if url else "") + ":"]
    ordered = sorted(violations, key=lambda v: IMPACT_ORDER.get(v.get("impact") or "", 9))
    for violation in ordered:
        lines.append(f"- {violation['id']} [{violation.get('impact')}] {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '').split('?')[0]}")
        for node in violation["nodes"][:10]:
            target = " ".join(str(part) for part in node.get("target", []))
            html = re.sub(r"\s+", " ", node.get("html", ""))[:160]
            lines.append(f"    {target}  {html}")
            summary = _summary(node.get("failureSummary") or "")
            if summary:
                lines.append(f"      {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def assert_no_axe_violations(page, context: Any = None, disable: tuple[str, ...] = (),
                             rules: tuple[str, ...] = ()) -> None:
    """Fail with a readable summary when axe finds a violation.

    `context` narrows the check (a CSS selector, or axe's include/exclude object); `disable`
    turns rules off by id: say why next to the call, it is an exception to the house rules;
    `rules` runs only those rules.
    """
    violations = run_axe(page, context, disable, rules)["violations"]
    assert not violations, format_violations(violations, page.url)
