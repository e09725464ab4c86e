"""Charts drawn here as inline SVG, on the server: no script, nothing from another
host. Five kinds: a line over time (NPS by month), horizontal bars (the
satisfaction index per branch, a choice's answers), bars either side of zero (a
LibQUAL+ adequacy gap per branch), columns (how many gave each value of a scale:
Likert, NPS), and the LibQUAL+ zone of tolerance per item (a band from the minimum
to the desired level, a mark at the perceived one).

Drawn for a phone: WIDTH is about a phone's column, so that a text of FONT units
reads at about FONT px there (scaled up at most by half on a wider screen), and a
bar's label sits above it, where a long branch name has the whole width."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 360
ROW = 24
LEFT = 48  # room for a short label (an item's id) before its row
FONT = 14
INK, GRID, BAND = "#1d2327", "#d9d4c7", "#c7dbef"
GOOD, BAD, HIGH = "#1e7b34", "#b3261e", "#0b5394"


def _x(value: float, low: float, high: float, left: int = LEFT, right: int = WIDTH - 16) -> float:
    return round(left + (value - low) / (high - low) * (right - left), 1)


def _svg(height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" font-size="{FONT}" fill="{INK}" '
        f'style="max-width:{WIDTH * 3 // 2}px;background:#fff;border-radius:8px">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _axis(low: float, high: float, ticks: list[float], top: int, bottom: int, left=LEFT):
    out = []
    for t in ticks:
        x = _x(t, low, high, left)
        out.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{GRID}"/>')
        out.append(f'<text x="{x}" y="{bottom + FONT + 2}" text-anchor="middle">{t:g}</text>')
    return out


def line_over_time(points: list[tuple[str, float | None]], low: float, high: float, label: str):
    """A value by period (e.g. NPS by month, labelled by its month's number); periods
    without one are gaps."""
    top, bottom, left = 12, 170, 44
    span = WIDTH - 16 - left
    step = span / max(len(points) - 1, 1)
    body = []
    for t in (low, (low + high) / 2, high):
        y = round(bottom - (t - low) / (high - low) * (bottom - top), 1)
        body.append(f'<line x1="{left}" y1="{y}" x2="{WIDTH - 16}" y2="{y}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 6}" y="{y + 5}" text-anchor="end">{t:g}</text>')
    coords = []
    for i, (period, value) in enumerate(points):
        x = round(left + i * step, 1)
        body.append(
            f'<text x="{x}" y="{bottom + FONT + 6}" text-anchor="middle">'
            f"{escape(period[-2:] if len(period) == 7 else period)}</text>"
        )
        if value is None:
            coords.append(None)
            continue
        y = round(bottom - (value - low) / (high - low) * (bottom - top), 1)
        coords.append((x, y))
        body.append(
            f'<circle cx="{x}" cy="{y}" r="4" fill="{HIGH}"><title>{escape(period)}: '
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
    return _svg(bottom + FONT + 14, label, body)


def bars(rows: list[tuple[str, float | None, str]], low: float, high: float, label: str):
    """One bar per row on low..high, its label above it (the whole width for a long
    name), its value and note (shown after the value) at its end."""
    row, top, left = 2 * FONT + 16, 4, 8
    bottom = top + row * len(rows)
    body = _axis(low, high, _ticks(low, high), top, bottom, left)
    for i, (name, value, note) in enumerate(rows):
        y = top + i * row
        body.append(f'<text x="{left}" y="{y + FONT}">{escape(name)}</text>')
        if value is None:
            continue
        width = max(_x(value, low, high, left) - left, 1)
        text = f"{value:g} {note}".strip()
        inside = width > 8 * len(text) + 8  # the value inside the bar where it fits
        body.append(
            f'<rect x="{left}" y="{y + FONT + 4}" width="{width}" height="{FONT + 6}" '
            f'fill="{HIGH}"><title>{escape(name)}: {value:g}</title></rect>'
        )
        at, anchor = (left + width - 4, "end") if inside else (left + width + 4, "start")
        colour = "#fff" if inside else INK
        body.append(
            f'<text x="{at}" y="{y + 2 * FONT + 4}" text-anchor="{anchor}" fill="{colour}">'
            f"{escape(text)}</text>"
        )
    return _svg(bottom + FONT + 8, label, body)


def signed_bars(rows: list[tuple[str, float | None]], bound: float, label: str):
    """One bar per row from zero on -bound..bound: to the right in green for a value
    above zero, to the left in red below it, its label above it and its value at its
    end (a gap: perceived above or below the minimum)."""
    row, top, left, right = 2 * FONT + 16, 4, 8, WIDTH - 8
    bottom = top + row * len(rows)
    body = _axis(-bound, bound, _ticks(-bound, bound), top, bottom, left)
    zero = _x(0, -bound, bound, left, right)
    body.append(f'<line x1="{zero}" y1="{top}" x2="{zero}" y2="{bottom}" stroke="{INK}"/>')
    for i, (name, value) in enumerate(rows):
        y = top + i * row
        body.append(f'<text x="{left}" y="{y + FONT}">{escape(name)}</text>')
        if value is None:
            continue
        end = _x(max(-bound, min(bound, value)), -bound, bound, left, right)
        start, width = min(zero, end), max(abs(end - zero), 1)
        colour = GOOD if value >= 0 else BAD
        body.append(
            f'<rect x="{start}" y="{y + FONT + 4}" width="{width}" height="{FONT + 6}" '
            f'fill="{colour}"><title>{escape(name)}: {value:+g}</title></rect>'
        )
        # The value beside the bar's end, on the side away from zero, inside the chart.
        after = end + 4 if value >= 0 else end - 4
        anchor = "start" if value >= 0 else "end"
        if after > right - 40 or after < left + 40:
            after, anchor = (zero - 4, "end") if value >= 0 else (zero + 4, "start")
        body.append(
            f'<text x="{after}" y="{y + 2 * FONT + 4}" text-anchor="{anchor}">{value:+g}</text>'
        )
    return _svg(bottom + FONT + 8, label, body)


def columns(counts: list[tuple[str, int]], label: str):
    """How many gave each value (a scale's, in order): a column each, its count
    above it and its value below."""
    top, bottom, left = FONT + 8, 150, 8
    step = (WIDTH - 2 * left) / max(len(counts), 1)
    most = max((n for _, n in counts), default=0) or 1
    body = [f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - left}" y2="{bottom}" stroke="{GRID}"/>']
    for i, (value, n) in enumerate(counts):
        x = left + i * step
        middle = round(x + step / 2, 1)
        height = round((bottom - top) * n / most, 1)
        body.append(
            f'<rect x="{round(x + step * 0.15, 1)}" y="{bottom - height}" '
            f'width="{round(step * 0.7, 1)}" height="{height}" fill="{HIGH}">'
            f"<title>{escape(value)}: {n}</title></rect>"
        )
        body.append(f'<text x="{middle}" y="{bottom - height - 4}" text-anchor="middle">{n}</text>')
        below = bottom + FONT + 4
        body.append(f'<text x="{middle}" y="{below}" text-anchor="middle">{escape(value)}</text>')
    return _svg(bottom + FONT + 12, label, body)


def zone_of_tolerance(items: list[dict], label: str, low: float = 1, high: float = 9):
    """Per item: the band from its mean minimum to its mean desired level, and its
    mean perceived level marked green inside it, red below it, blue above it."""
    top = 4
    bottom = top + ROW * len(items)
    body = _axis(low, high, list(range(int(low), int(high) + 1)), top, bottom)
    for i, item in enumerate(items):
        y = top + i * ROW
        body.append(
            f'<text x="{LEFT - 6}" y="{y + FONT + 3}" text-anchor="end">{escape(item["id"])}</text>'
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
    return _svg(bottom + FONT + 10, label, body)


def _ticks(low: float, high: float) -> list[float]:
    step = (high - low) / 4
    return [round(low + i * step, 2) for i in range(5)]
