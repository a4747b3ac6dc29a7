"""The other languages of a questionnaire: the `translations` of a content file's sections,
questions and options (stored as the back office stores them, read through i18n.localized),
and the fixed « Oui » / « Non » of a yes/no question in every language.

In a file, a section or a question carries the same `translations` block as the rest of
content/ (`{en: {title: ...}, ar: {...}}`); a question's options are translated by a list
parallel to its French `options` (as a quartier's figures are): one label per option, in the
same order. Every wrong shape is a problem reported with the file, never a crash.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from ..languages import TRANSLATED_LANGUAGES
from . import places

# Key in the file -> column (and translations key) in the database.
SECTION_FIELDS = {"title": "title", "intro": "intro"}
QUESTION_FIELDS = {"label": "label", "help": "help_text", "min_label": "min_label",
                   "max_label": "max_label"}


def yes_no_labels() -> list[tuple[str, dict]]:
    """(French label, translations) of the two options of a yes/no question."""
    labels = []
    for french, translate in (("Oui", lambda: _("Oui")), ("Non", lambda: _("Non"))):
        translations = {}
        for lang in TRANSLATED_LANGUAGES:
            with force_locale(lang):
                translations[lang] = {"label": str(translate())}
        labels.append((french, translations))
    return labels


def section_translations(section: dict, where: str, problems: list[str]) -> dict:
    """{lang: {column: text}} of one section of a file."""
    texts, _options = _block(section.get("translations"), SECTION_FIELDS, where, problems)
    return texts


def question_translations(question: dict, where: str, problems: list[str],
                          ) -> tuple[dict, list[dict]]:
    """({lang: {column: text}} of a question, [{lang: {"label": text}} per French option])."""
    french = question.get("options") if isinstance(question.get("options"), list) else []
    texts, options = _block(question.get("translations"), QUESTION_FIELDS, where, problems,
                            with_options=question.get("kind") != "yes_no")
    per_option: list[dict] = [{} for _label in french]
    for lang, labels in options.items():
        if len(labels) != len(french):
            problems.append(f"{where}: translations.{lang}.options has {len(labels)} "
                            f"label(s) for {len(french)} option(s): give one per option, "
                            "in the same order")
            continue
        for index, (label, source) in enumerate(zip(labels, french, strict=True)):
            label = _option_label(label, str(source), question.get("kind") == "place",
                                  f"{where}: translations.{lang}.options[{index + 1}]",
                                  problems)
            if label:
                per_option[index][lang] = {"label": label}
    return texts, per_option


def _block(value, fields: dict, where: str, problems: list[str],
           with_options: bool = False) -> tuple[dict, dict]:
    """A `translations` block: ({lang: {column: text}}, {lang: [option labels]})."""
    if value is None:
        return {}, {}
    allowed = list(fields) + (["options"] if with_options else [])
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        problems.append(f'{where}: translations must map a language to its fields: '
                        f'{{"en": {{"{allowed[0]}": ...}}}}')
        return {}, {}
    unknown = sorted(str(lang) for lang in value if lang not in TRANSLATED_LANGUAGES)
    if unknown:
        problems.append(f"{where}: translations: unknown language(s) {', '.join(unknown)} "
                        f"(expected {', '.join(TRANSLATED_LANGUAGES)})")
        return {}, {}
    texts, options = {}, {}
    for lang, entry in value.items():
        others = sorted(str(key) for key in entry if key not in allowed)
        if others:
            problems.append(f"{where}: translations.{lang}: unknown field(s) "
                            f"{', '.join(others)} (expected {', '.join(allowed)})")
        fields_of = {}
        for key, column in fields.items():
            text = entry.get(key)
            if text is None or text == "":
                continue
            if not isinstance(text, str | int | float) or isinstance(text, bool):
                problems.append(f"{where}: translations.{lang}.{key} must be a text")
                continue
            if str(text).strip():
                fields_of[column] = str(text).strip()
        if fields_of:
            texts[lang] = fields_of
        if "options" in entry and with_options:
            labels = entry["options"]
            if not isinstance(labels, list) or not all(
                    isinstance(label, str | int | float) and not isinstance(label, bool)
                    for label in labels):
                problems.append(f"{where}: translations.{lang}.options must be a list of "
                                "texts, one per option")
            else:
                options[lang] = [str(label) for label in labels]
    return texts, options


def _option_label(label: str, french: str, place: bool, where: str,
                  problems: list[str]) -> str:
    """The translated label, without the "*" of « autre » and, for a place, without its point
    (which may be written again, but must then be the French one's)."""
    label = label.strip().lstrip("*").strip()
    if place and places.SEPARATOR in label:
        try:
            name, point = places.split_point(label)
        except places.PointError:  # no point after the "|": all of it is the name
            name, point = label, None
        try:
            french_point = places.split_point(french.lstrip("*"))[1]
        except places.PointError:
            french_point = None  # reported with the French option
        if point is not None and point != french_point:
            problems.append(f"{where}: a translated place keeps the French point; write its "
                            "name alone")
            return ""
        label = name
    if not label:
        problems.append(f"{where}: an empty label (write the option's translation)")
    return label
