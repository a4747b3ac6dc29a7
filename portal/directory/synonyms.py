"""The words residents type for the programme's main needs that the services do not use.

A query word found here (as typed, in the singular or by its stem: search.word_terms) also
matches the services containing any of its alternatives. The table is one-way ("docteur" finds
"médecin", not the reverse), written in plain words; search.py normalises both sides.
Alternatives match at the start of a word of a service's text (whose Arabic words are also
indexed without their glued article), so a word's beginning ("administrati") covers its forms.
Keep it short: words heard at the Maison Mobile or at a service's desk, and a few English and
Arabic ones for the same needs (services also carry the en/ar labels of their thématiques).
"""

SYNONYMS = {
    # Santé
    "docteur": ("médecin", "soins"),
    "toubib": ("médecin", "soins"),
    "doctor": ("médecin", "health care"),
    "طبيب": ("علاج", "médecin"),
    # Emploi
    "boulot": ("emploi", "job"),
    "travail": ("emploi",),
    "taf": ("emploi",),
    "work": ("emploi", "job"),
    "عمل": ("وظيفة", "شغل", "emploi"),
    "شغل": ("عمل", "وظيفة", "emploi"),
    # Papiers: démarches administratives
    "papiers": ("administrati",),
    "paperasse": ("administrati",),
    "papers": ("administrati", "paperwork"),
    "documents": ("administrati",),
    "أوراق": ("إدارية", "إداري", "administrati"),
    "وثائق": ("إدارية", "إداري", "administrati"),
    # Logement
    "appart": ("logement",),
    "appartement": ("logement",),
    "flat": ("housing", "logement"),
    "apartment": ("housing", "logement"),
    "شقة": ("سكن", "logement"),
    "déménager": ("relogement", "changer de logement"),
    "moving": ("rehousing", "move to another home", "relogement"),
    # Aides de la Caf
    "apl": ("aide au logement", "aides au logement", "allocation logement"),
    "caf": ("allocations familiales", "prestations familiales", "apl"),
    "rsa": ("caf", "minimas sociaux", "minima sociaux"),
    # Numérique
    "ordinateur": ("numérique", "informatique"),
}

# Words of a sentence typed as a query ("je dois déménager", "I need a doctor") that services
# need not contain: every query word must match, so they would hide every result.
# Written as normalised (search.normalise) and of two letters or more (shorter ones go anyway).
IGNORED = frozenset({
    "je", "moi", "me", "mon", "ma", "mes", "on", "nous", "vous", "il", "elle", "ils", "elles",
    "le", "la", "les", "un", "une", "des", "du", "de", "et", "ou", "au", "aux", "en", "pour",
    "par", "sur", "avec", "dans", "ai", "suis", "dois", "doit", "veux", "voudrais", "besoin",
    "cherche", "my", "need", "want", "looking", "for", "the", "an", "to", "of", "and", "with",
    "in", "انا", "اريد", "احتاج", "ابحث", "عن", "في", "من", "على", "الي",
})
