"""Results against a hand-computed data set and against a plain Python count of random
answers; the results page's queries do not grow with the answers."""

import random

from werkzeug.datastructures import MultiDict

from portal.consultations.answering import read_answers
from portal.consultations.editing import record_response
from portal.consultations.loader import generate_responses
from portal.consultations.models import Answer, Channel, QuestionKind, TextAnswer
from portal.consultations.results import compute, median_of
from portal.extensions import db
from portal.publication import PublicationStatus
from tests.consultations.factories import make_campaign, option, question, valid_form


def answer(campaign, channel=Channel.ONLINE, **changes):
    form = valid_form(campaign, **changes)
    data = MultiDict([(k, v) for k, values in form.items()
                      for v in (values if isinstance(values, list) else [values])])
    parsed = read_answers(campaign, data)
    assert parsed.ok, parsed.errors
    record_response(campaign, parsed, key=form["cle"], channel=channel)
    db.session.commit()


def by_label(result):
    return {getattr(bar.label, "label", bar.label): (bar.count, bar.percent)
            for bar in result.bars}


def test_hand_computed_results(db, quartiers):
    campaign = make_campaign()
    m = {label: str(option(campaign, "multiple", label).id) for label in ("Arbres", "Eau",
                                                                          "Bacs")}
    scale, multiple = question(campaign, "scale").field_name, question(campaign, "multiple")
    number = question(campaign, "number").field_name
    answer(campaign, **{multiple.field_name: [m["Arbres"], m["Eau"]], scale: "5", number: "2"})
    answer(campaign, **{multiple.field_name: [m["Arbres"]], scale: "4", number: "4"})
    answer(campaign, Channel.PAPER, **{multiple.field_name: [m["Eau"], m["Bacs"]], scale: "1",
                                       number: "6"})
    answer(campaign, Channel.PAPER, **{multiple.field_name: [m["Arbres"], m["Bacs"]],
                                       scale: "4", number: "0"})
    results = compute(campaign)
    assert results.total == 4
    assert dict(results.by_channel) == {Channel.ONLINE: 2, Channel.PAPER: 2}
    by_question = {r.question.label: r for r in results.questions}
    # Options, not combinations: 3 of 4 chose trees (75 %), whatever else they chose.
    assert by_label(by_question["multiple"]) == {"Arbres": (3, 75.0), "Eau": (2, 50.0),
                                                 "Bacs": (2, 50.0), "Autre": (0, 0.0)}
    assert by_label(by_question["scale"]) == {1: (1, 25.0), 2: (0, 0.0), 3: (0, 0.0),
                                              4: (2, 50.0), 5: (1, 25.0)}
    assert by_question["scale"].median == 4
    assert by_question["number"].average == 3 and by_question["number"].maximum == 6
    # Every response ranked Soir 1st, Matin 2nd.
    ranking = by_question["ranking"]
    assert [bar.label.label for bar in ranking.bars][:2] == ["Soir", "Matin"]
    assert ranking.bars[0].percent == 1 and ranking.bars[1].percent == 2
    paper = {r.question.label: r for r in compute(campaign, Channel.PAPER).questions}
    assert by_label(paper["multiple"])["Bacs"] == (2, 100.0)
    # Texts appear only once approved.
    assert by_question["long"].texts_total == 4 and by_question["long"].texts == []
    text = db.session.scalars(db.select(TextAnswer).where(
        TextAnswer.question_id == question(campaign, "long").id)).first()
    text.publication_status = PublicationStatus.PUBLISHED
    db.session.commit()
    assert {r.question.label: r for r in compute(campaign).questions}["long"].texts == [
        text.text]


def test_profile_filter(db, quartiers):
    campaign = make_campaign()
    young = str(option(campaign, "age", "Moins de 25 ans").id)
    age = question(campaign, "age").field_name
    answer(campaign, **{age: young, question(campaign, "scale").field_name: "1"})
    answer(campaign, **{question(campaign, "scale").field_name: "5"})
    results = compute(campaign, option_id=int(young))
    assert results.total == 1
    scale = {r.question.label: r for r in results.questions}["scale"]
    assert scale.median == 1


def test_median():
    assert median_of({}) is None
    assert median_of({1: 1, 5: 1}) == 3
    assert median_of({2: 3, 4: 1}) == 2


def test_counts_match_a_python_count(db, quartiers):
    campaign = make_campaign()
    generate_responses(campaign, 300, random.Random(7))
    db.session.commit()
    rows = db.session.execute(db.select(Answer.question_id, Answer.option_id, Answer.value))\
        .all()
    results = {r.question.id: r for r in compute(campaign).questions}
    for q in (q for s in campaign.sections for q in s.questions):
        answered = {rid for rid, in db.session.execute(
            db.select(Answer.response_id).where(Answer.question_id == q.id)).all()}
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO,
                      QuestionKind.PLACE):
            expected = {o.id: sum(1 for qid, oid, _v in rows if qid == q.id and oid == o.id)
                        for o in q.options}
            got = {bar.label.id: bar.count for bar in results[q.id].bars}
            assert got == expected and results[q.id].respondents == len(answered)
        elif q.kind is QuestionKind.SCALE:
            expected = {v: sum(1 for qid, _o, val in rows if qid == q.id and val == v)
                        for v in range(1, 6)}
            assert {bar.label: bar.count for bar in results[q.id].bars} == expected


def test_results_queries_do_not_grow_with_answers(client, quartiers, count_queries):
    campaign = make_campaign()
    url = f"/concertations/{campaign.slug}/resultats"
    generate_responses(campaign, 20, random.Random(1))
    db.session.commit()
    with count_queries() as few:
        assert client.get(url).status_code == 200
    generate_responses(campaign, 400, random.Random(2))
    db.session.commit()
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 15


def test_tallies_equal_a_count_of_the_answer_rows(db, quartiers):
    """The running tallies (what the page reads) give what counting the rows gives, for the
    whole campaign and per channel, whether answers came one by one or in bulk."""
    from portal.consultations import results as module

    campaign = make_campaign()
    generate_responses(campaign, 200, random.Random(3))
    answer(campaign)
    answer(campaign, Channel.PAPER, **{question(campaign, "number").field_name: "9"})
    db.session.commit()
    for channel in (None, Channel.ONLINE, Channel.PAPER):
        tallied = module._from_tallies(campaign, channel)
        counted = module._aggregate(campaign, channel, None)
        assert tallied.total == counted.total
        assert dict(tallied.by_channel) == dict(counted.by_channel)
        assert tallied.respondents == counted.respondents
        assert tallied.options == counted.options and tallied.scales == counted.scales
        assert {k: list(v) for k, v in tallied.ranks.items()} == {
            k: list(v) for k, v in counted.ranks.items()}
        assert tallied.text_totals == counted.text_totals and tallied.shown == counted.shown
        assert tallied.numbers.keys() == counted.numbers.keys()
        for key, (n, average, low, high) in counted.numbers.items():
            assert tallied.numbers[key][0] == n and tallied.numbers[key][2:] == (low, high)
            assert abs(tallied.numbers[key][1] - float(average)) < 1e-9
