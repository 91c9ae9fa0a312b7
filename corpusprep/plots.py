"""Small SVG charts for the HTML report, written as text: horizontal bars, histograms and an
"empty" panel. No plotting library and nothing fetched: each chart is one inline ``<svg>``
with its title, axis labels, tick numbers and value labels, every text escaped.

Drawn data carry the class ``mark`` (the report's in-page check counts charts with at least
one visible mark); an empty panel has the class ``empty`` and its message the class
``empty-note``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

WIDTH = 560  # user units of every chart; the page scales them down on narrow screens
TITLE_H = 30
FONT = 12
CHAR_W = 6.6  # a rough width of one character at FONT px, to lay out the labels


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""  # shown at the end of the bar (default: the value)
    tip: str = ""  # the tooltip (default: label and text)


@dataclass(frozen=True)
class Series:
    name: str
    counts: list[int]
    css: str  # the class that colours it (see the page's style sheet)


def esc(text) -> str:
    return escape(str(text), quote=True)


def compact(v: float) -> str:
    """A tick number: 950, 2.5k, 12k, 1.2M."""
    a = abs(v)
    if a < 1000:
        return f"{v:g}"
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return f"{v / div:.3g}{unit}"
    return f"{v:g}"  # unreachable


def percent(share: float) -> str:
    """12.3%, <0.1%; a round tick 20%."""
    if 0 < share < 0.001:
        return "<0.1%"
    if abs(share * 100 - round(share * 100)) < 1e-9:
        return f"{share:.0%}"
    return f"{share:.1%}"


def nice_step(span: float, n: int = 5, integer: bool = False) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `n` ticks over `span`."""
    if span <= 0:
        return 1
    raw = span / n
    if integer and raw <= 1:
        return 1
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        step = m * mag
        if integer and step != int(step):
            continue
        if raw <= step:
            return step
    return 10 * mag


def ticks(top: float, integer: bool = False) -> list[float]:
    """0, a round step, ... up to the first multiple of the step at or above `top`."""
    step = nice_step(top, integer=integer)
    n = max(1, math.ceil(top / step - 1e-9))
    return [i * step for i in range(n + 1)]


def _truncate(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(1, chars - 1)] + "\u2026"


def _open(height: float, title: str, css: str = "plot") -> list[str]:
    return [
        f'<svg class="{css}" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
        f'<text class="title" x="0" y="18">{esc(title)}</text>',
    ]


def hbar(
    title: str,
    bars: list[Bar],
    x_label: str,
    y_label: str,
    fmt=compact,
    css: str = "c1",
    integer=False,
) -> str:
    """Horizontal bars, one a row, the longest label 28 characters (the whole in its tooltip);
    the value axis starts at 0, its ticks whole numbers with `integer`. `y_label` names the
    rows, above their labels."""
    if not bars:
        return empty(title, "nothing to show")
    labels = [_truncate(b.label, 28) for b in bars]
    texts = [b.text or fmt(b.value) for b in bars]
    left = min(200, 12 + CHAR_W * max(len(t) for t in [*labels, y_label]))
    right = 12 + CHAR_W * max(len(t) for t in texts)
    row, gap = 18, 6
    top = TITLE_H + 22
    plot_h = len(bars) * (row + gap) - gap
    height = top + plot_h + 44
    plot_w = WIDTH - left - right
    axis = ticks(max(b.value for b in bars) or 1, integer=integer)
    scale = plot_w / axis[-1]
    out = _open(height, title)
    for t in axis:
        x = left + t * scale
        out.append(
            f'<line class="grid" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{top + plot_h + 4}"/>'
        )
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{top + plot_h + 18}" '
            f'text-anchor="middle">{esc(fmt(t))}</text>'
        )
    for i, (bar, label, text) in enumerate(zip(bars, labels, texts, strict=True)):
        y = top + i * (row + gap)
        w = max(bar.value * scale, 0)
        tip = bar.tip or f"{bar.label}: {text}"
        out.append(
            f'<text class="label" x="{left - 6:.1f}" y="{y + row / 2 + 4:.1f}" '
            f'text-anchor="end">{esc(label)}<title>{esc(bar.label)}</title></text>'
        )
        if w > 0:
            out.append(
                f'<rect class="mark {css}" x="{left:.1f}" y="{y}" width="{max(w, 1.5):.1f}" '
                f'height="{row}"><title>{esc(tip)}</title></rect>'
            )
        out.append(
            f'<text class="value" x="{left + w + 4:.1f}" y="{y + row / 2 + 4:.1f}">'
            f"{esc(text)}</text>"
        )
    out.append(
        f'<line class="axis" x1="{left}" y1="{top - 4}" x2="{left}" y2="{top + plot_h + 4}"/>'
    )
    out.append(
        f'<text class="axis-label" x="{left - 6:.1f}" y="{top - 8}" '
        f'text-anchor="end">{esc(y_label)}</text>'
    )
    out.append(
        f'<text class="axis-label" x="{left + plot_w / 2:.1f}" y="{height - 6:.0f}" '
        f'text-anchor="middle">{esc(x_label)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def histogram(title: str, bins: list[str], series: list[Series], x_label: str, y_label: str) -> str:
    """Vertical bars, one group a bin (`bins` are their labels), a bar a series in the group;
    a legend when there are several series and the count above each bar when they fit."""
    if not bins or not any(any(s.counts) for s in series):
        return empty(title, "nothing to show")
    n, k = len(bins), len(series)
    biggest = max(max(s.counts) for s in series)
    axis = ticks(biggest, integer=True)
    left, right, top = 46, 10, TITLE_H + (24 if k > 1 else 14)
    slot = (WIDTH - left - right) / n
    rotate = max(len(b) for b in bins) * CHAR_W > slot - 4
    bottom = 28 + (max(len(b) for b in bins) * CHAR_W * 0.7 if rotate else 14)
    plot_h = 190
    height = top + plot_h + bottom + 8
    scale = plot_h / axis[-1]
    base = top + plot_h
    out = _open(height, title)
    if k > 1:
        x = WIDTH - right
        for s in reversed(series):
            x -= CHAR_W * len(s.name) + 22
            out.append(
                f'<rect class="{s.css}" x="{x:.1f}" y="{TITLE_H - 2}" width="10" height="10"/>'
            )
            out.append(
                f'<text class="legend" x="{x + 14:.1f}" y="{TITLE_H + 7}">{esc(s.name)}</text>'
            )
    for t in axis:
        y = base - t * scale
        out.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}"/>'
        )
        out.append(
            f'<text class="tick" x="{left - 5}" y="{y + 4:.1f}" '
            f'text-anchor="end">{esc(compact(t))}</text>'
        )
    show_counts = slot / k >= 16
    bar_w = min(slot * 0.8 / k, 48)
    for i, label in enumerate(bins):
        x0 = left + i * slot + (slot - bar_w * k) / 2
        for j, s in enumerate(series):
            c = s.counts[i]
            if not c:
                continue
            h = max(c * scale, 1.5)
            x = x0 + j * bar_w
            out.append(
                f'<rect class="mark {s.css}" x="{x:.1f}" y="{base - h:.1f}" '
                f'width="{bar_w - 1:.1f}" height="{h:.1f}"><title>'
                f"{esc(f'{s.name}, {label}: {c:,}')}</title></rect>"
            )
            if show_counts:
                out.append(
                    f'<text class="count" x="{x + bar_w / 2:.1f}" y="{base - h - 3:.1f}" '
                    f'text-anchor="middle">{esc(compact(c))}</text>'
                )
        cx = left + (i + 0.5) * slot
        if rotate:
            out.append(
                f'<text class="tick" transform="translate({cx:.1f},{base + 12}) rotate(-40)" '
                f'text-anchor="end">{esc(label)}</text>'
            )
        else:
            out.append(
                f'<text class="tick" x="{cx:.1f}" y="{base + 16}" '
                f'text-anchor="middle">{esc(label)}</text>'
            )
    out.append(f'<line class="axis" x1="{left}" y1="{base}" x2="{WIDTH - right}" y2="{base}"/>')
    out.append(
        f'<text class="axis-label" x="{left + (WIDTH - left - right) / 2:.1f}" '
        f'y="{height - 6:.0f}" text-anchor="middle">{esc(x_label)}</text>'
    )
    out.append(
        f'<text class="axis-label" transform="translate(12,{top + plot_h / 2:.1f}) '
        f'rotate(-90)" text-anchor="middle">{esc(y_label)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def empty(title: str, message: str) -> str:
    """A panel that says why there is no chart, drawn as a chart would be."""
    height = 150
    out = _open(height, title, css="plot empty")
    out.append(
        f'<rect class="frame" x="1" y="{TITLE_H + 4}" width="{WIDTH - 2}" '
        f'height="{height - TITLE_H - 10}" rx="6"/>'
    )
    out.append(
        f'<text class="empty-note" x="{WIDTH / 2}" y="{(TITLE_H + height) / 2 + 4:.0f}" '
        f'text-anchor="middle">{esc(message)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
