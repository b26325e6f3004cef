"""The wizard's steps: each saves as a draft, shows what was saved, and keeps what was typed on errors.

Forms list the fields they write: a posted `status` or `certification_level` changes nothing.
"""

import pytest
from django.urls import reverse

from suppliers.models import CertificationLevel, ProductionSite, Supplier
from tests import factories as f
from tests.conftest import client_for

from .factories import (
    DraftSupplierFactory,
    applicant,
    uscc_for,
    uscc_with_wrong_check_character,
)


@pytest.fixture
def draft(db):
    return DraftSupplierFactory(name_en="Shishi Looms Co., Ltd.", name_zh="")


@pytest.fixture
def client(draft):
    return client_for(applicant(draft))


def _step(name: str) -> str:
    return reverse("suppliers:apply_step", args=[name])


COMPANY = {
    "name_en": "Shishi Looms Co., Ltd.",
    "name_zh": "石狮织机有限公司",
    "uscc": uscc_for(1),
    "legal_representative": "Chen Jie",
    "business_type": "manufacturer",
    "year_founded": "2006",
    "staff_count": "240",
    "factory_area_m2": "18000",
    "description_en": "Knitted fabrics.",
    "description_zh": "针织面料。",
}


def test_company_step_saves_and_shows_the_saved_values(client, draft):
    response = client.post(_step("company"), {**COMPANY, "save": ""})
    assert response["Location"] == _step("company")  # "Save" stays
    draft.refresh_from_db()
    assert (draft.name_zh, draft.uscc, draft.year_founded, draft.staff_count, draft.factory_area_m2) == (
        "石狮织机有限公司",
        uscc_for(1),
        2006,
        240,
        18000,
    )
    html = client.get(_step("company")).content.decode()
    assert "石狮织机有限公司" in html
    assert uscc_for(1) in html
    assert 'value="18000"' in html


def test_save_and_continue_goes_to_the_next_step(client):
    response = client.post(_step("company"), {**COMPANY, "continue": ""})
    assert response["Location"] == _step("location")


def test_uscc_typed_with_spaces_and_in_lower_case_is_stored_compact(client, draft):
    typed = uscc_for(2).lower()
    client.post(_step("company"), {**COMPANY, "uscc": f"{typed[:8]} {typed[8:]}"})
    draft.refresh_from_db()
    assert draft.uscc == uscc_for(2)


def test_wrong_uscc_check_character_is_refused_beside_the_field_and_keeps_the_rest(client, draft):
    bad = uscc_with_wrong_check_character(3)
    response = client.post(_step("company"), {**COMPANY, "uscc": bad})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["uscc"][0].startswith("The last character of a USCC is a check character")
    assert form.has_error("uscc", "uscc_check_character")
    html = response.content.decode()
    assert "石狮织机有限公司" in html  # everything else typed is still there
    assert "Chen Jie" in html
    assert bad in html
    assert "is-invalid" in html
    draft.refresh_from_db()
    assert (draft.uscc, draft.name_zh, draft.legal_representative) == ("", "", "")  # nothing half saved


@pytest.mark.parametrize(
    ("typed", "code"),
    [("91350100", "uscc_length"), ("9135010O" + "M00010003X", "uscc_format"), ("ABCDEFGH1234567890", "uscc_format")],
)
def test_uscc_length_and_format_rules_say_which_rule_failed(client, typed, code):
    response = client.post(_step("company"), {**COMPANY, "uscc": typed})
    assert response.context["form"].has_error("uscc", code)


def test_uscc_of_another_supplier_is_refused_with_a_clear_message(client, draft):
    f.SupplierFactory(uscc=uscc_for(4))
    response = client.post(_step("company"), {**COMPANY, "uscc": uscc_for(4)})
    assert response.status_code == 200
    assert response.context["form"].has_error("uscc", "uscc_taken")
    assert "already on the platform" in response.content.decode()
    draft.refresh_from_db()
    assert draft.uscc == ""


def test_saving_the_own_uscc_again_is_fine(client, draft):
    client.post(_step("company"), COMPANY)
    response = client.post(_step("company"), {**COMPANY, "staff_count": "250"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.staff_count == 250


def test_year_founded_in_the_future_is_refused(client):
    response = client.post(_step("company"), {**COMPANY, "year_founded": "2999"})
    assert response.context["form"].has_error("year_founded")


def test_posted_status_and_level_are_ignored(client, draft):
    client.post(
        _step("company"),
        {**COMPANY, "status": "certified", "certification_level": "audited_factory", "slug": "hijack"},
    )
    draft.refresh_from_db()
    assert draft.status == Supplier.Status.DRAFT
    assert draft.certification_level == CertificationLevel.NONE
    assert draft.slug != "hijack"
    assert draft.name_zh == "石狮织机有限公司"


def test_a_half_filled_draft_can_be_saved(client, draft):
    response = client.post(_step("company"), {"name_en": "Shishi Looms Co., Ltd.", "business_type": "trading"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.business_type == Supplier.BusinessType.TRADING


# --- location and production sites --------------------------------------------------------------


LOCATION = {
    "registered_address": "8 Baogai Road, Shishi",
    "province": "CN-FJ",
    "city_en": "Quanzhou",
    "city_zh": "泉州",
}
SITE = {
    "site-name": "Baogai plant",
    "site-address": "12 Industrial Road, Baogai",
    "site-province": "CN-FJ",
    "site-city": "Shishi",
    "site-products": "Knitted fabrics",
}


def test_location_step_saves_and_shows_the_saved_values(client, draft):
    assert client.post(_step("location"), LOCATION)["Location"] == _step("location")
    draft.refresh_from_db()
    assert (draft.registered_address, draft.province, draft.city_zh) == ("8 Baogai Road, Shishi", "CN-FJ", "泉州")
    html = client.get(_step("location")).content.decode()
    assert "8 Baogai Road, Shishi" in html
    assert '<option value="CN-FJ" selected>' in html


def test_site_is_added_and_listed(client, draft):
    response = client.post(_step("location"), {**LOCATION, **SITE, "add_site": ""})
    assert response["Location"] == _step("location")
    site = ProductionSite.objects.get(supplier=draft)
    assert (site.name, site.province, site.products) == ("Baogai plant", "CN-FJ", "Knitted fabrics")
    assert "Baogai plant" in client.get(_step("location")).content.decode()


def test_site_typed_before_save_and_continue_is_added_too(client, draft):
    response = client.post(_step("location"), {**LOCATION, **SITE, "continue": ""})
    assert response["Location"] == _step("belt")
    assert draft.sites.count() == 1


def test_incomplete_site_shows_its_errors_and_keeps_the_address(client, draft):
    response = client.post(_step("location"), {**LOCATION, "site-name": "Half a site", "add_site": ""})
    assert response.status_code == 200
    assert response.context["site_form"].has_error("address")
    html = response.content.decode()
    assert "Half a site" in html
    assert "8 Baogai Road, Shishi" in html
    assert not draft.sites.exists()


def test_site_is_removed(client, draft):
    client.post(_step("location"), {**LOCATION, **SITE, "add_site": ""})
    site = draft.sites.get()
    response = client.post(reverse("suppliers:apply_site_remove", args=[site.pk]))
    assert response["Location"] == _step("location")
    assert not draft.sites.exists()


def test_site_removal_is_post_only(client, draft):
    client.post(_step("location"), {**LOCATION, **SITE, "add_site": ""})
    assert client.get(reverse("suppliers:apply_site_remove", args=[draft.sites.get().pk])).status_code == 405
    assert draft.sites.exists()


# --- belt and categories --------------------------------------------------------------------------


@pytest.fixture
def belts(db):
    textiles_cat = f.CategoryFactory(slug="textiles", name_en="Textiles")
    knit = f.CategoryFactory(slug="knitted", name_en="Knitted fabrics", parent=textiles_cat)
    lasers_cat = f.CategoryFactory(slug="lasers", name_en="Laser equipment")
    shishi = f.BeltFactory(slug="shishi-textiles", name_en="Shishi textiles belt", province="CN-FJ", position=5)
    wenzhou = f.BeltFactory(slug="wenzhou-menswear", name_en="Wenzhou menswear belt", province="CN-ZJ", position=1)
    wuhan = f.BeltFactory(slug="wuhan-laser", name_en="Wuhan laser belt", province="CN-HB", position=0)
    f.ListingFactory(supplier=f.SupplierFactory(belt=wenzhou), category=knit)
    f.ListingFactory(supplier=f.SupplierFactory(belt=wuhan), category=lasers_cat)
    return {"textiles": textiles_cat, "knit": knit, "shishi": shishi, "wenzhou": wenzhou, "wuhan": wuhan}


def test_belt_step_suggests_the_province_first_then_belts_selling_in_the_categories(client, draft, belts):
    client.post(_step("location"), LOCATION)  # Fujian
    client.post(_step("belt"), {"main_categories": [belts["textiles"].pk], "save": ""})
    response = client.get(_step("belt"))
    order = [b.slug for b in response.context["belts"]]
    assert order == ["shishi-textiles", "wenzhou-menswear", "wuhan-laser"]
    assert [b.slug for b in response.context["suggested"]] == ["shishi-textiles", "wenzhou-menswear"]
    html = response.content.decode()
    assert 'data-testid="belt-suggestion"' in html
    assert "Suggested for you:" in html
    assert "in your province" in html


def test_belt_step_saves_belt_and_categories(client, draft, belts):
    response = client.post(
        _step("belt"), {"belt": belts["shishi"].pk, "main_categories": [belts["textiles"].pk, belts["knit"].pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.belt == belts["shishi"]
    assert set(draft.main_categories.all()) == {belts["textiles"], belts["knit"]}
    response = client.get(_step("belt"))
    assert response.context["selected_belt"] == str(belts["shishi"].pk)
    assert response.context["chosen_categories"] == {str(belts["textiles"].pk), str(belts["knit"].pk)}


def test_belt_suggestions_refresh_by_htmx_as_categories_are_ticked(client, draft, belts):
    response = client.get(_step("belt"), {"main_categories": [belts["knit"].pk]}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["suppliers/apply/belt_choices.html"]
    assert [b.slug for b in response.context["suggested"]] == ["wenzhou-menswear"]
    draft.refresh_from_db()
    assert not draft.main_categories.exists()  # a preview, not a save


def test_inactive_belt_cannot_be_chosen(client, draft, belts):
    closed = f.BeltFactory(slug="closed", is_active=False)
    response = client.post(_step("belt"), {"belt": closed.pk})
    assert response.context["form"].has_error("belt")
    draft.refresh_from_db()
    assert draft.belt is None


# --- contact and review ---------------------------------------------------------------------------


def test_contact_step_saves_and_shows_the_saved_values(client, draft):
    data = {"contact_name": "Lin Mei", "contact_email": "lin@shishi-looms.test", "contact_phone": "+86 595 1234"}
    assert client.post(_step("contact"), {**data, "continue": ""})["Location"] == _step("review")
    draft.refresh_from_db()
    assert (draft.contact_name, draft.contact_email) == ("Lin Mei", "lin@shishi-looms.test")
    assert "lin@shishi-looms.test" in client.get(_step("contact")).content.decode()


def test_bad_contact_email_keeps_the_rest(client, draft):
    response = client.post(_step("contact"), {"contact_name": "Lin Mei", "contact_email": "not-an-email"})
    assert response.context["form"].has_error("contact_email")
    assert "Lin Mei" in response.content.decode()


def test_step_navigation_marks_complete_steps(client, draft):
    client.post(_step("company"), COMPANY)
    steps = {s["slug"]: s["done"] for s in client.get(_step("contact")).context["steps"]}
    assert steps == {
        "company": True,
        "location": False,
        "belt": False,
        "documents": False,
        "contact": False,
        "review": False,
    }


def test_review_shows_everything_and_what_is_missing(client, draft):
    client.post(_step("company"), COMPANY)
    response = client.get(_step("review"))
    html = response.content.decode()
    assert "石狮织机有限公司" in html
    assert uscc_for(1) in html
    assert "business licence" in response.context["missing"]
    assert "a production site" in response.context["missing"]
    assert 'data-testid="missing"' in html


def test_the_service_itself_refuses_a_uscc_with_a_wrong_check_character(draft):
    # The API and imports write through the service without the form: it checks the USCC too.
    from django.core.exceptions import ValidationError

    from suppliers.services import supplier_application_update

    with pytest.raises(ValidationError) as refused:
        supplier_application_update(supplier=draft, data={"uscc": uscc_with_wrong_check_character(3)})

    assert refused.value.code == "uscc_check_character"
    draft.refresh_from_db()
    assert draft.uscc == ""


def test_the_service_itself_refuses_a_uscc_another_company_holds(draft):
    from django.core.exceptions import ValidationError

    from suppliers.services import supplier_application_update

    DraftSupplierFactory(uscc=uscc_for(4))

    with pytest.raises(ValidationError) as refused:
        supplier_application_update(supplier=draft, data={"uscc": uscc_for(4).lower()})

    assert refused.value.code == "uscc_taken"


def test_the_public_address_follows_the_company_name_not_the_person_who_applied(db):
    draft = DraftSupplierFactory(name_en="Wang Fang", slug="wang-fang", name_zh="")  # started by Wang Fang
    person = applicant(draft)
    DraftSupplierFactory(slug="wuhan-beam-lasers", name_en="Wuhan Beam Lasers")  # the name is taken
    client_for(person).post(_step("company"), {**COMPANY, "name_en": "Wuhan Beam Lasers", "save": ""})
    draft.refresh_from_db()
    assert draft.slug == "wuhan-beam-lasers-2"
    client_for(person).post(_step("company"), {**COMPANY, "name_en": "Wuhan Beam Lasers", "save": ""})
    draft.refresh_from_db()
    assert draft.slug == "wuhan-beam-lasers-2"  # saving again keeps it


def test_a_certified_supplier_keeps_its_address_when_its_name_changes(db):
    from suppliers.services.application import supplier_application_update

    supplier = f.SupplierFactory(slug="shishi-looms", name_en="Shishi Looms")
    Supplier.objects.filter(pk=supplier.pk).update(status=Supplier.Status.INFO_REQUESTED)
    supplier.refresh_from_db()
    supplier_application_update(supplier=supplier, data={"name_en": "Shishi Looms Group"})
    supplier.refresh_from_db()
    assert (supplier.slug, supplier.name_en) == ("shishi-looms", "Shishi Looms Group")
