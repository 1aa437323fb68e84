"""Common HER2 drugs and markers the review does not discuss, so the knowledge browser can
say "not covered by this review" instead of showing nothing.

Each term was checked absent from the review's text (a test checks it again against the
copy in tests/data/shared/seeds).
"""

from rules.folding import text_words

# Only the names: what each drug or marker is, is not this knowledge base's to say.
NOT_COVERED = frozenset(
    {
        # HER2-targeted agents
        "neratinib", "tucatinib", "pyrotinib", "margetuximab", "zanidatamab", "disitamab",
        # other breast-cancer agents
        "palbociclib", "abemaciclib", "ribociclib", "everolimus", "capecitabine",
        "pembrolizumab", "atezolizumab", "fulvestrant", "letrozole", "tamoxifen",
        # markers and tests
        "brca1", "brca2", "esr1", "tp53", "ctdna",
    }
)  # fmt: skip


def not_covered(query: str) -> list[str]:
    """The query's words that name a drug or marker the review does not discuss."""
    return [word for word in dict.fromkeys(text_words(query)) if word in NOT_COVERED]
