import os

# What the caller set, before celery.py sets its default: devstack passes only this on to the
# processes it starts, so `pytest` still picks its own test settings.
SETTINGS_MODULE_FROM_CALLER = os.environ.get("DJANGO_SETTINGS_MODULE")

from .celery import app as celery_app  # noqa: E402

__all__ = ("celery_app",)
