"""The codes the FHIR reader understands, each with where it was checked.

Everything here is read from codes; free text (`valueString`, a `text` or `display` with no
known code) is read only through PHRASES, exact phrases after trimming and lower-casing.
Anything else is reported as unread, never guessed.
"""

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
AJCC = "http://cancerstaging.org"
HGNC_SYSTEMS = ("http://www.genenames.org", "http://www.genenames.org/geneId")
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

# What each contract fact is read from (Observation.code, LOINC).
# HER2 by immune stain (breast 85319-2; any tissue 18474-7, the German MII tumour-board
# module's); by immunoassay in tissue 72383-3 (mCODE TumorMarkerTestVS). Only a score
# answer is read from any of them.
HER2_IHC_TESTS = {"85319-2", "18474-7", "72383-3"}
HER2_ISH_TESTS = {"85318-4", "31150-6"}  # [Presence] by FISH (breast; tissue)
HER2_ISH_RATIO = "49683-6"  # ERBB2 copy number / chromosome 17 copy number, FISH
HER2_COPY_NUMBER = "74860-8"  # ERBB2 copy number per nucleus, FISH
HER2_INTERPRETATION = "48676-1"  # HER2 [Interpretation] in Tissue (mCODE's HER2 example)
# ER and PR by immune stain (breast; any tissue), and their interpretations in tissue
# (16112-5, 16113-3), all in mCODE's TumorMarkerTestVS (fhir-codes-research.md, section 2).
ER_TESTS = {"85337-4", "40556-3", "16112-5"}
PR_TESTS = {"85339-0", "40557-1", "16113-3"}
VARIANT = "69548-6"  # Genetic variant assessment (Genomics Reporting)
GENE_STUDIED = "48018-6"
CLINICAL_SIGNIFICANCE = "53037-8"
PIK3CA_HGNC = "HGNC:8975"
PIK3CA_GENES = {PIK3CA_HGNC, "PIK3CA"}  # by HGNC id, or by its approved symbol
# Genomics Reporting's Diagnostic Implication (profile diagnostic-implication in
# HL7/genomics-reporting input/fsh/CGImplications.fsh): an Observation coded
# tbd-codes#diagnostic-implication, `derivedFrom` its variant, with the clinical
# significance (53037-8) as a component. Its published examples spell the system two ways.
GR_TBD_SYSTEMS = {
    "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes",
    "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/TbdCodes",
}
DIAGNOSTIC_IMPLICATION = "diagnostic-implication"
DISEASE_STATUS = "97509-4"  # mCODE CancerDiseaseStatus
M_CATEGORY = {(LOINC, "21907-1"), (LOINC, "21901-4"), (LOINC, "21913-9"),
              (SNOMED, "399387003"), (SNOMED, "371497001"), (SNOMED, "277208005")}  # fmt: skip
PATHOLOGIC_T_N = {(LOINC, "21899-0"), (LOINC, "21900-6")}
# What the discovery's staging prefetch asks for: every LOINC staging code the reader reads.
STAGING_LOINC = sorted(code for system, code in M_CATEGORY | PATHOLOGIC_T_N if system == LOINC)

# The line of therapy, as SNOMED CT codes it: 708255002 "First line treatment", 708256001
# "Second line treatment", 708257005 "Third line treatment" (all three in a public HIV IG's
# ValueSet VSARTRegimenLines; 708255002 as Procedure.category in hl7-eu/pcsp
# input/fsh/examples/Procedure-4952.fsh). Read only from the category of a proposed or
# planned MedicationRequest: the line the board is deciding (board.fhir.medications).
THERAPY_LINES = {"708255002": "1", "708256001": "2", "708257005": "3+"}

# HER2 IHC score: LOINC answer list LL4396-9 (HL7 Breast Cancer Data IG,
# ValueSet oncology-HER2byIHCScoreVS); LA11884-6 "Indeterminate" is not a score.
IHC_ANSWERS = {"LA6111-4": "0", "LA11841-6": "1+", "LA11842-4": "2+", "LA11843-2": "3+"}

# Positive / negative answers: LOINC LA6576-8, LA6577-6 (mCODE's jenny-m examples);
# SNOMED qualifiers from mCODE PositiveNegativeVS (10828004, 260385009, 42425007
# equivocal) and the presence qualifiers 260373001 detected, 260415000 not detected.
POSITIVE = {(LOINC, "LA6576-8"), (SNOMED, "10828004"), (SNOMED, "260373001")}
NEGATIVE = {(LOINC, "LA6577-6"), (SNOMED, "260385009"), (SNOMED, "260415000")}
EQUIVOCAL = {(SNOMED, "42425007")}
INTERPRETATION_POSITIVE = {"POS"}
INTERPRETATION_NEGATIVE = {"NEG"}

# Genomics Reporting: presence (LOINC LA9633-4 present, LA9634-2 absent, as in the IG's
# PIK3CA example) and clinical significance, 53037-8. Its answers: the current ACMG list
# LL4034-6, which the IG's Diagnostic Implication binds (CGImplications.fsh), with
# LA6668-3 pathogenic, LA26332-9 likely pathogenic (the IG's example
# ct-xT-diagnostic-implication), LA26333-7 uncertain, LA26334-5 likely benign, LA6675-8
# benign; and the older answers of the STU3 ValueSet LOINC-53037-8-answerlist
# (LA6669-1 presumed pathogenic, LA6674-1 presumed benign, LA6682-4 unknown).
PRESENT, ABSENT = "LA9633-4", "LA9634-2"
PATHOGENIC = {"LA6668-3", "LA26332-9", "LA6669-1"}
BENIGN = {"LA6675-8", "LA26334-5", "LA6674-1"}
UNKNOWN_SIGNIFICANCE = {"LA26333-7", "LA6682-4"}

# AJCC M1 and its subcategories, as SNOMED qualifiers (mCODE TNM value sets, AJCC cM1
# 1229903009, cM1a/b/c 1229904003/1229907005/1229910003, pM1 1229916009) or AJCC codes.
M1_SNOMED = {"1229903009", "1229904003", "1229907005", "1229910003", "1229916009"}
M1_AJCC = {"M1", "cM1", "pM1", "cM1a", "cM1b", "cM1c", "pM1a", "pM1b", "pM1c"}

# A metastatic (secondary) cancer Condition without mCODE's meta.profile: SNOMED 128462008
# "Secondary malignant neoplastic disease", which mCODE (STU3 on) requires as the category
# of every SecondaryCancerCondition and which roots its SecondaryCancerDisorderVS, as the
# Condition's category or code; and 315004001 "Metastasis from malignant tumor of breast",
# one of its descendants (as the public SNOMED hierarchy tests of py-umls use it).
SECONDARY_CANCER_SNOMED = {"128462008", "315004001"}

# mCODE ConditionStatusTrendVS (SNOMED).
IMPROVED, STABLE, WORSENED = "268910001", "359746009", "271299001"

# RxNorm codes -> the contract's prior therapies, each row with where the code was seen
# (shared/references/fhir-codes-research.md gives every source in full: "OCPA" is the HL7
# CodeX OCPA IG's RxNav-verified examples, "CTM" MITRE's clinical-trial-matching-app
# medications.json, "BCT" breastcancertrials.org's RxNorm map, "Synthea" its breast
# modules, "mCODE" the mCODE IG's extended example, "sandbox" cds-hooks/sandbox's list).
# Ingredients (TTY IN, or the precise ingredient RxNorm gives an ADC) first, then the
# brand (BN) and clinical-drug codes senders such as Synthea actually carry.
# T-DM1 and T-DXd are never rolled up to trastuzumab: RxNorm files both under
# trastuzumab's ingredient, so only their own codes are read, and a resource that also
# carries trastuzumab's code beside an ADC's is read as the ADC alone.
RXNORM_THERAPIES = {
    # ingredients
    "224905": "trastuzumab",  # OCPA; CTM :477; BCT :52
    "1298944": "pertuzumab",  # OCPA; CTM :27492; BCT :54
    "1371041": "t_dm1",  # ado-trastuzumab emtansine; CTM :500; BCT :56
    "2267582": "t_dxd",  # trastuzumab deruxtecan; CTM :34324
    "2267574": "t_dxd",  # fam-trastuzumab deruxtecan-nxki; CTM :34260
    "480167": "lapatinib",  # CTM :21220; BCT :53
    "2361285": "tucatinib",  # CTM :34724 (2361286 is "Tucatinib 150 MG", a strength)
    "56946": "chemotherapy",  # paclitaxel; OCPA; mCODE EX_ExtendedExample :617
    "72962": "chemotherapy",  # docetaxel; OCPA; CTM :7188
    "3639": "chemotherapy",  # doxorubicin; OCPA; mCODE
    "3002": "chemotherapy",  # cyclophosphamide; OCPA; mCODE
    "194000": "chemotherapy",  # capecitabine; CTM :2660; BCT :47
    # brands and clinical drugs
    "101306": "trastuzumab",  # Herceptin (BN); Synthea hormonetherapy_breast; CTM :33748
    "1922509": "trastuzumab",  # Trastuzumab 150 MG Injection (SCD); CTM :33820
    "1298949": "pertuzumab",  # Perjeta (BN); Synthea hormonetherapy_breast; CTM :27524
    "1371046": "t_dm1",  # Kadcyla (BN); Synthea hormonetherapy_breast; CTM :508
    "1658086": "t_dm1",  # Trastuzumab Injection [KADCYLA] (SBDF); CTM :548
    "2267577": "t_dxd",  # Enhertu (BN); CTM :34284
    "2267579": "t_dxd",  # Trastuzumab Injection [Enhertu] (SBDF); CTM :34300
    "659616": "lapatinib",  # Tykerb (BN); Synthea hormonetherapy_breast; CTM :21236
    "672150": "lapatinib",  # a Tykerb product; sandbox medication-list.js
    "672152": "lapatinib",  # a Tykerb product; sandbox medication-list.js
    "1162550": "lapatinib",  # lapatinib Pill; sandbox medication-list.js
    "2361291": "tucatinib",  # Tukysa (BN); CTM :34772
    "583214": "chemotherapy",  # Paclitaxel 100 MG Injection (SCD); Synthea chemotherapy_breast
    "202982": "chemotherapy",  # Taxotere, docetaxel (BN); CTM; Synthea treatment_bcancer
    "220961": "chemotherapy",  # Xeloda, capecitabine (BN); CTM :2700; Synthea treatment_bcancer
}
ANTIBODY_DRUG_CONJUGATES = {"t_dm1", "t_dxd"}
# HER2 drugs with no contract value: reported in `ignored` as such, not as unknown codes.
RXNORM_OUTSIDE_THE_CONTRACT = {
    "1940643": "neratinib",  # CTM :24684; BCT :58
    "1940649": "neratinib",  # Nerlynx (BN); Synthea hormonetherapy_breast; CTM :24732
    # margetuximab: no RxNorm code was seen in any public source (fhir-codes-research.md).
}

# The only free text read, per fact: exact phrases (trimmed, lower-cased).
PHRASES = {
    "her2_ihc": {
        "0": "0", "score 0": "0", "negative (0)": "0", "1+": "1+", "score 1+": "1+",
        "negative (1+)": "1+", "2+": "2+", "score 2+": "2+", "equivocal (2+)": "2+",
        "3+": "3+", "score 3+": "3+", "positive (3+)": "3+",
        ">0 <1+": ">0<1+", ">0<1+": ">0<1+", "ultralow": ">0<1+",
    },
    "her2_ish": {
        "amplified": "amplified", "positive": "amplified",
        "not amplified": "not_amplified", "non-amplified": "not_amplified",
        "unamplified": "not_amplified", "no amplification detected": "not_amplified",
        "amplification not detected": "not_amplified", "negative": "not_amplified",
        "equivocal": "equivocal",
    },
    "receptor": {"positive": "positive", "negative": "negative"},
}  # fmt: skip
