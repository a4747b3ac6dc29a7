"""What the domain benchmarks measure of a page: its queries on a first request, then the
median and slowest of `rounds` further requests (milliseconds)."""

import statistics
import time


def page_figures(client, queries: list, paths, rounds: int) -> dict:
    """{path: (queries, median ms, max ms)}; `queries` is the list a statement counter fills."""
    figures = {}
    for path in paths:
        queries.clear()
        client.get(path)
        count = len(queries)
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        figures[path] = (count, statistics.median(times), max(times))
    return figures
