"""The data·inclusion vocabularies shown to residents, with their labels marked for translation,
and the needs-based entry points of /services/ mapped onto them.

The French labels are the schema's own (data-inclusion-schema v1), made plainer where residents
read them (modes d'accueil and de mobilisation); tests check that every value
of the package's enums has a label here, so a new schema version cannot slip in unlabelled.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "choisir-un-metier": _l("Choisir un métier"),
    "creer-une-entreprise": _l("Créer une entreprise"),
    "difficultes-administratives-ou-juridiques": _l("Difficultés administratives ou juridiques"),
    "difficultes-financieres": _l("Difficultés financières"),
    "equipement-et-alimentation": _l("Équipement et alimentation"),
    "famille": _l("Famille"),
    "lecture-ecriture-calcul": _l("Lecture, écriture et calcul"),
    "logement-hebergement": _l("Logement et hébergement"),
    "mobilite": _l("Mobilité"),
    "numerique": _l("Numérique"),
    "preparer-sa-candidature": _l("Préparer sa candidature"),
    "remobilisation": _l("Remobilisation"),
    "sante": _l("Santé"),
    "se-former": _l("Se former"),
    "souvrir-a-linternational": _l("S’ouvrir à l’international"),
    "trouver-un-emploi": _l("Trouver un emploi"),
}

THEMATIQUES = {
    "choisir-un-metier--confirmer-son-choix-de-metier": _l("Confirmer son choix de métier"),
    "choisir-un-metier--connaitre-les-opportunites-demploi": _l("Connaître les opportunités d’emploi"),
    "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite": _l("Découvrir un métier ou un secteur d’activité"),
    "choisir-un-metier--identifier-ses-points-forts-et-ses-competences": _l("Identifier ses points forts et ses compétences"),
    "creer-une-entreprise--definir-son-projet-de-creation-dentreprise": _l("Définir son projet de création d’entreprise"),
    "creer-une-entreprise--developper-son-entreprise": _l("Développer son entreprise"),
    "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise": _l("Structurer son projet de création d’entreprise"),
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives": _l("Accompagnement aux démarches administratives"),
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete": _l("Accompagnement pour l’accès à la citoyenneté"),
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits": _l("Accompagnement pour l’accès aux droits"),
    "difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte": _l("Bénéficier d’une mesure d’accompagnement adapté"),
    "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination": _l("Connaître ses droits face à une discrimination"),
    "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire": _l("Prendre en compte une problématique judiciaire"),
    "difficultes-financieres--acquerir-une-autonomie-budgetaire": _l("Acquérir une autonomie budgétaire"),
    "difficultes-financieres--ameliorer-sa-gestion-budgetaire": _l("Améliorer sa gestion budgétaire"),
    "difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere": _l("Mettre en place une mesure de protection financière"),
    "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere": _l("Prévenir une dégradation de la situation financière"),
    "difficultes-financieres--situation-dendettement-surendettement": _l("Situation d’endettement ou de surendettement"),
    "equipement-et-alimentation--aide-menagere": _l("Aide ménagère"),
    "equipement-et-alimentation--alimentation": _l("Alimentation"),
    "equipement-et-alimentation--electromenager": _l("Électroménager"),
    "equipement-et-alimentation--habillement": _l("Habillement"),
    "famille--garde-denfants": _l("Garde d’enfants"),
    "famille--prise-en-charge-personne-dependante": _l("Prise en charge d’une personne dépendante"),
    "famille--soutien-a-la-parentalite-et-a-leducation": _l("Soutien à la parentalité et à l’éducation"),
    "famille--soutien-aidants": _l("Soutien aux aidants"),
    "famille--surmonter-conflits-separation-violence": _l("Surmonter les conflits liés à la séparation ou à la violence"),
    "lecture-ecriture-calcul--maitriser-le-calcul": _l("Maîtriser le calcul"),
    "lecture-ecriture-calcul--maitriser-le-francais": _l("Maîtriser le français"),
    "logement-hebergement--acheter-un-logement": _l("Acheter un logement"),
    "logement-hebergement--changer-de-logement": _l("Changer de logement"),
    "logement-hebergement--louer-un-logement": _l("Louer un logement"),
    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire": _l("Rechercher une solution d’hébergement temporaire"),
    "logement-hebergement--reduire-les-impayes-de-loyer": _l("Réduire les impayés de loyer"),
    "logement-hebergement--se-maintenir-dans-le-logement": _l("Se maintenir dans le logement"),
    "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement": _l("S’informer sur les démarches liées à l’accès au logement"),
    "mobilite--acceder-a-un-vehicule": _l("Accéder à un véhicule"),
    "mobilite--entretenir-reparer-son-vehicule": _l("Entretenir et réparer son véhicule"),
    "mobilite--etre-accompagne-dans-son-parcours-mobilite": _l("Être accompagné dans son parcours mobilité"),
    "mobilite--financer-ma-mobilite": _l("Financer ma mobilité"),
    "mobilite--mobilite-douce-partagee-collective": _l("Utiliser des services de mobilité douce, partagée ou collective"),
    "mobilite--preparer-un-permis": _l("Préparer un permis"),
    "numerique--acceder-a-des-services-en-ligne": _l("Accéder à des services en ligne"),
    "numerique--acceder-a-une-connexion-internet": _l("Accéder à une connexion Internet"),
    "numerique--acquerir-un-equipement": _l("Acquérir un équipement"),
    "numerique--maitriser-les-fondamentaux-du-numerique": _l("Maîtriser les fondamentaux du numérique"),
    "preparer-sa-candidature--developper-son-reseau": _l("Développer son réseau"),
    "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi": _l("Organiser ses démarches de recherche d’emploi"),
    "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation": _l("Réaliser un CV et/ou une lettre de motivation"),
    "preparer-sa-candidature--valoriser-ses-competences": _l("Valoriser ses compétences"),
    "remobilisation--activites-sportives-et-culturelles": _l("Activités sportives et culturelles"),
    "remobilisation--benevolat-action-citoyenne": _l("Bénévolat et action citoyenne"),
    "remobilisation--bien-etre-confiance-en-soi": _l("Bien-être et confiance en soi"),
    "remobilisation--lien-social": _l("Lien social"),
    "sante--acces-aux-soins": _l("Accès aux soins"),
    "sante--addictions": _l("Addictions"),
    "sante--constituer-un-dossier-mdph-invalidite": _l("Constituer un dossier MDPH pour invalidité"),
    "sante--sante-mentale": _l("Santé mentale"),
    "sante--sante-sexuelle": _l("Santé sexuelle"),
    "se-former--monter-son-dossier-de-formation": _l("Monter son dossier de formation"),
    "se-former--trouver-sa-formation": _l("Trouver sa formation"),
    "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger": _l("Connaître les opportunités d’emploi à l’étranger"),
    "souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger": _l("S’informer sur les aides pour travailler à l’étranger"),
    "souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france": _l("S’organiser suite à son retour en France"),
    "trouver-un-emploi--convaincre-un-recruteur-en-entretien": _l("Convaincre un recruteur en entretien"),
    "trouver-un-emploi--faire-des-candidatures-spontanees": _l("Faire des candidatures spontanées"),
    "trouver-un-emploi--maintien-dans-lemploi": _l("Maintien dans l’emploi"),
    "trouver-un-emploi--repondre-a-des-offres-demploi": _l("Répondre à des offres d’emploi"),
    "trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs": _l("Suivre ses candidatures et relancer les employeurs"),
}

PUBLICS = {
    "actifs": _l("Actifs"),
    "beneficiaires-des-minimas-sociaux": _l("Bénéficiaires des minima sociaux"),
    "demandeurs-emploi": _l("Demandeurs d’emploi"),
    "etudiants": _l("Étudiants"),
    "familles": _l("Familles"),
    "femmes": _l("Femmes"),
    "jeunes": _l("Jeunes"),
    "personnes-en-situation-de-handicap": _l("Personnes en situation de handicap"),
    "personnes-en-situation-durgence": _l("Personnes en situation d’urgence"),
    "personnes-en-situation-juridique-specifique": _l("Personnes en situation juridique spécifique"),
    "personnes-exilees": _l("Personnes exilées"),
    "residents-qpv-frr": _l("Résidents en QPV ou FRR"),
    "seniors": _l("Séniors"),
    "tous-publics": _l("Tous publics"),
}

FRAIS = {
    "gratuit": _l("Gratuit"),
    "payant": _l("Payant"),
}

MODES_ACCUEIL = {
    "a-distance": _l("À distance (téléphone, internet)"),
    "en-presentiel": _l("Sur place"),
}

MODES_MOBILISATION = {
    "envoyer-un-courriel": _l("Envoyer un e-mail"),
    "se-presenter": _l("Se présenter à l’accueil"),
    "telephoner": _l("Téléphoner"),
    "utiliser-lien-mobilisation": _l("Faire la demande en ligne"),
}

MOBILISABLE_PAR = {
    "professionnels": _l("Professionnels"),
    "usagers": _l("Usagers"),
}

TYPES = {
    "accompagnement": _l("Accompagnement"),
    "aide-financiere": _l("Aide financière"),
    "aide-materielle": _l("Aide matérielle"),
    "atelier": _l("Atelier"),
    "formation": _l("Formation"),
    "information": _l("Information"),
}


def category_of(thematique: str) -> str:
    """'sante--acces-aux-soins' -> 'sante' (the schema's Categorie)."""
    return thematique.split("--", 1)[0]


def label(vocabulary: dict, value: str):
    """The translated label of a value, or the raw value for one the schema has since added."""
    return vocabulary.get(value, value)


@dataclass(frozen=True)
class Need:
    """A plain-language entry point: the services whose thématiques fall under `themes` (a
    category or a thématique) or whose publics include one of `publics`."""

    key: str
    title: object  # lazy string
    hint: object
    themes: tuple[str, ...]
    publics: tuple[str, ...] = ()


NEEDS = {need.key: need for need in (
    Need("relogement", _l("Je dois déménager / relogement"),
         _l("Relogement, loyer, aides au logement, déménagement"), ("logement-hebergement",)),
    Need("emploi", _l("Je cherche un emploi ou une formation"),
         _l("CV, offres d’emploi, formation, créer son activité"),
         ("trouver-un-emploi", "preparer-sa-candidature", "choisir-un-metier", "se-former",
          "creer-une-entreprise")),
    Need("papiers", _l("J’ai besoin d’aide pour mes papiers"),
         _l("CAF, impôts, titre de séjour, démarches en ligne"),
         ("difficultes-administratives-ou-juridiques", "numerique--acceder-a-des-services-en-ligne")),
    Need("budget", _l("Budget, factures"),
         _l("Factures, dettes, colis alimentaires, équipement"),
         ("difficultes-financieres", "equipement-et-alimentation")),
    Need("sante", _l("Santé"), _l("Médecin, droits santé, bien-être"), ("sante",)),
    Need("enfants", _l("Enfants et jeunes"),
         _l("Garde, école, parents, jeunes de 16 à 25 ans"),
         ("famille--garde-denfants", "famille--soutien-a-la-parentalite-et-a-leducation"),
         ("jeunes",)),
    Need("mobilite", _l("Se déplacer"), _l("Bus, métro, vélo, permis de conduire"),
         ("mobilite",)),
    Need("francais", _l("Apprendre le français"),
         _l("Cours de français, lire, écrire, compter, ordinateur"),
         ("lecture-ecriture-calcul", "numerique--maitriser-les-fondamentaux-du-numerique")),
)}

# The themes of the Maison Mobile's visits (portal.mobile_house.schedule.THEMES) that match a
# need, so a visit page can link to the services that continue the conversation.
MOBILE_HOUSE_THEMES = {"relogement": "relogement", "emploi": "emploi",
                       "acces-aux-droits": "papiers"}
