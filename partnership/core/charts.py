"""Charts: Vega-Lite specs built with Altair, for the page and for PDFs.

One spec serves both: `templates/includes/chart.html` draws it in the browser with the vendored
vega-embed (static/js/charts.js, CSP-safe expression interpreter) and `svg()` renders it to SVG with
vl-convert for WeasyPrint. Every chart goes beside a data table with the same figures, which is the
accessible equivalent; the spec's `description` names the chart for screen readers.

The specs are plain dicts with the data inline (`"data": {"name": "figures", "values": [...]}`):
no files, URLs, data transformers or notebook renderers are involved, so building and rendering
work offline. Figures are percentages already computed (and suppressed) by `outcomes/stats.py`; a
suppressed figure is `None` and gets no bar, point or line. A chart with no figure to draw says
"No results to chart" (`NO_DATA_TEXT`) in its subtitle and its description, and its empty layers
are hidden from assistive technology.

In a view:

    spec = charts.percentage_bars(rows, title="Reading at the expected standard", description="...")
    context["reading_chart"] = charts.spec_json(spec)

and in its template (which also fills `{% block extra_scripts %}` with
`{% include "includes/chart_scripts.html" %}`):

    {% include "includes/chart.html" with chart_id="reading-chart" spec_json=reading_chart %}
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

import altair as alt
import vl_convert

from partnership.core.schoolyear import academic_year_label  # noqa: F401 - charts label years

Spec = dict[str, Any]
Row = Mapping[str, Any]

# GOV.UK colours (GOV.UK Frontend's palette).
BLUE: Final = "#1d70b8"
RED: Final = "#d4351c"
BLACK: Final = "#0b0c0c"
DARK_GREY: Final = "#505a5f"
MID_GREY: Final = "#b1b4b6"
# The series of a line chart, in order: a colour each, and a point shape each so that they can be
# told apart without colour (the two cycle at different lengths, so pairs repeat only after 24).
SERIES_COLOURS: Final = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#28a197", "#b58840", "#912b88")
SERIES_SHAPES: Final = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down")
FONT: Final = "Arial, sans-serif"
# Width in pixels used where the page's "container" width does not exist: PDFs (A4 less margins).
PRINT_WIDTH: Final = 600
# The chart, labels and legend included, fits the width. (Heights are numbers: Vega-Lite cannot fit
# a chart whose height is a step per category.)
FIT_WIDTH: Final = alt.AutoSizeParams(type="fit-x", contains="padding")
BAR_STEP: Final = 32  # pixels of height per category of a bar chart
LINE_HEIGHT: Final = 300

DATA_NAME: Final = "figures"
LEGEND_FIELD: Final = "_key"
SUPPRESSED_FIELD: Final = "_suppressed_at"
INTERVAL_LABEL: Final = "95% confidence interval"
# Said in the chart (its subtitle) and to screen readers (its name) when no figure can be drawn.
NO_DATA_TEXT: Final = "No results to chart"
NATIONAL_LABEL: Final = "National"
_JSON_SCRIPT_ESCAPES: Final = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _number(value: Any) -> float | None:
    """A figure as a JSON number; None (suppressed, missing) and NaN as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("A chart figure must be a number, not a bool.")
    number = float(value) if isinstance(value, Decimal | int | float) else float(str(value))
    return None if math.isnan(number) or math.isinf(number) else number


def _config(chart: alt.LayerChart | alt.Chart) -> alt.LayerChart | alt.Chart:
    """GOV.UK typography and colours for text, axes and legends."""
    return (
        chart.configure(font=FONT, background="#ffffff", padding=8)
        .configure_view(stroke=None)
        .configure_title(
            font=FONT, fontSize=19, fontWeight="bold", color=BLACK, anchor="start", offset=12, subtitleColor=DARK_GREY
        )
        .configure_axis(
            labelFont=FONT,
            titleFont=FONT,
            labelFontSize=14,
            titleFontSize=14,
            labelColor=BLACK,
            titleColor=BLACK,
            titleFontWeight="normal",
            domainColor=DARK_GREY,
            tickColor=DARK_GREY,
            gridColor=MID_GREY,
            gridOpacity=0.5,
            labelLimit=240,
        )
        .configure_legend(
            labelFont=FONT,
            titleFont=FONT,
            labelFontSize=14,
            titleFontSize=14,
            labelColor=BLACK,
            titleColor=BLACK,
            orient="bottom",
            labelLimit=300,
            symbolOpacity=1,
        )
    )


def _data(values: list[dict[str, Any]]) -> alt.InlineData:
    """The figures inline in the spec (`{"name": "figures", "values": [...]}`).

    Plain values are never passed through Altair's data transformers (no row limit, no files), and a
    named data set is not moved to the spec's top-level `datasets`.
    """
    return alt.InlineData(values=values, name=DATA_NAME)


def _empty_marks(drawn: bool) -> dict[str, Any]:
    """Mark properties for a layer with nothing to draw: hidden from assistive technology. Vega
    gives an empty layer's container the role "graphics-symbol" and no name, which axe reports
    (`svg-img-alt`); a layer with marks is named by Vega and keeps its roles."""
    return {} if drawn else {"aria": False}


def _titles(title: str, description: str, drawn: bool) -> tuple[str | alt.TitleParams, str]:
    """The chart's title and its name for screen readers, both saying so when nothing is drawn."""
    if drawn:
        return title, description
    return alt.TitleParams(text=title, subtitle=NO_DATA_TEXT), f"{NO_DATA_TEXT}. {description}"


def _finish(chart: alt.LayerChart | alt.Chart, description: str, values: list[dict[str, Any]]) -> Spec:
    """The Vega-Lite dict, validated by Altair against the Vega-Lite schema. The chart is built and
    validated with no rows and the rows put in afterwards: validating every row (plain numbers and
    text) cost a quarter of a second per hundred schools and proves nothing more."""
    spec: Spec = _config(chart).to_dict()
    assert spec["data"] == {"name": DATA_NAME, "values": []}
    spec["data"] = {"name": DATA_NAME, "values": values}
    spec["description"] = description
    return spec


def percentage_bars(
    rows: Iterable[Row],
    *,
    title: str,
    description: str,
    category_field: str = "label",
    category_title: str | None = None,
    value_field: str = "percentage",
    low_field: str = "low",
    high_field: str = "high",
    national_field: str = "national",
    value_title: str = "Percentage",
    suppressed_text: str | None = "Suppressed",
) -> Spec:
    """Horizontal bars of percentages (0 to 100) per category, in the order of `rows`.

    Each row is a mapping with the category label and the percentage; `low`/`high` (the 95%
    interval) draw an error bar and `national` a red marker where present. A row whose percentage
    is None (a suppressed figure) keeps its place on the axis with `suppressed_text` in place of
    a bar, and no interval; its national figure is still marked.
    """
    values: list[dict[str, Any]] = []
    for row in rows:
        value = _number(row.get(value_field))
        shown = value is not None
        values.append(
            {
                category_field: str(row[category_field]),
                value_field: value,
                low_field: _number(row.get(low_field)) if shown else None,
                high_field: _number(row.get(high_field)) if shown else None,
                national_field: _number(row.get(national_field)),
                # Where the "suppressed" note goes: 0 on the value axis, or nowhere.
                SUPPRESSED_FIELD: None if shown else 0,
            }
        )
    categories = list(dict.fromkeys(value[category_field] for value in values))
    has_interval = any(v[low_field] is not None and v[high_field] is not None for v in values)
    has_national = any(v[national_field] is not None for v in values)
    has_bars = any(v[value_field] is not None for v in values)
    title_shown, description = _titles(title, description, has_bars or has_national)

    legend_domain = [value_title]
    legend_range = [BLUE]
    if has_interval:
        legend_domain.append(INTERVAL_LABEL)
        legend_range.append(BLACK)
    if has_national:
        legend_domain.append(NATIONAL_LABEL)
        legend_range.append(RED)
    show_legend = len(legend_domain) > 1
    colour_scale = alt.Scale(domain=legend_domain, range=legend_range)
    legend = alt.Legend(title=None, symbolType="square") if show_legend else None

    def key(label: str) -> alt.Chart:
        """A layer coloured as `label` in the legend (Vega-Lite scales and legends need a field)."""
        return alt.Chart().transform_calculate(**{LEGEND_FIELD: json.dumps(label)})

    colour = alt.Color(f"{LEGEND_FIELD}:N", scale=colour_scale, legend=legend)

    y = alt.Y(
        f"{category_field}:N",
        title=category_title,
        sort=None,
        scale=alt.Scale(domain=categories, paddingInner=0.3, paddingOuter=0.2),
        axis=alt.Axis(ticks=False, domain=False, labelPadding=8),
    )
    x_scale = alt.Scale(domain=[0, 100], nice=False, clamp=True)
    x_axis = alt.Axis(values=list(range(0, 101, 20)), grid=True, title=value_title + " (%)")

    layers: list[alt.Chart] = [
        key(value_title)
        .mark_bar(invalid="filter", **_empty_marks(has_bars))
        .encode(
            y=y,
            x=alt.X(f"{value_field}:Q", scale=x_scale, axis=x_axis),
            color=colour,
        )
    ]
    if has_interval:
        layers.append(
            key(INTERVAL_LABEL)
            .mark_rule(invalid="filter", strokeWidth=2)
            .encode(
                y=y,
                x=alt.X(f"{low_field}:Q", scale=x_scale),
                x2=alt.X2(f"{high_field}:Q"),
                color=colour,
            )
        )
        for end in (low_field, high_field):
            layers.append(
                key(INTERVAL_LABEL)
                .mark_tick(invalid="filter", thickness=2, size=12, opacity=1)
                .encode(
                    y=y,
                    x=alt.X(f"{end}:Q", scale=x_scale),
                    color=colour,
                )
            )
    if has_national:
        layers.append(
            key(NATIONAL_LABEL)
            .mark_tick(invalid="filter", thickness=4, opacity=1)
            .encode(
                y=y,
                x=alt.X(f"{national_field}:Q", scale=x_scale),
                color=colour,
            )
        )
    if suppressed_text and any(v[SUPPRESSED_FIELD] is not None for v in values):
        layers.append(
            alt.Chart()
            .mark_text(invalid="filter", align="left", dx=4, color=DARK_GREY, fontSize=14, font=FONT)
            .encode(y=y, x=alt.X(f"{SUPPRESSED_FIELD}:Q", scale=x_scale), text=alt.value(suppressed_text))
        )
    chart = alt.LayerChart(layer=layers, data=_data([])).properties(
        title=title_shown,
        width="container",
        height=BAR_STEP * max(1, len(categories)),
        autosize=FIT_WIDTH,
        description=description,
    )
    return _finish(chart, description, values)


def trend_lines(
    rows: Iterable[Row],
    *,
    title: str,
    description: str,
    series_field: str,
    year_field: str,
    value_field: str,
    value_title: str = "Percentage",
) -> Spec:
    """Lines of percentages (0 to 100) over academic years, one per series, with a point per year.

    Years are ints (2022 is '2022/23') or labels; they are shown in order. A None value (or a year
    missing for a series) leaves a gap: the line is not joined across it.
    """
    figures: dict[tuple[str, str], float | None] = {}
    series: list[str] = []
    years: set[str] = set()
    for row in rows:
        name = str(row[series_field])
        year = academic_year_label(row[year_field])
        series.append(name)
        years.add(year)
        figures[(name, year)] = _number(row.get(value_field))
    series = list(dict.fromkeys(series))
    ordered_years = sorted(years)
    # Every series has every year, so a missing year is a null that breaks the line.
    values = [
        {series_field: name, year_field: year, value_field: figures.get((name, year))}
        for name in series
        for year in ordered_years
    ]
    drawn = any(value[value_field] is not None for value in values)
    title_shown, description = _titles(title, description, drawn)
    colours = [SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(len(series))]
    shapes = [SERIES_SHAPES[i % len(SERIES_SHAPES)] for i in range(len(series))]
    chart = (
        alt.Chart(_data([]))
        .mark_line(
            invalid="break-paths-show-domains",
            strokeWidth=3,
            point=alt.OverlayMarkDef(filled=True, size=70, **_empty_marks(drawn)),
            **_empty_marks(drawn),
        )
        .encode(
            x=alt.X(
                f"{year_field}:O",
                title="Academic year",
                sort=ordered_years,
                scale=alt.Scale(domain=ordered_years),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y(
                f"{value_field}:Q",
                title=value_title + " (%)",
                scale=alt.Scale(domain=[0, 100], nice=False, clamp=True),
                axis=alt.Axis(values=list(range(0, 101, 20))),
            ),
            color=alt.Color(
                f"{series_field}:N",
                title=None,
                sort=series,
                scale=alt.Scale(domain=series, range=colours),
            ),
            shape=alt.Shape(
                f"{series_field}:N",
                title=None,
                sort=series,
                scale=alt.Scale(domain=series, range=shapes),
            ),
        )
        .properties(
            title=title_shown, width="container", height=LINE_HEIGHT, autosize=FIT_WIDTH, description=description
        )
    )
    return _finish(chart, description, values)


def interval_points(
    rows: Iterable[Row],
    *,
    title: str,
    description: str,
    label_field: str,
    value_field: str,
    low_field: str,
    high_field: str,
    value_title: str,
    domain: tuple[float, float] = (0, 100),
    markers: Iterable[float] = (),
) -> Spec:
    """One row per item in the order given: a point at its value with a bar from low to high (an
    interval), on a fixed axis (`domain`), with dashed vertical `markers` (boundaries) across all
    rows. Used for a comparative-judgement scale: scripts in rank order with their 95% intervals."""
    values = [
        {
            "label": str(row[label_field]),
            "value": _number(row.get(value_field)),
            "low": _number(row.get(low_field)),
            "high": _number(row.get(high_field)),
        }
        for row in rows
    ]
    drawn = bool(values)
    categories = [v["label"] for v in values]
    chart_title, description = _titles(title, description, drawn)
    y = alt.Y(
        "label:N",
        title=None,
        sort=None,
        scale=alt.Scale(domain=categories, paddingInner=0.3, paddingOuter=0.2),
        axis=alt.Axis(ticks=False, domain=False, labelPadding=8),
    )
    low, high = domain
    step = (high - low) / 10
    x_scale = alt.Scale(domain=[low, high], nice=False, clamp=True)
    x_axis = alt.Axis(values=[low + i * step for i in range(11)], grid=True, title=value_title)
    layers: list[alt.Chart] = [
        alt.Chart()
        .mark_rule(strokeWidth=2, color=BLACK, **_empty_marks(drawn))
        .encode(y=y, x=alt.X("low:Q", scale=x_scale, axis=x_axis), x2=alt.X2("high:Q")),
        alt.Chart()
        .mark_point(filled=True, size=60, color=BLUE, opacity=1, **_empty_marks(drawn))
        .encode(y=y, x=alt.X("value:Q", scale=x_scale)),
    ]
    for marker in markers:
        layers.append(
            alt.Chart(alt.InlineData(values=[{"x": round(float(marker), 1)}]))
            .mark_rule(color=RED, strokeDash=[4, 4], strokeWidth=2)
            .encode(x=alt.X("x:Q", scale=x_scale))
        )
    chart = alt.LayerChart(layer=layers, data=_data([])).properties(
        title=chart_title,
        width="container",
        height=max(1, len(categories)) * 18,
        autosize=FIT_WIDTH,
        description=description,
    )
    return _finish(chart, description, values)


def spec_json(spec: Spec) -> str:
    """The spec as JSON to put inside <script type="application/json"> in a template.

    `<`, `>` and `&` are written as \\u escapes (still the same JSON), so no value can close the
    script element (`</script>`) or open a comment.
    """
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_JSON_SCRIPT_ESCAPES)


def svg(spec: Spec, *, width: int = PRINT_WIDTH) -> str:
    """The chart as an SVG document, for PDFs (WeasyPrint) and other offline uses.

    A "container" width (the page's column) becomes an image `width` pixels wide, labels included.
    External data is refused (every spec from this module carries its data inline), and text is
    measured with the machine's fonts: nothing is fetched.
    """
    printable = dict(spec)
    if printable.get("width") == "container":
        printable["width"] = width
    return str(vl_convert.vegalite_to_svg(printable, allowed_base_urls=[]))
