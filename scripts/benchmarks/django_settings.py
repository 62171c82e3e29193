"""The product's settings, plus one URL the benchmark needs (see urls.py). Nothing else differs."""

from inputbank.settings import *  # noqa: F403 - the very same settings, by design

ROOT_URLCONF = "scripts.benchmarks.urls"
