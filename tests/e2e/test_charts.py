"""Charts in a real browser, under the site's real Content Security Policy (no 'unsafe-eval').

A test-only page (this module is its URLconf) shows two charts from `partnership.core.charts` through
`includes/chart.html`, with `includes/chart_scripts.html` in base.html's extra_scripts block, and is
served by the live server through the project's middleware, django-csp's included. Vega must draw
both charts as SVG with the CSP-safe expression interpreter: any policy violation fails the test.
"""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path
from playwright.sync_api import ConsoleMessage, Page, expect

import config.urls
from partnership.core import charts

pytestmark = pytest.mark.e2e

PAGE = """{% extends "base.html" %}
{% block head_title %}Reading{% endblock head_title %}
{% block content %}
<h1 class="govuk-heading-l">Reading</h1>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    {% include "includes/chart.html" with chart_id="reading-chart" spec_json=bars %}
    <table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">Reading by school</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row">
        <th scope="col" class="govuk-table__header">School</th>
        <th scope="col" class="govuk-table__header govuk-table__header--numeric">Percentage</th>
      </tr></thead>
      <tbody class="govuk-table__body">
        {% for row in rows %}<tr class="govuk-table__row">
          <th scope="row" class="govuk-table__header">{{ row.label }}</th>
          <td class="govuk-table__cell govuk-table__cell--numeric">{{ row.percentage|default:"Suppressed" }}</td>
        </tr>{% endfor %}
      </tbody>
    </table>
    {% include "includes/chart.html" with chart_id="trend-chart" spec_json=lines %}
  </div>
</div>
{% endblock content %}
{% block extra_scripts %}{% include "includes/chart_scripts.html" %}{% endblock extra_scripts %}
"""

ROWS = [
    {"label": "Own Primary", "percentage": 72.5, "low": 61.0, "high": 81.9, "national": 74.0},
    {"label": "Small Primary", "percentage": None, "national": 74.0},
    {"label": "Hill </script> Primary", "percentage": 55.0, "low": 40.0, "high": 69.0, "national": 74.0},
]
TREND = [
    {"school": school, "year": year, "reading": figure}
    for school, figures in {"Own Primary": [60, None, 70], "National": [72, 73, 74]}.items()
    for year, figure in zip([2022, 2023, 2024], figures, strict=True)
]


def chart_page(request: HttpRequest) -> HttpResponse:
    bars = charts.percentage_bars(ROWS, title="Reading, 2024/25", description="Bar chart: reading by school.")
    lines = charts.trend_lines(
        TREND,
        title="Reading over time",
        description="Line chart: reading by year.",
        series_field="school",
        year_field="year",
        value_field="reading",
    )
    context = {"bars": charts.spec_json(bars), "lines": charts.spec_json(lines), "rows": ROWS}
    return HttpResponse(engines["django"].from_string(PAGE).render(context, request))


urlpatterns = [path("test-only/charts/", chart_page), *config.urls.urlpatterns]

# Recorded in the page before any of its scripts run (Playwright's init scripts are not subject to
# the page's policy); console messages alone could miss a violation that Chromium does not log.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
});
"""
CSP_WORDS = re.compile(r"Content Security Policy|unsafe-eval|unsafe-inline|EvalError", re.IGNORECASE)


@pytest.fixture
def chart_urls(settings):  # type: ignore[no-untyped-def]
    """Serve this module's page; the live server runs in this process, so it sees the change."""
    settings.ROOT_URLCONF = __name__
    return settings


@pytest.fixture
def problems(page: Page) -> list[str]:
    """Console errors and warnings, uncaught exceptions and CSP violations on `page`."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"} or CSP_WORDS.search(message.text):
            found.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    page.add_init_script(RECORD_VIOLATIONS)
    return found


def csp_problems(page: Page, problems: list[str]) -> list[str]:
    return [p for p in problems if CSP_WORDS.search(p)] + page.evaluate("window.__cspViolations")


def test_charts_draw_as_svg_under_the_content_security_policy(chart_urls, page, problems, a11y):
    response = page.goto("/test-only/charts/")
    assert response is not None and response.ok
    policy = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)
    assert script_src, policy
    assert "'self'" in script_src.group(1) and "'nonce-" in script_src.group(1)
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy

    bars = page.locator("#reading-chart")
    lines = page.locator("#trend-chart")
    expect(bars).to_have_attribute("data-chart-rendered", "true")
    expect(lines).to_have_attribute("data-chart-rendered", "true")
    expect(bars.locator("svg")).to_have_count(1)
    expect(lines.locator("svg")).to_have_count(1)

    # One image each, named by the spec's description, for assistive technology.
    expect(bars).to_have_attribute("role", "img")
    expect(bars).to_have_attribute("aria-label", "Bar chart: reading by school.")
    expect(page.get_by_role("img", name="Line chart: reading by year.")).to_be_visible()

    # Two bars (the suppressed figure has none), the title and the labels, as SVG.
    expect(bars.locator('svg [aria-roledescription="bar"]')).to_have_count(2)
    expect(bars.locator("svg text", has_text="Reading, 2024/25")).to_have_count(1)
    expect(bars.locator("svg text", has_text="Hill </script> Primary")).to_have_count(1)
    expect(bars.locator("svg text", has_text="Suppressed")).to_have_count(1)
    expect(lines.locator('svg [aria-roledescription="line mark"]')).to_have_count(2)
    # The chart fills the column: "container" width worked without vega-embed's stylesheet.
    box = bars.locator("svg").bounding_box()
    column = page.locator(".govuk-grid-column-two-thirds").bounding_box()
    assert box and column and box["width"] > column["width"] * 0.8

    a11y(page)
    assert csp_problems(page, problems) == []
    assert problems == []


def test_the_page_really_forbids_eval(chart_urls, page, problems, a11y):
    """The check above proves something: on this page, Vega without the interpreter is blocked."""
    page.goto("/test-only/charts/")
    expect(page.locator("#reading-chart")).to_have_attribute("data-chart-rendered", "true")
    a11y(page)
    assert csp_problems(page, problems) == []

    # Draw the first chart again with vega-embed's defaults (expressions compiled with `new Function`).
    # Scheduled with setTimeout: code run by page.evaluate itself is exempt from the eval check.
    page.evaluate(
        """() => setTimeout(() => {
          const spec = JSON.parse(document.getElementById('reading-chart-spec').textContent);
          const element = document.createElement('div');
          document.querySelector('main').append(element);
          vegaEmbed(element, spec, {renderer: 'svg', actions: false, defaultStyle: false, tooltip: false}).then(
            () => { window.__withoutInterpreter = 'drawn'; },
            (error) => { window.__withoutInterpreter = `${error.name}: ${error.message}`; },
          );
        }, 0)"""
    )
    page.wait_for_function("window.__withoutInterpreter !== undefined")
    outcome = page.evaluate("window.__withoutInterpreter")
    assert outcome != "drawn"
    assert "EvalError" in outcome or "Content Security Policy" in outcome, outcome
    found = csp_problems(page, problems)
    assert found, "the blocked eval must show up as a policy violation"
    assert any("script-src" in problem or "unsafe-eval" in problem for problem in found), found
