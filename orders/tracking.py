"""Carriers suppliers ship with and the public page where anyone can follow a shipment.

The supplier names the carrier in free text (the ship form offers `CARRIERS` as suggestions); the
order page links the tracking number when `tracking_url` recognises the name. A carrier that
moves its tracking page is a one-line change of its pattern here; an unknown carrier simply shows
the number without a link.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Carrier:
    name: str  # as the ship form suggests it
    url: str  # the public tracking page, "{number}" standing for the tracking number
    aliases: tuple[str, ...] = ()  # other names people write (already normalised, see _key)


CARRIERS: tuple[Carrier, ...] = (
    Carrier(
        "COSCO Shipping",
        "https://elines.coscoshipping.com/ebusiness/cargoTracking?trackingType=BILLOFLADING&number={number}",
        ("cosco", "coscon", "cosco shipping", "中远海运", "中远"),
    ),
    Carrier("Maersk", "https://www.maersk.com/tracking/{number}", ("maersk", "maersk line", "马士基")),
    Carrier(
        "MSC",
        "https://www.msc.com/en/track-a-shipment?trackingNumber={number}",
        ("msc", "mediterranean", "地中海航运"),
    ),
    Carrier(
        "CMA CGM",
        "https://www.cma-cgm.com/ebusiness/tracking/search?SearchBy=BL&Reference={number}",
        ("cma cgm", "cmacgm", "达飞"),
    ),
    Carrier(
        "Hapag-Lloyd",
        "https://www.hapag-lloyd.com/en/online-business/track/track-by-booking-solution.html?blno={number}",
        ("hapag lloyd", "hapaglloyd", "赫伯罗特"),
    ),
    Carrier(
        "Evergreen",
        "https://ct.shipmentlink.com/servlet/TDB1_CargoTracking.do?BL={number}",
        ("evergreen", "shipmentlink", "长荣", "长荣海运"),
    ),
    Carrier(
        "ONE (Ocean Network Express)",
        "https://ecomm.one-line.com/one-ecom/manage-shipment/cargo-tracking?trakNoParam={number}",
        ("one", "ocean network", "one ocean network", "海洋网联"),
    ),
    Carrier(
        "DHL Express",
        "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}",
        ("dhl",),
    ),
    Carrier("FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}", ("fedex", "联邦快递")),
    Carrier("UPS", "https://www.ups.com/track?loc=en_US&tracknum={number}", ("ups",)),
    Carrier(
        "SF Express",
        "https://htm.sf-express.com/hk/en/dynamic_function/waybill/#search/bill-number/{number}",
        ("sf", "顺丰", "顺丰速运"),
    ),
    Carrier(
        "EMS / China Post",
        "https://www.ems.com.cn/queryList?mailNum={number}",
        ("ems", "china post", "china post ems", "ems china post", "chinapost", "中国邮政", "中国邮政ems"),
    ),
)

# Words that name a kind of company, not the carrier: "COSCO Shipping Lines Co., Ltd." is COSCO.
_GENERIC = frozenset(
    {"line", "lines", "shipping", "express", "logistics", "container", "containers", "co", "ltd", "limited",
     "inc", "ag", "sa", "gmbh", "group", "company", "international", "intl", "worldwide", "the"}
)  # fmt: skip
_WORDS = re.compile(r"[a-z0-9]+|[^\x00-\x7f]+")


def _key(name: str) -> str:
    """A carrier's name reduced for comparison: lower case, words only, generic words dropped."""
    words = [word for word in _WORDS.findall(name.casefold()) if word not in _GENERIC]
    return " ".join(words)


_BY_KEY: dict[str, Carrier] = {}
for _carrier in CARRIERS:
    for _name in (_carrier.name, *_carrier.aliases):
        _BY_KEY.setdefault(_key(_name), _carrier)
        _BY_KEY.setdefault(_key(_name).replace(" ", ""), _carrier)
_BY_KEY.pop("", None)


def carrier_for(name: str) -> Carrier | None:
    """The known carrier `name` stands for ("Maersk Line", "cosco", "顺丰速运"), or None."""
    key = _key(name or "")
    return _BY_KEY.get(key) or _BY_KEY.get(key.replace(" ", ""))


def tracking_url(carrier: str, tracking_number: str) -> str | None:
    """The public tracking page of `tracking_number` at `carrier`, or None when the carrier is not
    one we know or there is no number. The number is URL-encoded: it is typed by the supplier."""
    number = (tracking_number or "").strip()
    known = carrier_for(carrier)
    if known is None or not number:
        return None
    return known.url.format(number=quote(number, safe=""))
