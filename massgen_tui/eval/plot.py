"""Accuracy vs cost per mode as a small SVG scatter plot, written by hand (no plotting dependency)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from massgen_tui.eval.report import ModeSummary

WIDTH, HEIGHT, MARGIN = 640, 400, 60
LEGEND = 240  # the legend's column, right of the plot
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")


def cost_axis(summaries: Sequence[ModeSummary]) -> tuple[list[float], str]:
    """Each mode's x (cost per question, or tokens per question when no mode has a known non-zero cost,
    as for local models) and the axis label."""
    by_cost = any(s.cost for s in summaries)
    xs = [(s.cost or 0.0) / s.n if by_cost else s.tokens / s.n for s in summaries]
    return xs, "cost per question ($)" if by_cost else "tokens per question"


def accuracy_cost_svg(summaries: Sequence[ModeSummary]) -> str:
    """One dot per mode with its 95% interval, against ``cost_axis``."""
    xs, x_label = cost_axis(summaries)
    by_cost = x_label.startswith("cost")
    x_max = max(xs, default=0) * 1.1 or 1.0
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN

    def px(x: float) -> float:
        return MARGIN + plot_w * x / x_max

    def py(y: float) -> float:
        return HEIGHT - MARGIN - plot_h * y

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH + LEGEND}" height="{HEIGHT}" '
             f'font-family="sans-serif" '
             f'font-size="12"><rect width="100%" height="100%" fill="white"/>',
             f'<text x="{WIDTH / 2}" y="24" text-anchor="middle" font-size="15">Accuracy vs {escape(x_label)}</text>',
             f'<line x1="{MARGIN}" y1="{py(0)}" x2="{WIDTH - MARGIN}" y2="{py(0)}" stroke="black"/>',
             f'<line x1="{MARGIN}" y1="{py(0)}" x2="{MARGIN}" y2="{py(1)}" stroke="black"/>',
             f'<text x="{WIDTH / 2}" y="{HEIGHT - 15}" text-anchor="middle">{escape(x_label)}</text>',
             f'<text x="15" y="{HEIGHT / 2}" transform="rotate(-90 15 {HEIGHT / 2})" text-anchor="middle">'
             'accuracy</text>']
    for tick in range(0, 11, 2):
        y = py(tick / 10)
        parts.append(f'<line x1="{MARGIN - 4}" y1="{y}" x2="{WIDTH - MARGIN}" y2="{y}" stroke="#ddd"/>'
                     f'<text x="{MARGIN - 8}" y="{y + 4}" text-anchor="end">{tick * 10}%</text>')
    for tick in range(5):
        value = x_max * tick / 4
        text = f"{value:.4f}" if by_cost else f"{value:.0f}"
        parts.append(f'<text x="{px(value)}" y="{py(0) + 16}" text-anchor="middle">{text}</text>')
    for i, (summary, x) in enumerate(zip(summaries, xs, strict=True)):
        colour = COLOURS[i % len(COLOURS)]
        low, high = summary.interval
        parts.append(f'<line x1="{px(x)}" y1="{py(low)}" x2="{px(x)}" y2="{py(high)}" stroke="{colour}"/>'
                     f'<circle cx="{px(x)}" cy="{py(summary.accuracy)}" r="5" fill="{colour}" fill-opacity="0.8"/>'
                     f'<circle cx="{WIDTH}" cy="{MARGIN + 20 * i}" r="5" fill="{colour}"/>'
                     f'<text x="{WIDTH + 10}" y="{MARGIN + 20 * i + 4}">{escape(summary.mode)} '
                     f'{summary.accuracy:.0%}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
