"""Date arithmetic on datetime64[D] arrays: parse ISO dates, add calendar months, print ISO."""

from __future__ import annotations

import numpy as np
import pandas as pd

NAT = np.datetime64("NaT", "D")


def parse_dates(values: pd.Series) -> np.ndarray:
    """ISO dates (and datetimes) -> datetime64[D]; anything else -> NaT."""
    parsed = pd.to_datetime(values.fillna("").str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    return parsed.to_numpy().astype("datetime64[D]")


def plus_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """Calendar months on datetime64[D]: 2023-01-31 + 1 month = 2023-02-28; NaT stays NaT."""
    days = np.asarray(days, dtype="datetime64[D]")
    month = days.astype("datetime64[M]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64)
    last = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    out = target.astype("datetime64[D]") + np.minimum(day_of_month, last - 1)
    return np.where(np.isnat(days), NAT, out)


def iso(days: np.ndarray) -> np.ndarray:
    """datetime64[D] -> 'YYYY-MM-DD' text, '' for NaT (an object array)."""
    return iso_text(days).to_numpy(dtype=object)


def iso_text(days: np.ndarray) -> pd.Series:
    """datetime64[D] -> 'YYYY-MM-DD' as pandas text over Arrow, '' for NaT: a column of a
    million sites without a million Python strings (Arrow writes dates as ISO)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    days = np.asarray(days, dtype="datetime64[D]")
    text = pc.fill_null(pa.array(days, from_pandas=True).cast(pa.string()), "")
    return pd.Series(text, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
