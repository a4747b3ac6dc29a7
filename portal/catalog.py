"""`flask translations ...`: keep the gettext catalogs of translations/ complete.

update  extract the strings marked in code and templates, merge them into fr/en/ar catalogs
        (French is the source language: its catalog repeats the source text) and compile.
check   fail when a string of the code lacks a fr, en or ar translation, or one is fuzzy.
absorb  copy translations from other .po files (e.g. another branch's) for strings still empty.
"""

import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po

from .config import ROOT
from .languages import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATED_LANGUAGES

TRANSLATIONS = ROOT / "translations"
DOMAIN = "messages"


def _po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _pybabel(*args: str) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", "-q", *args]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603


def _extract(target: Path) -> None:
    _pybabel("extract", "-F", str(TRANSLATIONS / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
             "--no-location", "--sort-output", "--omit-header", "-o", str(target), ".")


def _read(path: Path):
    # With its locale, a catalog knows its plural forms (Arabic has six): update keeps them all
    # and check flags a plural with missing forms (gettext would fall back to French).
    # Catalogs sit in <lang>/LC_MESSAGES/; a loose .po (another branch's) is read without one.
    lang = path.parent.parent.name
    with path.open("rb") as handle:
        return read_po(handle, locale=lang if lang in LANGUAGES else None)


def _write(path: Path, catalog) -> None:
    catalog.fuzzy = False  # a fuzzy header makes `compile` skip the whole catalog
    catalog.project, catalog.version = "portal", "1"
    catalog.msgid_bugs_address = ""
    # Fixed dates keep the header identical from one update to the next (no merge conflicts).
    catalog.creation_date = catalog.revision_date = datetime(2026, 1, 1, tzinfo=UTC)
    catalog.copyright_holder = "Ville de Roubaix"
    with path.open("wb") as handle:
        write_po(handle, catalog, sort_output=True, omit_header=False, width=100,
                 include_previous=False, no_location=True)


def _key(message):
    return message.id if isinstance(message.id, str) else message.id[0]


@click.group("translations")
def translations_command():
    """Maintain the fr/en/ar gettext catalogs."""


@translations_command.command("update")
def update():
    template = TRANSLATIONS / f"{DOMAIN}.pot"
    _extract(template)
    for lang in LANGUAGES:
        po = _po_path(lang)
        if po.exists():
            _pybabel("update", "--no-fuzzy-matching", "-i", str(template), "-d",
                     str(TRANSLATIONS), "-l", lang, "--omit-header", "--width", "100")
        else:
            _pybabel("init", "-i", str(template), "-d", str(TRANSLATIONS), "-l", lang)
    _fill_french()
    for lang in TRANSLATED_LANGUAGES:
        _write(_po_path(lang), _read(_po_path(lang)))  # normalised header, same layout
    compile_catalogs()
    click.echo("Catalogs updated; translate the empty entries of en and ar, then run check.")


def _fill_french() -> None:
    po = _po_path(DEFAULT_LANGUAGE)
    catalog = _read(po)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str) and not message.string:
            message.string = message.id
        elif not isinstance(message.id, str):
            # Fill every empty form: Babel >= 2.19 gives French a third one (millions).
            forms = list(message.string) + [""] * (catalog.num_plurals - len(message.string))
            message.string = tuple(form or message.id[min(i, 1)] for i, form in enumerate(forms))
        message.flags.discard("fuzzy")
    _write(po, catalog)


def compile_catalogs() -> None:
    _pybabel("compile", "-d", str(TRANSLATIONS), "-D", DOMAIN)


@translations_command.command("compile")
def compile_command():
    compile_catalogs()


@translations_command.command("check")
def check():
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        _extract(fresh)
        wanted = {_key(m) for m in _read(fresh) if m.id}
    problems = []
    for lang in LANGUAGES:
        po = _po_path(lang)
        if not po.exists():
            problems.append(f"{lang}: no catalog ({po})")
            continue
        catalog = _read(po)
        have = {}
        for message in catalog:
            if message.id:
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                complete = all(strings) and "fuzzy" not in message.flags
                have[_key(message)] = complete
        for msgid in sorted(wanted):
            if msgid not in have:
                problems.append(f"{lang}: not in the catalog (run `make i18n-update`): {msgid!r}")
            elif not have[msgid]:
                problems.append(f"{lang}: untranslated or fuzzy: {msgid!r}")
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"{len(problems)} translation problem(s).", err=True)
        sys.exit(1)
    click.echo(f"{len(wanted)} strings translated in {', '.join(LANGUAGES)}.")


@translations_command.command("absorb")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--lang", type=click.Choice(LANGUAGES), required=True)
def absorb(sources, lang):
    """Fill empty entries of LANG's catalog from other .po files (after a merge)."""
    po = _po_path(lang)
    catalog = _read(po)
    known = {}
    for source in sources:
        for message in _read(Path(source)):
            if message.id and (all(message.string) if isinstance(message.string, tuple)
                               else message.string) and "fuzzy" not in message.flags:
                known.setdefault(_key(message), message.string)
    filled = 0
    for message in catalog:
        empty = not (all(message.string) if isinstance(message.string, tuple) else message.string)
        if message.id and (empty or "fuzzy" in message.flags) and _key(message) in known:
            message.string = known[_key(message)]
            message.flags.discard("fuzzy")
            filled += 1
    _write(po, catalog)
    click.echo(f"{lang}: {filled} entries filled.")


@translations_command.command("fill")
@click.argument("source", type=click.File("r", encoding="utf-8"))
def fill(source):
    """Fill catalogs from a JSON file {"French source": {"en": "...", "ar": "..."}}."""
    from .strict_json import load

    wanted = load(source)
    for lang in LANGUAGES:
        po = _po_path(lang)
        catalog = _read(po)
        filled = 0
        for message in catalog:
            text = (wanted.get(_key(message)) or {}).get(lang)
            if message.id and text:
                message.string = tuple(text) if isinstance(message.id, tuple) else text
                message.flags.discard("fuzzy")
                filled += 1
        _write(po, catalog)
        click.echo(f"{lang}: {filled} entries filled.")
    compile_catalogs()
