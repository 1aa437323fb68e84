"""The layout holds: imports run one way, the contract is declared once, modules stay small."""

import ast
import re
from pathlib import Path

import pytest

from cases import contract

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["core", "cases", "rules", "board", "config"]
MAX_MODULE_LINES = 500


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules(package: str):
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", LAYERS)
def test_no_package_imports_a_later_layer(package):
    later = set(LAYERS[LAYERS.index(package) + 1 :])
    backward = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _modules(package)
        for module in _imports(path)
        if module.split(".")[0] in later
    ]
    assert backward == []


def test_the_import_check_sees_a_backward_import(tmp_path):
    # The walk above must catch imports inside functions too, or it proves nothing.
    sample = tmp_path / "sample.py"
    sample.write_text("def view():\n    from board.models import BoardSession\n")
    assert "board.models" in _imports(sample)


@pytest.mark.parametrize("package", ["core", "cases", "rules", "board", "config"])
def test_no_module_is_over_500_lines(package):
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules(package)
        if "migrations" not in path.parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


CONTRACT_LABELS = {spec.name: spec.label for spec in contract.FIELDS}


def test_the_web_form_lists_exactly_the_contracts_fields_with_its_labels():
    from cases.forms import CaseWebForm

    form = CaseWebForm(marker_groups=[])
    fields = {name: f.label for name, f in form.fields.items() if name != "version"}
    assert fields == {n: label for n, label in CONTRACT_LABELS.items() if n != "markers"}


def test_the_admin_form_and_fieldsets_list_exactly_the_contracts_fields():
    from django.contrib import admin

    from cases.models import CaseProfile

    model_admin = admin.site._registry[CaseProfile]
    in_sections = [
        name
        for title, options in model_admin.fieldsets
        if title in contract.SECTIONS
        for name in options["fields"]
        if name != "version"
    ]
    assert in_sections == [spec.name for spec in contract.FIELDS]
    assert [title for title, _ in model_admin.fieldsets[1:]] == list(contract.SECTIONS)
    form = model_admin.form
    assert {n: form.base_fields[n].label for n in CONTRACT_LABELS} == CONTRACT_LABELS


def test_the_model_columns_carry_the_contracts_labels():
    from cases.models import CaseProfile

    labels = {n: CaseProfile._meta.get_field(n).verbose_name for n in contract.ALL_FIELDS}
    assert labels == {n: spec.label for n, spec in contract.ALL_FIELDS.items()}


def test_the_serializer_lists_exactly_the_contracts_fields_with_its_labels():
    from cases.api.serializers import CaseProfileSerializer

    declared = CaseProfileSerializer().fields
    contract_part = {n: f.label for n, f in declared.items() if n in contract.ALL_FIELDS}
    assert contract_part == {n: spec.label for n, spec in contract.ALL_FIELDS.items()}
    extra = set(declared) - set(contract.ALL_FIELDS)
    assert extra == {"code", "created_by", "created_at", "updated_at", "version", "web_url"}


def test_plain_words_use_the_contracts_labels():
    from rules.engine import condition_words, vocabulary_build

    vocabulary = vocabulary_build(marker_scales={})
    words = condition_words(
        'trastuzumab_response == "naive" and her2_positive_fraction > 10', vocabulary
    )
    assert words == "response to trastuzumab is naive and HER2-positive cells (%) is above 10"


def test_the_import_columns_are_the_contracts_fields():
    from cases.profile import profile_clean
    from cases.tabular import frame_from_profiles

    profile = profile_clean(data=contract.EXAMPLE_PROFILE, marker_scales={
        "p95HER2": ("positive", "negative"), "MUC4": ("high", "normal", "low")})  # fmt: skip
    frame = frame_from_profiles([profile], marker_codes=[])
    assert list(frame.columns) == [s.name for s in contract.FIELDS if s.kind != "markers"]


def _later_names() -> set[str]:
    """URL names and "app." prefixes that belong to the layers above core."""
    names = {f"{app}." for app in LAYERS[1:]}
    for app in LAYERS[1:4]:
        for path in (ROOT / app).rglob("urls.py"):
            names |= set(re.findall(r'name="([^"]+)"', path.read_text(encoding="utf-8")))
    return names


def test_core_names_no_later_app_not_even_in_strings():
    later = _later_names()
    assert {"case-list", "knowledge", "home", "board."} <= later
    quoted = re.compile(r"""["']([^"'\s]+)["']""")
    named = []
    for path in sorted((ROOT / "core").rglob("*")):
        if path.suffix not in {".py", ".html"} or "migrations" in path.parts:
            continue
        for text in quoted.findall(path.read_text(encoding="utf-8")):
            if text in later or any(text.startswith(p) for p in later if p.endswith(".")):
                named.append(f"{path.relative_to(ROOT)}: {text}")
    assert named == []
