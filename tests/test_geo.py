"""Map scripts carry texts as data: nothing a content file or an editor writes is ever compiled
as a template or run as script (security review: a works site titled `{{ 7*7 }}` showed 49)."""

import os

import pytest

from portal.extensions import db
from portal.languages import LANGUAGES
from portal.works.models import WorksSite
from tests.factories import map_data, map_markers
from tests.mobile_house.factories import make_visit
from tests.works.factories import load_demo_works

TEMPLATE_TEXTS = [
    "x {{ 7*7 }}",
    "{{ lipsum.__globals__.os.getpid() }}",
    "{% for i in range(3) %}boucle{% endfor %}",
    "{# commentaire #}",
    "${7*7} </script><script>alert(1)</script>",
]


@pytest.fixture
def works(quartiers, tmp_path):
    load_demo_works(tmp_path)
    return quartiers


def _texts(script: str) -> str:
    """Every text of the map, as the browser's script will read it."""
    return " ".join(f"{layer['options'].get('title', '')} {layer.get('icon', {}).get('html', '')}"
                    f" {layer.get('popup', '')}" for layer in map_data(script)["layers"])


@pytest.mark.parametrize("text", TEMPLATE_TEXTS)
def test_works_titles_and_quartier_names_reach_maps_as_data(client, project_client, works,
                                                            text):
    site = db.session.scalar(db.select(WorksSite).order_by(WorksSite.id))
    site.title = text
    site.translations = {"en": {"title": f"en {text}"}, "ar": {"title": f"ar {text}"}}
    site.quartier.name = f"Q {text}"
    db.session.commit()
    for url in ("/chantiers/carte.js", "/chantiers/carte.js?lang=en",
                "/chantiers/carte.js?lang=ar", f"/chantiers/{site.slug}/carte.js",
                f"/admin/chantiers/{site.id}/apercu/carte.js"):
        reader = project_client if url.startswith("/admin") else client
        response = reader.get(url)
        assert response.status_code == 200, url
        script = response.get_data(as_text=True)
        texts = _texts(script)
        assert text in texts, url  # the marker's title is the text, as written
        assert "49" not in texts.replace(str(site.id), "") and str(os.getpid()) not in script
        assert "boucleboucle" not in texts
        assert "<" not in script  # even inside strings: no "</script>" in the file


@pytest.mark.parametrize("text", TEMPLATE_TEXTS)
def test_mobile_house_place_names_reach_maps_as_data(client, text):
    from tests.factories import make_quartier

    alma = make_quartier("alma", name=f"Alma {text}",
                         translations={"ar": {"name": f"ألما {text}"}})
    make_visit(alma, "parvis", place_name=text, rrule="FREQ=DAILY",
               translations={"en": {"place_name": f"en {text}"},
                             "ar": {"place_name": f"ar {text}"}})
    for lang in LANGUAGES:
        script = client.get(f"/maison-du-projet/carte.js?lang={lang}").get_data(as_text=True)
        (marker,) = map_markers(script)
        assert text in marker["options"]["title"]
        assert str(os.getpid()) not in script and "boucleboucle" not in script
