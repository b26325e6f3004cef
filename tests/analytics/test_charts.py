"""The analytics charts drawn on the server (analytics.charts): labels beside horizontal bars are cut
to a width so that a long listing title leaves the bars their room."""

from analytics.charts import LABEL_WIDTH, _shorten, bar_chart

LONG_TITLE = "Fiber laser cutting machine 3015 with exchange table, 6 kW IPG source and Raytools head"


def _width(text: str) -> int:
    return sum(2 if ord(character) >= 0x2E80 else 1 for character in text)


def test_a_long_title_beside_horizontal_bars_is_cut_and_a_short_one_kept():
    svg = bar_chart("Top listings", [LONG_TITLE, "Laser marker"], [("Views", [120, 30])], horizontal=True)
    shown = _shorten(LONG_TITLE)
    assert LONG_TITLE not in svg
    assert shown in svg and shown.endswith("…")
    assert "Laser marker" in svg


def test_labels_are_cut_by_width_a_chinese_character_counting_twice():
    chinese = "光纤激光切割机三零一五交换工作台六千瓦锐科光源"
    for label in (LONG_TITLE, chinese, "a" * 200):
        shown = _shorten(label)
        assert _width(shown) <= LABEL_WIDTH and shown.endswith("…")
        assert label.startswith(shown[:-1])
    assert _shorten("a" * LABEL_WIDTH) == "a" * LABEL_WIDTH  # exactly the width: whole
    assert _shorten("光" * (LABEL_WIDTH // 2)) == "光" * (LABEL_WIDTH // 2)


def test_vertical_bars_keep_their_labels_whole():
    svg = bar_chart("Revenue", [LONG_TITLE], [("Revenue", [5])])
    assert LONG_TITLE in svg
