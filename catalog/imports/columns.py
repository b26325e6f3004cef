"""The import file's columns: their keys, headers in both languages, and the words a cell may use."""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from ..incoterms import Incoterm
from ..models import Listing

TIER_COUNT = 4
# Spreadsheets run a cell that starts with one of these as a formula; exports prefix it with "'".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of the import file: its English name (the key), its Chinese name, what it holds."""

    key: str
    zh: str
    help: Promise | str
    example: str = ""
    aliases: tuple[str, ...] = ()
    explained: bool = True  # shown in the help table of the upload page (tiers 2–4 repeat tier 1)


def _tier_columns() -> list[Column]:
    """tier1_qty, tier1_price … tier4_qty, tier4_price; only the first pair is explained on the page."""
    examples = {1: ("1", "128000"), 2: ("5", "121000"), 3: ("20", "115000")}
    columns = []
    for n in range(1, TIER_COUNT + 1):
        qty, price = examples.get(n, ("", ""))
        columns += [
            Column(
                f"tier{n}_qty",
                f"阶梯{n}数量",
                gettext_lazy(
                    "Price tier: from this quantity. Tier 1 is required for a new listing; tiers 2 to 4 may be "
                    "empty. The MOQ may not be below tier 1's quantity."
                ),
                qty,
                (f"tier{n}_quantity",),
                explained=n == 1,
            ),
            Column(
                f"tier{n}_price",
                f"阶梯{n}单价",
                gettext_lazy(
                    "The unit price from that quantity. From tier to tier quantities rise and unit prices do not."
                ),
                price,
                explained=n == 1,
            ),
        ]
    return columns


COLUMNS: tuple[Column, ...] = (
    Column(
        "sku",
        "货号",
        gettext_lazy("Required. Your own code for the product; importing it again updates the same listing."),
        "LC-3015-3KW",
        ("商品编码", "编号"),
    ),
    Column(
        "title_en",
        "英文标题",
        gettext_lazy("Title in English (a title in one language is enough)."),
        "Fiber laser cutting machine 3015, 3 kW",
    ),
    Column("title_zh", "中文标题", gettext_lazy("Title in Chinese."), "3015光纤激光切割机 3千瓦"),
    Column("category", "类目", gettext_lazy("Category code, from the list below."), "laser-cutters", ("分类",)),
    Column(
        "description_en",
        "英文描述",
        gettext_lazy("Description in English."),
        "3 kW fiber source, 3000 × 1500 mm bed, CE marked.",
    ),
    Column(
        "description_zh",
        "中文描述",
        gettext_lazy("Description in Chinese."),
        "3千瓦光纤光源，3000×1500毫米床身，CE认证。",
    ),
    Column("unit", "单位", gettext_lazy("piece, set, pair, metre, kg, tonne, carton or unit. Empty: piece."), "set"),
    Column("currency", "币种", gettext_lazy("CNY or USD. Empty: CNY."), "CNY", ("货币",)),
    Column(
        "moq",
        "起订量",
        gettext_lazy("Minimum order quantity, a whole number (required for a new listing)."),
        "1",
        ("最小起订量",),
    ),
    Column(
        "moq_mode",
        "起订方式",
        gettext_lazy("mixed (the MOQ counts across all variants) or per_variant. Empty: mixed."),
        "mixed",
    ),
    Column(
        "order_multiple",
        "订购倍数",
        gettext_lazy("Sold in multiples of this (a carton pack). Empty: 1."),
        "1",
        ("倍数",),
    ),
    Column("lead_time_days", "交期天数", gettext_lazy("Lead time in days. Empty: 15."), "25", ("交期",)),
    Column("monthly_capacity", "月产能", gettext_lazy("Units a month; may be empty."), "60"),
    Column("sample_available", "提供样品", gettext_lazy("yes or no. Empty: no."), "yes", ("样品",)),
    Column(
        "sample_price",
        "样品价格",
        gettext_lazy("Price of a sample; required when a sample is available."),
        "128000",
        ("样品费",),
    ),
    Column("oem", "接受OEM", gettext_lazy("yes or no: you put the buyer's brand on your product."), "yes"),
    Column("odm", "接受ODM", gettext_lazy("yes or no: you design to the buyer's brief."), "no"),
    Column(
        "hs_code",
        "HS编码",
        gettext_lazy(
            "HS code: 6 digits (8456.11) or a national tariff code (8456110000). Empty: the category's. Write it "
            "as text so a spreadsheet keeps a leading zero (0808.10)."
        ),
        "8456.11.00.00",
        ("海关编码", "hs"),
    ),
    Column(
        "origin_country",
        "原产国",
        gettext_lazy("Country of origin, a two-letter ISO code (CN, VN…). Empty: CN."),
        "CN",
    ),
    Column(
        "origin_region",
        "原产省份",
        gettext_lazy(
            "Province of origin for goods from China: its code (CN-HB) or name (Hubei, 湖北省). May be empty."
        ),
        "CN-HB",
    ),
    Column(
        "export_markets",
        "出口市场",
        gettext_lazy("Countries you ship to or are approved for: two-letter codes separated by spaces or commas."),
        "DE FR VN",
    ),
    Column(
        "price_incoterm",
        "价格条款",
        gettext_lazy("The Incoterm of your prices: EXW, FCA, FOB, CFR, CIF, DAP or DDP. Empty: EXW."),
        "FOB",
        ("incoterm",),
    ),
    Column(
        "price_incoterm_place",
        "价格条款地点",
        gettext_lazy("Its named place, such as the port for FOB (Shanghai). May be empty."),
        "Wuhan",
        ("incoterm_place",),
    ),
    *_tier_columns(),
    Column(
        "status",
        "状态",
        gettext_lazy(
            "draft or published. Only a supplier certified at least “verified” may publish; "
            "otherwise the row is saved as a draft. Empty: draft."
        ),
        "draft",
    ),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
TEXT_KEYS = ("sku", "title_en", "title_zh", "description_en", "description_zh", "price_incoterm_place")

# What a cell may say for each choice, in English or Chinese (compared in lower case).
UNIT_WORDS = {
    **{value: value for value in Listing.Unit.values},
    "pieces": "piece", "pcs": "piece", "pc": "piece", "件": "piece", "个": "piece", "sets": "set", "套": "set",
    "pairs": "pair", "双": "pair", "对": "pair", "meter": "metre", "metres": "metre", "meters": "metre", "m": "metre",
    "米": "metre", "kilogram": "kg", "kilograms": "kg", "千克": "kg", "公斤": "kg", "ton": "tonne", "tonnes": "tonne",
    "tons": "tonne", "t": "tonne", "吨": "tonne", "cartons": "carton", "ctn": "carton", "箱": "carton", "units": "unit",
    "台": "unit",
}  # fmt: skip
CURRENCY_WORDS = {"cny": "CNY", "rmb": "CNY", "人民币": "CNY", "元": "CNY", "usd": "USD", "us$": "USD", "美元": "USD"}
MOQ_MODE_WORDS = {
    "mixed": "mixed", "mixed batch": "mixed", "混批": "mixed", "可混批": "mixed",
    "per_variant": "per_variant", "per variant": "per_variant", "按款": "per_variant", "每款": "per_variant",
}  # fmt: skip
STATUS_WORDS = {
    "draft": "draft", "草稿": "draft", "下架": "draft",
    "published": "published", "publish": "published", "发布": "published", "已发布": "published", "上架": "published",
}  # fmt: skip
INCOTERM_WORDS = {value.lower(): value for value in Incoterm.values}
YES_WORDS = {"yes", "y", "true", "1", "是", "有", "可", "支持"}
NO_WORDS = {"no", "n", "false", "0", "否", "无", "没有", "不", "不支持"}


def _header_key(cell: str) -> str:
    """The comparable form of a header cell: no BOM or required-star, lower case, `_` for spaces."""
    text = cell.replace("\ufeff", "").strip().lstrip("*").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


HEADER_NAMES: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.zh, *_column.aliases):
        HEADER_NAMES[_header_key(_name)] = _column.key


def header_row(language: str | None = None) -> list[str]:
    """The header of the template and of an export: Chinese names for a Chinese reader, else English."""
    chinese = (language or translation.get_language() or "en").lower().startswith("zh")
    return [column.zh if chinese else column.key for column in COLUMNS]
