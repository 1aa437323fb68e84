"""Synthetic de-identified profiles as a table, generated with numpy from a fixed seed."""

import numpy as np
import pandas as pd

from cases import choices

SEED = 20240511


def synthetic_frame(rows: int, marker_scales: dict, *, seed: int = SEED) -> pd.DataFrame:
    """`rows` profiles as text cells (the import/evaluate_cohort layout)."""
    rng = np.random.default_rng(seed)

    def pick(values, p_blank=0.0):
        values = np.array(list(values) + ([""] if p_blank else []), dtype=object)
        weights = None
        if p_blank:
            weights = np.full(len(values), (1 - p_blank) / (len(values) - 1))
            weights[-1] = p_blank
        return values[rng.choice(len(values), size=rows, p=weights)]

    therapy_sets = np.array(
        ["", "trastuzumab", "trastuzumab;pertuzumab", "trastuzumab;t_dm1", "trastuzumab;lapatinib",
         "trastuzumab;pertuzumab;chemotherapy", "radiotherapy;trastuzumab", "endocrine"],
        dtype=object,
    )  # fmt: skip
    frame = pd.DataFrame(
        {
            "tumour_site": pick(["breast"] * 19 + ["gastric"]),
            "setting": pick(choices.Setting.values),
            "age_band": pick(choices.AgeBand.values, p_blank=0.2),
            "trastuzumab_response": pick(choices.TrastuzumabResponse.values),
            "prior_therapies": therapy_sets[rng.integers(0, len(therapy_sets), rows)],
            "brain_metastases": pick(["false"] * 4 + ["true"]),
            "her2_ihc": pick(["3+"] * 4 + list(choices.Her2Ihc.values)),
            "her2_ish": pick(choices.Her2Ish.values),
            "her2_heterogeneity": pick(choices.Her2Heterogeneity.values),
            "er": pick(choices.ReceptorStatus.values),
            "pr": pick(choices.ReceptorStatus.values),
            "pik3ca": pick(choices.Pik3ca.values),
            "pten": pick(choices.Pten.values),
        }
    )
    for code, values in sorted(marker_scales.items()):
        frame[code] = pick(values, p_blank=0.7)
    return frame


def cases_clear() -> None:
    """Empty the case tables (and their history) between benchmark runs, without a
    history row and an audit line per case: this is the benchmark's scratch data."""
    from django.db import connection

    from cases.models import CaseProfile

    tables = [CaseProfile.history.model._meta.db_table, CaseProfile._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)} CASCADE")
            else:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
