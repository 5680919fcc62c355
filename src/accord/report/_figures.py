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
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "SOLUTION_STYLE",
    "Cloud",
    "TornadoRow",
    "coalition_matrix",
    "gains_heatmap",
    "pairs_grid",
    "png",
    "room_strip",
    "sequence_chart",
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
_BLACK, _YELLOW = "#000000", "#F0E442"
_PALETTE = (_BLUE, _ORANGE, _GREEN, _RED, _PURPLE, _SKY, _BLACK, _YELLOW)  # Okabe and Ito's eight
_DASHES = ("-", "--", ":")  # beyond eight parties, the same colours dashed
SOLUTION_STYLE: dict[str, tuple[str, str, str]] = {  # key: (title, colour, marker)
    "nash": ("Nash", _RED, "*"),
    "asymmetric_nash": ("Nash (power)", _ORANGE, "D"),
    "kalai_smorodinsky": ("Kalai–Smorodinsky", _PURPLE, "^"),
    "egalitarian": ("Egalitarian", _GREEN, "s"),
    "utilitarian": ("Utilitarian", _BLUE, "P"),
}
_SIZE = {"*": 150, "D": 45, "^": 60, "s": 45, "P": 70}

# Sizes in points; a chart is drawn WIDTH inches wide, the page's width at 1400 pixels, so a
# point is about 1.33 pixels there and the smallest text (10 pt) about 13 pixels.
WIDTH = 12.0
_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, read by screen readers
    "svg.hashsalt": "accord",  # the same report twice is the same file
    "font.size": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
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
    panel = 4.2 if k <= 3 else 2.6
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
        fig.legend(handles=handles, loc="outside right center", frameon=False)
    else:
        # The empty upper triangle holds the legend.
        corner = fig.add_subplot(grid[0, n - 1])
        corner.set_axis_off()
        corner.legend(handles=handles, loc="upper right", frameon=False)
    return fig


@_styled
def gains_heatmap(parties: Sequence[str], columns: Sequence[str], gains: FloatArray) -> Figure:
    """Party × package: each party's gain over its reservation value (utility minus reservation
    value) in each package, written in the cell; orange below zero (the party rejects it), blue
    above, white at zero. Reads at any number of parties: one row each."""
    k, n = gains.shape
    fig = _figure(min(WIDTH, 2.6 + 1.55 * n), 0.42 * k + 1.6)
    ax = fig.add_subplot()
    top = float(np.nanmax(np.abs(gains))) if gains.size and np.isfinite(gains).any() else 1.0
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-(top or 1.0), vmax=top or 1.0)
    image = ax.imshow(gains, cmap="PuOr", norm=norm, aspect="auto")
    for i in range(k):
        for j in range(n):
            g = gains[i, j]
            if not np.isfinite(g):
                continue
            ax.text(
                j,
                i,
                ("+" if g > 5e-10 else "−" if g < -5e-10 else "") + f"{abs(g):.2f}",
                ha="center",
                va="center",
                fontsize=10,
                color="white" if abs(norm(g) - 0.5) > 0.33 else "black",
            )
    ax.set_xticks(range(n), [_plain(c) for c in columns])
    ax.set_yticks(range(k), [_plain(p) for p in parties])
    ax.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False, length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    bar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
    bar.set_label("gain over the reservation value")
    return fig


@_styled
def coalition_matrix(parties: Sequence[str], slack: FloatArray) -> Figure:
    """The coalition map of pairs: cell (i, j) is the slack of parties i and j together (how far
    both could raise their reservation values and still agree; below zero, they cannot agree,
    by that much), the diagonal a party alone. Lower triangle only: the matrix is symmetric."""
    k = len(parties)
    fig = _figure(min(WIDTH, 2.8 + 1.0 * k), 0.55 * k + 1.4)
    ax = fig.add_subplot()
    shown = np.where(np.tril(np.ones((k, k), dtype=bool)), slack, np.nan)
    top = float(np.nanmax(np.abs(shown))) if np.isfinite(shown).any() else 1.0
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-(top or 1.0), vmax=top or 1.0)
    image = ax.imshow(shown, cmap="PuOr", norm=norm, aspect="auto")
    for i in range(k):
        for j in range(i + 1):
            v = shown[i, j]
            if np.isfinite(v):
                ax.text(
                    j,
                    i,
                    ("+" if v > 5e-10 else "−" if v < -5e-10 else "") + f"{abs(v):.2f}",
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="white" if abs(norm(v) - 0.5) > 0.33 else "black",
                )
    labels = [_plain(p) for p in parties]
    ax.set_xticks(range(k), labels, rotation=30, ha="right")
    ax.set_yticks(range(k), labels)
    ax.tick_params(length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02).set_label("slack of the pair")
    return fig


@_styled
def room_strip(parties: Sequence[str], room: Sequence[float | None]) -> Figure:
    """Per party, the room above its reservation value: the most it can get in a package every
    other party accepts, minus its reservation value; least room first. Below zero (vermillion)
    the party alone blocks agreement, by that much."""
    order = sorted(range(len(parties)), key=lambda i: (room[i] is None, room[i] or 0.0))
    k = len(parties)
    fig = _figure(WIDTH * 0.75, 0.36 * k + 1.3)
    ax = fig.add_subplot()
    y = np.arange(k)[::-1].astype(float)
    values = [room[i] for i in order]
    span = max([abs(v) for v in values if v is not None] + [0.05])
    for yi, v in zip(y, values, strict=True):
        if v is None:
            ax.text(0, yi, "  the others cannot all agree", va="center", fontsize=10, color="#555555")
            continue
        colour = _RED if v < -5e-10 else _GREEN
        ax.barh(yi, v, height=0.6, color=colour)
        label = ("+" if v > 5e-10 else "−" if v < -5e-10 else "") + f"{abs(v):.2f}"
        ax.text(
            v + (0.012 * span if v >= 0 else -0.012 * span),
            yi,
            label,
            va="center",
            ha="left" if v >= 0 else "right",
            fontsize=10,
        )
    ax.axvline(0, c="black", lw=1)
    ax.set_ylim(-0.7, k - 0.3)
    ax.set_xlim(-1.25 * span if any(v is not None and v < 0 for v in values) else -0.05 * span, 1.25 * span)
    ax.set_yticks(y, [_plain(parties[i]) for i in order])
    ax.set_xlabel("room above the reservation value (below 0: the party alone blocks, by that much)")
    ax.grid(axis="x", c="#EEEEEE")
    ax.set_axisbelow(True)
    return fig


@_styled
def sequence_chart(steps: Sequence[str], parties: Sequence[str], utilities: FloatArray) -> Figure:
    """The sequence of the talks as a step chart: each party's utility in the package agreed
    after each step (every party, insider or not yet). A fall
    is the price the step made the party pay."""
    n, k = utilities.shape
    fig = _figure(WIDTH * 0.8, 4.2)
    ax = fig.add_subplot()
    x = np.arange(n)
    for p in range(k):
        colour = _PALETTE[p % len(_PALETTE)]
        style = _DASHES[(p // len(_PALETTE)) % len(_DASHES)]
        ax.step(x, utilities[:, p], where="mid", c=colour, lw=2, ls=style, label=_plain(parties[p]))
        ax.scatter(x, utilities[:, p], s=14, c=colour, zorder=3)
    ax.set_xticks(x, [_plain(s) for s in steps])
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylabel("utility after the step")
    ax.grid(axis="y", c="#EEEEEE")
    ax.set_axisbelow(True)
    fig.legend(loc="outside right upper", frameon=False)
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
    fig = _figure(WIDTH * 0.85, 0.4 * n + 1.6)
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
    fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    ax.grid(axis="x", c="#EEEEEE")
    ax.set_axisbelow(True)
    return fig
