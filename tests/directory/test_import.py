"""data·inclusion in and out: the demonstration offer, load-content (strict), the
import-data-inclusion command (skips or --strict), idempotence and the export round trip."""

import json
import shutil
from pathlib import Path

import pytest
from data_inclusion.schema import v1

from portal.content import ContentErrors, load_content
from portal.directory.models import Service, Structure
from tests.directory.factories import load, service_record, structure_record

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "content" / "services"


@pytest.fixture
def demo_offer(db, tmp_path):
    """The demonstration offer of content/services, loaded by load-content."""
    shutil.copytree(DEMO, tmp_path / "services")
    return load_content(tmp_path)


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def count(db, model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_demo_offer_is_valid_marked_and_big_enough():
    structures = json.loads((DEMO / "structures.json").read_text())
    services = json.loads((DEMO / "services.json").read_text())
    assert len(structures) >= 12 and len(services) >= 30
    for record in structures:
        v1.Structure.model_validate(record, context={"ignore_warnings": False})
    for record in services:
        v1.Service.model_validate(record, context={"ignore_warnings": False})
    for record in structures + services:
        assert record["source"] == "demo-npnru-roubaix"
        assert "démonstration" in record["description"]
        assert record["telephone"].startswith("+333200000")  # clearly fake numbers
        assert record["courriel"].endswith("example.org")


def test_load_content_imports_the_demo_offer_then_changes_nothing(db, demo_offer, tmp_path):
    assert count(db, Structure) >= 12 and count(db, Service) >= 30
    assert demo_offer.counts[("services", "created")] == count(db, Service)
    again = load_content(tmp_path)
    assert again.counts[("services", "unchanged")] == count(db, Service)
    assert again.counts[("structures", "unchanged")] == count(db, Structure)
    assert not again.counts[("services", "updated")]


def test_load_content_rejects_everything_when_one_record_is_invalid(db, tmp_path):
    structure = structure_record("ccas")
    good = service_record(structure, "bon")
    bad = service_record(structure, "mauvais", thematiques=["logement"], courriel="pas-un-mail")
    (tmp_path / "services").mkdir()
    write(tmp_path / "services" / "structures.json", [structure])
    write(tmp_path / "services" / "services.json", [good, bad])
    with pytest.raises(ContentErrors) as caught:
        load_content(tmp_path)
    messages = str(caught.value)
    assert "service test--mauvais: thematiques.0: valeur inconnue : 'logement'" in messages
    assert "service test--mauvais: courriel:" in messages
    assert "test--bon" not in messages
    assert count(db, Structure) == 0 and count(db, Service) == 0


def test_load_content_reports_broken_json_with_its_line(db, tmp_path):
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "services.json").write_text('[\n{"id": }\n]')
    with pytest.raises(ContentErrors) as caught:
        load_content(tmp_path)
    assert "services/services.json:2: invalid JSON" in str(caught.value)


def test_command_keeps_valid_records_and_lists_invalid_ones(app, db, tmp_path):
    structure = structure_record("mairie")
    broken_structure = structure_record("sans-nom", nom="")
    records = [structure, broken_structure,
               service_record(structure, "ok"),
               service_record(structure, "futur", date_maj="2999-01-01"),
               service_record(broken_structure, "orphelin")]
    path = write(tmp_path / "offre.json", records)
    result = app.test_cli_runner().invoke(args=["import-data-inclusion", str(path)])
    assert result.exit_code == 0, result.output
    assert "invalid structure test--sans-nom: nom:" in result.output
    assert "invalid service test--futur: date_maj:" in result.output
    assert "invalid service test--orphelin: structure_id: unknown structure" in result.output
    assert "3 invalid record(s) skipped." in result.output
    assert db.session.scalars(db.select(Service.id)).all() == ["test--ok"]
    assert db.session.scalars(db.select(Structure.id)).all() == ["test--mairie"]


def test_command_strict_writes_nothing_when_a_record_is_invalid(app, db, tmp_path):
    structure = structure_record("mairie")
    path = write(tmp_path / "offre.json", {"structures": [structure], "services": [
        service_record(structure, "ok"), service_record(structure, "ko", publics=["inconnu"])]})
    result = app.test_cli_runner().invoke(
        args=["import-data-inclusion", "--strict", str(path)])
    assert result.exit_code == 1
    assert "invalid service test--ko: publics.0: valeur inconnue : 'inconnu'" in result.output
    assert "nothing imported" in result.output
    assert count(db, Structure) == 0 and count(db, Service) == 0


def test_command_reads_separate_structure_and_service_files(app, db, tmp_path):
    structure = structure_record("caf")
    structures = write(tmp_path / "structures.json", [structure])
    services = write(tmp_path / "services.json", [service_record(structure, "rdv")])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-data-inclusion", str(structures), str(services)])
    assert result.exit_code == 0, result.output
    assert "services: 1 created" in result.output
    result = runner.invoke(args=["import-data-inclusion", str(structures), str(services)])
    assert "services: 1 unchanged" in result.output and "structures: 1 unchanged" in result.output


def test_command_refuses_a_file_that_is_not_data_inclusion(app, db, tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"type": "FeatureCollection"}')
    result = app.test_cli_runner().invoke(args=["import-data-inclusion", str(path)])
    assert result.exit_code == 1 and "Nothing imported" in result.output


def test_reimport_updates_a_changed_record_by_id(db):
    structure = structure_record("pimms")
    load([structure], [service_record(structure, "factures", nom="Factures")])
    load([structure], [service_record(structure, "factures", nom="Factures d’énergie")])
    service = db.session.get(Service, "test--factures")
    assert service.nom == "Factures d’énergie" and "energie" in service.search_text
    assert count(db, Service) == 1


def test_export_round_trips_through_the_schema_models(client, demo_offer):
    originals = {r["id"]: r for r in json.loads((DEMO / "services.json").read_text())}
    response = client.get("/donnees/services.json")
    assert response.mimetype == "application/json"
    exported = response.get_json()
    assert {r["id"] for r in exported} == set(originals)
    for record in exported:
        assert "npnru" not in record  # the portal's extension stays home
        again = v1.Service.model_validate(record)
        assert again == v1.Service.model_validate(originals[record["id"]])
    structures = client.get("/donnees/structures.json").get_json()
    originals = {r["id"]: r for r in json.loads((DEMO / "structures.json").read_text())}
    for record in structures:
        assert v1.Structure.model_validate(record) == v1.Structure.model_validate(
            originals[record["id"]])
    assert len(structures) == len(originals)


def test_exported_file_imports_back_unchanged(app, db, client, demo_offer, tmp_path):
    path = write(tmp_path / "export.json", client.get("/donnees/services.json").get_json())
    result = app.test_cli_runner().invoke(args=["import-data-inclusion", str(path)])
    assert result.exit_code == 0, result.output
    assert "invalid" not in result.output
    # The export has no quartiers (not in the national schema): those known are kept.
    relogement = db.session.get(Service, "demo-npnru-roubaix--relogement-lmh")
    assert relogement.quartiers == ["alma", "epeule"]
    assert count(db, Service) == len(json.loads((DEMO / "services.json").read_text()))


def test_renamed_structure_is_found_under_its_new_name(client, db):
    structure = structure_record("centre", nom="Centre social Watt")
    load([structure], [service_record(structure, "accueil", nom="Accueil des habitants")])
    load([dict(structure, nom="Centre social Épeule-Watt")], [])
    assert "Accueil des habitants" in client.get("/services/?q=epeule").get_data(as_text=True)
    # Again, with the unchanged service in the same import.
    load([dict(structure, nom="Centre social Ouest")],
         [service_record(structure, "accueil", nom="Accueil des habitants")])
    assert "Accueil des habitants" in client.get("/services/?q=ouest").get_data(as_text=True)
