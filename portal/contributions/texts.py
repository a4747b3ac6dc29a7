"""The words of contributions residents read (kinds, categories, statuses, partners), the
places of each quartier one may pick without a map, and the template helpers."""

import math

from flask_babel import lazy_gettext as _l

from .models import Channel, Kind, Status

KINDS = {Kind.REPORT: _l("Signaler un problème"), Kind.IDEA: _l("Proposer une idée")}
SHORT_KINDS = {Kind.REPORT: _l("Signalement"), Kind.IDEA: _l("Idée")}

CATEGORIES = {
    "proprete": _l("Propreté"),
    "depots": _l("Dépôts sauvages et encombrants"),
    "eclairage": _l("Éclairage"),
    "voirie": _l("Voirie et trottoirs"),
    "chantier": _l("Sécurité autour d’un chantier"),
    "stationnement": _l("Stationnement"),
    "espaces_verts": _l("Espaces verts"),
    "nuisibles": _l("Nuisibles"),
    "logement_vide": _l("Logement vide ou squatté"),
    "autre": _l("Autre"),
}

STATUSES = {
    Status.RECEIVED: _l("Reçu"),
    Status.TRANSMITTED: _l("Transmis"),
    Status.IN_PROGRESS: _l("En cours"),
    Status.RESOLVED: _l("Résolu"),
    Status.NOT_RETAINED: _l("Non retenu"),
}

PARTNERS = {
    "bailleur": _l("le bailleur"),
    "mel": _l("la Métropole européenne de Lille"),
    "ville_proprete": _l("la Ville de Roubaix (propreté)"),
    "ville_eclairage": _l("la Ville de Roubaix (éclairage)"),
    "police": _l("la police municipale"),
}

# Why someone reports a published contribution ("Signaler un abus"): key -> label.
ABUSE_REASONS = {
    "insulte": _l("Propos injurieux, haineux ou menaçants"),
    "personne": _l("Nomme ou montre une personne, donne ses coordonnées"),
    "faux": _l("Information fausse ou trompeuse"),
    "publicite": _l("Publicité ou message sans rapport"),
    "autre": _l("Autre raison"),
}

CHANNELS = {
    Channel.ONLINE: _l("En ligne"),
    Channel.PHONE: _l("Par téléphone"),
    Channel.MOBILE_HOUSE: _l("À la Maison Mobile"),
    Channel.DESK: _l("À l’accueil"),
}

# Where each quartier is (its centre) and how far from it a point may be.
CENTRES = {"alma": (50.6985, 3.1700), "epeule": (50.6860, 3.1640),
           "pile": (50.6835, 3.1860), "trois-ponts": (50.6950, 3.2000)}
MAX_DISTANCE_M = 1500

# Streets and places one picks from a list (no map needed): key -> (quartier, name, lat, lon).
PLACES = {
    "alma-rue-alma": ("alma", "Rue de l’Alma", 50.6992, 3.1692),
    "alma-place-carnot": ("alma", "Place Carnot", 50.6979, 3.1712),
    "alma-rue-fontenoy": ("alma", "Rue de Fontenoy", 50.7003, 3.1721),
    "alma-gare": ("alma", "Abords de la gare", 50.6967, 3.1668),
    "epeule-rue-epeule": ("epeule", "Rue de l’Épeule", 50.6858, 3.1629),
    "epeule-place-travail": ("epeule", "Place du Travail", 50.6871, 3.1652),
    "epeule-parc": ("epeule", "Square de l’Épeule", 50.6849, 3.1661),
    "pile-rue-pile": ("pile", "Rue de la Pile", 50.6831, 3.1851),
    "pile-place-nadaud": ("pile", "Place Nadaud", 50.6840, 3.1872),
    "pile-rue-condorcet": ("pile", "Rue Condorcet", 50.6824, 3.1880),
    "trois-ponts-rue-lannoy": ("trois-ponts", "Rue de Lannoy", 50.6945, 3.1985),
    "trois-ponts-parc": ("trois-ponts", "Parc des Trois Ponts", 50.6960, 3.2018),
    "trois-ponts-ecole": ("trois-ponts", "Abords de l’école", 50.6938, 3.2011),
}


def places_of(quartier_slug: str | None) -> list[tuple[str, str]]:
    return [(key, name) for key, (slug, name, _lat, _lon) in PLACES.items()
            if quartier_slug is None or slug == quartier_slug]


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Metres between two points (equirectangular: exact enough across one town)."""
    lat = math.radians((a[0] + b[0]) / 2)
    dx = math.radians(b[1] - a[1]) * math.cos(lat)
    dy = math.radians(b[0] - a[0])
    return 6_371_000 * math.hypot(dx, dy)


def near_quartier(slug: str, latitude: float, longitude: float) -> bool:
    centre = CENTRES.get(slug)
    return centre is None or distance_m(centre, (latitude, longitude)) <= MAX_DISTANCE_M


def place_name(contribution) -> str:
    found = PLACES.get(contribution.place or "")
    return found[1] if found else ""


def category_label(contribution) -> str:
    return str(CATEGORIES.get(contribution.category, "")) if contribution.category else ""


def template_helpers() -> dict:
    return {"contribution_kinds": SHORT_KINDS, "contribution_statuses": STATUSES,
            "contribution_categories": CATEGORIES, "contribution_partners": PARTNERS,
            "contribution_place": place_name, "contribution_category": category_label,
            "contribution_abuse_reasons": ABUSE_REASONS}
