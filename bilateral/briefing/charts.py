"""SVG charts with matplotlib: one function per chart kind, readable in grey-scale print.

Countries differ by line style and marker as well as by shade, so a black-and-white
copy still tells them apart; forecasts are drawn dashed and hollow.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.ticker import FuncFormatter  # noqa: E402

STYLES = (
    {"color": "#1b1b1b", "linestyle": "-", "marker": "o"},
    {"color": "#6b6b6b", "linestyle": "-", "marker": "s"},
    {"color": "#2f5d8a", "linestyle": "-.", "marker": "^"},
    {"color": "#9a9a9a", "linestyle": ":", "marker": "D"},
    {"color": "#4d4d4d", "linestyle": (0, (5, 1, 1, 1)), "marker": "v"},
)
matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: searchable in the PDF, set in the document's font
        "svg.hashsalt": "bilateral",  # stable ids: the same data give the same SVG
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 9,
        "axes.titleweight": "bold",
        "legend.frameon": False,
    }
)


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[int, float, bool]]  # (year, value, is_forecast)


def line_chart(series: list[Series], title: str, y_label: str, markers: list[tuple[int, str]] = ()) -> str:
    """Lines over years; forecast points dashed and hollow; `markers` draw vertical lines with short labels."""
    figure, axes = plt.subplots(figsize=(6.6, 2.9))
    for position, line in enumerate(series):
        style = STYLES[position % len(STYLES)]
        actual = [(x, y) for x, y, forecast in line.points if not forecast]
        forecast = [(x, y) for x, y, is_forecast in line.points if is_forecast]
        if actual:
            # a marker every few years is enough to tell the lines apart in grey; each one costs the PDF renderer
            axes.plot(*zip(*actual), label=line.label, markersize=3, linewidth=1.4, markevery=_sparse(len(actual)), **style)
        if forecast:
            joined = actual[-1:] + forecast  # the dashed line starts where the actuals end
            axes.plot(
                *zip(*joined),
                label=f"{line.label} (IMF forecast)" if not actual else None,
                color=style["color"],
                linestyle="--",
                marker=style["marker"],
                markersize=3,
                markerfacecolor="white",
                linewidth=1.1,
            )
    for year, label in markers:
        # a short label (a number) on top; the caption under the chart says what it stands for
        axes.axvline(year, color="#b0b0b0", linewidth=0.6, zorder=0)
        axes.annotate(label, (year, 1.01), xycoords=("data", "axes fraction"), fontsize=6.5,
                      ha="center", va="bottom", color="#333333")
    if any(forecast for line in series for _, _, forecast in line.points):
        axes.plot([], [], color="#777777", linestyle="--", marker="o", markerfacecolor="white", markersize=3, label="IMF forecast")
    axes.set_title(title, loc="left", pad=12 if markers else 6)
    axes.set_ylabel(y_label)
    axes.set_xlabel("year")
    axes.yaxis.set_major_formatter(FuncFormatter(_compact))
    axes.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    axes.legend(loc="best", fontsize=7, ncol=2)
    return _svg(figure)


def _sparse(points: int) -> int:
    return max(1, points // 8)


def bar_chart(labels: list[str], values: list[float], title: str, x_label: str) -> str:
    """Horizontal bars, largest on top."""
    figure, axes = plt.subplots(figsize=(6.6, 0.35 * max(len(labels), 3) + 0.8))
    positions = range(len(labels))[::-1]
    axes.barh(list(positions), values, color="#5a5a5a", height=0.6)
    axes.set_yticks(list(positions), labels=[_shorten(label) for label in labels])
    axes.set_title(title, loc="left")
    axes.set_xlabel(x_label)
    axes.xaxis.set_major_formatter(FuncFormatter(_compact))
    axes.grid(axis="x", color="#e3e3e3", linewidth=0.6)
    return _svg(figure)


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.tight_layout()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def _compact(value: float, _position=None) -> str:
    for limit, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if abs(value) >= limit:
            return f"{value / limit:g}{suffix}"
    return f"{value:g}"


def _shorten(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"
