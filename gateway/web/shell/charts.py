"""Charts drawn here as inline SVG, on the server: no script, nothing from another
host. Three kinds: a line over time (NPS by month), horizontal bars (the
satisfaction index per branch), and the LibQUAL+ zone of tolerance per item (a band
from the minimum to the desired level, a mark at the perceived one)."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 560
ROW = 22
LEFT = 120  # room for the labels
INK, GRID, BAND = "#1d2327", "#d9d4c7", "#c7dbef"
GOOD, BAD, HIGH = "#1e7b34", "#b3261e", "#0b5394"


def _x(value: float, low: float, high: float, left: int = LEFT, right: int = WIDTH - 16) -> float:
    return round(left + (value - low) / (high - low) * (right - left), 1)


def _svg(height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" '
        f'style="max-width:{WIDTH}px;background:#fff;border-radius:8px">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _axis(
    low: float, high: float, ticks: list[float], top: int, bottom: int, left: int = LEFT
) -> list[str]:
    out = []
    for t in ticks:
        x = _x(t, low, high, left)
        out.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{x}" y="{bottom + 14}" font-size="11" text-anchor="middle" '
            f'fill="{INK}">{t:g}</text>'
        )
    return out


def line_over_time(points: list[tuple[str, float | None]], low: float, high: float, label: str):
    """A value by period (e.g. NPS by month); periods without one are gaps."""
    height, top, bottom, left = 220, 16, 180, 40
    span = WIDTH - 16 - left
    step = span / max(len(points) - 1, 1)
    body = []
    for t in (low, (low + high) / 2, high):
        y = round(bottom - (t - low) / (high - low) * (bottom - top), 1)
        body.append(f'<line x1="{left}" y1="{y}" x2="{WIDTH - 16}" y2="{y}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{left - 6}" y="{y + 4}" font-size="11" text-anchor="end">{t:g}</text>'
        )
    coords = []
    for i, (period, value) in enumerate(points):
        x = round(left + i * step, 1)
        body.append(
            f'<text x="{x}" y="{bottom + 16}" font-size="10" text-anchor="middle">'
            f"{escape(period[-2:] if len(period) == 7 else period)}</text>"
        )
        if value is None:
            coords.append(None)
            continue
        y = round(bottom - (value - low) / (high - low) * (bottom - top), 1)
        coords.append((x, y))
        body.append(
            f'<circle cx="{x}" cy="{y}" r="3.5" fill="{HIGH}"><title>{escape(period)}: '
            f"{value:g}</title></circle>"
        )
    segments, current = [], []
    for c in [*coords, None]:
        if c is None:
            if len(current) > 1:
                segments.append(current)
            current = []
        else:
            current.append(c)
    for seg in segments:
        path = " ".join(f"{x},{y}" for x, y in seg)
        body.append(f'<polyline points="{path}" fill="none" stroke="{HIGH}" stroke-width="2"/>')
    return _svg(height, label, body)


def bars(
    rows: list[tuple[str, float | None, str]],
    low: float,
    high: float,
    label: str,
    left: int = LEFT,
):
    """One bar per row (label, value, note shown after it), on low..high; `left`:
    the room for the labels (branch names need more than codes)."""
    top = 8
    height = top + ROW * len(rows) + 28
    bottom = top + ROW * len(rows)
    body = _axis(low, high, _ticks(low, high), top, bottom, left)
    for i, (name, value, note) in enumerate(rows):
        y = top + i * ROW
        body.append(
            f'<text x="{left - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"{escape(name)}</text>"
        )
        if value is None:
            continue
        width = max(_x(value, low, high, left) - left, 1)
        body.append(
            f'<rect x="{left}" y="{y + 4}" width="{width}" height="{ROW - 8}" fill="{HIGH}">'
            f"<title>{escape(name)}: {value:g}</title></rect>"
        )
        body.append(
            f'<text x="{left + width + 4}" y="{y + 15}" font-size="11">'
            f"{value:g} {escape(note)}</text>"
        )
    return _svg(height, label, body)


def zone_of_tolerance(items: list[dict], label: str, low: float = 1, high: float = 9):
    """Per item: the band from its mean minimum to its mean desired level, and its
    mean perceived level marked green inside it, red below it, blue above it."""
    top = 8
    bottom = top + ROW * len(items)
    body = _axis(low, high, list(range(int(low), int(high) + 1)), top, bottom)
    for i, item in enumerate(items):
        y = top + i * ROW
        body.append(
            f'<text x="{LEFT - 6}" y="{y + 15}" font-size="11" text-anchor="end">'
            f"{escape(item['id'])}</text>"
        )
        minimum, desired, perceived = item["minimum"], item["desired"], item["perceived"]
        if None in (minimum, desired, perceived):
            continue
        x0, x1 = _x(minimum, low, high), _x(desired, low, high)
        body.append(
            f'<rect x="{min(x0, x1)}" y="{y + 5}" width="{max(abs(x1 - x0), 1)}" '
            f'height="{ROW - 10}" fill="{BAND}"/>'
        )
        colour = BAD if perceived < minimum else HIGH if perceived > desired else GOOD
        xp = _x(perceived, low, high)
        body.append(
            f'<rect x="{xp - 2}" y="{y + 2}" width="4" height="{ROW - 4}" fill="{colour}">'
            f"<title>{escape(item['id'])}: {minimum:g} / {desired:g} / {perceived:g}</title>"
            f"</rect>"
        )
    return _svg(bottom + 28, label, body)


def _ticks(low: float, high: float) -> list[float]:
    step = (high - low) / 4
    return [round(low + i * step, 2) for i in range(5)]
