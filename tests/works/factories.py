"""Works sites for tests: the demonstration file loaded into four factory quartiers."""

import shutil
from pathlib import Path

from portal.content import load_content
from tests.factories import make_quartier

ROOT = Path(__file__).resolve().parents[2]
ARABIC_NAMES = {"alma": "ألما", "epeule": "إيبول", "pile": "بيل", "trois-ponts": "الجسور الثلاثة"}


def make_quartiers():
    return {slug: make_quartier(slug, translations={"ar": {"name": arabic}})
            for slug, arabic in ARABIC_NAMES.items()}


def load_demo_works(tmp_path: Path):
    """Load content/works.geojson alone (copied to `tmp_path`) and return the report."""
    shutil.copy(ROOT / "content" / "works.geojson", tmp_path / "works.geojson")
    return load_content(tmp_path)
