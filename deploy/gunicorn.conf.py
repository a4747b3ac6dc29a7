"""gunicorn settings of the portal's servers (portal-web@PORT.service, `make prodcheck`).

PORTAL_BIND says where to listen (the unit's instance port), WEB_CONCURRENCY how many worker
processes (default: 2 per core + 1), WEB_THREADS the threads of each (default 4): threads keep
nginx's connections alive and let a worker wait on the database for one request while it
answers another. The app is created in each worker (no preload): every worker has its own
database and Redis connections, never shared across a fork.
"""

import multiprocessing
import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 30  # a worker stuck longer is killed and replaced
graceful_timeout = 20  # on restart, requests in progress have this long to finish
keepalive = 30  # nginx keeps its upstream connections (keepalive 32) open
max_requests = 5000  # workers are renewed now and then, with jitter so never all at once
max_requests_jitter = 500
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
errorlog = "-"
# One JSON object per request, with nginx's request id, for the log collector.
access_log_format = (
    '{"time":"%(t)s","request_id":"%({x-request-id}i)s","remote":"%({x-forwarded-for}i)s",'
    '"method":"%(m)s","path":"%(U)s","status":%(s)s,"bytes":"%(B)s","ms":%(M)s}'
)


# Prometheus' multiprocess mode (portal/metrics.py): each worker writes its counts in
# PROMETHEUS_MULTIPROC_DIR (portal-web@.service: /run/portal-web-PORT), summed at each scrape.


def on_starting(server):
    """The master, before any worker: last run's counts are forgotten."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """A worker gone (renewed after max_requests, killed): its live gauges go with it."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
