"""HS codes: what a supplier or staff may type and how it is stored; the effective code of a category
and of a listing (its own, else the nearest code up the category tree), the same in Python
(`belts.hs.effective_hs_code`) and in SQL (`belts_category_hs_code`, `Listing.objects.with_hs_code()`)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from belts.hs import effective_hs_code, format_hs_code, normalise_hs_code, normalise_hs_prefix
from belts.models import Category
from catalog.models import Listing
from tests import factories as f


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("8456.11", "845611"),
        (" 8456 11 ", "845611"),
        ("8456.11.00.00", "8456110000"),
        ("0808-10-00", "08081000"),
        ("", ""),
        (None, ""),
    ],
)
def test_an_hs_code_is_stored_as_its_digits(typed, stored):
    assert normalise_hs_code(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("84561", "has 5"),  # neither a subheading nor a national code
        ("8456111", "has 7"),
        ("84561100001", "has 11"),
        ("8456.1A", "digits only"),
        ("８４５６１１", "digits only"),  # full-width digits are not ASCII digits
        ("985611", "01 to 97"),  # no chapter 98
        ("005611", "01 to 97"),
    ],
)
def test_a_wrong_hs_code_is_refused_saying_what_is_wrong(typed, says):
    with pytest.raises(ValidationError) as refused:
        normalise_hs_code(typed)
    assert says in refused.value.messages[0]


def test_search_prefixes_are_a_chapter_a_heading_a_subheading_or_a_full_code():
    assert [normalise_hs_prefix(p) for p in ("84", "8456", "8456.11", "84561100")] == [
        "84",
        "8456",
        "845611",
        "84561100",
    ]
    for wrong in ("8", "845", "84a", "84561"):
        with pytest.raises(ValidationError):
            normalise_hs_prefix(wrong)


def test_codes_are_shown_as_customs_write_them():
    assert format_hs_code("845611") == "8456.11"
    assert format_hs_code("8456110000") == "8456.11.00.00"
    assert format_hs_code("") == ""


def test_a_category_normalises_its_code_when_cleaned_and_the_table_refuses_a_malformed_one(db):
    category = f.CategoryFactory(hs_code="")
    category.hs_code = "8456.11"
    category.full_clean()
    assert category.hs_code == "845611"
    category.hs_code = "12"
    with pytest.raises(ValidationError) as refused:
        category.full_clean()
    assert "hs_code" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.filter(pk=category.pk).update(hs_code="8456.11")


def _sql_effective(category_ids: list[int]) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, belts_category_hs_code(id) FROM belts_category WHERE id = ANY(%s)", [category_ids])
        return dict(cursor.fetchall())


CODES = st.sampled_from(["", "", "845611", "851580", "0813400000", "08062010"])
# A tree of up to 8 categories: each one's parent is an earlier one or none.
TREES = st.integers(min_value=1, max_value=8).flatmap(
    lambda n: st.tuples(
        st.tuples(
            *[st.one_of(st.none(), st.integers(min_value=0, max_value=i - 1)) if i else st.none() for i in range(n)]
        ),
        st.lists(st.tuples(st.integers(min_value=0, max_value=n - 1), CODES), max_size=12),
    )
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=TREES, listing_codes=st.lists(CODES, min_size=1, max_size=3))
def test_the_effective_code_is_the_nearest_code_up_the_tree_after_any_sets_and_unsets(tree, listing_codes):
    """Random trees, then random sets and unsets of their codes (the empty code unsets): after every
    step each category's effective code, in SQL and in Python, is the nearest code set on it or an
    ancestor; a listing's is its own code when set, else its category's."""
    parents, steps = tree
    with transaction.atomic():
        categories: list[Category] = []
        for index, parent in enumerate(parents):
            categories.append(
                f.CategoryFactory(slug=f"hs-tree-{index}", parent=categories[parent] if parent is not None else None)
            )
        supplier = f.SupplierFactory()
        listings = [
            f.ListingFactory(supplier=supplier, category=categories[i % len(categories)], hs_code=code)
            for i, code in enumerate(listing_codes)
        ]
        own = {category.pk: "" for category in categories}
        for index, code in steps:
            category = categories[index]
            Category.objects.filter(pk=category.pk).update(hs_code=code)
            own[category.pk] = code
            expected = {}
            for candidate in categories:  # the nearest set code, walking up by hand
                node, found = candidate, ""
                while node is not None:
                    if own[node.pk]:
                        found = own[node.pk]
                        break
                    node = (
                        categories[parents[categories.index(node)]]
                        if parents[categories.index(node)] is not None
                        else None
                    )
                expected[candidate.pk] = found
            tree_map = {c.pk: (c.parent_id, own[c.pk]) for c in categories}
            assert {pk: effective_hs_code(pk, tree_map) for pk in own} == expected
            assert _sql_effective(list(own)) == expected
            shown = dict(
                Listing.objects.filter(pk__in=[x.pk for x in listings])
                .with_hs_code()
                .values_list("pk", "hs_code_effective")
            )
            assert shown == {x.pk: x.hs_code or expected[x.category_id] for x in listings}
        transaction.set_rollback(True)


def test_a_listing_found_by_prefix_through_its_own_code_or_its_category(db):
    parent = f.CategoryFactory(slug="fruit", hs_code="081340")
    child = f.CategoryFactory(slug="jujube", parent=parent)
    inherits = f.ListingFactory(category=child)
    own = f.ListingFactory(category=child, hs_code="0806201000")
    other = f.ListingFactory(category=f.CategoryFactory(slug="cutters", hs_code="845611"))
    found = lambda prefix: set(Listing.objects.hs_code_startswith(prefix).values_list("pk", flat=True))  # noqa: E731
    assert found("08") == {inherits.pk, own.pk}
    assert found("0813") == {inherits.pk}
    assert found("080620") == {own.pk}
    assert found("84") == {other.pk}
