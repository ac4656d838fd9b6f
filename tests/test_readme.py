"""The README's Python example runs as written and says what it claims."""

from __future__ import annotations

import os
import re

from conftest import ROOT


def test_readme_python_example_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        namespace: dict = {}
        exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    finally:
        os.chdir(here)
    result = namespace["result"]
    assert result.site == "demo00004" and result.worst() == "red"
    claimed = re.search(r"result.counts\(\)\s+# (\{.*\})", code).group(1)
    first = namespace["minesite"].run(
        [ROOT / "sample_inspections/field-visits.csv"],
        as_of=namespace["datetime"].date(2026, 6, 30),
    )
    assert str(first.counts()) == claimed
