"""Quote terms against the RFQ's: a quote that leaves the buyer paying what the RFQ's Incoterm has
the seller pay, without freight, is held back until the supplier confirms it (service, page, API);
quantities typed the way people type them; the RFQ form's category picker grouped by parent."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from orders.forms.rfq import QuoteForm, RfqForm
from orders.models import Incoterm, Quote, Rfq, RfqEvent
from orders.services.quote_terms import TERMS_CODE, QuoteTermsUnconfirmed, quote_terms_gap
from tests import factories as f
from tests.conftest import client_for

from .factories import in_days, make_rfq, quote_for
from .test_rfq_api import api
from .test_rfq_pages import _quote_form, _rfq_form

pytestmark = pytest.mark.django_db

REACH = ["EXW", "FCA", "FOB", "CFR", "CIF", "DAP", "DDP"]


@pytest.fixture
def cif_rfq(buyer, category, supplier, other_supplier):
    return make_rfq(buyer, category=category, routed_to=[supplier, other_supplier], incoterm="CIF")


# --- the rule -----------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(asked=st.sampled_from(REACH), quoted=st.sampled_from(REACH), freight=st.booleans())
def test_a_gap_is_exactly_a_term_reaching_less_far_for_the_seller_without_freight(asked, quoted, freight):
    rfq = Rfq(incoterm=asked)
    gap = quote_terms_gap(rfq=rfq, incoterm=quoted, freight_total=Decimal("1.00") if freight else None)
    assert (gap is not None) == (REACH.index(quoted) < REACH.index(asked) and not freight)
    if gap is not None:
        assert gap.carriage == (asked in {"CFR", "CIF", "DAP", "DDP"} and quoted in {"EXW", "FCA", "FOB"})
        assert ("insurance" in gap.missing) == (asked == "CIF")
        assert gap.missing[0] == "freight"


# --- the service --------------------------------------------------------------------------------


def test_fob_without_freight_on_a_cif_request_is_refused_until_confirmed(cif_rfq, supplier_member):
    with pytest.raises(QuoteTermsUnconfirmed) as refused:
        quote_for(cif_rfq, supplier_member, incoterm="FOB")
    assert refused.value.status_code == 409
    assert refused.value.extra == {
        "code": TERMS_CODE,
        "asked": "CIF",
        "quoted": "FOB",
        "missing": ["freight", "insurance"],
    }
    assert "CIF" in refused.value.message and "FOB" in refused.value.message
    assert not Quote.objects.exists() and not RfqEvent.objects.filter(kind="quoted").exists()

    quote = quote_for(cif_rfq, supplier_member, incoterm="FOB", confirm_terms=True)
    assert quote.incoterm == "FOB" and quote.freight_total is None
    event = RfqEvent.objects.get(quote=quote, kind="quoted")
    assert event.data["terms_confirmed"] is True


@pytest.mark.parametrize(
    ("quoted", "freight"),
    [("CIF", None), ("DAP", None), ("DDP", None), ("FOB", "650.00"), ("EXW", "0.00")],
)
def test_the_same_or_a_further_term_or_freight_given_needs_no_confirmation(cif_rfq, supplier_member, quoted, freight):
    quote = quote_for(cif_rfq, supplier_member, incoterm=quoted, freight_total=freight)
    assert quote.incoterm == quoted
    assert "terms_confirmed" not in RfqEvent.objects.get(quote=quote, kind="quoted").data


def test_a_revision_to_a_gap_is_refused_and_the_sent_quote_stays(cif_rfq, supplier_member):
    quote = quote_for(cif_rfq, supplier_member, unit_price="10.00")
    with pytest.raises(QuoteTermsUnconfirmed):
        quote_for(cif_rfq, supplier_member, unit_price="8.00", incoterm="EXW")
    quote.refresh_from_db()
    assert (quote.unit_price, quote.incoterm) == (Decimal("10.00"), "CIF")
    assert not RfqEvent.objects.filter(kind="quote_revised").exists()


def test_field_errors_come_before_the_terms_warning(cif_rfq, supplier_member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        quote_for(cif_rfq, supplier_member, incoterm="FOB", quantity=cif_rfq.quantity + 1)


def test_the_comparison_shows_a_confirmed_gap_as_not_comparable(cif_rfq, supplier_member, buyer):
    quote_for(cif_rfq, supplier_member, incoterm="FOB", confirm_terms=True)
    response = client_for(buyer).get(reverse("orders:rfq_detail", args=[cif_rfq.pk]))
    assert response.status_code == 200
    assert "Not comparable on price: quoted FOB without freight" in response.text
    assert "You asked for CIF; the supplier quoted FOB and gave no freight to your terms." in response.text


# --- the page -----------------------------------------------------------------------------------


def test_the_page_warns_keeps_the_typing_and_sends_once_confirmed(cif_rfq, supplier_member):
    client = client_for(supplier_member)
    url = reverse("orders:rfq_opportunity", args=[cif_rfq.pk])
    response = client.post(url, _quote_form(incoterm="FOB", unit_price="7.35", quantity="1,000"))
    assert response.status_code == 409
    text = response.text
    assert 'data-testid="terms-warning"' in text and 'name="confirm_terms"' in text
    assert "CIF — Cost, insurance and freight" in text and "FOB — Free on board" in text
    assert 'data-testid="terms-missing">freight and insurance to the buyer' in text
    assert 'value="7.35"' in text and 'value="1,000"' in text
    assert not Quote.objects.exists()

    response = client.post(url, _quote_form(incoterm="FOB", unit_price="7.35", confirm_terms="on"))
    assert response.status_code == 302
    assert Quote.objects.get().incoterm == "FOB"


def test_the_page_sends_at_once_with_freight(cif_rfq, supplier_member):
    response = client_for(supplier_member).post(
        reverse("orders:rfq_opportunity", args=[cif_rfq.pk]), _quote_form(incoterm="FOB", freight_total="900.00")
    )
    assert response.status_code == 302
    assert Quote.objects.get().freight_total == Decimal("900.00")


def test_the_confirm_box_is_not_shown_before_a_warning(cif_rfq, supplier_member):
    response = client_for(supplier_member).get(reverse("orders:rfq_opportunity", args=[cif_rfq.pk]))
    assert response.status_code == 200 and 'name="confirm_terms"' not in response.text


def test_an_outsider_cannot_post_a_quote_by_url(cif_rfq, outsider):
    response = client_for(outsider).post(
        reverse("orders:rfq_opportunity", args=[cif_rfq.pk]), _quote_form(incoterm="FOB", confirm_terms="on")
    )
    assert response.status_code == 404 and not Quote.objects.exists()


# --- the API ------------------------------------------------------------------------------------

QUOTE = {
    "unit_price": "9.80",
    "currency": "USD",
    "moq": 100,
    "quantity": 1000,
    "lead_time_days": 20,
    "incoterm": "FOB",
    "valid_until": in_days(30).isoformat(),
}


def test_the_api_answers_409_with_a_code_until_confirm_terms(cif_rfq, supplier_member):
    client = api(supplier_member)
    url = f"/api/v1/rfq-opportunities/{cif_rfq.pk}/quote/"
    refused = client.post(url, QUOTE, format="json")
    assert refused.status_code == 409
    assert refused.data["code"] == TERMS_CODE
    assert (refused.data["asked"], refused.data["quoted"], refused.data["missing"]) == (
        "CIF",
        "FOB",
        ["freight", "insurance"],
    )
    assert refused.data["detail"] and not Quote.objects.exists()
    assert client.post(url, {**QUOTE, "confirm_terms": True}, format="json").status_code == 201
    assert client.post(url, {**QUOTE, "freight_total": "700.00"}, format="json").status_code == 200


def test_the_api_keeps_the_quote_away_from_other_suppliers(cif_rfq, outsider):
    from .factories import supplier_with_member

    _s, member = supplier_with_member()
    url = f"/api/v1/rfq-opportunities/{cif_rfq.pk}/quote/"
    assert api(member).post(url, {**QUOTE, "confirm_terms": True}, format="json").status_code == 404
    assert not Quote.objects.exists()


# --- quantities and the category picker -------------------------------------------------------


@pytest.mark.parametrize(("typed", "read"), [("2,000", 2000), ("2 000", 2000), ("２０００", 2000), ("12", 12)])
def test_rfq_and_quote_quantities_read_like_the_cart(category, typed, read):
    rfq_form = RfqForm(_rfq_form(category, quantity=typed))
    assert rfq_form.is_valid(), rfq_form.errors
    assert rfq_form.cleaned_data["quantity"] == read
    quote_form = QuoteForm(_quote_form(quantity=typed, moq=typed))
    assert quote_form.is_valid(), quote_form.errors
    assert (quote_form.cleaned_data["quantity"], quote_form.cleaned_data["moq"]) == (read, read)


@pytest.mark.parametrize("typed", ["0", "lots", "-5", "1.5"])
def test_bad_quantities_are_refused(category, typed):
    assert not RfqForm(_rfq_form(category, quantity=typed)).is_valid()
    assert not QuoteForm(_quote_form(quantity=typed)).is_valid()


def test_the_category_picker_groups_by_parent_in_the_readers_language(buyer):
    machines = f.CategoryFactory(name_en="Machinery", name_zh="机械")
    f.CategoryFactory(name_en="Laser cutters", name_zh="激光切割机", parent=machines)
    food = f.CategoryFactory(name_en="Food", name_zh="食品")
    f.CategoryFactory(name_en="Goji", name_zh="枸杞", parent=food)
    response = client_for(buyer).get(reverse("orders:rfq_new"))
    assert response.status_code == 200
    text = response.text
    assert '<optgroup label="Machinery">' in text and '<optgroup label="Food">' in text
    group = text[text.index('<optgroup label="Machinery">') :]
    group = group[: group.index("</optgroup>")]
    assert "All of Machinery" in group and "Laser cutters" in group and "Goji" not in group
    with translation.override("zh-hans"):
        form = RfqForm()
        groups = dict(form.fields["category"].grouped_choices)
    assert "机械" in groups and [label for _pk, label in groups["机械"]][1] == "激光切割机"


def test_choosing_a_parent_category_posts(buyer, django_capture_on_commit_callbacks):
    parent = f.CategoryFactory(name_en="Machinery")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(buyer).post(reverse("orders:rfq_new"), _rfq_form(parent, quantity="2,000"))
    assert response.status_code == 302
    rfq = Rfq.objects.get()
    assert (rfq.category, rfq.quantity) == (parent, 2000)


def test_every_incoterm_is_ranked():
    from orders.services.quote_terms import SELLER_REACH

    assert set(SELLER_REACH) == set(Incoterm.values)
