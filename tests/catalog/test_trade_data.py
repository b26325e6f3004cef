"""Cross-border data on listings: HS code (the category's, overridable), origin, export markets,
certificates for export and the Incoterm basis of prices. Written by the supplier's form, API and
import; shown on the listing page, cards and the public API; filtered in the web search and the
listings API; certificates' documents checked before anyone sees them and expired certificates
shown as expired, without a write, the day after their date."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from catalog.certificates import listing_certificate_add
from catalog.exports import listing_export_file
from catalog.models import Listing, ListingCertificate
from catalog.search import ListingFilters
from catalog.selectors.public import listing_search
from catalog.services import listing_create, listing_update
from tests import factories as f
from tests.catalog.test_exports import csv_rows, reimport
from tests.conftest import client_for

TODAY = timezone.localdate


def certificate(listing, kind="phytosanitary", days=30, **kwargs) -> ListingCertificate:
    """A certificate added through the service; the test settings check its document at once."""
    return listing_certificate_add(
        listing=listing,
        actor=None,
        kind=kind,
        number=kwargs.pop("number", f"{kind.upper()}-001"),
        issuer=kwargs.pop("issuer", "Urumqi Customs (GACC)"),
        valid_until=TODAY() + datetime.timedelta(days=days),
        upload=kwargs.pop("upload", None) or f.pdf_upload(),
    )


@pytest.fixture
def fruit(db):
    """Dried fruit (0813.40) with jujubes under it, which set no code of their own."""
    parent = f.CategoryFactory(slug="dried-fruit", name_en="Dried fruit", name_zh="干果", hs_code="081340")
    return f.CategoryFactory(slug="jujubes", name_en="Jujubes", name_zh="红枣", parent=parent)


@pytest.fixture
def trade_world(supplier, category, fruit):
    """Three public listings with their trade data, and one draft."""
    category.hs_code = "845611"
    category.save()
    dates = f.ListingFactory(
        supplier=supplier,
        category=fruit,
        title_en="Red dates grade 1",
        origin_region="CN-XJ",
        export_markets=["KZ", "AE"],
        price_incoterm="FCA",
        price_incoterm_place="Horgos",
    )
    raisins = f.ListingFactory(
        supplier=supplier,
        category=fruit,
        title_en="Green raisins",
        hs_code="0806201000",
        origin_country="UZ",
        export_markets=["RU"],
        price_incoterm="FOB",
        price_incoterm_place="Tianjin",
    )
    cutter = f.ListingFactory(
        supplier=supplier, category=category, title_en="Fibre laser cutter", export_markets=["DE"]
    )
    draft = f.ListingFactory(supplier=supplier, category=fruit, status=Listing.Status.DRAFT, export_markets=["KZ"])
    certificate(dates, "phytosanitary")
    certificate(raisins, "halal", days=-1 + 2)  # valid until tomorrow
    return {"dates": dates, "raisins": raisins, "cutter": cutter, "draft": draft}


# --- writing: the service, the form and the API refuse bad values with a clear message -----------


def test_the_service_stores_codes_normalised_and_refuses_bad_values_by_field(supplier, supplier_member, category):
    listing = listing_create(
        supplier=supplier,
        actor=supplier_member,
        fields={
            "category": category,
            "title_en": "Cutter",
            "hs_code": "8456.11.00.00",
            "export_markets": ["de", "FR", "DE"],
            "origin_country": "cn",
            "price_incoterm": "FOB",
            "price_incoterm_place": " Wuhan ",
        },
    )
    listing.refresh_from_db()
    assert (listing.hs_code, listing.export_markets, listing.origin_country) == ("8456110000", ["DE", "FR"], "CN")
    assert listing.price_basis == "FOB Wuhan"
    with pytest.raises(ValidationError) as refused:
        listing_update(
            listing=listing,
            actor=supplier_member,
            fields={"hs_code": "84561", "export_markets": ["XX"], "origin_country": "VN", "origin_region": "CN-HB"},
        )
    errors = refused.value.message_dict
    assert "has 5" in errors["hs_code"][0]
    assert "“XX” is not a country code" in errors["export_markets"][0]
    assert "goods from China" in errors["origin_region"][0]
    listing.refresh_from_db()
    assert listing.hs_code == "8456110000"  # nothing written


def test_a_bad_hs_code_in_the_form_is_explained_beside_it_and_everything_typed_is_kept(
    supplier, supplier_member, category
):
    from tests.catalog.test_manage_views import form_data

    data = form_data(
        category,
        hs_code="8456.1",
        price_incoterm="FOB",
        price_incoterm_place="Xiamen",
        export_markets=["DE", "VN"],
        origin_country="CN",
        origin_region="CN-FJ",
    )
    response = client_for(supplier_member).post(reverse("catalog:manage_new"), data)
    assert response.status_code == 400
    assert not Listing.objects.exists()
    assert "has 5" in response.context["form"].errors["hs_code"][0]
    html = response.content.decode()
    assert 'value="8456.1"' in html and 'value="Xiamen"' in html
    assert '<option value="VN" selected>' in html
    data["hs_code"] = "8456.11"
    assert client_for(supplier_member).post(reverse("catalog:manage_new"), data).status_code == 302
    listing = Listing.objects.get()
    assert (listing.hs_code, listing.price_basis, listing.export_markets) == ("845611", "FOB Xiamen", ["DE", "VN"])


def test_a_new_listing_form_starts_from_the_suppliers_province_and_china(supplier, supplier_member):
    form = client_for(supplier_member).get(reverse("catalog:manage_new")).context["form"]
    assert form.initial["origin_region"] == supplier.belt.province
    assert form["origin_country"].value() == "CN"


# --- reading: the listing page, cards and the public API --------------------------------------


def test_the_listing_page_shows_its_trade_data_with_the_inherited_code(client, trade_world):
    html = client.get(trade_world["dates"].get_absolute_url()).content.decode()
    block = html[html.index('data-testid="trade-data"') :]
    assert "0813.40" in block and "from its category" in block
    assert "Xinjiang Uygur Autonomous Region, China" in block
    assert "FCA" in block and "Horgos" in block
    assert "Kazakhstan" in block and "United Arab Emirates" in block
    assert 'data-valid="true"' in block and "Phytosanitary certificate" in block
    own = client.get(trade_world["raisins"].get_absolute_url()).content.decode()
    assert "0806.20.10.00" in own and "from its category" not in own[own.index('data-testid="trade-data"') :]
    assert "Uzbekistan" in own


def test_the_listing_page_in_chinese_names_countries_and_provinces_in_chinese(client, trade_world):
    with translation.override("zh-hans"):
        html = client.get(trade_world["dates"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    block = html[html.index('data-testid="trade-data"') :]
    assert "新疆维吾尔自治区" in block and "哈萨克斯坦" in block


def test_an_expired_certificate_shows_as_expired_the_next_day_without_a_write(client, trade_world, monkeypatch):
    url = trade_world["raisins"].get_absolute_url()
    assert 'data-valid="true"' in client.get(url).content.decode()
    assert found(certificate="halal") == {trade_world["raisins"].pk}
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    html = client.get(url).content.decode()  # the day is in the page's cache key
    assert 'data-valid="false"' in html and "Expired" in html
    assert not found(certificate="halal")


def test_a_certificate_whose_document_is_pending_or_refused_is_not_shown(client, trade_world, settings):
    settings.FILE_CHECK_EAGER = False
    pending = certificate(trade_world["cutter"], "ce")
    refused = certificate(trade_world["cutter"], "rohs", upload=f.image_upload(name="x.png"))
    ListingCertificate.objects.filter(pk=refused.pk).update(file_check="refused", file_refusal="bad_type")
    html = client.get(trade_world["cutter"].get_absolute_url()).content.decode()
    assert 'data-testid="trade-certificate"' not in html
    url = reverse("catalog:listing_certificate_document", args=[trade_world["cutter"].pk, pending.pk])
    assert client.get(url).status_code == 404
    assert not found(certificate="ce")


def test_a_certificates_document_is_downloaded_by_whoever_may_see_the_listing(client, trade_world, other_member):
    listing = trade_world["dates"]
    held = listing.certificates.get()
    url = reverse("catalog:listing_certificate_document", args=[listing.pk, held.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    draft_certificate = certificate(trade_world["draft"], "organic")
    draft_url = reverse("catalog:listing_certificate_document", args=[trade_world["draft"].pk, draft_certificate.pk])
    assert client.get(draft_url).status_code == 404  # a draft: its own supplier only
    assert client_for(other_member).get(draft_url).status_code == 404
    wrong_listing = reverse("catalog:listing_certificate_document", args=[trade_world["cutter"].pk, held.pk])
    assert client.get(wrong_listing).status_code == 404


def test_cards_show_the_price_basis(client, trade_world):
    html = client.get(reverse("catalog:search")).content.decode()
    assert 'data-testid="card-price-basis">FCA Horgos<' in html
    assert 'data-testid="card-price-basis">EXW<' in html  # the default: ex works


def test_the_public_api_gives_the_trade_data(client, trade_world):
    rows = {row["id"]: row for row in client.get("/api/v1/listings/").json()["results"]}
    dates = rows[trade_world["dates"].pk]
    assert dates["hs_code"] == "081340" and dates["origin_country"] == "CN" and dates["origin_region"] == "CN-XJ"
    assert dates["price_basis"] == {"incoterm": "FCA", "place": "Horgos"}
    assert dates["export_markets"] == ["KZ", "AE"] and dates["valid_certificates"] == ["phytosanitary"]
    assert rows[trade_world["raisins"].pk]["hs_code"] == "0806201000"
    detail = client.get(f"/api/v1/listings/{trade_world['dates'].pk}/").json()
    [held] = detail["certificates"]
    assert held["kind"] == "phytosanitary" and held["valid"] is True
    assert held["document"].endswith(f"/listings/{trade_world['dates'].pk}/certificates/{held_id(trade_world)}/")


def held_id(trade_world) -> int:
    return trade_world["dates"].certificates.get().pk


# --- search: web page and API -------------------------------------------------------------------


def found(text="", **filters) -> set[int]:
    result = listing_search(text=text, filters=ListingFilters(**filters), page_size=100, with_facets=True)
    return {listing.pk for listing in result.page.listings}


def test_filters_by_hs_prefix_origin_market_and_certificate(trade_world):
    dates, raisins, cutter = (trade_world[k].pk for k in ("dates", "raisins", "cutter"))
    assert found(hs="08") == {dates, raisins}  # chapter: inherited and own codes
    assert found(hs="0813") == {dates}  # heading, through the category
    assert found(hs="080620") == {raisins}  # subheading, the listing's own
    assert found(hs="8456110000") == set()  # a full code the cutter's 6 digits do not reach
    assert found(hs="845611") == {cutter}
    assert found(origin_country="UZ") == {raisins}
    assert found(origin_country="CN") == {dates, cutter}
    assert found(market="KZ") == {dates}  # the draft names KZ too, but is not public
    assert found(certificate="phytosanitary") == {dates}
    assert found(certificate="halal", market="RU") == {raisins}
    assert found("dates", hs="0813") == {dates}  # with words too
    assert found("dates", hs="84") == set()


def test_the_search_page_filters_and_keeps_its_query_budget(client, trade_world, django_assert_max_num_queries):
    url = reverse("catalog:search")
    # As the page without words (tests/catalog/test_search_page.py): page versions, belts,
    # categories, facets, the bounded walk, then every row the filters keep in a savepoint (four),
    # cards, images, exchange rates. The trade filters are WHERE pieces of those same queries.
    with django_assert_max_num_queries(12):
        response = client.get(url, {"hs": "08", "market": "KZ", "certificate": "phytosanitary", "origin_country": "CN"})
    assert [x.pk for x in response.context["page"].listings] == [trade_world["dates"].pk]
    bad = client.get(url, {"hs": "0813.4"})
    assert bad.status_code == 200
    assert "Search HS codes by chapter" in bad.content.decode()
    assert 'value="0813.4"' in bad.content.decode()
    assert len(bad.context["page"].listings) == 3  # the bad filter is left out, the rest applies


def test_the_listings_api_filters_and_refuses_a_bad_prefix(client, trade_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        body = client.get("/api/v1/listings/", {"hs": "0806.20", "origin_country": "UZ"}).json()
    assert [row["id"] for row in body["results"]] == [trade_world["raisins"].pk]
    response = client.get("/api/v1/listings/", {"hs": "081"})
    assert response.status_code == 400 and "hs" in response.json()
    assert client.get("/api/v1/listings/", {"certificate": "nonsense"}).status_code == 400


# --- the supplier's API, per role -----------------------------------------------------------------


def test_the_suppliers_api_writes_and_reads_the_trade_data(supplier_member, trade_world):
    api = client_for(supplier_member)
    pk = trade_world["dates"].pk
    response = api.patch(
        f"/api/v1/me/listings/{pk}/",
        {
            "hs_code": "0813.40.90",
            "export_markets": ["KZ", "UZ"],
            "price_incoterm": "EXW",
            "price_incoterm_place": "Turpan",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["hs_code"], body["hs_code_effective"], body["export_markets"]) == (
        "08134090",
        "08134090",
        ["KZ", "UZ"],
    )
    assert body["certificates"][0]["kind"] == "phytosanitary" and body["certificates"][0]["check"] == "clean"
    bad = api.patch(f"/api/v1/me/listings/{pk}/", {"hs_code": "0813"}, content_type="application/json")
    assert bad.status_code == 400 and "hs_code" in bad.json()


def test_certificates_over_the_api_for_the_owner_only(supplier_member, other_member, buyer, client, trade_world):
    pk = trade_world["cutter"].pk
    url = f"/api/v1/me/listings/{pk}/certificates/"
    data = {
        "kind": "ce",
        "number": "CE-77",
        "issuer": "TÜV SÜD",
        "valid_until": (TODAY() + datetime.timedelta(days=90)).isoformat(),
    }
    created = client_for(supplier_member).post(url, {**data, "document": f.pdf_upload()})
    assert created.status_code == 201, created.json()
    assert created.json()["check"] == "clean" and created.json()["valid"] is True
    certificate_id = created.json()["id"]
    for outsider in (other_member, buyer):
        assert client_for(outsider).post(url, {**data, "document": f.pdf_upload()}).status_code == 404
        assert client_for(outsider).delete(f"{url}{certificate_id}/").status_code == 404
    assert client.post(url, {**data, "document": f.pdf_upload()}).status_code in (401, 403)
    expired = client_for(supplier_member).post(
        url, {**data, "valid_until": (TODAY() - datetime.timedelta(days=1)).isoformat(), "document": f.pdf_upload()}
    )
    assert expired.status_code == 400 and "expired" in expired.json()["valid_until"][0]
    not_a_document = client_for(supplier_member).post(url, {**data, "document": io.BytesIO(b"hello")})
    assert not_a_document.status_code == 400
    assert client_for(supplier_member).delete(f"{url}{certificate_id}/").status_code == 204
    assert not ListingCertificate.objects.filter(pk=certificate_id).exists()


def test_certificates_on_the_suppliers_page(supplier_member, other_member, trade_world):
    listing = trade_world["cutter"]
    add = reverse("catalog:manage_certificate_add", args=[listing.pk])
    data = {
        "certificate-kind": "ce",
        "certificate-number": "CE-1",
        "certificate-issuer": "TÜV SÜD",
        "certificate-valid_until": (TODAY() + datetime.timedelta(days=30)).isoformat(),
    }
    refused = client_for(supplier_member).post(add, {**data, "certificate-number": ""})
    assert refused.status_code == 400 and "certificate-form" in refused.content.decode()
    assert client_for(other_member).post(add, {**data, "certificate-document": f.pdf_upload()}).status_code == 404
    done = client_for(supplier_member).post(add, {**data, "certificate-document": f.pdf_upload()})
    assert done.status_code == 302
    added = listing.certificates.get()
    remove = reverse("catalog:manage_certificate_remove", args=[listing.pk, added.pk])
    assert client_for(other_member).post(remove).status_code == 404
    assert client_for(supplier_member).post(remove).status_code == 302
    assert not listing.certificates.exists()


# --- import and export ------------------------------------------------------------------------------


def test_export_and_reimport_keep_the_trade_data(supplier, supplier_member, trade_world):
    content = listing_export_file(supplier=supplier, fmt="csv").content
    rows = {row["sku"]: row for row in csv_rows(content)}
    raisins = rows[trade_world["raisins"].sku]
    assert (raisins["hs_code"], raisins["origin_country"], raisins["export_markets"]) == ("0806.20.10.00", "UZ", "RU")
    assert (raisins["price_incoterm"], raisins["price_incoterm_place"]) == ("FOB", "Tianjin")
    assert rows[trade_world["dates"].sku]["hs_code"] == ""  # inherited: left to the category
    before = list(
        Listing.objects.order_by("pk").values_list(
            "hs_code", "origin_country", "origin_region", "export_markets", "price_incoterm", "price_incoterm_place"
        )
    )
    job = reimport(supplier, supplier_member, content, "csv")
    assert job.error_rows == [] and job.updated_count == 4
    after = list(
        Listing.objects.order_by("pk").values_list(
            "hs_code", "origin_country", "origin_region", "export_markets", "price_incoterm", "price_incoterm_place"
        )
    )
    assert after == before


def test_an_import_gives_each_rows_trade_data_reasons(supplier, supplier_member, trade_world):
    content = listing_export_file(supplier=supplier, fmt="csv").content
    rows = csv_rows(content)
    for row in rows:
        row.update(hs_code="0813.4", export_markets="KZ, Narnia", origin_country="ZZ", price_incoterm="FOX")
    rows[0].update(
        hs_code="0813 40", export_markets="kz、uz", origin_country="", price_incoterm="fob", origin_region="新疆"
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    job = reimport(supplier, supplier_member, out.getvalue().encode("utf-8-sig"), "csv")
    reasons = " ".join(message for row in job.error_rows for message in row["errors"])
    assert len(job.error_rows) == len(rows) - 1
    assert "hs_code: An HS code has 6 digits" in reasons
    assert "“Narnia” is not a two-letter country code" in reasons
    assert "“ZZ” is not a two-letter country code" in reasons
    assert "“FOX” is not one of: EXW" in reasons
    first = Listing.objects.get(supplier=supplier, sku=rows[0]["sku"])
    assert (first.hs_code, first.export_markets, first.origin_country) == ("081340", ["KZ", "UZ"], "CN")
    assert (first.price_incoterm, first.origin_region) == ("FOB", "CN-XJ")


# --- staff: the admin ---------------------------------------------------------------------------------


def test_staff_set_a_categorys_hs_code_as_customs_write_it_and_a_bad_one_is_explained(staff, fruit):
    admin = client_for(staff)
    url = reverse("admin:belts_category_change", args=[fruit.pk])
    data = {
        "slug": fruit.slug,
        "name_en": fruit.name_en,
        "name_zh": fruit.name_zh,
        "position": 0,
        "parent": fruit.parent_id,
        "hs_code": "0813.40.10",
    }
    assert admin.post(url, data).status_code == 302
    fruit.refresh_from_db()
    assert fruit.hs_code == "08134010"
    refused = admin.post(url, {**data, "hs_code": "0813.4"})
    assert refused.status_code == 200 and "has 5" in refused.content.decode()
    fruit.refresh_from_db()
    assert fruit.hs_code == "08134010"


def test_the_admin_lists_a_listings_certificates(staff, trade_world):
    html = (
        client_for(staff).get(reverse("admin:catalog_listing_change", args=[trade_world["dates"].pk])).content.decode()
    )
    assert "PHYTOSANITARY-001" in html and "Urumqi Customs (GACC)" in html


def test_a_new_certificate_shows_at_once_on_a_cached_listing_page(client, trade_world):
    url = trade_world["cutter"].get_absolute_url()
    assert 'data-testid="trade-certificate"' not in client.get(url).content.decode()
    assert 'data-testid="trade-certificate"' not in client.get(url).content.decode()  # from the cache
    certificate(trade_world["cutter"], "ce")
    assert 'data-testid="trade-certificate"' in client.get(url).content.decode()
