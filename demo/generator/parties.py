"""Who trades in the generated year: the generated suppliers buyers can reach (each with a sales
person to answer, quote and ship, and how busy and quick it is), and the buying companies in many
countries with their people, addresses and, for a few, net payment terms approved by staff."""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import translation

from accounts.models import User
from buyers.models import BuyerCompany, CompanyAddress, CompanyEvent
from demo.generator.plans import GENERATED_SLUG_PREFIX
from demo.generator.tradebase import (
    BUYER_EMAIL_DOMAIN,
    STAFF_EMAIL,
    SUPPLIER_EMAIL_DOMAIN,
    WORDS,
    Calendar,
    Ids,
    Rows,
    data,
    pick,
)
from demo.generator.vocabulary import GIVEN_NAMES, SURNAMES
from marketplace.i18n import country_name
from suppliers.levels import PUBLIC_LEVELS

LEVEL_RANK = {level: rank for rank, level in enumerate(PUBLIC_LEVELS)}
NET_TERMS_SHARE = 0.08


@dataclass(eq=False)  # compared by identity: one object per supplier
class TradingSupplier:
    """A generated, publicly certified supplier as the trade sees it."""

    id: int
    belt_id: int
    level: str
    city_en: str
    since: datetime.datetime  # trade with it starts once it is certified
    main_categories: set[int]
    listed_categories: set[int]
    user_id: int = 0  # its sales person, who answers, quotes and ships
    activity: float = 1.0  # how much trade comes its way (Pareto: a few busy, most quiet)
    answers: float = 0.9  # the share of inquiries it answers
    answer_hours: float = 6.0  # its median time to a first answer
    past_buyers: list[Buyer] = field(default_factory=list)


@dataclass(eq=False)
class Buyer:
    id: int
    name: str
    country: str
    language: str
    city: str
    port: str
    business: str
    users: list[int]
    address: str
    billing: str
    net_terms_since: datetime.datetime | None  # when staff approved it for net terms
    since: datetime.datetime
    activity: float


def password(rng: random.Random) -> str:
    """An unusable password, as `set_unusable_password` stores it: nobody signs in as these people
    until staff or a reset gives them one."""
    return UNUSABLE_PASSWORD_PREFIX + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))


def trading_suppliers(cursor: Any) -> list[TradingSupplier]:
    """The generated suppliers buyers can trade with now (suppliers.querysets `certified`), with
    the categories an RFQ reaches them by: their main categories and those of their public listings."""
    cursor.execute(
        """
        SELECT s.id, s.belt_id, s.certification_level, s.city_en, COALESCE(s.certified_at, s.created_at),
               ARRAY(SELECT m.category_id FROM suppliers_supplier_main_categories m WHERE m.supplier_id = s.id),
               ARRAY(SELECT DISTINCT l.category_id FROM catalog_listing l WHERE l.supplier_id = s.id AND l.is_public)
        FROM suppliers_supplier s
        WHERE s.slug LIKE %s AND s.status = 'certified' AND s.certification_level = ANY(%s)
          AND (s.certified_until IS NULL OR s.certified_until >= CURRENT_DATE)
          AND NOT EXISTS (SELECT 1 FROM suppliers_suppliermember sm WHERE sm.supplier_id = s.id)
        ORDER BY s.id
        """,
        [GENERATED_SLUG_PREFIX + "%", list(PUBLIC_LEVELS)],
    )
    return [
        TradingSupplier(pk, belt, level, city, since, set(main), set(listed))
        for pk, belt, level, city, since, main, listed in cursor.fetchall()
    ]


def suppliers_prepare(
    rng: random.Random, ids: Ids, rows: Rows, suppliers: list[TradingSupplier], now: datetime.datetime
) -> None:
    """A sales person for each supplier, and how busy and how quick it is."""
    for supplier in suppliers:
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
        supplier.user_id = ids.next(User)
        rows.add(
            "users",
            supplier.user_id, password(rng), f"sales.{supplier.id}@{SUPPLIER_EMAIL_DOMAIN}",
            f"{surname[1]}{given[1]} ({surname[0]} {given[0]})", "supplier", "zh-hans", True, False, False,
            supplier.since,
        )  # fmt: skip
        rows.add("supplier members", supplier.id, supplier.user_id, "owner")
        # Higher levels draw more buyers; a heavy tail makes a few suppliers busy and most quiet.
        level_factor = 1.0 + 0.5 * LEVEL_RANK.get(supplier.level, 0)
        supplier.activity = min(rng.paretovariate(1.2), 60.0) * level_factor
        supplier.answers = min(0.99, max(0.3, rng.gauss(0.85, 0.15)))
        supplier.answer_hours = rng.lognormvariate(1.6, 0.9)  # median ~5 h, from minutes to days


def staff_user(rng: random.Random, ids: Ids, rows: Rows, calendar: Calendar) -> int:
    """The platform's credit desk, who approves net payment terms."""
    user_id = ids.next(User)
    rows.add(
        "users", user_id, password(rng), STAFF_EMAIL, "Credit desk (generated)", "staff", "en", True, True, False,
        calendar.start,
    )  # fmt: skip
    return user_id


def buyers_make(rng: random.Random, ids: Ids, rows: Rows, count: int, calendar: Calendar, staff_id: int) -> list[Buyer]:
    """Buying companies in the countries of trade.yaml, each with 1–3 people, its default
    shipping and billing address (with the address events the address service writes) and, for a
    few, net terms approved by staff."""
    countries = WORDS["countries"]
    weights = list(itertools.accumulate(c[1] for c in countries))
    suffixes = WORDS["company_suffix"]
    businesses = [
        (BuyerCompany.BusinessType.IMPORTER, 5, "importer"),
        (BuyerCompany.BusinessType.RETAILER, 2, "retailer"),
        (BuyerCompany.BusinessType.BRAND, 2, "brand owner"),
        (BuyerCompany.BusinessType.MANUFACTURER, 1, "manufacturer"),
    ]
    business_cum = list(itertools.accumulate(b[1] for b in businesses))
    buyers = []
    names: dict[str, int] = defaultdict(int)
    for _ in range(count):
        code, _w, language, places = rng.choices(countries, cum_weights=weights)[0]
        city, port = pick(rng, places)
        business, _bw, business_words = rng.choices(businesses, cum_weights=business_cum)[0]
        if code == "CN":
            zh = "".join(rng.sample("华鑫泰隆盛丰源达恒瑞金凯宏天宇诚宝福嘉美明", 2))
            name = f"{city} {zh}{pick(rng, WORDS['company_zh_words'])}有限公司"
        else:
            name = (
                f"{pick(rng, WORDS['company_first'])} {pick(rng, WORDS['company_second'])} {pick(rng, suffixes[code])}"
            )
        names[name] += 1
        if names[name] > 1:
            name = f"{name} ({city} {names[name]})"
        company_id = ids.next(BuyerCompany)
        since = calendar.start - datetime.timedelta(days=rng.randint(0, 900))
        # Companies keep joining during the year: a fifth of them is new.
        if rng.random() < 0.2:
            since = calendar.moment(rng) or since
        net = rng.random() < NET_TERMS_SHARE
        decided = since + datetime.timedelta(days=rng.randint(3, 60)) if net else None
        if decided and decided >= calendar.until:
            net, decided = False, None
        rows.add("buying companies", company_id, name, code, business, net, decided, staff_id if net else None, since)
        users = []
        for n in range(1 if rng.random() < 0.6 else rng.randint(2, 3)):
            user_id = ids.next(User)
            first, family = pick(rng, WORDS["given_names"]), pick(rng, WORDS["family_names"])
            person = first + " " + family
            rows.add(
                "users", user_id, password(rng), f"buyer{n + 1}.{company_id}@{BUYER_EMAIL_DOMAIN}", person, "buyer",
                language, True, False, False, since,
            )  # fmt: skip
            rows.add("buyer members", company_id, user_id)
            users.append(user_id)
        street = f"{rng.randint(1, 400)} {pick(rng, WORDS['company_first'])} Road"
        address = f"{street}\n{city}"
        phone = f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(100000, 999999)}"
        address_id = ids.next(CompanyAddress)
        recipient = f"{name}, receiving"
        rows.add("company addresses", address_id, company_id, "Main warehouse", recipient, address, code, phone,
                 True, True, since)  # fmt: skip
        snapshot = {
            "id": address_id, "label": "Main warehouse", "recipient": recipient, "address": address, "phone": phone,
            "country": code, "is_default": True, "is_billing": True,
        }  # fmt: skip
        rows.add("company events", company_id, CompanyEvent.Kind.ADDRESS_ADDED, users[0], data(snapshot), since)
        if net:
            rows.add(
                "company events", company_id, CompanyEvent.Kind.NET_TERMS_APPROVED, staff_id,
                data({"reason": "Credit check passed (generated)"}), decided,
            )  # fmt: skip
        # A company that joined during the year buys in the part of it that is left, at its own pace.
        share = min(1.0, (calendar.until - since) / (calendar.until - calendar.start))
        shipping = "\n".join([recipient, address, phone])  # CompanyAddress.shipping_text
        with translation.override(language):
            billing = "\n".join([recipient, address, str(country_name(code)), phone])  # CompanyAddress.as_text
        buyers.append(
            Buyer(
                id=company_id, name=name, country=code, language=language, city=city, port=port,
                business=business_words, users=users, address=shipping, billing=billing, net_terms_since=decided,
                since=max(since, calendar.start), activity=min(rng.paretovariate(1.1), 80.0) * share,
            )
        )  # fmt: skip
    return buyers
