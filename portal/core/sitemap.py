"""The sitemap: /sitemap.xml is a sitemap index, /sitemap-<n>.xml its parts.

Each part holds at most PART_SIZE URLs (the protocol allows 50,000; ours stay far below, so
that a part stays small and quick however much content there is). The domains' providers
(registry.add_sitemap) yield (endpoint, values) from the columns they need (slugs, ids);
URLs are built from one url_for per endpoint, the values put in its placeholders.
"""

from itertools import islice
from urllib.parse import quote

from flask import url_for

from .. import registry
from ..pagination import LAST_POSSIBLE_PAGE
from ..quartiers import all_quartiers

PART_SIZE = 2_000
PROTOCOL_LIMIT = 50_000  # sitemaps.org: URLs per file
assert PART_SIZE <= PROTOCOL_LIMIT


def pages():
    """(endpoint, values) of every public page, in a stable order."""
    yield "core.home", {}
    yield "core.site_plan", {}
    for name in ("accessibilite", "donnees_personnelles", "mentions_legales"):
        yield f"core.{name}", {}
    for quartier in all_quartiers():
        yield "core.quartier", {"slug": quartier.slug}
    for provider in registry.of().sitemap:
        yield from provider()


def part_count() -> int:
    total = sum(1 for _ in pages())
    return max(1, -(-total // PART_SIZE))


def part_urls(number: int) -> list[str] | None:
    """The absolute URLs of part `number` (from 1); None past the last part."""
    if not 1 <= number <= LAST_POSSIBLE_PAGE:  # islice refuses indices past sys.maxsize
        return None
    chosen = list(islice(pages(), (number - 1) * PART_SIZE, number * PART_SIZE))
    if not chosen and number > 1:
        return None
    templates: dict[tuple, str] = {}
    urls = []
    for endpoint, values in chosen:
        key = (endpoint, tuple(sorted(values)))
        if key not in templates:
            try:
                templates[key] = url_for(
                    endpoint, _external=True, **{name: f"PLACEHOLDER{n}X"
                                                 for n, name in enumerate(key[1])})
            except ValueError:  # a typed converter (<int:id>) refuses the placeholder
                templates[key] = None
        template = templates[key]
        if template is None:
            urls.append(url_for(endpoint, _external=True, **values))
            continue
        url = template
        for n, name in enumerate(key[1]):
            url = url.replace(f"PLACEHOLDER{n}X", quote(str(values[name]), safe=""))
        urls.append(url)
    return urls
