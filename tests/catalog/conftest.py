import pytest

from catalog import tasks
from tests import factories as f


@pytest.fixture
def sent(monkeypatch):
    """Image ids handed to the thumbnail task's `.delay` (the broker is the outside world here)."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.listing_image_thumbnail_task, "delay", lambda image_id: ids.append(image_id))
    return ids


@pytest.fixture
def listing(supplier, category):
    return f.ListingFactory(supplier=supplier, category=category)
