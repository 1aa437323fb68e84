"""Gunicorn settings for serving her2-board; gunicorn reads this file from the working directory.

Measured with benchmarks/load.py on 2 cores with PostgreSQL on the same machine: sync workers
(one request per process, so no request waits for another's GIL) at cores + 1 served more
and with a shorter tail than 2 × cores + 1 or more; extra processes only queue for the CPU
the database needs too.
"""

import gc
import os

bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.getenv("GUNICORN_WORKERS", str((os.cpu_count() or 1) + 1)))
worker_class = "sync"
backlog = 256
timeout = 30
loglevel = os.getenv("GUNICORN_LOG_LEVEL", "warning")


def post_worker_init(worker):
    # Import every view now rather than on the first request, then take what start-up built
    # (Django, DRF, pandas, ...) out of the garbage collector's scans: a full collection over
    # it took ~80 ms, paid by whichever request triggered it (the p99 under load).
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the access imports the URLconf and its views
    gc.freeze()
