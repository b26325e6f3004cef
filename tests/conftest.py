"""Shared fixtures. The cast, after healthchecks' Alice/Bob/Charlie:

- `supplier_member` acts for `supplier` (a certified manufacturer in `belt`);
- `other_member` acts for `other_supplier` in the same belt, and must never see the first one's drafts;
- `buyer` buys for a company; `operator` operates `belt`; `outsider` is signed-up and nothing else.
"""

import pytest
from django.test import Client

from accounts.models import User
from tests import factories as f


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes uploads into its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def belt(db):
    return f.BeltFactory(slug="wuhan-laser", name_en="Wuhan laser belt", name_zh="武汉激光产业带")


@pytest.fixture
def category(db):
    return f.CategoryFactory(slug="laser-cutters", name_en="Laser cutting machines", name_zh="激光切割机")


@pytest.fixture
def supplier(belt):
    return f.SupplierFactory(belt=belt, name_en="Wuhan Guanggu Photonics Co., Ltd.", name_zh="武汉光谷光电科技有限公司")


@pytest.fixture
def supplier_member(supplier):
    return f.SupplierMemberFactory(supplier=supplier).user


@pytest.fixture
def other_supplier(belt):
    return f.SupplierFactory(belt=belt)


@pytest.fixture
def other_member(other_supplier):
    return f.SupplierMemberFactory(supplier=other_supplier).user


@pytest.fixture
def buyer(db):
    return f.BuyerMemberFactory().user


@pytest.fixture
def operator(belt):
    return f.BeltOperatorFactory(belt=belt).user


@pytest.fixture
def outsider(db):
    return f.UserFactory(role=User.Role.BUYER)


@pytest.fixture
def staff(db):
    return User.objects.create_superuser(email="admin@example.test", password="correct-horse-battery")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
