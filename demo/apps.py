from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world and the scale-test generator: the top layer, which may use every domain app
    and which no domain app imports (tests/demo/test_layering.py checks)."""

    name = "demo"
    verbose_name = "Demo world"
