"""Generated suppliers: spread over the belts by their weights, at a mix of statuses and
certification levels, each with production sites in its belt's province, an active certification
and its audit events, loaded with COPY. Returns the plans listing generation draws from."""

from __future__ import annotations

import base64
import datetime
import io
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from stdnum.cn import uscc as uscc_number

from belts.models import Belt
from demo.generator.plans import (
    GENERATED_SLUG_PREFIX,
    LAPSED_STATES,
    PUBLIC_STATES,
    SUPPLIER_STATES,
    SupplierPlan,
    nice_at_least,
)
from demo.generator.vocabulary import BRAND_SYLLABLES, GIVEN_NAMES, LEAF_INDUSTRY, ROADS, SURNAMES, BeltProfile
from marketplace.pgcopy import CopyTable, as_json, reserve_ids
from suppliers.badges import badges_refresh
from suppliers.models import Certification, EvidenceItem, ProductionSite, Supplier, SupplierEvent

PLACEHOLDER_REPORT = "generated/audit-report-placeholder.pdf"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def supplier_models() -> dict[str, Any]:
    """The tables the generator writes beside the catalog's."""
    return {
        "supplier": Supplier,
        "site": ProductionSite,
        "certification": Certification,
        "event": SupplierEvent,
        "evidence": EvidenceItem,
    }


def suppliers_load(
    cursor: Any,
    rng: random.Random,
    models: dict[str, Any],
    profiles: list[tuple[Belt, BeltProfile]],
    categories: dict[str, int],
    count: int,
    counts: Counter[str],
    say: Callable[[str], None],
) -> list[tuple[SupplierPlan, float]]:
    """Suppliers with their sites, certifications, events and main categories; returns the plans
    listing generation draws from, each with its share of the listings."""
    supplier_model, site_model = models["supplier"], models["site"]
    certification_model, event_model = models["certification"], models["event"]
    now = timezone.now()
    today = timezone.localdate()
    report = _placeholder_report(certification_model)
    supplier_ids = reserve_ids(cursor, supplier_model, count)
    states = [name for name, _share in SUPPLIER_STATES]
    state_weights = [share for _name, share in SUPPLIER_STATES]
    belt_weights = [profile.weight for _belt, profile in profiles]

    supplier_rows: list[list[Any]] = []
    event_rows, category_rows = [], []
    plans: list[tuple[SupplierPlan, float]] = []
    pending_sites: list[list[Any]] = []
    pending_certs: list[list[Any]] = []
    site_refs: list[list[tuple[list[Any], str, str]]] = []  # per plan: (site row, city en, city zh)
    for supplier_id in supplier_ids:
        belt, profile = rng.choices(profiles, weights=belt_weights)[0]
        city = rng.choice(profile.cities)
        state = rng.choices(states, weights=state_weights)[0]
        trading = rng.random() < 0.12
        if trading and state in ("certified_origin", "audited_factory"):
            state = "verified"  # the origin levels are for manufacturers
        # A supplier makes a few of its belt's leaves, its main line most.
        own_leaves = rng.sample(list(profile.leaves), k=min(len(profile.leaves), rng.randint(1, 3)))
        leaves = {leaf: profile.leaves[leaf] * (3 if i == 0 else 1) for i, leaf in enumerate(own_leaves)}
        industry = LEAF_INDUSTRY[own_leaves[0]]

        brand = rng.sample(BRAND_SYLLABLES, 2)
        brand_en = brand[0][0] + brand[1][0].lower()
        brand_zh = brand[0][1] + brand[1][1]
        word_en, word_zh = industry.supplier_words.pick(rng)
        if trading:
            word_en, word_zh = rng.choice((("Trading", "贸易"), ("Import and Export", "进出口")))
        name_en = f"{city.en} {brand_en} {word_en} Co., Ltd."
        name_zh = f"{city.zh}{brand_zh}{word_zh}有限公司"
        base = slugify_ascii(f"{city.en} {brand_en} {word_en}")[:80]
        slug = f"{GENERATED_SLUG_PREFIX}{base}-{supplier_id}"
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
        phone = f"+86 {rng.randint(130, 199)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
        person = f"{surname[1]}{given[1]} ({surname[0]} {given[0]})"
        road_en, road_zh = rng.choice(ROADS)
        number = rng.randint(1, 999)
        address = f"{city.zh}{road_zh}{number}号 ({number} {road_en}, {city.en})"

        founded = rng.randint(1988, 2021)
        staff = nice_at_least(rng.lognormvariate(4.2, 0.9))
        area = nice_at_least(staff * rng.uniform(30, 120))
        nouns = [LEAF_INDUSTRY[leaf].leaves[leaf].nouns.items[0] for leaf in own_leaves]
        makes_en = ", ".join(en for en, _zh in nouns)
        makes_zh = "、".join(zh for _en, zh in nouns)
        kind_en = "Trades in" if trading else "Makes"
        description_en = (
            f"{kind_en} {makes_en} in {city.en}, in the {belt.name_en}. Founded in {founded}, "
            f"{staff:,} staff" + ("." if trading else f" and a {area:,} m² factory.")
        )
        description_zh = (
            f"位于{city.zh}，{belt.name_zh}企业，{'经营' if trading else '生产'}{makes_zh}。"
            f"成立于{founded}年，员工{staff}人。"
        )

        joined = now - datetime.timedelta(days=rng.uniform(760, 1100))
        submitted = None if state == "draft" else joined + datetime.timedelta(days=rng.uniform(1, 10))
        status, level = _status_and_level(state, rng)
        certified_at = decided_at = certified_until = None
        current_certification = None
        if state in (*PUBLIC_STATES, *LAPSED_STATES):
            assert submitted is not None  # only drafts are unsubmitted
            certified_at = submitted + datetime.timedelta(days=rng.uniform(3, 25))
            decided_at = certified_at
            if state == "expired":
                # Lapsed at least two days ago: clear of the one-day time-zone margin of
                # the denormalised is_public (migration 0005), so both views agree.
                certified_until = today - datetime.timedelta(days=rng.randint(2, 120))
            else:
                certified_until = today + datetime.timedelta(days=rng.randint(20, 365))
            cert_level = level if level != "none" else rng.choice(PUBLIC_STATES)
            cert_status = "downgraded" if state == "suspended" else "active"
            cert = [
                None, supplier_id, cert_level, cert_status, verification_code(rng),
                certified_until - datetime.timedelta(days=365), certified_until, certified_at,
                "Generated scale-test data", report if cert_level == "audited_factory" else "",
                "clean", "",  # the placeholder report (or none) needs no check: marketplace.filecheck
            ]  # fmt: skip
            pending_certs.append(cert)
            if state != "suspended":
                current_certification = cert  # its id is set once reserved
            event_rows.append((supplier_id, "certified", "none", cert_level, certified_at, as_json({})))
            if state == "suspended":
                suspended = certified_at + datetime.timedelta(days=rng.uniform(30, 600))
                decided_at = suspended
                event_rows.append((supplier_id, "suspended", cert_level, "none", suspended, as_json({})))
        elif state in ("rejected", "info_requested"):
            assert submitted is not None
            decided_at = submitted + datetime.timedelta(days=rng.uniform(2, 20))
            event_rows.append((supplier_id, state, "", "", decided_at, as_json({})))
        if submitted:
            event_rows.append((supplier_id, "submitted", "", "", submitted, as_json({})))

        # Production sites in the belt's province; origin levels have them verified.
        site_count = rng.choices((0, 1, 2, 3), weights=(50, 40, 8, 2) if trading else (0, 70, 22, 8))[0]
        sites: list[tuple[list[Any], str, str]] = []
        for index in range(site_count):
            site_city = city if index == 0 else rng.choice(profile.cities)
            site_name = ("Main plant / 总厂", "No. 2 workshop / 二号车间", "Packing plant / 包装厂")[index]
            verified = state in ("certified_origin", "audited_factory") or (state == "verified" and rng.random() < 0.4)
            # The mark as the badge function will decide it (badges_refresh below writes only
            # what differs): verified sites of a manufacturer at an origin level.
            origin = verified and state in ("certified_origin", "audited_factory")
            row = [
                None, supplier_id, site_name, f"{site_city.zh}{road_zh}{number + index * 12}号",
                belt.province, f"{site_city.en} {site_city.zh}", f"{makes_en} / {makes_zh}"[:300], verified,
                certified_at if verified else None, origin,
            ]  # fmt: skip
            pending_sites.append(row)
            sites.append((row, site_city.en, site_city.zh))  # id filled below

        supplier_rows.append(
            [
                supplier_id, slug, name_en, name_zh, belt.pk,
                generated_uscc(city.division, supplier_id), person, address,
                "trading" if trading else "manufacturer", status, level, certified_at, certified_until,
                belt.province, city.en, city.zh, founded, staff, None if trading else area,
                description_en, description_zh, phone,
                "", person.split(" (")[0], "", "", joined, submitted, decided_at, current_certification,
            ]
        )  # fmt: skip
        for leaf in own_leaves[:2]:
            category_rows.append((supplier_id, categories[leaf]))
        weight = min(rng.paretovariate(1.3), 40.0) * (1.0 if state in PUBLIC_STATES else 0.3)
        plan = SupplierPlan(
            id=supplier_id,
            state=state,
            leaves=leaves,
            sites=[],  # filled once the sites have their ids
            sku_prefix=(brand[0][0][:1] + brand[1][0][:1] + word_en[:1]).upper(),
            currency_usd=rng.choice((0.0, 0.1, 0.3)),
        )
        plans.append((plan, weight))
        site_refs.append(sites)

    for row, site_id in zip(pending_sites, reserve_ids(cursor, site_model, len(pending_sites)), strict=True):
        row[0] = site_id
    for (plan, _weight), refs in zip(plans, site_refs, strict=True):
        plan.sites = [(row[0], city_en, city_zh) for row, city_en, city_zh in refs]
    for row, cert_id in zip(pending_certs, reserve_ids(cursor, certification_model, len(pending_certs)), strict=True):
        row[0] = cert_id
    for supplier_row in supplier_rows:
        supplier_row[-1] = supplier_row[-1][0] if supplier_row[-1] else None
    # The origin levels rest on manufacturing confirmed by staff (suppliers.badges): their evidence.
    evidence_rows = [
        (
            cert[0], "manufacturing", "Manufacturing within the licence's business scope (generated)",
            "营业执照经营范围包含生产（生成数据）", "Generated scale-test data", "生成的测试数据",
            "Generated scale-test data", cert[7], cert[6],
        )
        for cert in pending_certs
        if cert[2] in ("certified_origin", "audited_factory")
    ]  # fmt: skip

    supplier_table = CopyTable(
        supplier_model,
        (
            "id", "slug", "name_en", "name_zh", "belt_id", "uscc", "legal_representative", "registered_address",
            "business_type", "status", "certification_level", "certified_at", "certified_until", "province",
            "city_en", "city_zh", "year_founded", "staff_count", "factory_area_m2", "description_en",
            "description_zh", "phone", "website", "contact_name", "contact_email", "contact_phone",
            "created_at", "submitted_at", "decided_at", "current_certification_id",
        ),
    )  # fmt: skip
    cert_table = CopyTable(
        certification_model,
        (
            "id", "supplier_id", "level", "status", "code", "valid_from", "valid_until", "decided_at", "reason",
            "audit_report", "file_check", "file_quarantine",
        ),
    )  # fmt: skip
    site_table = CopyTable(
        site_model,
        (
            "id", "supplier_id", "name", "address", "province", "city", "products", "is_verified", "verified_at",
            "confers_origin",
        ),
    )  # fmt: skip
    event_table = CopyTable(event_model, ("supplier_id", "kind", "from_level", "to_level", "created_at", "data"))
    through_table = CopyTable.of_link_table(
        Supplier.main_categories.field.m2m_db_table(), ("supplier_id", "category_id")
    )
    counts["suppliers"] += supplier_table.copy(cursor, (tuple(r) for r in supplier_rows))
    counts["certifications"] += cert_table.copy(cursor, (tuple(r) for r in pending_certs))
    counts["production sites"] += site_table.copy(cursor, (tuple(r) for r in pending_sites))
    counts["supplier events"] += event_table.copy(cursor, event_rows)
    counts["supplier main categories"] += through_table.copy(cursor, category_rows)
    evidence_table = CopyTable(
        models["evidence"],
        (
            "certification_id", "kind", "title_en", "title_zh", "method_en", "method_zh", "performed_by",
            "performed_at", "valid_until",
        ),
    )  # fmt: skip
    counts["evidence"] += evidence_table.copy(cursor, evidence_rows)
    # The stored badges (level, expiry, the sites that confer the mark) as the one badge function
    # decides them from what was just written; the listings copy the sites' mark as they go in.
    for start in range(0, len(supplier_ids), 5000):
        badges_refresh(supplier_ids[start : start + 5000])
    by_state = Counter(plan.state for plan, _w in plans)
    say("  suppliers: " + ", ".join(f"{state} {n:,}" for state, n in by_state.most_common()))
    return plans


def _placeholder_report(certification_model: Any) -> str:
    """One shared, clearly marked file for the audited-factory certifications' required report."""
    storage = certification_model._meta.get_field("audit_report").storage
    if storage.exists(PLACEHOLDER_REPORT):
        return PLACEHOLDER_REPORT
    page = Image.new("RGB", (595, 842), "white")
    ImageDraw.Draw(page).text(
        (60, 80),
        "Generated scale-test data (generate_catalog).\nNot a real audit report.",
        fill="black",
        font=ImageFont.load_default(size=18),
    )
    out = io.BytesIO()
    page.save(out, format="PDF")
    return storage.save(PLACEHOLDER_REPORT, ContentFile(out.getvalue()))


# --- listings --------------------------------------------------------------------------------


def _status_and_level(state: str, rng: random.Random) -> tuple[str, str]:
    if state in PUBLIC_STATES:
        return "certified", state
    if state == "expired":
        return "certified", rng.choice(PUBLIC_STATES)
    if state == "suspended":
        return "suspended", "none"
    return state, "none"


def generated_uscc(division: str, number: int) -> str:
    """A USCC of the right shape and check character, unique per `number` ("G" marks generated)."""
    code = ""
    n = number
    for _ in range(8):
        n, digit = divmod(n, 31)
        code = USCC_ALPHABET[digit] + code
    body = f"91{division}G{code}"
    return body + uscc_number.calc_check_digit(body + "0")


def verification_code(rng: random.Random) -> str:
    """16 URL-safe characters, like a real certificate code (suppliers.models.certification)."""
    return base64.urlsafe_b64encode(rng.getrandbits(96).to_bytes(12, "big")).decode()


def slugify_ascii(text: str) -> str:
    out, dash = [], False
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")
