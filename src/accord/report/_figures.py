"""The report's charts, drawn with matplotlib's object API (no pyplot, no global state).

Every function returns a :class:`matplotlib.figure.Figure`; :func:`svg` and :func:`png` render
one. Dense point clouds are rasterised inside the SVG (an embedded PNG), so a chart of
thousands of packages stays a few hundred kilobytes; frontier points, solutions and reservation
values stay vector.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "SOLUTION_STYLE",
    "Cloud",
    "TornadoRow",
    "blockers_chart",
    "pairs_grid",
    "parallel_coordinates",
    "png",
    "solutions_chart",
    "svg",
    "tornado_chart",
]

FloatArray = npt.NDArray[np.float64]

# Okabe and Ito's colour-blind-safe palette; one marker per solution, the same in every chart.
_BLUE, _ORANGE, _GREEN, _RED, _PURPLE, _SKY, _GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#BBBBBB",
)
SOLUTION_STYLE: dict[str, tuple[str, str, str]] = {  # key: (title, colour, marker)
    "nash": ("Nash", _RED, "*"),
    "asymmetric_nash": ("Nash (power)", _ORANGE, "D"),
    "kalai_smorodinsky": ("Kalai–Smorodinsky", _PURPLE, "^"),
    "egalitarian": ("Egalitarian", _GREEN, "s"),
    "utilitarian": ("Utilitarian", _BLUE, "P"),
}
_SIZE = {"*": 150, "D": 45, "^": 60, "s": 45, "P": 70}

_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, read by screen readers
    "svg.hashsalt": "accord",  # the same report twice is the same file
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
}


_P = ParamSpec("_P")


def _styled(draw: Callable[_P, Figure]) -> Callable[_P, Figure]:
    """Draw with the report's style (rcParams are read when artists are created)."""

    @functools.wraps(draw)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> Figure:
        with mpl.rc_context(_RC):
            return draw(*args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class Cloud:
    """Utility vectors of packages to draw: ``packages`` (all, or a sample) and whether each is
    ``acceptable`` to every party; ``frontier`` the Pareto-optimal ones; ``solutions`` the
    utility vector of each bargaining solution found; ``reservation`` per party."""

    parties: tuple[str, ...]
    packages: FloatArray
    acceptable: npt.NDArray[np.bool_]
    frontier: FloatArray
    solutions: Mapping[str, FloatArray]
    reservation: FloatArray


def _plain(text: str) -> str:
    """Text for matplotlib: a ``$`` would start mathtext."""
    return text.replace("$", r"\$")


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def svg(fig: Figure, *, title: str) -> str:
    """The figure as an SVG element to inline in HTML (no XML prolog)."""
    buf = io.StringIO()
    with mpl.rc_context(_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Title": title})
    text = buf.getvalue()
    # Its natural size stays (width and height in pt); CSS only shrinks it to fit the page.
    return text[text.index("<svg") :].replace("<svg", '<svg role="img" class="chart"', 1)


def png(fig: Figure, *, dpi: int = 130) -> bytes:
    """The figure as PNG bytes (for Markdown)."""
    buf = io.BytesIO()
    with mpl.rc_context(_RC):
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def _thin(points: FloatArray, limit: int, seed: int = 0) -> FloatArray:
    """At most ``limit`` rows, drawn without replacement with a fixed seed."""
    if len(points) <= limit:
        return points
    rng = np.random.default_rng(seed)
    return points[np.sort(rng.choice(len(points), size=limit, replace=False))]


def _mark_solutions(ax: Axes, cloud: Cloud, i: int, j: int, scale: float) -> None:
    for key, u in cloud.solutions.items():
        _, colour, marker = SOLUTION_STYLE[key]
        ax.scatter(
            [u[i]],
            [u[j]],
            s=_SIZE[marker] * scale,
            marker=marker,
            c=colour,
            edgecolors="black",
            linewidths=0.4,
            zorder=5,
        )


def _legend_handles(cloud: Cloud, *, clouds: bool) -> list[Line2D]:
    handles = []
    if clouds:
        handles += [
            Line2D([], [], ls="", marker="o", ms=4, color=_GREY, label="a package"),
            Line2D([], [], ls="", marker="o", ms=4, color=_SKY, label="acceptable to all"),
        ]
    handles.append(Line2D([], [], ls="", marker="o", ms=4, color="black", label="Pareto frontier"))
    handles.append(Line2D([], [], ls="--", color="#444444", lw=0.8, label="reservation value"))
    for key in cloud.solutions:
        title, colour, marker = SOLUTION_STYLE[key]
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker=marker,
                ms=8 if marker == "*" else 6,
                color=colour,
                markeredgecolor="black",
                markeredgewidth=0.5,
                label=title,
            )
        )
    return handles


def _limits(cloud: Cloud) -> tuple[float, float]:
    values = [cloud.packages.ravel(), cloud.frontier.ravel(), cloud.reservation]
    lo = min(0.0, *(float(v.min()) for v in values if v.size))
    hi = max(1.0, *(float(v.max()) for v in values if v.size))
    pad = 0.03 * (hi - lo)
    return lo - pad, hi + pad


def _zoom(cloud: Cloud, i: int) -> tuple[float, float]:
    """Party ``i``'s axis: from a little below the lower of its reservation value and its lowest
    acceptable utility to its highest, so the zone of agreement fills the panel."""
    seen = [
        cloud.packages[cloud.acceptable, i],
        cloud.frontier[:, i],
        np.array([cloud.reservation[i]]),
        np.array([u[i] for u in cloud.solutions.values()]),
    ]
    values = np.concatenate([v for v in seen if v.size])
    lo, hi = float(values.min()), float(values.max())
    if not cloud.acceptable.any():  # no zone of agreement: show everything
        lo = min(lo, float(cloud.packages[:, i].min(initial=lo)))
        hi = max(hi, float(cloud.packages[:, i].max(initial=hi)))
    pad = max(0.02, 0.12 * (hi - lo))
    return lo - pad, hi + pad


@_styled
def pairs_grid(cloud: Cloud, *, background: int = 3000, acceptable: int = 3000) -> Figure:
    """Two parties at a time: a lower-triangular grid of scatter plots of the packages (grey),
    those acceptable to every party (blue), the Pareto frontier (black) and the bargaining
    solutions, with each party's reservation value dashed. Each axis is zoomed on the zone of
    agreement (see :func:`_zoom`); packages outside it are cut off."""
    k = len(cloud.parties)
    n = max(1, k - 1)
    panel = 2.8 if k <= 3 else 1.75
    fig = _figure(panel * n + (1.8 if k == 2 else 0.3), panel * n + 0.3)
    grid = fig.add_gridspec(n, n)
    grey = _thin(cloud.packages, background, 1)
    blue = _thin(cloud.packages[cloud.acceptable], acceptable, 2)
    scale = 1.0 if k <= 3 else 0.55
    labels = [_plain(p) for p in cloud.parties]
    columns: dict[int, Axes] = {}
    rows: dict[int, Axes] = {}
    for row in range(n):
        for col in range(row + 1):  # only the lower triangle: x is party i, y party j > i
            i, j = col, row + 1
            ax = fig.add_subplot(grid[row, col], sharex=columns.get(col), sharey=rows.get(row))
            columns.setdefault(col, ax)
            rows.setdefault(row, ax)
            ax.scatter(grey[:, i], grey[:, j], s=2, c=_GREY, linewidths=0, rasterized=True)
            ax.scatter(blue[:, i], blue[:, j], s=4, c=_SKY, linewidths=0, rasterized=True)
            ax.scatter(cloud.frontier[:, i], cloud.frontier[:, j], s=6, c="black", linewidths=0)
            ax.axvline(cloud.reservation[i], ls="--", lw=0.8, c="#444444")
            ax.axhline(cloud.reservation[j], ls="--", lw=0.8, c="#444444")
            _mark_solutions(ax, cloud, i, j, scale)
            ax.set_xlim(_zoom(cloud, i))
            ax.set_ylim(_zoom(cloud, j))
            if row == n - 1:
                ax.set_xlabel(labels[i])
            else:
                ax.tick_params(labelbottom=False)
            if col == 0:
                ax.set_ylabel(labels[j])
            else:
                ax.tick_params(labelleft=False)
    handles = _legend_handles(cloud, clouds=True)
    if k == 2:
        fig.legend(handles=handles, loc="outside right center", fontsize=7, frameon=False)
    else:
        # The empty upper triangle holds the legend.
        corner = fig.add_subplot(grid[0, n - 1])
        corner.set_axis_off()
        corner.legend(handles=handles, loc="upper right", fontsize=8, frameon=False)
    return fig


@_styled
def parallel_coordinates(cloud: Cloud, *, acceptable: int = 1500) -> Figure:
    """One vertical axis per party (its utility), one line per package: acceptable packages
    (light blue), the Pareto frontier (dark), the bargaining solutions (coloured), and each
    party's reservation value as a black bar."""
    k = len(cloud.parties)
    fig = _figure(max(5.5, 0.95 * k + 2.8), 3.6)
    ax = fig.add_subplot()
    x = np.arange(k)
    blue = _thin(cloud.packages[cloud.acceptable], acceptable, 3)
    if len(blue):  # one collection, not a line per package: fast to draw and to write
        ax.add_collection(
            LineCollection(
                list(np.stack([np.broadcast_to(x, blue.shape), blue], 2)),
                colors=_SKY,
                linewidths=0.5,
                alpha=0.35,
                rasterized=True,
            )
        )
    front = _thin(cloud.frontier, 600, 4)
    if len(front):
        ax.add_collection(
            LineCollection(
                list(np.stack([np.broadcast_to(x, front.shape), front], 2)),
                colors="#333333",
                linewidths=0.6,
                alpha=0.5,
            )
        )
    for key, u in cloud.solutions.items():
        title, colour, marker = SOLUTION_STYLE[key]
        ax.plot(
            x,
            u,
            c=colour,
            lw=1.8,
            marker=marker,
            ms=7 if marker == "*" else 5,
            markeredgecolor="black",
            markeredgewidth=0.4,
            label=title,
            zorder=5,
        )
    ax.scatter(
        x,
        cloud.reservation,
        marker="_",
        s=500,
        c="black",
        linewidths=2.2,
        zorder=6,
        label="reservation value",
    )
    for xi in range(k):
        ax.axvline(xi, c="#999999", lw=0.6, zorder=0)
    ax.set_xticks(
        x, [_plain(p) for p in cloud.parties], rotation=30 if k > 6 else 0, ha="right" if k > 6 else "center"
    )
    ax.set_xlim(-0.3, k - 0.7)
    ax.set_ylim(_limits(cloud))
    ax.set_ylabel("utility")
    ax.spines["bottom"].set_visible(False)
    handles = [
        Line2D([], [], c=_SKY, lw=1.2, label="acceptable to all"),
        Line2D([], [], c="#333333", lw=1.2, label="Pareto frontier"),
        *ax.get_legend_handles_labels()[0],
    ]
    fig.legend(handles=handles, loc="outside right center", fontsize=7, frameon=False)
    return fig


@_styled
def solutions_chart(
    parties: Sequence[str],
    reservation: FloatArray,
    solutions: Mapping[str, FloatArray],
    best: FloatArray | None,
) -> Figure:
    """Each party's utility under each bargaining solution, against its reservation value (black
    bar) and the most it can get in a package every other party accepts (grey span)."""
    k = len(parties)
    fig = _figure(6.8, 0.42 * k + 1.1)
    ax = fig.add_subplot()
    y = np.arange(k)[::-1].astype(float)
    if best is not None:
        for yi, r, b in zip(y, reservation, best, strict=True):
            if np.isfinite(b) and b > r:
                ax.plot([r, b], [yi, yi], c="#DDDDDD", lw=7, solid_capstyle="butt", zorder=1)
    ax.scatter(
        reservation, y, marker="|", s=260, c="black", linewidths=2, zorder=3, label="reservation value"
    )
    offsets = np.linspace(-0.24, 0.24, max(1, len(solutions)))
    for off, (key, u) in zip(offsets, solutions.items(), strict=True):
        title, colour, marker = SOLUTION_STYLE[key]
        ax.scatter(
            u,
            y + off,
            marker=marker,
            s=_SIZE[marker] * 0.8,
            c=colour,
            edgecolors="black",
            linewidths=0.5,
            label=title,
            zorder=4,
        )
    ax.set_yticks(y, [_plain(p) for p in parties])
    ax.set_xlabel("utility (0 = the party's worst package, 1 = its best)")
    ax.grid(axis="x", c="#EEEEEE")
    ax.set_axisbelow(True)
    handles = ax.get_legend_handles_labels()[0]
    if best is not None:
        handles.append(Line2D([], [], c="#DDDDDD", lw=6, label="room above reservation"))
    fig.legend(handles=handles, loc="outside right center", fontsize=7, frameon=False)
    return fig


@_styled
def blockers_chart(
    parties: Sequence[str], reservation: Sequence[float], best: Sequence[float | None]
) -> Figure:
    """Per party: its reservation value and the most it can get while every other party accepts.
    Red where that is below the reservation value: the party alone blocks agreement."""
    k = len(parties)
    fig = _figure(6.0, 0.38 * k + 1.0)
    ax = fig.add_subplot()
    y = np.arange(k)[::-1].astype(float)
    for yi, r, b in zip(y, reservation, best, strict=True):
        if b is None:
            ax.scatter([r], [yi], marker="|", s=200, c="black", linewidths=2, zorder=3)
            ax.annotate(
                "others cannot all agree",
                (r, yi),
                xytext=(6, -3),
                textcoords="offset points",
                fontsize=7,
                color="#666666",
            )
            continue
        colour = _RED if b < r - 1e-9 else _GREEN
        ax.plot([r, b], [yi, yi], c=colour, lw=2, zorder=2)
        ax.scatter([b], [yi], s=40, c=colour, zorder=3)
        ax.scatter([r], [yi], marker="|", s=200, c="black", linewidths=2, zorder=3)
    ax.set_yticks(y, [_plain(p) for p in parties])
    ax.set_xlabel("utility")
    ax.grid(axis="x", c="#EEEEEE")
    ax.set_axisbelow(True)
    handles = [
        Line2D([], [], ls="", marker="|", ms=10, mew=2, color="black", label="reservation value"),
        Line2D([], [], ls="-", marker="o", ms=5, color=_GREEN, label="best attainable: above"),
        Line2D([], [], ls="-", marker="o", ms=5, color=_RED, label="best attainable: below (blocks)"),
    ]
    fig.legend(handles=handles, loc="outside right center", fontsize=7, frameon=False)
    return fig


@dataclass(frozen=True)
class TornadoRow:
    """One bar of the tornado: ``label``, the party's gain with the input at its low end, its
    nominal gain, and its gain at the high end."""

    label: str
    low: float
    nominal: float
    high: float


@_styled
def tornado_chart(rows: Sequence[TornadoRow], *, reference: str) -> Figure:
    """One bar per uncertain input, largest swing on top: the gain (utility minus reservation
    value) of the party the input moves most, in the reference package, with the input at the
    low (orange) and high (blue) end of its range. Left of zero, that party rejects it."""
    n = len(rows)
    fig = _figure(7.2, 0.33 * n + 1.2)
    ax = fig.add_subplot()
    y = np.arange(n)[::-1].astype(float)
    for yi, row in zip(y, rows, strict=True):
        ax.barh(yi, row.low - row.nominal, left=row.nominal, height=0.6, color=_ORANGE)
        ax.barh(yi, row.high - row.nominal, left=row.nominal, height=0.6, color=_BLUE)
        ax.plot([row.nominal, row.nominal], [yi - 0.35, yi + 0.35], c="black", lw=1)
    ax.axvline(0, c=_RED, lw=1, ls="--")
    ax.set_yticks(y, [_plain(r.label) for r in rows])
    ax.set_xlabel(
        f"gain over the reservation value in the {_plain(reference)} (left of the red line: rejected)"
    )
    handles = [
        Line2D([], [], c=_ORANGE, lw=6, label="input at its low end"),
        Line2D([], [], c=_BLUE, lw=6, label="input at its high end"),
        Line2D([], [], c="black", lw=1, label="all inputs nominal"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=7, frameon=False)
    ax.grid(axis="x", c="#EEEEEE")
    ax.set_axisbelow(True)
    return fig
