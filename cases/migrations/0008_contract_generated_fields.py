"""The profile columns now come from cases.contract: one label per field, as forms and pages
show it, its help text, and one length for every choice column."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_case_newest_first_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caseprofile",
            name="age_band",
            field=models.CharField(
                blank=True,
                choices=[
                    ("<30", "Under 30"),
                    ("30-39", "30–39"),
                    ("40-49", "40–49"),
                    ("50-59", "50–59"),
                    ("60-69", "60–69"),
                    ("70-79", "70–79"),
                    ("80-89", "80–89"),
                    ("90+", "90 or over"),
                ],
                default=None,
                help_text="Optional; never an exact age (ages over 89 are one band).",
                max_length=24,
                null=True,
                verbose_name="Age band",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="brain_metastases",
            field=models.BooleanField(default=False, verbose_name="Brain metastases"),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="er",
            field=models.CharField(
                choices=[
                    ("positive", "Positive"),
                    ("negative", "Negative"),
                    ("unknown", "Unknown"),
                ],
                default="unknown",
                max_length=24,
                verbose_name="ER",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="her2_heterogeneity",
            field=models.CharField(
                choices=[("low", "Low"), ("high", "High"), ("unknown", "Unknown")],
                default="unknown",
                max_length=24,
                verbose_name="HER2 heterogeneity",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="her2_ihc",
            field=models.CharField(
                choices=[
                    ("0", "0"),
                    (">0<1+", ">0 <1+ (faint, incomplete staining in ≤10% of cells)"),
                    ("1+", "1+"),
                    ("2+", "2+"),
                    ("3+", "3+"),
                ],
                help_text=">0 <1+ is ultralow: faint, incomplete membrane staining in ≤10% of cells.",
                max_length=24,
                verbose_name="HER2 IHC",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="her2_ish",
            field=models.CharField(
                choices=[
                    ("amplified", "Amplified"),
                    ("not_amplified", "Not amplified"),
                    ("equivocal", "Equivocal"),
                    ("not_done", "Not done"),
                ],
                default="not_done",
                max_length=24,
                verbose_name="HER2 ISH",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="her2_positive_fraction",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Percentage of tumour cells with HER2 overexpression.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="HER2-positive cells (%)",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="her2_status",
            field=models.CharField(
                choices=[
                    ("positive", "HER2-positive"),
                    ("indeterminate", "Indeterminate (ISH needed)"),
                    ("low", "HER2-low"),
                    ("ultralow", "HER2-ultralow"),
                    ("zero", "HER2-zero"),
                ],
                editable=False,
                help_text="Derived from HER2 IHC and ISH (ASCO/CAP 2018; low and ultralow are trial-defined).",
                max_length=24,
                verbose_name="HER2 status",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="markers",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Marker code to result; leave a marker out when it was not tested.",
                verbose_name="Markers",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="notes",
            field=models.TextField(
                blank=True,
                default="",
                help_text="De-identified discussion notes only: no names, dates, numbers or places.",
                verbose_name="Notes",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="pik3ca",
            field=models.CharField(
                choices=[
                    ("mutated", "Mutated"),
                    ("wild_type", "Wild type"),
                    ("unknown", "Unknown"),
                ],
                default="unknown",
                max_length=24,
                verbose_name="PIK3CA",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="pr",
            field=models.CharField(
                choices=[
                    ("positive", "Positive"),
                    ("negative", "Negative"),
                    ("unknown", "Unknown"),
                ],
                default="unknown",
                max_length=24,
                verbose_name="PR",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="prior_therapies",
            field=models.JSONField(blank=True, default=list, verbose_name="Prior therapies"),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="pten",
            field=models.CharField(
                choices=[("lost", "Lost"), ("retained", "Retained"), ("unknown", "Unknown")],
                default="unknown",
                max_length=24,
                verbose_name="PTEN",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="setting",
            field=models.CharField(
                choices=[
                    ("early", "Early"),
                    ("neoadjuvant", "Neoadjuvant"),
                    ("residual_disease", "Residual invasive disease after neoadjuvant therapy"),
                    ("metastatic", "Metastatic"),
                ],
                help_text="Residual disease: residual invasive disease after neoadjuvant therapy.",
                max_length=24,
                verbose_name="Setting",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="trastuzumab_response",
            field=models.CharField(
                choices=[
                    ("naive", "Trastuzumab-naive"),
                    ("responding", "Responding"),
                    ("primary_resistance", "Primary resistance"),
                    ("acquired_resistance", "Acquired resistance"),
                ],
                max_length=24,
                verbose_name="Response to trastuzumab",
            ),
        ),
        migrations.AlterField(
            model_name="caseprofile",
            name="tumour_site",
            field=models.CharField(
                choices=[("breast", "Breast"), ("gastric", "Gastric")],
                default="breast",
                help_text="The review mentions gastric cancer once (GSE1).",
                max_length=24,
                verbose_name="Tumour site",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="age_band",
            field=models.CharField(
                blank=True,
                choices=[
                    ("<30", "Under 30"),
                    ("30-39", "30–39"),
                    ("40-49", "40–49"),
                    ("50-59", "50–59"),
                    ("60-69", "60–69"),
                    ("70-79", "70–79"),
                    ("80-89", "80–89"),
                    ("90+", "90 or over"),
                ],
                default=None,
                help_text="Optional; never an exact age (ages over 89 are one band).",
                max_length=24,
                null=True,
                verbose_name="Age band",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="brain_metastases",
            field=models.BooleanField(default=False, verbose_name="Brain metastases"),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="er",
            field=models.CharField(
                choices=[
                    ("positive", "Positive"),
                    ("negative", "Negative"),
                    ("unknown", "Unknown"),
                ],
                default="unknown",
                max_length=24,
                verbose_name="ER",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="her2_heterogeneity",
            field=models.CharField(
                choices=[("low", "Low"), ("high", "High"), ("unknown", "Unknown")],
                default="unknown",
                max_length=24,
                verbose_name="HER2 heterogeneity",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="her2_ihc",
            field=models.CharField(
                choices=[
                    ("0", "0"),
                    (">0<1+", ">0 <1+ (faint, incomplete staining in ≤10% of cells)"),
                    ("1+", "1+"),
                    ("2+", "2+"),
                    ("3+", "3+"),
                ],
                help_text=">0 <1+ is ultralow: faint, incomplete membrane staining in ≤10% of cells.",
                max_length=24,
                verbose_name="HER2 IHC",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="her2_ish",
            field=models.CharField(
                choices=[
                    ("amplified", "Amplified"),
                    ("not_amplified", "Not amplified"),
                    ("equivocal", "Equivocal"),
                    ("not_done", "Not done"),
                ],
                default="not_done",
                max_length=24,
                verbose_name="HER2 ISH",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="her2_positive_fraction",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Percentage of tumour cells with HER2 overexpression.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="HER2-positive cells (%)",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="her2_status",
            field=models.CharField(
                choices=[
                    ("positive", "HER2-positive"),
                    ("indeterminate", "Indeterminate (ISH needed)"),
                    ("low", "HER2-low"),
                    ("ultralow", "HER2-ultralow"),
                    ("zero", "HER2-zero"),
                ],
                editable=False,
                help_text="Derived from HER2 IHC and ISH (ASCO/CAP 2018; low and ultralow are trial-defined).",
                max_length=24,
                verbose_name="HER2 status",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="markers",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Marker code to result; leave a marker out when it was not tested.",
                verbose_name="Markers",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="pik3ca",
            field=models.CharField(
                choices=[
                    ("mutated", "Mutated"),
                    ("wild_type", "Wild type"),
                    ("unknown", "Unknown"),
                ],
                default="unknown",
                max_length=24,
                verbose_name="PIK3CA",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="pr",
            field=models.CharField(
                choices=[
                    ("positive", "Positive"),
                    ("negative", "Negative"),
                    ("unknown", "Unknown"),
                ],
                default="unknown",
                max_length=24,
                verbose_name="PR",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="prior_therapies",
            field=models.JSONField(blank=True, default=list, verbose_name="Prior therapies"),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="pten",
            field=models.CharField(
                choices=[("lost", "Lost"), ("retained", "Retained"), ("unknown", "Unknown")],
                default="unknown",
                max_length=24,
                verbose_name="PTEN",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="setting",
            field=models.CharField(
                choices=[
                    ("early", "Early"),
                    ("neoadjuvant", "Neoadjuvant"),
                    ("residual_disease", "Residual invasive disease after neoadjuvant therapy"),
                    ("metastatic", "Metastatic"),
                ],
                help_text="Residual disease: residual invasive disease after neoadjuvant therapy.",
                max_length=24,
                verbose_name="Setting",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="trastuzumab_response",
            field=models.CharField(
                choices=[
                    ("naive", "Trastuzumab-naive"),
                    ("responding", "Responding"),
                    ("primary_resistance", "Primary resistance"),
                    ("acquired_resistance", "Acquired resistance"),
                ],
                max_length=24,
                verbose_name="Response to trastuzumab",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcaseprofile",
            name="tumour_site",
            field=models.CharField(
                choices=[("breast", "Breast"), ("gastric", "Gastric")],
                default="breast",
                help_text="The review mentions gastric cancer once (GSE1).",
                max_length=24,
                verbose_name="Tumour site",
            ),
        ),
    ]
