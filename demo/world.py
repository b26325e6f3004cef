"""The demo world, read from the YAML files under demo/data/ and checked before anything is written.

    world.yaml             logins, the buying company, the belt operator, the belts' order
    categories.yaml        the two-level category tree
    audit_checklists.yaml  an audit checklist per industry
    belts/<slug>.yaml      a belt with its suppliers (each with its `evidence`) and their listings
                           (each with its `details`)
    trade.yaml             orders, inquiries and an RFQ in flight for the demo buyer and supplier

`load_world()` returns them as plain dicts and lists in the shapes `demo.seed` writes (evidence by
supplier slug, details by SKU); `world_problems()` lists what would break the marketplace's rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from stdnum.cn import uscc as uscc_number

from suppliers.models import CertificationLevel, SupplierDocument

DATA_DIR = Path(__file__).resolve().parent / "data"
SITE_FIELD_LIMITS = {"name": 120, "city": 80, "address": 300, "products": 300}

# The keys every entry must have (optional ones are read with .get() by the seed).
REQUIRED = {
    "world": ("password", "accounts", "buyer_company", "operator", "certification_reason",
              "certification_valid_days", "belts"),
    "account": ("email", "role", "full_name", "sees"),
    "category": ("slug", "name_en", "name_zh", "colours", "children"),
    "checklist": ("slug", "industry_en", "industry_zh", "points"),
    "belt": ("slug", "name_en", "name_zh", "brand_en", "brand_zh", "province", "city_en", "city_zh",
             "industry_en", "industry_zh", "story_en", "story_zh", "audit_checklist", "suppliers"),
    "supplier": ("slug", "name_en", "name_zh", "uscc", "business_type", "certification", "city_en", "city_zh",
                 "year_founded", "staff_count", "factory_area_m2", "description_en", "description_zh",
                 "evidence", "listings"),
    "evidence": ("legal_representative", "registered_address", "sites", "certificates"),
    "listing": ("sku", "category", "title_en", "title_zh", "description_en", "description_zh", "unit",
                "currency", "moq", "tiers", "lead_time_days", "monthly_capacity", "sample_price"),
    "trade": ("shipping", "orders", "inquiries", "rfq"),
}  # fmt: skip


class WorldError(ValueError):
    """The data files are missing, malformed or break a rule; the message lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("demo/data is inconsistent:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class World:
    password: str
    accounts: list[dict[str, Any]]
    buyer_company: dict[str, Any]
    operator: dict[str, Any]
    certification_reason: str
    certification_valid_days: int
    categories: list[dict[str, Any]]
    audit_checklists: list[dict[str, Any]]
    belt_checklists: dict[str, str]  # belt slug → audit checklist slug
    belts: list[dict[str, Any]]  # each with its suppliers, each with its listings
    supplier_evidence: dict[str, dict[str, Any]]  # supplier slug → what it handed in
    listing_details: dict[str, dict[str, Any]]  # SKU → specifications, variants, trade details
    shipping: dict[str, str]
    trade_orders: list[dict[str, Any]]
    trade_inquiries: list[dict[str, Any]]
    trade_rfq: dict[str, Any]
    # The belts' regional-brand licences: supplier, scope (category slugs), days valid, who grants.
    brand_licences: list[dict[str, Any]] = field(default_factory=list)

    # The lots of a produce supplier and an order shipped from them (world.yaml `produce_lots`).
    produce_lots: dict[str, Any] = field(default_factory=dict)

    @property
    def suppliers(self) -> list[dict[str, Any]]:
        return [supplier for belt in self.belts for supplier in belt["suppliers"]]

    @property
    def listings(self) -> list[dict[str, Any]]:
        return [listing for supplier in self.suppliers for listing in supplier["listings"]]


@cache
def demo_world() -> World:
    """The world of demo/data/, read and checked once per process."""
    return load_world(DATA_DIR)


def load_world(directory: Path) -> World:
    """Read the files of `directory`; raises WorldError listing every problem found."""
    problems: list[str] = []
    head = _read(directory / "world.yaml")
    problems += _missing(head, "world", "world.yaml")
    for account in head.get("accounts", []):
        problems += _missing(account, "account", f"account {account.get('email')}")
    categories = _read(directory / "categories.yaml")
    for category in categories:
        problems += _missing(category, "category", f"category {category.get('slug')}")
    checklists = _read(directory / "audit_checklists.yaml")
    for checklist in checklists:
        problems += _missing(checklist, "checklist", f"checklist {checklist.get('slug')}")
    trade = _read(directory / "trade.yaml")
    problems += _missing(trade, "trade", "trade.yaml")

    belts: list[dict[str, Any]] = []
    belt_checklists: dict[str, str] = {}
    evidence: dict[str, dict[str, Any]] = {}
    details: dict[str, dict[str, Any]] = {}
    for slug in head.get("belts", []):
        path = directory / "belts" / f"{slug}.yaml"
        if not path.exists():
            problems.append(f"belt {slug}: no file {path.relative_to(directory)}")
            continue
        belt = _read(path)
        problems += _missing(belt, "belt", f"belts/{slug}.yaml")
        if belt.get("slug") != slug:
            problems.append(f"belts/{slug}.yaml holds the belt {belt.get('slug')}")
        belt_checklists[slug] = belt.pop("audit_checklist", None)
        for supplier in belt.get("suppliers", []):
            where = f"supplier {supplier.get('slug')}"
            problems += _missing(supplier, "supplier", where)
            problems += _missing(supplier.get("evidence", {}), "evidence", f"{where} evidence")
            evidence[supplier.get("slug")] = supplier.pop("evidence", {})
            for listing in supplier.get("listings", []):
                problems += _missing(listing, "listing", f"{where} / listing {listing.get('sku')}")
                if listing.get("sku") in details:
                    problems.append(f"{where}: SKU {listing['sku']} is used twice in the world")
                details[listing.get("sku")] = listing.pop("details", {})
        belts.append(belt)
    if problems:
        raise WorldError(problems)

    world = World(
        password=head["password"],
        accounts=head["accounts"],
        buyer_company=head["buyer_company"],
        operator=head["operator"],
        certification_reason=head["certification_reason"],
        certification_valid_days=head["certification_valid_days"],
        categories=categories,
        audit_checklists=checklists,
        belt_checklists=belt_checklists,
        belts=belts,
        supplier_evidence=evidence,
        listing_details=details,
        shipping=trade["shipping"],
        trade_orders=trade["orders"],
        trade_inquiries=trade["inquiries"],
        trade_rfq=trade["rfq"],
        brand_licences=head.get("brand_licences", []),
        produce_lots=head.get("produce_lots") or {},
    )
    problems = world_problems(world)
    if problems:
        raise WorldError(problems)
    return world


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _missing(data: Any, kind: str, where: str) -> list[str]:
    if not isinstance(data, dict):
        return [f"{where}: expected a mapping, found {type(data).__name__}"]
    return [f"{where}: no {key}" for key in REQUIRED[kind] if key not in data]


def world_problems(world: World) -> list[str]:
    """What breaks the marketplace's rules (SKUs, USCCs, tiers, categories, evidence), all at once."""
    problems: list[str] = []
    leaves = {child["slug"] for root in world.categories for child in root["children"]}
    usccs: set[str] = set()
    supplier_slugs: set[str] = set()
    for supplier in world.suppliers:
        slug = supplier["slug"]
        if slug in supplier_slugs:
            problems.append(f"supplier slug {slug} is used twice")
        supplier_slugs.add(slug)
        if not uscc_number.is_valid(supplier["uscc"]):
            problems.append(f"{slug}: USCC {supplier['uscc']} is not valid")
        if supplier["uscc"] in usccs:
            problems.append(f"{slug}: USCC {supplier['uscc']} is used twice")
        usccs.add(supplier["uscc"])
        if supplier["certification"] not in (None, *CertificationLevel.values[1:]):
            problems.append(f"{slug}: unknown certification level {supplier['certification']}")
        for listing in supplier["listings"]:
            problems += _listing_problems(listing, f"{slug} / {listing['sku']}", leaves)
    problems += _evidence_problems(world, supplier_slugs)
    problems += _brand_licence_problems(world, supplier_slugs, leaves)
    first_supplier = world.belts[0]["suppliers"][0]
    if not first_supplier["certification"]:
        problems.append(f"{first_supplier['slug']} has the supplier demo login, so it must be certified")
    return problems


def _brand_licence_problems(world: World, suppliers: set[str], leaves: set[str]) -> list[str]:
    problems: list[str] = []
    accounts = {account["email"] for account in world.accounts}
    certified = {s["slug"] for s in world.suppliers if s["certification"]}
    for entry in world.brand_licences:
        where = f"brand licence of {entry.get('supplier')}"
        problems += [f"{where}: no {key}" for key in ("supplier", "categories", "valid_days", "granted_by", "grantor")
                     if key not in entry]  # fmt: skip
        if entry.get("supplier") not in suppliers:
            problems.append(f"{where}: no such supplier")
        elif entry["supplier"] not in certified:
            problems.append(f"{where}: only a certified supplier can be licensed")
        problems += [f"{where}: no category {slug}" for slug in entry.get("categories", []) if slug not in leaves]
        if entry.get("granted_by") not in accounts:
            problems.append(f"{where}: no account {entry.get('granted_by')}")
    return problems


def _listing_problems(listing: dict[str, Any], where: str, leaves: set[str]) -> list[str]:
    problems: list[str] = []
    if listing["category"] not in leaves:
        problems.append(f"{where}: {listing['category']} is not a second-level category")
    quantities = [quantity for quantity, _ in listing["tiers"]]
    prices = [Decimal(price) for _, price in listing["tiers"]]
    if not 2 <= len(quantities) <= 4:
        problems.append(f"{where}: needs 2 to 4 price tiers")
    if quantities != sorted(set(quantities)) or prices != sorted(set(prices), reverse=True):
        problems.append(f"{where}: tier quantities must rise and unit prices fall")
    if quantities and listing["moq"] > quantities[0]:
        problems.append(f"{where}: MOQ is above the first tier's quantity")
    return problems


def _evidence_problems(world: World, supplier_slugs: set[str]) -> list[str]:
    """What would make the evidence unusable: unknown checklists and standards, bad dates."""
    problems: list[str] = []
    checklists = {data["slug"]: {code for code, _, _ in data["points"]} for data in world.audit_checklists}
    for belt in world.belts:
        checklist = world.belt_checklists.get(belt["slug"])
        if checklist not in checklists:
            problems.append(f"belt {belt['slug']}: audit_checklist {checklist} is no checklist")
            continue
        for supplier in belt["suppliers"]:
            slug, data = supplier["slug"], world.supplier_evidence.get(supplier["slug"], {})
            for site in data.get("sites", []):
                problems += [
                    f"{slug}: site {key} longer than {n}" for key, n in SITE_FIELD_LIMITS.items() if len(site[key]) > n
                ]
            if not data.get("sites") and supplier["business_type"] == "manufacturer":
                problems.append(f"{slug}: a manufacturer needs a production site")
            for certificate in data.get("certificates", []):
                if certificate["standard"] not in SupplierDocument.Standard.values:
                    problems.append(f"{slug}: unknown standard {certificate['standard']}")
                if certificate["until"] <= 0 or certificate["from"] < 0:
                    problems.append(
                        f"{slug}: certificate {certificate['number']} must be current on the day of the seed"
                    )
            unknown = set(data.get("audit", {})) - checklists[checklist]
            problems += [f"{slug}: audit point {code} is not in the {checklist} checklist" for code in sorted(unknown)]
            if supplier["certification"] and not data.get("licence", True):
                problems.append(f"{slug}: a certified company needs its business licence")
    return problems
