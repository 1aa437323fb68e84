"""Seed the marker catalogue with every code the contract ships (taken from the review)."""

from django.db import migrations

CATALOGUE = [
    (
        "p95HER2",
        "presence",
        "p95HER2",
        "Truncated carboxy-terminal HER2 fragment lacking the trastuzumab epitope.",
    ),
    ("HER2D16", "presence", "HER2Δ16", "HER2Δ16 splice variant (exon 16 deleted)."),
    ("PD-L1", "presence", "PD-L1", "PD-L1 expression."),
    (
        "BCSC",
        "presence",
        "Breast cancer stem cells",
        "CD44+/CD24−/low breast cancer stem-cell phenotype.",
    ),
    ("VM", "presence", "Vasculogenic mimicry", "Vasculogenic mimicry (PAS+, CD31− channels)."),
    ("MUC4", "level", "MUC4", "Mucin 4, masks the trastuzumab epitope."),
    ("TNFA", "level", "TNF-α", "TNF-α, drives MUC4."),
    ("CDK12", "level", "CDK12", "Cyclin-dependent kinase 12."),
    ("EPHA5", "level", "EPHA5", "EPHA5 receptor tyrosine kinase (low = resistance)."),
    ("IL6_STAT3", "level", "IL-6/JAK2/STAT3", "IL-6/JAK2/STAT3 signalling activity."),
    ("TELOMERASE", "level", "Telomerase", "Telomerase activity."),
    ("AGAP2_AS1", "level", "AGAP2-AS1", "Exosomal lncRNA AGAP2-AS1."),
    ("GSE1", "level", "GSE1", "GSE1 (gastric tumours)."),
    ("EGFR", "level", "EGFR", "EGFR/HER1."),
    ("IGF1R", "level", "IGF-1R", "IGF-1 receptor."),
    ("MET", "level", "MET", "MET receptor."),
    ("EPHA2", "level", "EphA2", "EphA2 receptor."),
    ("ADRB2", "level", "β2-adrenergic receptor", "β2-adrenergic receptor."),
    ("HSF1", "level", "HSF1", "Heat shock factor 1."),
    ("LDHA", "level", "LDH-A", "Lactate dehydrogenase A."),
    ("T_DARPP", "level", "t-Darpp / DARPP-32", "t-Darpp / DARPP-32."),
    ("ATP_SYNTHASE", "level", "ATP synthase", "ATP synthase dependence."),
    ("FASN", "level", "FASN", "Fatty acid synthase."),
    ("MAL2", "level", "MAL2", "Lipid-raft protein MAL2."),
    ("FABP7", "level", "FABP7", "Fatty acid-binding protein 7."),
    ("CHI3L1", "level", "CHI3L1", "Serum chitinase 3-like 1."),
    ("CCL5", "level", "CCL5", "Chemokine CCL5."),
    ("CD55", "level", "CD55", "Complement regulatory protein CD55."),
    ("CD59", "level", "CD59", "Complement regulatory protein CD59."),
    ("CD46", "level", "CD46", "Complement regulatory protein CD46."),
    ("HSP90", "level", "HSP90", "Heat shock protein 90."),
    ("CRYAB", "level", "αB-crystallin", "αB-crystallin."),
    (
        "ENDOPHILIN_A2",
        "level",
        "Endophilin A2",
        "Endophilin A2 (low = defective HER2 internalisation).",
    ),
    ("P27", "level", "p27(Kip1)", "p27(Kip1) (low = predictor of good response)."),
    ("SERUM_HER2_ECD", "level", "Serum HER2 ECD", "Serum HER2 extracellular domain."),
]


def seed(apps, schema_editor):
    Marker = apps.get_model("cases", "Marker")
    for code, scale, name, description in CATALOGUE:
        Marker.objects.update_or_create(
            code=code, defaults={"scale": scale, "name": name, "description": description}
        )


def unseed(apps, schema_editor):
    apps.get_model("cases", "Marker").objects.filter(code__in=[c[0] for c in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
