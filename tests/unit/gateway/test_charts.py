"""The charts drawn on the server: SVG with every label escaped, the LibQUAL+ zone
of tolerance coloured by where the perceived level falls, gaps in a line left open."""

import xml.etree.ElementTree as ET

from gateway.web.shell import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_the_zone_of_tolerance_marks_each_items_perceived_level():
    items = [
        {"id": "as1", "minimum": 5.0, "desired": 8.0, "perceived": 6.5},  # within
        {"id": "ic3", "minimum": 5.0, "desired": 8.0, "perceived": 4.0},  # below
        {"id": "lp2", "minimum": 4.0, "desired": 6.0, "perceived": 7.0},  # above
        {"id": "<x>", "minimum": None, "desired": None, "perceived": None},
    ]
    svg = ET.fromstring(str(charts.zone_of_tolerance(items, "Zona <toleransi>")))
    marks = [r.get("fill") for r in svg.iter(f"{SVG}rect") if r.get("width") == "4"]
    assert marks == [charts.GOOD, charts.BAD, charts.HIGH]
    assert svg.find(f"{SVG}title").text == "Zona <toleransi>"  # parsed back: it was escaped


def test_a_line_over_time_leaves_months_without_a_value_open():
    points = [("2026-01", 20.0), ("2026-02", None), ("2026-03", 35.0), ("2026-04", 40.0)]
    svg = ET.fromstring(str(charts.line_over_time(points, -100, 100, "NPS")))
    lines = list(svg.iter(f"{SVG}polyline"))
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2
    assert len(list(svg.iter(f"{SVG}circle"))) == 3


def test_bars_per_branch():
    rows = [("SPN", 90.5, "A"), ("HRW", None, "")]
    svg = ET.fromstring(str(charts.bars(rows, 25, 100, "IKM")))
    assert [r.get("fill") for r in svg.iter(f"{SVG}rect")] == [charts.HIGH]


def test_columns_of_a_scale_are_as_tall_as_their_counts():
    svg = ET.fromstring(str(charts.columns([("1", 0), ("2", 3), ("3", 6)], "Isi")))
    heights = [float(r.get("height")) for r in svg.iter(f"{SVG}rect")]
    assert heights[0] == 0 and heights[2] == 2 * heights[1] > 0
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["0", "1", "3", "2", "6", "3"]  # each count above its value
    assert float(svg.get("viewBox").split()[2]) == charts.WIDTH


def test_signed_bars_go_either_side_of_zero_as_long_as_their_values():
    rows = [("SPN", 1.5), ("KMN", -0.75), ("<PDT>", None), ("HRW", 9.0)]  # HRW: past the bound
    svg = ET.fromstring(str(charts.signed_bars(rows, 2.0, "Kesenjangan")))
    (zero,) = [ln for ln in svg.iter(f"{SVG}line") if ln.get("stroke") == charts.INK]
    x0 = float(zero.get("x1"))
    bars = list(svg.iter(f"{SVG}rect"))
    assert [b.get("fill") for b in bars] == [charts.GOOD, charts.BAD, charts.GOOD]
    spn, kmn, hrw = bars
    assert float(spn.get("x")) == x0 and float(kmn.get("x")) + float(kmn.get("width")) == x0
    assert float(spn.get("width")) == 2 * float(kmn.get("width"))  # 1.5 against 0.75
    assert float(hrw.get("width")) == float(spn.get("width")) * 2 / 1.5  # cut at the bound
    assert float(hrw.get("x")) + float(hrw.get("width")) <= charts.WIDTH
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "<PDT>" in texts and "+1.5" in texts and "-0.75" in texts
