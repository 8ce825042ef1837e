"""SVG charts with matplotlib: one function per chart kind, readable by colour-blind readers and in grey.

Colours are the Okabe-Ito palette, safe for the common colour-vision deficiencies; lines
also differ by style and marker, so a black-and-white copy still tells them apart.
Projections are drawn dashed and hollow, with their own legend entry. Axes name their
unit, and tick labels are in that unit (US$ billion, not "2.5 k").
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import io
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.ticker import FuncFormatter  # noqa: E402
from babel import numbers  # noqa: E402

from bilateral.briefing import wording  # noqa: E402
from bilateral.files import write_atomically  # noqa: E402

KEPT_DAYS = 90  # a cached chart not drawn again for this long is removed
_cache: contextvars.ContextVar[Path | None] = contextvars.ContextVar("chart_cache", default=None)

STYLES = (  # Okabe-Ito colours
    {"color": "#0072B2", "linestyle": "-", "marker": "o"},
    {"color": "#D55E00", "linestyle": "-", "marker": "s"},
    {"color": "#009E73", "linestyle": "-.", "marker": "^"},
    {"color": "#CC79A7", "linestyle": ":", "marker": "D"},
    {"color": "#000000", "linestyle": (0, (5, 1, 1, 1)), "marker": "v"},
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


@contextlib.contextmanager
def cached_in(folder: Path) -> Iterator[None]:
    """Keep the charts drawn inside the block in `folder`, by the hash of what they show: a briefing whose
    data did not change draws nothing again (matplotlib takes about half a second for the five)."""
    token = _cache.set(folder)
    try:
        yield
    finally:
        _cache.reset(token)
        _forget_old(folder)


def _cached(draw):
    @functools.wraps(draw)
    def drawn(*arguments, **options) -> str:
        folder = _cache.get()
        if folder is None:
            return draw(*arguments, **options)
        asked = repr((draw.__name__, arguments, sorted(options.items()), wording.language(), _drawing_version()))
        path = folder / f"{hashlib.sha256(asked.encode('utf-8')).hexdigest()}.svg"
        try:
            svg = path.read_text(encoding="utf-8")
            os.utime(path)  # drawn again now: kept for another KEPT_DAYS
            return svg
        except OSError:
            svg = draw(*arguments, **options)
            write_atomically(path, svg)
            return svg
    return drawn


@functools.cache
def _drawing_version() -> str:
    """What else a chart depends on: this module's code and matplotlib's version."""
    return hashlib.sha256(Path(__file__).read_bytes() + matplotlib.__version__.encode()).hexdigest()


def _forget_old(folder: Path) -> None:
    cutoff = time.time() - KEPT_DAYS * 86400
    for path in folder.glob("*.svg"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[int, float, bool]]  # (year, value, is_forecast)


@_cached
def line_chart(series: list[Series], title: str, unit: str, markers: list[tuple[int, str]] = (), money: bool = False,
               height: float = 2.9) -> str:
    """Lines over years; projections dashed and hollow; `markers` draw vertical lines with short labels.

    With `money`, values in US dollars are shown in millions or billions, whichever reads best.
    """
    scale, unit = _money_scale(series) if money else (1.0, unit)
    figure, axes = plt.subplots(figsize=(6.6, height))
    for position, line in enumerate(series):
        style = STYLES[position % len(STYLES)]
        actual = [(x, y / scale) for x, y, projected in line.points if not projected]
        projected = [(x, y / scale) for x, y, is_projected in line.points if is_projected]
        if actual:
            # a marker every few years is enough to tell the lines apart in grey; each one costs the PDF renderer
            axes.plot(*zip(*actual), label=line.label, markersize=3, linewidth=1.4, markevery=_sparse(len(actual)), **style)
        if projected:
            joined = actual[-1:] + projected  # the dashed line starts where the actuals end
            axes.plot(*zip(*joined), label=None if actual else line.label, color=style["color"], linestyle="--",
                      marker=style["marker"], markersize=3, markerfacecolor="white", linewidth=1.1)
    for year, label in markers:
        # a short label (a number) on top; the caption under the chart says what it stands for
        axes.axvline(year, color="#b0b0b0", linewidth=0.6, zorder=0)
        axes.annotate(label, (year, 1.01), xycoords=("data", "axes fraction"), fontsize=6.5,
                      ha="center", va="bottom", color="#333333")
    if any(projected for line in series for _, _, projected in line.points):
        axes.plot([], [], color="#555555", linestyle="--", marker="o", markerfacecolor="white", markersize=3,
                  label=wording._("IMF projection"))
    axes.set_title(title, loc="left", pad=12 if markers else 6)
    axes.set_ylabel(unit)
    axes.yaxis.set_major_formatter(FuncFormatter(_plain))
    axes.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    axes.legend(loc="best", fontsize=7, ncol=2)
    return _svg(figure)


def _sparse(points: int) -> int:
    return max(1, points // 8)


@_cached
def bar_chart(labels: list[str], values: list[float], title: str, unit: str, money: bool = False) -> str:
    """Horizontal bars, largest on top."""
    scale, unit = _money_scale([Series("", [(0, value, False) for value in values])]) if money else (1.0, unit)
    figure, axes = plt.subplots(figsize=(6.6, 0.35 * max(len(labels), 3) + 0.8))
    positions = range(len(labels))[::-1]
    axes.barh(list(positions), [value / scale for value in values], color=STYLES[0]["color"], height=0.6)
    axes.set_yticks(list(positions), labels=[_shorten(label) for label in labels])
    axes.set_title(title, loc="left")
    axes.set_xlabel(unit)
    axes.xaxis.set_major_formatter(FuncFormatter(_plain))
    axes.grid(axis="x", color="#e3e3e3", linewidth=0.6)
    return _svg(figure)


def _money_scale(series: list[Series]) -> tuple[float, str]:
    """US dollars in billions when the largest value reaches one, else in millions."""
    largest = max((abs(y) for line in series for _, y, _ in line.points), default=0)
    return (1e9, wording._("US$ billion")) if largest >= 1e9 else (1e6, wording._("US$ million"))


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.tight_layout()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def _plain(value: float, _position=None) -> str:
    """A tick label in the axis's own unit: thousands separated as the reader's locale does, a true minus sign."""
    text = numbers.format_decimal(abs(value), locale=wording.language())
    return (wording.MINUS + text) if value < 0 else text


def _shorten(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"
