"""gunicorn's settings for the platform, read from the working directory (docker-compose's
web service runs from the project's root; the benchmarks pass it)."""

import gc

workers = 4

# Django, the apps, then the templates, translations and URL patterns read by the first
# requests leave a few hundred thousand objects that live as long as the worker. The
# garbage collector's full passes went through all of them, one request in thirty or so,
# and made that request 50 to 100 ms slower. Frozen, they are left out of every pass;
# what requests create is still collected.
FREEZE_AFTER_REQUESTS = 100


def _freeze():
    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    _freeze()


def post_request(worker, req, environ, resp):
    if worker.nr == FREEZE_AFTER_REQUESTS:
        _freeze()
