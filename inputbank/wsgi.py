import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inputbank.settings")
application = get_wsgi_application()

# Load the URLconf (and with it every view module) now, then take everything the worker has
# built so far out of the cyclic garbage collector's sight: its full collections walked these
# ~240 000 start-up objects again and again, ~3.5 ms of a 50 ms prior-input answer at size M
# (docs/benchmarks.md, B1). They are still freed by reference counting.
get_resolver().url_patterns  # noqa: B018 - loading is the point
gc.freeze()
