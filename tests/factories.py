"""Test data and clients shared by the suite (imported by tests; fixtures live in conftest)."""

import copy
import itertools

from django.contrib.auth.models import Group, User

from cases.contract import EXAMPLE_PROFILE

PASSWORD = "a-long-test-password-1"
# The contract's own example profile; use `contract_example()` for a copy to change.
# A copy, so a test that changed it could not change the contract's own example.
CONTRACT_EXAMPLE = copy.deepcopy(EXAMPLE_PROFILE)


def contract_example(**changes) -> dict:
    """A fresh copy of the contract's example profile, with `changes` applied."""
    return {**copy.deepcopy(EXAMPLE_PROFILE), **changes}


def user_create(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def token_client(user):
    """An API client authenticated with the user's token, as other programs call the API."""
    from knox.models import get_token_model
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {get_token_model().objects.create(user)[1]}")
    return client


def form_data(profile: dict) -> dict:
    """A contract profile as the web case form posts it (markers as one select each; a
    select the profile does not set posts its initial value, as a browser does)."""
    from cases.contract import FIELDS

    data = {
        spec.name: spec.default
        for spec in FIELDS
        if spec.kind == "choice" and spec.name not in profile and isinstance(spec.default, str)
    }
    for name, value in profile.items():
        if name == "markers":
            data.update({f"marker__{code}": result for code, result in value.items()})
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = value
        elif value is not None:
            data[name] = str(value)
    return data


def profiles(marker_scales: dict):
    """A hypothesis strategy of valid contract profiles, from the contract itself."""
    from hypothesis import strategies as st

    from cases.contract import FIELDS

    fields = {}
    for spec in FIELDS:
        if spec.kind == "choice":
            values = st.sampled_from(spec.values)
            fields[spec.name] = st.one_of(st.none(), values) if spec.optional else values
        elif spec.kind == "choices":
            fields[spec.name] = st.lists(st.sampled_from(spec.values), unique=True, max_size=5)
        elif spec.kind == "bool":
            fields[spec.name] = st.booleans()
        elif spec.kind == "percent":
            fields[spec.name] = st.one_of(st.none(), st.integers(0, 100))
        elif spec.kind == "text":
            fields[spec.name] = st.just("")
        elif spec.kind == "markers":
            codes = sorted(marker_scales)
            fields[spec.name] = st.dictionaries(
                st.sampled_from(codes), st.just(None), max_size=8
            ).flatmap(
                lambda chosen: st.fixed_dictionaries(
                    {code: st.sampled_from(marker_scales[code]) for code in chosen}
                )
            )
    # A line of metastatic therapy is given only in the metastatic setting.
    return st.fixed_dictionaries(fields).map(
        lambda p: p if p["setting"] == "metastatic" else {**p, "metastatic_line": "unknown"}
    )


_release_numbers = itertools.count(1)


def release_publish_now(user=None):
    """Approve every change that holds a release back as a second curator, then publish the
    working copy as the next test release (users see curators' changes only once a release
    is published)."""
    from rules.knowledge_base import knowledge_base_cache_clear
    from rules.releases import release_publish
    from rules.reviews import change_approve, changes_blocking, changes_unapproved

    # A second curator approves every change first, as a release requires.
    # A superuser: changes made in tests without a user (no recorded curator, like an
    # import) need one.
    reviewer = User.objects.get_or_create(
        username="second-curator", defaults={"is_superuser": True}
    )[0]
    # Not the translations released unreviewed: they do not hold a release back.
    for change in changes_blocking(changes_unapproved()):
        change_approve(section=change.section, key=change.key, reviewer=reviewer)
    release = release_publish(name=f"2099.{next(_release_numbers)}", user=user)
    knowledge_base_cache_clear()
    return release


def rule_rows(*, citations=(), examples=()) -> dict:
    """A rule's citations and examples as the admin's rule form posts them (rows)."""
    from rules.widgets import profile_text

    data = {f"citations_{i}": key for i, key in enumerate([*citations, ""])}
    for i, example in enumerate([*examples, {}]):
        data[f"examples_{i}_profile"] = profile_text(example.get("profile") or {})
        fires = example.get("fires")
        data[f"examples_{i}_fires"] = (
            "fires" if fires is True else "silent" if fires is False else ""
        )
        data[f"examples_{i}_note"] = example.get("note", "")
    return data


def proposal_post(*choices: str, guess: str = "clinical_study", reasoning: str = "") -> dict:
    """The proposal form's body: choices as "strategy:<slug>", "standard:<code>" or
    "other:<own words>", strongest first."""
    data = {"evidence_guess": guess, "reasoning": reasoning}
    for rank, choice in enumerate(choices, start=1):
        kind, _, value = choice.partition(":")
        if kind == "other":
            data[f"choice_{rank}"], data[f"other_{rank}"] = "other", value
        else:
            data[f"choice_{rank}"] = choice
    return data


CDS_SERVICE = "/cds-services/her2-trastuzumab-resistance"
CDS_ISSUER = "https://ehr.example.org"


def cds_jwt(
    key, *, aud="http://testserver" + CDS_SERVICE, jti=None, exp_in=300, iss=CDS_ISSUER, **claims
):
    """A CDS Hooks JWT signed with `key` (the ehr_key fixture's), as an EHR sends it; other
    keyword arguments replace claims as they are (a hostile token, say)."""
    import time
    import uuid

    import jwt

    now = int(time.time())
    claims = {
        "iss": iss,
        "aud": aud,
        "exp": now + exp_in,
        "iat": now,
        "jti": jti or str(uuid.uuid4()),
    } | claims
    return jwt.encode(claims, key, algorithm="ES384", headers={"kid": "k1", "jku": CDS_ISSUER})
