"""What rows without an on-site visit say about a site: why it was not visited (insecurity, an
armed group's ban) and an armed group reported from outside (IPIS `visit_onsite = 0` rows)."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from minesite.model import Outcome
from minesite.verdicts import Verdicts

INSECURITY = ("insecurite", "insecurity", "rebelle", "interdiction", "non-autorisation", "ban")
"""Words of a no-visit reason that mean the team could not go because of armed actors."""
ARMED_GROUP = "SEC-01"


def off_site(verdicts: Verdicts, codes: np.ndarray, n_sites: int) -> pd.DataFrame:
    """Per site: the latest off-site row's no-visit reason (as written), whether it names
    insecurity or a ban, and the latest off-site row reporting a non-state armed group."""
    visits = verdicts.visits
    raw = verdicts.inspection.visits
    off = np.flatnonzero((visits["reason"] == "row.not-onsite").to_numpy() & (codes >= 0))
    reason = np.full(n_sites, "", dtype=object)
    insecure = np.zeros(n_sites, dtype=bool)
    armed = np.full(n_sites, -1, dtype=np.int64)
    if len(off):
        # By date (ISO text: in code point order), ranked by its few distinct values.
        dates = visits["visit_date"].iloc[off].to_numpy(dtype=object)
        order = off[np.lexsort((off, pd.factorize(dates, sort=True)[0]))]
        if "visit_onsite_novisitreason" in raw.columns:
            # Only the off-site rows' reasons become Python strings.
            said = raw["visit_onsite_novisitreason"].iloc[order].fillna("").astype(str)
            written = said.str.strip().to_numpy(dtype=object)
            keep = written != ""
            reason[codes[order][keep]] = written[keep]  # the latest wins (sorted by date)
        ids = [c.id for c in verdicts.criteria]
        if ARMED_GROUP in ids:
            j = ids.index(ARMED_GROUP)
            reported = order[verdicts.outcomes[order, j] == Outcome.FAIL]
            armed[codes[reported]] = reported
    # Most sites share a handful of reasons ("" first): each is folded once.
    codes, distinct = pd.factorize(pd.Series(reason, dtype=object))
    said = np.array([any(k in _plain(w) for k in INSECURITY) for w in distinct] + [False])
    insecure = said[codes]
    return pd.DataFrame({"no_visit_reason": reason, "insecure": insecure, "armed_report": armed})


def _plain(text: object) -> str:
    """Lower case without accents: "Insécurité" -> "insecurite"."""
    folded = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))
