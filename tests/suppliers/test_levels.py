"""One vocabulary of certification levels (suppliers.levels): the enum, its rank, the public
levels; the catalog's SQL rank function and filters agree with it."""

import pytest
from django.db import connection

from catalog.filters import LEVEL_CHOICES
from catalog.rules import PUBLISHING_LEVELS
from orders.models import Rfq
from suppliers.levels import LEVEL_RANK, PUBLIC_LEVELS, CertificationLevel, levels_at_least


def test_ranks_run_from_no_badge_to_audited_factory():
    assert [LEVEL_RANK[level] for level in CertificationLevel.values] == [0, 1, 2, 3]
    assert PUBLIC_LEVELS == ("verified", "certified_origin", "audited_factory")
    assert levels_at_least("certified_origin") == ("certified_origin", "audited_factory")
    assert levels_at_least("none") == PUBLIC_LEVELS


@pytest.mark.django_db
def test_the_sql_rank_and_public_functions_agree_with_the_vocabulary():
    with connection.cursor() as cursor:
        for level in [*CertificationLevel.values, "unknown"]:
            cursor.execute(
                "SELECT catalog_level_rank(%s), catalog_listing_is_public('published', 'certified', %s, NULL)",
                [level, level],
            )
            rank, public = cursor.fetchone()
            assert rank == LEVEL_RANK.get(level, 0), level
            assert public == (level in PUBLIC_LEVELS), level


def test_filters_rfqs_and_publishing_use_the_same_levels():
    assert tuple(value for value, _label in LEVEL_CHOICES) == PUBLIC_LEVELS
    assert PUBLISHING_LEVELS == PUBLIC_LEVELS
    assert tuple(value for value, _label in Rfq._meta.get_field("required_level").choices) == PUBLIC_LEVELS
