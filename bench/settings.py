"""Settings of the app under the load bench: the production settings (marketplace/settings/base.py,
read from the environment that bench.run gives gunicorn) with the bare view's URL added."""

from marketplace.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
