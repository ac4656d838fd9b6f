"""The cheap long-line test never misses a line longer than the cell limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from minesite.limits import has_long_line


@given(
    lines=st.lists(st.integers(0, 300), min_size=1, max_size=40),
    limit=st.integers(1, 120),
    final_newline=st.booleans(),
)
def test_no_line_longer_than_the_limit_is_missed(lines, limit, final_newline):
    data = b"\n".join(b"x" * n for n in lines) + (b"\n" if final_newline else b"")
    if max(lines) > limit and len(data) > limit:
        assert has_long_line(data, limit)
    if len(data) <= limit:
        assert not has_long_line(data, limit)


def test_short_lines_answer_no():
    assert not has_long_line(b"abc\n" * 10_000, 1024)
