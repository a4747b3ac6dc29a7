"""The app the POST benchmarks serve with gunicorn (tests/benchmarks/posting.py): created in
each worker from the settings posting.py hands over in BENCH_APP_CONFIG (JSON)."""

import json
import os

from portal import create_app

app = create_app(json.loads(os.environ["BENCH_APP_CONFIG"]))
