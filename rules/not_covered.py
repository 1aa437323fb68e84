"""Common HER2 drugs and markers the review does not discuss, so the knowledge browser can
say "not covered by this review" instead of showing nothing.

Each term was checked absent from the review's text (a test checks it again against the
copy in tests/data/shared/seeds). The list says nothing about the drugs themselves.
"""

from rules.folding import text_words

NOT_COVERED = {
    # HER2-targeted agents
    "neratinib": "a HER2 tyrosine-kinase inhibitor",
    "tucatinib": "a HER2 tyrosine-kinase inhibitor",
    "pyrotinib": "a HER2 tyrosine-kinase inhibitor",
    "margetuximab": "an anti-HER2 antibody",
    "zanidatamab": "a bispecific anti-HER2 antibody",
    "disitamab": "an anti-HER2 antibody-drug conjugate (disitamab vedotin)",
    # Other breast-cancer agents
    "palbociclib": "a CDK4/6 inhibitor",
    "abemaciclib": "a CDK4/6 inhibitor",
    "ribociclib": "a CDK4/6 inhibitor",
    "everolimus": "an mTOR inhibitor",
    "capecitabine": "a chemotherapy",
    "pembrolizumab": "an anti-PD-1 antibody",
    "atezolizumab": "an anti-PD-L1 antibody",
    "fulvestrant": "an endocrine therapy",
    "letrozole": "an endocrine therapy",
    "tamoxifen": "an endocrine therapy",
    # Markers and tests
    "brca1": "a germline marker",
    "brca2": "a germline marker",
    "esr1": "an endocrine-resistance marker",
    "tp53": "a tumour-suppressor gene",
    "ctdna": "circulating tumour DNA testing",
}


def not_covered(query: str) -> list[tuple[str, str]]:
    """The query's words that name a drug or marker the review does not discuss."""
    words = text_words(query)
    return [(word, NOT_COVERED[word]) for word in dict.fromkeys(words) if word in NOT_COVERED]
