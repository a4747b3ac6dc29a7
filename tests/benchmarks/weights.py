"""What a page costs a phone on a slow network: its own HTML, stylesheets and scripts, gzip
compressed as served. Tests assert budgets with page_weight(); `make bench` prints report()."""

import gzip
import re

ASSETS = re.compile(r'<(?:link rel="stylesheet"|script) (?:href|src)="([^"]+)"')


def page_weight(client, path: str) -> dict[str, int]:
    """{url: gzip bytes} of the page and of each stylesheet and script it links to; a file the
    app sends uncompressed counts as a gzip-serving proxy would send it."""
    html = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert html.status_code == 200, path
    body = html.get_data()
    page = (gzip.decompress(body) if html.headers.get("Content-Encoding") == "gzip"
            else body).decode()
    sizes = {f"{path} (HTML)": len(_gzipped(html))}
    for url in ASSETS.findall(page):
        response = client.get(url.replace("&amp;", "&"), headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        sizes[url] = len(_gzipped(response))
    return sizes


def _gzipped(response) -> bytes:
    body = response.get_data()
    return body if response.headers.get("Content-Encoding") == "gzip" else gzip.compress(body, 6)


def report(client, paths) -> None:
    for path in paths:
        sizes = page_weight(client, path)
        print(f"\n{path} weight (gzip):")
        for url, size in sizes.items():
            print(f"  {size / 1024:6.1f} KB  {url}")
        print(f"  {sum(sizes.values()) / 1024:6.1f} KB  total")
