"""The local pre-moderation score on a fixed small corpus in fr, ar and en: each signal named
and explained, none sent anywhere; the validation queue orders contributions by it (highest
first, in the places contributions hold among the other domains' items, oldest first); the
moderator's page says why."""

from datetime import timedelta

import pytest

from portal import registry
from portal.contributions import screening
from portal.contributions.models import Contribution
from portal.extensions import db
from portal.publication import PublicationStatus
from portal.registry import QueueItem
from tests.contributions.factories import contributions, make_contribution, post_new

CORPUS = [
    # (language, text, the signals expected)
    ("fr", "Le lampadaire de la rue de l’Alma est éteint depuis une semaine.", set()),
    ("fr", "Appelez-moi au 06 12 34 56 78 pour le dépôt sauvage rue Jouffroy.", {"phone"}),
    ("fr", "Écrivez à jean.dupont@exemple.fr, les encombrants sont toujours là.", {"email"}),
    ("fr", "Le gardien M. Durand laisse les poubelles déborder tous les jours.", {"name"}),
    ("fr", "Madame Lefebvre du 3e étage jette ses sacs par la fenêtre.", {"name"}),
    ("fr", "Voir les photos sur www.exemple.fr et https://exemple.fr/x du chantier.", {"link"}),
    ("fr", "Les responsables du chantier sont des ABRUTIS, la clôture est tombée.",
     {"insult"}),
    ("fr", "Bande de crétins, personne ne ramasse les déchets devant l’école.", {"insult"}),
    ("fr", "LA RUE EST PLONGÉE DANS LE NOIR DEPUIS TROIS SEMAINES, RÉPAREZ !", {"shouting"}),
    ("fr", "Nul.", {"short"}),
    ("ar", "الإنارة في شارع ألما مطفأة منذ أسبوع، والأطفال يمشون في الظلام.", set()),
    ("ar", "المسؤول غبي، النفايات متراكمة أمام العمارة منذ أيام.", {"insult"}),
    ("ar", "اتصلوا بي على 0612345678 بخصوص الأثاث المتروك في الشارع.", {"phone"}),
    ("en", "The street light near the school has been broken for a week now.", set()),
    ("en", "Whoever left this rubbish here is an idiot, please clean the pavement.",
     {"insult"}),
    ("en", "Email me at someone@example.org about the broken fence near the works.",
     {"email"}),
    ("fr", "Les ordures débordent, le trottoir est pourri près du square.", set()),
]


@pytest.mark.parametrize(("language", "text", "expected"), CORPUS)
def test_signals_of_the_fixed_corpus(app, language, text, expected):
    with app.app_context():
        found = screening.text_signals(text)
    assert {s.key for s in found} == expected, (language, text)
    assert screening.score(found) == sum(screening.SIGNALS[k][0] for k in expected)


def test_every_signal_is_explained_in_three_languages(app):
    from flask_babel import force_locale

    with app.test_request_context():
        for language in ("fr", "en", "ar"):
            with force_locale(language):
                texts = {str(explanation) for _weight, explanation in screening.SIGNALS.values()}
            assert len(texts) == len(screening.SIGNALS) and all(texts)
        with force_locale("en"):
            assert "phone number" in str(screening.SIGNALS["phone"][1])


def test_insults_are_whole_words_after_folding(app):
    with app.app_context():
        assert screening.text_signals("Quel CRETIN ce voisin, il jette tout par terre.")
        assert not {s.key for s in screening.text_signals(
            "Le container du conservatoire déborde depuis lundi matin.")}  # "con" inside
        assert "insult" in {s.key for s in screening.text_signals(
            "هذا الشخص أحمق ويرمي القمامة في الشارع كل يوم")}  # hamza folded


def test_a_repeated_text_is_found_in_one_query(app, db, quartiers, now):
    first = make_contribution(quartiers["alma"], text="Les encombrants sont encore là !")
    screening.screen(first)
    second = make_contribution(quartiers["pile"], text="les ENCOMBRANTS sont encore la")
    assert "repeated" in {s.key for s in screening.screen(second)}
    db.session.flush()
    assert "repeated" in {s.key for s in screening.signals(first)}
    alone = make_contribution(quartiers["alma"], text="Un autre texte, sur l’éclairage public.")
    assert "repeated" not in {s.key for s in screening.signals(alone)}


def test_the_score_is_stored_when_a_resident_sends(now, client, quartiers):
    post_new(client, text="Appelez M. Dupont au 06 11 22 33 44, c’est un idiot.")
    [row] = contributions()
    assert row.screening_score == 3 + 2 + 4  # phone, name, insult
    assert row.screening_hash == screening.text_hash(row.text)
    post_new(client, key="r" * 32, text="Appelez M. Dupont au 06 11 22 33 44 : c’est un IDIOT !!")
    again = contributions()[-1]
    assert again.screening_score == 3 + 2 + 4 + 2  # the same text: repeated


def _pending(quartier, text, minutes_ago):
    row = make_contribution(quartier, text=text, publication_status=PublicationStatus.PENDING,
                            submitted_at=now_minus(minutes_ago))
    screening.screen(row)
    db.session.commit()
    return row


def now_minus(minutes):
    from portal import clock

    return clock.utcnow() - timedelta(minutes=minutes)


def test_the_queue_orders_contributions_by_score(now, project_client, quartiers):
    calm = _pending(quartiers["alma"], "Le lampadaire de la rue de l’Alma est éteint.", 300)
    rude = _pending(quartiers["alma"], "Appelez le 06 12 34 56 78, bande d’abrutis !", 10)
    named = _pending(quartiers["pile"], "Le gardien M. Durand ne sort pas les poubelles.", 100)
    page = project_client.get("/admin/a-valider/").get_data(as_text=True)
    places = [page.index(f"Contribution n° {row.id}<") for row in (rude, named, calm)]
    assert places == sorted(places)
    assert "Score de pré-modération : 7" in page


def test_other_domains_keep_their_oldest_first_places(app, db, now):
    from portal import clock

    t = clock.utcnow()
    reg = registry.Registry()
    reg.add_validation_queue("events", lambda user: [
        QueueItem("Rendez-vous", "e-old", None, t - timedelta(hours=5), "/e1"),
        QueueItem("Rendez-vous", "e-new", None, t - timedelta(hours=1), "/e2")])
    reg.add_validation_queue("contributions", lambda user: [
        QueueItem("Contribution", "c-low-old", None, t - timedelta(hours=4), "/c1", score=0),
        QueueItem("Contribution", "c-high-new", None, t - timedelta(minutes=5), "/c2", score=9),
        QueueItem("Contribution", "c-mid", None, t - timedelta(hours=2), "/c3", score=3)])
    titles = [item.title for item in reg.validation_items(None)]
    assert titles == ["e-old", "c-high-new", "c-mid", "e-new", "c-low-old"]


def test_the_moderator_page_says_why(now, project_client, quartiers):
    row = _pending(quartiers["alma"], "Voir www.exemple.fr : M. Martin est un imbécile.", 5)
    page = project_client.get(f"/admin/contributions/{row.id}").get_data(as_text=True)
    assert "Pré-modération" in page
    assert "Contient un lien vers un autre site." in page
    assert "Semble nommer une personne" in page
    assert "Score : 8" in page
    english = project_client.get(f"/admin/contributions/{row.id}?lang=en").get_data(
        as_text=True)
    assert "Contient un lien" not in english


def test_nothing_is_sent_anywhere(app, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the screening opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    with app.app_context():
        assert screening.text_signals("Contact : a@b.fr, 06 12 34 56 78, http://x.fr")


def test_contribution_rows_have_the_columns(db):
    assert {"screening_score", "screening_hash"} <= set(Contribution.__table__.columns.keys())


# --- contributions stored before the score: the backfill and their place in the queue ---

def _unscored(quartier, text, minutes_ago):
    return make_contribution(quartier, text=text, publication_status=PublicationStatus.PENDING,
                             submitted_at=now_minus(minutes_ago), screening_score=None,
                             screening_hash=None)


def test_unscored_contributions_come_first_among_contributions(now, project_client,
                                                                quartiers):
    scored = _pending(quartiers["alma"], "Appelez le 06 12 34 56 78, bande d’abrutis !", 10)
    old = _unscored(quartiers["alma"], "Le lampadaire est éteint depuis une semaine.", 600)
    older = _unscored(quartiers["pile"], "Des encombrants devant le 12 depuis lundi.", 900)
    page = project_client.get("/admin/a-valider/").get_data(as_text=True)
    places = [page.index(f"Contribution n° {row.id}<") for row in (older, old, scored)]
    assert places == sorted(places)
    assert page.count("Score de pré-modération pas encore calculé") == 2


def test_the_screen_command_scores_old_rows_in_batches(now, app, quartiers):
    rows = [_unscored(quartiers["alma"], f"Le lampadaire n° {n} de la rue est éteint.", n)
            for n in range(5)]
    rude = _unscored(quartiers["alma"], "Appelez le 06 12 34 56 78, bande d’abrutis !", 50)
    twin = _unscored(quartiers["pile"], "Appelez le 06 12 34 56 78, bande d’abrutis !", 40)
    done = _pending(quartiers["alma"], "Un texte déjà noté, assez long pour cela.", 30)
    done.screening_score = 42  # a score already there is left alone (no --all)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["contributions", "screen", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert "7 contribution(s) notée(s)." in result.output
    db.session.expire_all()
    got = {row.id: db.session.get(Contribution, row.id) for row in (*rows, rude, twin, done)}
    assert all(got[r.id].screening_score == 0 and got[r.id].screening_hash for r in rows)
    # The twin texts see each other, though batches of two kept them apart.
    assert got[rude.id].screening_score == got[twin.id].screening_score == 3 + 4 + 2
    assert got[done.id].screening_score == 42
    again = app.test_cli_runner().invoke(args=["contributions", "screen"])
    assert "0 contribution(s) notée(s)." in again.output
    every = app.test_cli_runner().invoke(args=["contributions", "screen", "--all"])
    assert "8 contribution(s) notée(s)." in every.output
    db.session.expire_all()
    assert db.session.get(Contribution, done.id).screening_score == 0


def test_the_screen_command_refuses_a_bad_batch_size(app, db):
    result = app.test_cli_runner().invoke(args=["contributions", "screen", "--batch", "0"])
    assert result.exit_code != 0
