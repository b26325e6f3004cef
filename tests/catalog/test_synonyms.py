"""Search synonyms as data: kept by belt operators for their belt and by staff for every search,
applied from the next search on without re-indexing, each change on the record. The shipped list
(catalog/data/synonyms.yaml) is in the database from its migration.
"""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.models import SearchSynonym
from catalog.search import ListingFilters, parse_text
from catalog.selectors.public import listing_search
from catalog.synonyms import shipped_synonyms, shipped_synonyms_load
from tests import factories as f
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def wuhan(belt, category):
    """A belt whose operator writes synonyms, with a listing titled the way its supplier says it."""
    supplier = f.SupplierFactory(belt=belt)
    listing = f.ListingFactory(supplier=supplier, category=category, title_en="Galvo head", title_zh="振镜头")
    operator = f.UserFactory()
    f.BeltOperatorFactory(belt=belt, user=operator)
    return {"belt": belt, "listing": listing, "operator": operator}


def url(belt) -> str:
    return f"/dashboard/belt/{belt.slug}/synonyms/"


def skus(text: str, belt: str = "") -> set[int]:
    return {listing.pk for listing in listing_search(text=text, filters=ListingFilters(belt=belt)).page.listings}


def test_an_operators_synonym_applies_to_the_next_search_within_the_belt_only(wuhan):
    belt, listing = wuhan["belt"], wuhan["listing"]
    assert skus("scanner head", belt.slug) == set()

    response = client_for(wuhan["operator"]).post(
        url(belt), {"terms": "scanner head\r\ngalvo head\r\n", "kind": "equivalent", "note": "what buyers call it"}
    )

    assert response.status_code == 302
    synonym = SearchSynonym.objects.get(belt=belt)
    assert synonym.terms == ["scanner head", "galvo head"]
    assert synonym.keys == ["scanner head", "galvo head"]  # stems, kept by the trigger
    assert synonym.updated_by == wuhan["operator"]
    assert skus("scanner head", belt.slug) == {listing.pk}  # nothing was re-indexed
    assert skus("scanner head") == set()  # a search of every belt does not use it
    entry = LogEntry.objects.get(object_id=str(synonym.pk))
    assert (entry.action_flag, entry.user) == (ADDITION, wuhan["operator"])


def test_the_operator_changes_and_removes_a_synonym_on_the_record(wuhan):
    belt, operator = wuhan["belt"], wuhan["operator"]
    synonym = SearchSynonym.objects.create(belt=belt, terms=["振镜", "扫描头"])
    client = client_for(operator)

    changed = client.post(f"{url(belt)}{synonym.pk}/", {"terms": "振镜头\n扫描振镜", "kind": "one_way", "note": ""})
    assert changed.status_code == 302
    synonym.refresh_from_db()
    assert (synonym.terms, synonym.kind) == (["振镜头", "扫描振镜"], "one_way")
    assert client.post(f"{url(belt)}{synonym.pk}/delete/").status_code == 302
    assert not SearchSynonym.objects.filter(belt=belt).exists()
    flags = list(LogEntry.objects.filter(object_id=str(synonym.pk)).values_list("action_flag", flat=True))
    assert sorted(flags) == [CHANGE, DELETION]


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("scanner head", "Give at least two terms, one per line."),
        ("scanner head\nScanner Head", "A term is given twice."),
        ("scanner head\n!!!", "“!!!” has no English or Chinese word in it."),
        ("\n".join(f"term {n}" for n in range(13)), "Give at most twelve terms."),
    ],
)
def test_bad_terms_get_a_message_and_the_form_keeps_what_was_typed(wuhan, terms, message):
    response = client_for(wuhan["operator"]).post(url(wuhan["belt"]), {"terms": terms, "kind": "equivalent"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert terms.split("\n")[0] in html
    assert not SearchSynonym.objects.filter(belt=wuhan["belt"]).exists()


def test_the_message_is_in_chinese_for_a_chinese_reader(wuhan):
    client = client_for(wuhan["operator"])
    response = client.post(url(wuhan["belt"]), {"terms": "振镜", "kind": "equivalent"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "Give at least two terms" not in response.content.decode()


def test_another_belts_operator_a_buyer_and_a_supplier_cannot_see_or_change_the_synonyms(wuhan, buyer, supplier_member):
    belt = wuhan["belt"]
    synonym = SearchSynonym.objects.create(belt=belt, terms=["振镜", "扫描头"])
    stranger = f.UserFactory()
    f.BeltOperatorFactory(belt=f.BeltFactory(), user=stranger)
    for user in (stranger, buyer, supplier_member):
        client = client_for(user)
        assert client.get(url(belt)).status_code == 404
        assert client.post(url(belt), {"terms": "a\nb", "kind": "equivalent"}).status_code == 404
        assert client.post(f"{url(belt)}{synonym.pk}/", {"terms": "a\nb", "kind": "equivalent"}).status_code == 404
        assert client.post(f"{url(belt)}{synonym.pk}/delete/").status_code == 404
    assert list(SearchSynonym.objects.filter(belt=belt).values_list("terms", flat=True)) == [["振镜", "扫描头"]]
    # A synonym of every search is not a belt's: its operator cannot reach it by its number.
    shared = SearchSynonym.objects.create(terms=["scanner", "galvo"])
    assert client_for(wuhan["operator"]).post(f"{url(belt)}{shared.pk}/delete/").status_code == 404
    assert SearchSynonym.objects.filter(pk=shared.pk).exists()


def test_the_operator_dashboard_links_to_the_synonyms(wuhan):
    html = client_for(wuhan["operator"]).get("/dashboard/belt/").content.decode()
    assert f'href="{url(wuhan["belt"])}"' in html


def test_staff_keep_synonyms_of_every_search_in_the_admin(wuhan, staff):
    client = client_for(staff)
    response = client.post(
        "/admin/catalog/searchsynonym/add/", {"terms": "scanner head\ngalvo head", "kind": "equivalent", "note": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    synonym = SearchSynonym.objects.get(terms=["scanner head", "galvo head"])
    assert (synonym.belt, synonym.updated_by) == (None, staff)
    assert skus("scanner head") == {wuhan["listing"].pk}
    listed = client.get("/admin/catalog/searchsynonym/", {"q": "galvo"}).content.decode()
    assert "scanner head" in listed
    assert LogEntry.objects.filter(object_id=str(synonym.pk), action_flag=ADDITION).count() == 1


EQUIVALENT_SETS = [terms for kind, terms in shipped_synonyms() if kind == "equivalent"]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_each_term_of_a_shipped_synonym_expands_to_the_same_alternatives(data, django_db_blocker):
    """Whichever term of a `same` entry is typed, the search looks for every term of the entry (and,
    for a term that starts a one-way entry too, that entry's terms besides)."""
    terms = data.draw(st.sampled_from(EQUIVALENT_SETS))
    first, second = data.draw(st.permutations(terms))[:2]
    with django_db_blocker.unblock():
        shipped_synonyms_load()  # a transactional test before this one may have flushed them
        groups = [parse_text(first).groups, parse_text(second).groups]
    assert all(len(g) == 1 for g in groups), groups
    assert set(terms) <= set(groups[0][0]) and set(terms) <= set(groups[1][0])
