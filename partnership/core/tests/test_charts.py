"""Charts: the Vega-Lite specs are valid, render to SVG offline, and embed safely in a page."""

import io
import json
import re
from decimal import Decimal

import jsonschema
import pytest
from altair.vegalite.v6.schema import load_schema
from django.template.loader import render_to_string
from django.test import RequestFactory

from partnership.core import charts

ROWS = [
    {"label": "Own Primary", "percentage": 72.5, "low": 61.0, "high": 81.9, "national": 74.0},
    {"label": "Small Primary", "percentage": None, "low": None, "high": None, "national": 74.0},
    {"label": "Hill Primary", "percentage": Decimal("55"), "low": 40, "high": 69, "national": 74.0},
    {"label": "Partnership", "percentage": 64.0, "low": 58.0, "high": 70.0, "national": None},
]
TITLE = "Reading at the expected standard, 2024/25"
DESCRIPTION = "Bar chart of the percentage of pupils reaching the expected standard in reading, by school."


@pytest.fixture(scope="module")
def vega_lite_schema() -> dict:
    return load_schema()


@pytest.fixture(scope="module")
def bars() -> dict:
    return charts.percentage_bars(ROWS, title=TITLE, description=DESCRIPTION)


@pytest.fixture(scope="module")
def bars_svg(bars) -> str:
    return charts.svg(bars)


def trend_rows() -> list[dict]:
    rows = []
    for school, figures in {"Own Primary": [60, None, 70, 72], "National": [72, 73, 74, 75]}.items():
        for year, figure in zip([2021, 2022, 2023, 2024], figures, strict=True):
            rows.append({"school": school, "year": year, "reading": figure})
    return rows


def marks(svg: str, description: str) -> list[str]:
    """The SVG elements Vega drew for one kind of mark (its aria-roledescription)."""
    return re.findall(rf'<[^>]*aria-roledescription="{description}"[^>]*>', svg)


def test_percentage_bars_is_a_valid_vega_lite_spec(bars, vega_lite_schema):
    assert bars["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    jsonschema.validate(bars, vega_lite_schema)
    assert bars["description"] == DESCRIPTION
    assert bars["title"] == TITLE
    assert bars["width"] == "container"
    # The data is inline, in row order, and every layer uses it.
    assert [row["label"] for row in bars["data"]["values"]] == [row["label"] for row in ROWS]
    assert "datasets" not in bars
    assert all("data" not in layer for layer in bars["layer"])
    text = json.dumps(bars)
    for colour in (charts.BLUE, charts.RED, charts.BLACK):
        assert colour in text
    assert bars["config"]["font"] == charts.FONT
    # Nothing to fetch: no URLs for data.
    assert '"url"' not in text


def test_percentage_bars_renders_one_bar_per_published_figure(bars_svg):
    assert bars_svg.startswith("<svg")
    assert TITLE in bars_svg
    assert len(marks(bars_svg, "bar")) == 3
    for label in ("Own Primary", "Small Primary", "Hill Primary", "Partnership"):
        assert f">{label}</text>" in bars_svg  # every category keeps its place on the axis
    assert "95% confidence interval" in bars_svg
    assert ">National</text>" in bars_svg
    # Intervals for the three published figures; a national marker on three rows (not Partnership).
    assert len(marks(bars_svg, "rule mark")) == 3
    assert len(marks(bars_svg, "tick")) == 3 * 2 + 3


def test_a_suppressed_figure_has_no_bar_or_interval(bars, bars_svg):
    suppressed = next(row for row in bars["data"]["values"] if row["label"] == "Small Primary")
    assert suppressed["percentage"] is None
    assert suppressed["low"] is None and suppressed["high"] is None
    bar_labels = " ".join(marks(bars_svg, "bar"))
    assert "Small Primary" not in bar_labels
    assert "Own Primary" in bar_labels
    assert ">Suppressed</text>" in bars_svg


def test_only_suppressed_figures_draw_no_bars_and_no_legend():
    rows = [{"label": "Tiny Primary", "percentage": None}, {"label": "Wee Primary", "percentage": float("nan")}]
    spec = charts.percentage_bars(rows, title="All suppressed", description="Nothing to show.", suppressed_text=None)
    svg = charts.svg(spec)
    assert marks(svg, "bar") == []
    assert "Suppressed" not in svg
    assert marks(svg, "legend") == []
    assert [row["percentage"] for row in spec["data"]["values"]] == [None, None]


def test_field_names_and_titles_can_be_chosen(vega_lite_schema):
    rows = [{"school": "Own Primary", "pct": 40, "lo": 30, "hi": 50, "nat": 60}]
    spec = charts.percentage_bars(
        rows,
        title="Writing",
        description="Writing by school.",
        category_field="school",
        category_title="School",
        value_field="pct",
        low_field="lo",
        high_field="hi",
        national_field="nat",
    )
    jsonschema.validate(spec, vega_lite_schema)
    svg = charts.svg(spec)
    assert len(marks(svg, "bar")) == 1
    assert ">School</text>" in svg


def test_trend_lines_is_valid_and_breaks_at_gaps(vega_lite_schema):
    spec = charts.trend_lines(
        trend_rows(),
        title="Reading over time",
        description="Line chart of reading by year.",
        series_field="school",
        year_field="year",
        value_field="reading",
    )
    jsonschema.validate(spec, vega_lite_schema)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert spec["description"] == "Line chart of reading by year."
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 100]
    years = {row["year"] for row in spec["data"]["values"]}
    assert years == {"2021/22", "2022/23", "2023/24", "2024/25"}

    svg = charts.svg(spec)
    assert "Reading over time" in svg
    for label in ("2021/22", "2024/25", "Own Primary", "National"):
        assert f">{label}</text>" in svg
    lines = re.findall(r'aria-roledescription="line mark"[^>]*\sd="([^"]*)"', svg)
    assert len(lines) == 2
    # Own Primary's line is broken at 2022/23 (two pieces); National's is whole.
    assert sorted(path.count("M") for path in lines) == [1, 2]
    # One point per published figure: 3 + 4.
    assert len(marks(svg, "point")) == 7


def test_a_year_missing_for_a_series_is_a_gap_not_a_join():
    rows = [
        {"school": "Own Primary", "year": "2021/22", "reading": 50},
        {"school": "Own Primary", "year": "2023/24", "reading": 60},
        {"school": "National", "year": "2022/23", "reading": 70},
    ]
    spec = charts.trend_lines(
        rows, title="Gaps", description="Gaps.", series_field="school", year_field="year", value_field="reading"
    )
    own = [row for row in spec["data"]["values"] if row["school"] == "Own Primary"]
    assert [(row["year"], row["reading"]) for row in own] == [("2021/22", 50), ("2022/23", None), ("2023/24", 60)]
    lines = re.findall(r'aria-roledescription="line mark"[^>]*\sd="([^"]*)"', charts.svg(spec))
    assert all("L" not in path for path in lines)  # no segment joins two years


def test_academic_year_label():
    assert charts.academic_year_label(2022) == "2022/23"
    assert charts.academic_year_label(1999) == "1999/00"
    assert charts.academic_year_label("2024/25") == "2024/25"


def test_spec_json_cannot_break_out_of_its_script_element():
    nasty = "</script><script>alert(1)</script><!-- & -->"
    spec = charts.percentage_bars([{"label": nasty, "percentage": 50}], title=nasty, description=f"Chart of {nasty}")
    text = charts.spec_json(spec)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text) == spec


def test_spec_json_refuses_nan():
    with pytest.raises(ValueError):
        charts.spec_json({"value": float("nan")})


def test_svg_prints_at_a_fixed_width_and_leaves_the_spec_alone(bars, bars_svg):
    assert re.match(r'<svg[^>]*\swidth="600"', bars_svg)
    assert bars["width"] == "container"
    assert bars["autosize"] == {"type": "fit-x", "contains": "padding"}
    wide = charts.svg(bars, width=800)
    assert re.match(r'<svg[^>]*\swidth="800"', wide)


def test_svg_fetches_nothing(bars):
    remote = {key: value for key, value in bars.items() if key != "data"}
    remote["data"] = {"url": "https://example.org/figures.json"}
    with pytest.raises(ValueError, match="not allowed"):
        charts.svg(remote)


def test_chart_include_renders_the_container_and_the_spec(bars):
    html = render_to_string("includes/chart.html", {"chart_id": "reading-chart", "spec_json": charts.spec_json(bars)})
    assert '<div class="app-chart" data-chart="reading-chart-spec" id="reading-chart"></div>' in html
    match = re.search(r'<script type="application/json" id="reading-chart-spec">(.*)</script>', html, re.S)
    assert match
    assert json.loads(match.group(1)) == bars


def test_chart_scripts_load_vega_then_charts_with_the_nonce():
    request = RequestFactory().get("/")
    request.csp_nonce = "n0nce"
    html = render_to_string("includes/chart_scripts.html", request=request)
    sources = re.findall(r'<script src="([^"]+)" nonce="n0nce" defer></script>', html)
    assert sources == [
        "/static/js/vega/vega.min.js",
        "/static/js/vega/vega-interpreter.js",
        "/static/js/vega/vega-lite.min.js",
        "/static/js/vega/vega-embed.min.js",
        "/static/js/charts.js",
    ]


def test_pages_without_charts_do_not_load_vega(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"js/vega/" not in response.content
    assert b"charts.js" not in response.content


def test_the_vendored_scripts_are_committed_without_source_map_references():
    from django.conf import settings

    folder = settings.BASE_DIR / "static" / "js" / "vega"
    for name in ("vega.min.js", "vega-interpreter.js", "vega-lite.min.js", "vega-embed.min.js"):
        text = (folder / name).read_text(encoding="utf-8")
        assert text.startswith("/*! "), name  # the licence header
        assert "sourceMappingURL" not in text, name  # collectstatic's manifest would need the map
    assert "BSD-3-Clause" in (folder / "LICENSES.txt").read_text(encoding="utf-8")


def test_the_svg_goes_into_a_pdf_without_fetching_anything(bars_svg):
    from pypdf import PdfReader
    from weasyprint import HTML

    fetched: list[str] = []

    def refuse(url: str, *args, **kwargs):
        fetched.append(url)
        raise ValueError(f"No fetching in PDFs: {url}")

    html = f"<html><body><h1>Outcomes</h1><figure>{bars_svg}</figure></body></html>"
    pdf = HTML(string=html, base_url=None, url_fetcher=refuse).write_pdf()
    # pypdf loses some spaces between SVG words: compare without them.
    text = re.sub(r"\s+", "", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert re.sub(r"\s+", "", TITLE) in text
    assert "OwnPrimary" in text
    assert fetched == []


def unnamed_roles(svg: str) -> list[str]:
    """Elements assistive technology would meet as an image or symbol with no name (axe `svg-img-alt`)."""
    tags = re.findall(r'<[^>]*role="(?:img|graphics-symbol|graphics-document)"[^>]*>', svg)
    return [tag for tag in tags if "aria-label=" not in tag]


@pytest.mark.parametrize(
    "spec",
    [
        charts.percentage_bars(
            [{"label": "Tiny Primary", "percentage": None}, {"label": "Wee Primary", "percentage": None}],
            title="Reading 2022/23",
            description="Reading by school.",
        ),
        charts.percentage_bars([], title="Reading 2022/23", description="Reading by school."),
        charts.trend_lines(
            [{"school": "Own", "year": 2022, "reading": None}, {"school": "Own", "year": 2023, "reading": None}],
            title="Reading over time",
            description="Reading by year.",
            series_field="school",
            year_field="year",
            value_field="reading",
        ),
    ],
    ids=["all-suppressed", "no-rows", "no-points"],
)
def test_a_chart_with_nothing_to_draw_says_so_and_names_everything_it_shows(spec):
    assert spec["description"].startswith("No results to chart.")
    assert spec["title"]["subtitle"] == "No results to chart"
    svg = charts.svg(spec)
    assert unnamed_roles(svg) == []
    assert "No results to chart" in svg


def test_a_chart_with_figures_keeps_its_title_and_roles(bars, bars_svg):
    assert bars["title"] == TITLE and bars["description"] == DESCRIPTION
    assert unnamed_roles(bars_svg) == []
    assert marks(bars_svg, "bar")


def test_interval_points_draw_a_point_and_an_interval_per_row_and_the_markers(vega_lite_schema):
    rows = [
        {"label": "1. K7QX", "value": 82.5, "low": 70.0, "high": 95.0},
        {"label": "2. M3TR", "value": 51.0, "low": 40.0, "high": 62.0},
        {"label": "3. PZ8W", "value": 20.0, "low": 5.0, "high": 35.0},
    ]
    spec = charts.interval_points(
        rows,
        title="The scale",
        description="Scripts ranked.",
        label_field="label",
        value_field="value",
        low_field="low",
        high_field="high",
        value_title="Reading (0 to 100)",
        markers=[45.0, 75.0],
    )
    jsonschema.validate(spec, vega_lite_schema)
    assert [v["label"] for v in spec["data"]["values"]] == ["1. K7QX", "2. M3TR", "3. PZ8W"]
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == ["1. K7QX", "2. M3TR", "3. PZ8W"]
    svg = charts.svg(spec)
    assert len(marks(svg, "point")) == 3
    assert len(marks(svg, "rule mark container")) == 3  # the intervals, and one layer per boundary
    assert len(re.findall(r'<line[^>]*stroke-dasharray="4,4"', svg)) == 2  # the two boundaries
    assert unnamed_roles(svg) == []
    empty = charts.interval_points(
        [], title="The scale", description="Scripts ranked.", label_field="label", value_field="value",
        low_field="low", high_field="high", value_title="Reading",
    )  # fmt: skip
    assert empty["description"].startswith("No results to chart.")
