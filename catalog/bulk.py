"""Bulk loading and a large, realistic generated catalog, for measuring at scale.

Used by `python manage.py generate_catalog` (catalog/management/commands/generate_catalog.py).

Two parts:

- `CopyTable`: streams rows into one table with PostgreSQL `COPY … FROM STDIN (FORMAT csv)`
  from an in-memory buffer. Columns it is not given get the model field's default, so a column
  added later with a default does not break the generator.
- The vocabularies of the demo belts' industries (laser machines, fabrics, men's and children's
  clothing, dried fruit and nuts, farm produce, goji) and pure functions that build supplier and
  listing rows from them with a seeded `random.Random`. Word choices follow a Zipf-like law (the
  n-th word of a list is picked about 1/n as often as the first), so the catalog has common words,
  a long tail and a few rare ones, as real catalogs do.

Nothing here imports the suppliers app (README, "Architecture"): supplier-side models are reached
through the ORM relations of the catalog's own models.
"""

from __future__ import annotations

import base64
import bisect
import csv
import datetime
import io
import itertools
import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from stdnum.cn import uscc as uscc_number

# Every generated supplier's slug starts with this, so a second run can tell its data is there.
GENERATED_SLUG_PREFIX = "gen-"

# --------------------------------------------------------------------------------------------
# COPY
# --------------------------------------------------------------------------------------------


class CopyTable:
    """COPY rows of `model` given as tuples in the order of `columns` (database column names).

    Every other concrete column gets the field's default (None for nullable fields, "" for blank
    text); the primary key is left to its identity default unless `columns` names it.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.table = model._meta.db_table
        known = {f.column for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise ValueError(f"{self.table} has no column {', '.join(unknown)}")
        given = set(columns)
        extra = [f for f in model._meta.concrete_fields if f.column not in given and not f.primary_key]
        self.columns = [*columns, *(f.column for f in extra)]
        self.defaults = tuple(_column_default(f) for f in extra)
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        self.sql = f'COPY "{self.table}" ({quoted}) FROM STDIN WITH (FORMAT csv)'

    def encode(self, rows: Iterable[tuple]) -> tuple[io.StringIO, int]:
        """The CSV of `rows` (defaults appended) ready for `send`, and how many rows it holds."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_STRINGS, lineterminator="\n")
        defaults = self.defaults
        count = 0
        for row in rows:
            writer.writerow(row + defaults if defaults else row)
            count += 1
        buffer.seek(0)
        return buffer, count

    def send(self, cursor: Any, encoded: tuple[io.StringIO, int]) -> int:
        """COPY an encoded buffer into the table; returns how many rows it held."""
        buffer, count = encoded
        if count:
            cursor.copy_expert(self.sql, buffer)
        return count

    def copy(self, cursor: Any, rows: Iterable[tuple]) -> int:
        """Write `rows` through one COPY; returns how many rows were sent."""
        return self.send(cursor, self.encode(rows))


def _column_default(f: models.Field) -> Any:
    if f.has_default() and callable(f.default) and f.unique:
        # One value for every row would break the unique index (a verification code, a token).
        raise ValueError(f"{f.model._meta.db_table}.{f.column} is unique: give it in the COPY columns")
    if f.has_default():
        value = f.get_default()
        if isinstance(f, models.JSONField):
            return json.dumps(value, ensure_ascii=False)
        return value
    if f.null:
        return None
    if isinstance(f, models.CharField | models.TextField) and f.blank:
        return ""
    raise ValueError(f"{f.model._meta.db_table}.{f.column} needs a value: give it in the COPY columns")


def reserve_ids(cursor: Any, model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys from the table's own sequence (safe beside concurrent inserts)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# Word lists with Zipf-like frequencies
# --------------------------------------------------------------------------------------------


class Zipf:
    """Items picked with probability proportional to 1 / rank**s (the first is the most common)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: Sequence[Any], s: float = 1.0) -> None:
        if not items:
            raise ValueError("Zipf needs at least one item")
        self.items = list(items)
        acc, cum = 0.0, []
        for rank in range(1, len(self.items) + 1):
            acc += 1.0 / rank**s
            cum.append(acc)
        self.cum, self.total = cum, acc

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]

    def sample(self, rng: random.Random, k: int) -> list[Any]:
        """Up to `k` distinct items, each drawn by frequency."""
        chosen: list[Any] = []
        for _ in range(k * 3):
            item = self.pick(rng)
            if item not in chosen:
                chosen.append(item)
                if len(chosen) == k:
                    break
        return chosen


def z(*pairs: tuple[str, str], s: float = 1.0) -> Zipf:
    return Zipf(pairs, s)


@dataclass
class Leaf:
    """A leaf category with what its listings are called and how they are sold."""

    slug: str
    nouns: Zipf  # (english, chinese)
    units: tuple[str, ...]
    price: tuple[float, float]  # CNY per unit, drawn log-uniformly
    moq: tuple[int, ...]  # most common first
    pre: tuple[tuple[float, Zipf], ...] = ()  # (probability, words before the noun)
    post: tuple[tuple[float, Zipf, str, str], ...] = ()  # (probability, words, english format, chinese)
    features: Zipf | None = None  # instead of the industry's

    def __post_init__(self) -> None:
        self.moq_choice = Zipf(self.moq, 1.2)
        self.log_price = (math.log(self.price[0]), math.log(self.price[1]))


@dataclass
class Industry:
    """A root category: its leaves and the words its listings share."""

    root: str
    leaves: dict[str, Leaf]
    features: Zipf  # "with …" in titles, long tail
    applications: Zipf  # rare: "for shipbuilding"
    sentences: Zipf  # description sentences, (english, chinese) with {noun_en}/{noun_zh}
    specs: tuple[tuple[str, str, Zipf], ...]
    customisation: Zipf
    supplier_words: Zipf  # company name: "Laser Technology" / "激光科技"
    variant_kind: str  # "model", "colour", "size", "pack"
    variant_share: float
    sample_share: float
    sample: str  # "unit" (price of one), "flat" (a swatch fee), "double" (1.5–2.5× unit), "free"
    lead_time: tuple[int, int]
    capacity: tuple[int, int]
    order_multiples: tuple[int, ...]  # most common first (1 = any quantity)
    oem: float
    odm: float
    breaks: tuple[int, ...] = (2, 3, 5, 10)
    leaf_weights: dict[str, float] = field(default_factory=dict)
    features_before: bool = False  # adjectives ("sun-dried raisins") rather than "… with …"

    def __post_init__(self) -> None:
        self.multiple_choice = Zipf(self.order_multiples, 1.6)
        self.log_capacity = (math.log(self.capacity[0]), math.log(self.capacity[1]))
        # Each specification value as its JSON object, ready to join into the listing's list.
        self.spec_json = [
            Zipf([as_json({"name_en": name_en, "name_zh": name_zh, "value": value}) for value, _ in values.items])
            for name_en, name_zh, values in self.specs
        ]


# fmt: off
# Shared trade sentences, appended to any description.
TRADE_SENTENCES = z(
    ("OEM and ODM orders welcome.", "欢迎OEM和ODM订单。"),
    ("Export packing, FOB or CIF your port.", "出口包装，可FOB或CIF到港。"),
    ("Samples ship within three days.", "样品三天内发出。"),
    ("Third-party inspection welcome before shipment.", "出货前欢迎第三方验货。"),
    ("Factory direct price, no middleman.", "工厂直供价格，没有中间商。"),
    ("Mixed batches accepted for repeat buyers.", "老客户可混批。"),
    ("English-speaking sales team replies within 24 hours.", "英文销售团队24小时内回复。"),
    ("Payment by T/T, L/C at sight or Alibaba Trade Assurance.", "付款方式：电汇、即期信用证。"),
    ("Video call factory tour on request.", "可预约视频参观工厂。"),
    ("Free replacement of parts damaged in transit.", "运输损坏部件免费更换。"),
    ("Consolidated shipping with other belt suppliers.", "可与产业带其他供应商拼柜发货。"),
    ("Halal and kosher documents on request.", "可提供清真和犹太认证文件。"),
)

# --------------------------------------------------------------------------------------------
# Laser equipment
# --------------------------------------------------------------------------------------------

_KW = z(
    ("3 kW", "3kW"), ("1.5 kW", "1.5kW"), ("6 kW", "6kW"), ("2 kW", "2kW"), ("12 kW", "12kW"),
    ("1 kW", "1kW"), ("20 kW", "20kW"), ("4 kW", "4kW"), ("30 kW", "30kW"), ("40 kW", "40kW"),
)
_W_MARK = z(("30 W", "30W"), ("20 W", "20W"), ("50 W", "50W"), ("100 W", "100W"), ("60 W", "60W"), ("5 W", "5W"))
_W_WELD = z(
    ("1500 W", "1500W"), ("2000 W", "2000W"), ("1000 W", "1000W"), ("3000 W", "3000W"),
    ("200 W", "200W"), ("100 W", "100W"), ("500 W", "500W"),
)
_BEDS = z(("3015", "3015"), ("4020", "4020"), ("6025", "6025"), ("1390", "1390"), ("6020", "6020"), ("12025", "12025"))
_LASER_ADJ = z(
    ("fibre", "光纤"), ("enclosed", "全包围"), ("high-speed", "高速"), ("CNC", "数控"), ("automatic", "全自动"),
    ("double-platform", "双平台"), ("heavy-duty", "重型"), ("economic", "经济型"), ("intelligent", "智能"),
    ("open-type", "开放式"), ("portable", "便携式"), ("desktop", "台式"),
)

LASER = Industry(
    root="laser-equipment",
    leaves={
        "laser-cutting-machines": Leaf(
            "laser-cutting-machines",
            z(
                ("fibre laser cutting machine", "光纤激光切割机"), ("laser cutter", "激光切割机"),
                ("tube laser cutting machine", "激光切管机"), ("sheet and tube laser cutter", "板管一体激光切割机"),
                ("CO2 laser cutting machine", "CO2激光切割机"), ("bevel laser cutting machine", "坡口激光切割机"),
                ("thick plate laser cutter", "厚板激光切割机"),
            ),
            units=("set",),
            price=(25_000, 900_000),
            moq=(1,),
            pre=((0.85, _KW), (0.5, _LASER_ADJ)),
            post=((0.6, _BEDS, ", {} bed", " {}床身"),),
        ),
        "laser-marking-machines": Leaf(
            "laser-marking-machines",
            z(
                ("fibre laser marking machine", "光纤激光打标机"), ("UV laser marking machine", "紫外激光打标机"),
                ("laser engraving machine", "激光雕刻机"), ("CO2 laser marking machine", "二氧化碳激光打标机"),
                ("flying laser marker", "飞行激光打标机"), ("3D dynamic focus laser marker", "3D动态聚焦激光打标机"),
                ("handheld laser marker", "手持激光打标机"),
                ("MOPA colour laser marking machine", "MOPA彩色激光打标机"),
            ),
            units=("set", "unit"),
            price=(6_000, 80_000),
            moq=(1, 2, 5),
            pre=((0.8, _W_MARK), (0.4, _LASER_ADJ)),
        ),
        "laser-welding-cleaning": Leaf(
            "laser-welding-cleaning",
            z(
                ("handheld laser welding machine", "手持激光焊接机"), ("laser cleaning machine", "激光清洗机"),
                ("laser welder", "激光焊接机"), ("pulsed laser cleaner", "脉冲激光清洗机"),
                ("3-in-1 laser welding, cutting and cleaning machine", "焊割清三合一激光机"),
                ("robotic laser welding cell", "机器人激光焊接工作站"),
                ("jewellery laser spot welder", "首饰激光点焊机"),
            ),
            units=("set",),
            price=(12_000, 180_000),
            moq=(1, 2),
            pre=((0.85, _W_WELD), (0.35, _LASER_ADJ)),
        ),
        "laser-sources": Leaf(
            "laser-sources",
            z(
                ("continuous-wave fibre laser source", "连续光纤激光器"),
                ("pulsed fibre laser source", "脉冲光纤激光器"),
                ("Q-switched fibre laser", "调Q光纤激光器"), ("MOPA fibre laser", "MOPA光纤激光器"),
                ("UV laser source", "紫外激光器"), ("QCW fibre laser", "准连续光纤激光器"),
                ("picosecond laser", "皮秒激光器"), ("CO2 laser tube", "二氧化碳激光管"),
                ("femtosecond laser", "飞秒激光器"),
            ),
            units=("unit", "piece"),
            price=(1_500, 350_000),
            moq=(1, 2, 5, 10),
            pre=((0.9, _KW),),
        ),
        "laser-optics-parts": Leaf(
            "laser-optics-parts",
            z(
                ("laser cutting head", "激光切割头"), ("protective window lens", "保护镜片"),
                ("copper nozzle", "铜喷嘴"), ("focusing lens", "聚焦镜"), ("ceramic ring", "陶瓷环"),
                ("galvo scanner", "振镜"), ("F-theta scan lens", "场镜"), ("laser chiller", "激光冷水机"),
                ("collimating lens", "准直镜"), ("beam expander", "扩束镜"), ("QBH fibre cable", "QBH光缆"),
            ),
            units=("piece", "set", "unit"),
            price=(5, 25_000),
            moq=(10, 1, 50, 100, 5, 500),
            post=((0.4, z(("D30", "D30"), ("D28", "D28"), ("D37", "D37"), ("D20", "D20")), ", {}", " {}"),),
        ),
    },
    leaf_weights={
        "laser-cutting-machines": 30,
        "laser-marking-machines": 25,
        "laser-welding-cleaning": 20,
        "laser-optics-parts": 15,
        "laser-sources": 10,
    },
    features=z(
        ("auto-focus cutting head", "自动调焦切割头"), ("Raycus source", "锐科激光器"),
        ("exchange table", "交换工作台"), ("CypCut control", "柏楚控制系统"), ("Max source", "创鑫激光器"),
        ("rotary axis", "旋转轴"), ("IPG source", "IPG激光器"), ("dust extraction", "除尘系统"),
        ("servo motors", "伺服电机"), ("wire feeder", "送丝机"), ("water chiller", "冷水机"),
        ("auto loading and unloading", "自动上下料"), ("safety cabin", "安全防护罩"),
        ("camera positioning", "视觉定位"),
        ("JPT source", "杰普特激光器"), ("Precitec head", "普雷茨特切割头"), ("air cooling", "风冷"),
        ("EZCAD software", "EZCAD软件"), ("bevel head", "坡口切割头"), ("pneumatic chucks", "气动卡盘"),
    ),
    applications=z(
        ("sheet metal", "钣金"), ("stainless steel", "不锈钢"), ("kitchenware", "厨具"), ("signage", "广告标识"),
        ("elevator panels", "电梯面板"), ("agricultural machinery", "农机"), ("jewellery", "首饰"),
        ("medical devices", "医疗器械"), ("battery tabs", "电池极耳"), ("mould repair", "模具修复"),
        ("solar cells", "太阳能电池"), ("aerospace parts", "航空航天零件"), ("shipbuilding", "船舶制造"),
        ("dental implants", "牙科种植体"), ("heritage restoration", "文物修复"),
    ),
    sentences=z(
        ("Cuts mild steel, stainless steel and aluminium with clean, dross-free edges.",
         "可切割碳钢、不锈钢和铝材，切口光洁无挂渣。"),
        ("The {noun_en} ships fully assembled and tested, with installation by video or on site.",
         "{noun_zh}整机组装调试后发货，支持视频或上门安装。"),
        ("Welded and annealed machine bed keeps accuracy for years of two-shift work.",
         "床身焊接后退火去应力，两班倒使用多年精度不变。"),
        ("English software interface and manuals; remote diagnosis over the internet.",
         "英文软件界面和说明书，支持远程诊断。"),
        ("Laser source, head and chiller from name brands, with their original warranty.",
         "激光器、切割头和冷水机均为品牌配件，享原厂质保。"),
        ("Training for two operators at our factory is included.", "含两名操作员在我厂的免费培训。"),
        ("Spare parts kit with nozzles, ceramic rings and protective lenses included.",
         "随机附送喷嘴、陶瓷环和保护镜片等易损件。"),
        ("Marks metal and plastic with permanent codes, logos and serial numbers.",
         "可在金属和塑料上打标永久性的二维码、标志和序列号。"),
        ("Low running cost: no gas, no consumables but electricity.", "运行成本低，除电以外无气体和耗材。"),
    ),
    specs=(
        ("Wavelength", "波长", z(("1080 nm", ""), ("1064 nm", ""), ("355 nm", ""), ("10.6 μm", "")),),
        ("Cooling", "冷却方式", z(("Water-cooled", ""), ("Air-cooled", ""))),
        ("Positioning accuracy", "定位精度", z(("±0.03 mm", ""), ("±0.05 mm", ""), ("±0.02 mm", ""))),
        ("Power supply", "电源", z(("380 V 50 Hz, 3 phase", ""), ("220 V 50 Hz", ""), ("Custom voltage", ""))),
        ("Warranty", "质保", z(("2 years", ""), ("1 year", ""), ("3 years", ""))),
        ("Certification", "认证", z(("CE", ""), ("CE, ISO 9001", ""), ("CE, FDA", ""), ("FDA", ""))),
    ),
    customisation=z(
        ("logo on the machine", "机身logo"), ("custom voltage", "定制电压"), ("custom bed size", "定制幅面"),
        ("colour of the cabin", "机身颜色"), ("software in your language", "多语言软件"),
    ),
    supplier_words=z(
        ("Laser Technology", "激光科技"), ("Photonics", "光电科技"), ("Laser Equipment", "激光设备"),
        ("Intelligent Equipment", "智能装备"), ("Optoelectronics", "光电子"),
    ),
    variant_kind="model",
    variant_share=0.2,
    sample_share=0.15,
    sample="unit",
    lead_time=(5, 45),
    capacity=(10, 600),
    order_multiples=(1,),
    oem=0.4,
    odm=0.2,
    breaks=(2, 3, 5, 10),
)

# --------------------------------------------------------------------------------------------
# Textiles
# --------------------------------------------------------------------------------------------

_FIBRE = z(
    ("polyester", "涤纶"), ("100% cotton", "全棉"), ("nylon", "锦纶"), ("cotton spandex", "棉氨纶"),
    ("recycled polyester", "再生涤纶"), ("polyester cotton", "涤棉"), ("linen", "亚麻"), ("rayon", "人棉"),
    ("organic cotton", "有机棉"), ("bamboo fibre", "竹纤维"), ("tencel", "天丝"), ("modal", "莫代尔"),
    ("wool blend", "羊毛混纺"), ("silk", "真丝"),
)
_GSM = z(*[(f"{g} g/m²", f"{g}克") for g in (180, 200, 150, 240, 280, 120, 320, 100, 350, 80)])
_WIDTH = z(("150 cm wide", "门幅150厘米"), ("145 cm wide", "门幅145厘米"), ("160 cm wide", "门幅160厘米"))
_DENIER = z(("75D", "75D"), ("150D", "150D"), ("300D", "300D"), ("40S", "40支"), ("32S", "32支"), ("20S", "20支"))

TEXTILES = Industry(
    root="textiles",
    leaves={
        "woven-fabrics": Leaf(
            "woven-fabrics",
            z(
                ("twill fabric", "斜纹布"), ("pongee", "春亚纺"), ("taslan", "塔丝隆"), ("poplin", "府绸"),
                ("oxford fabric", "牛津布"), ("denim fabric", "牛仔布"), ("chiffon", "雪纺"), ("satin", "色丁"),
                ("canvas", "帆布"), ("corduroy", "灯芯绒"), ("linen fabric", "亚麻面料"), ("dobby fabric", "提花布"),
            ),
            units=("metre",),
            price=(4, 48),
            moq=(1000, 500, 3000, 300, 5000),
            pre=((0.8, _FIBRE),),
            post=((0.5, _GSM, ", {}", " {}"), (0.3, _WIDTH, ", {}", " {}")),
        ),
        "knitted-fabrics": Leaf(
            "knitted-fabrics",
            z(
                ("single jersey", "汗布"), ("interlock", "双面布"), ("polar fleece", "摇粒绒"),
                ("French terry", "毛圈布"), ("rib knit", "罗纹布"), ("pique", "珠地布"), ("mesh fabric", "网眼布"),
                ("velour", "天鹅绒"), ("scuba knit", "空气层面料"), ("waffle knit", "华夫格面料"),
            ),
            units=("kg", "metre"),
            price=(18, 75),
            moq=(500, 300, 1000, 100, 2000),
            pre=((0.8, _FIBRE),),
            post=((0.6, _GSM, ", {}", " {}"),),
        ),
        "functional-fabrics": Leaf(
            "functional-fabrics",
            z(
                ("waterproof breathable fabric", "防水透气面料"), ("softshell fabric", "软壳面料"),
                ("ripstop fabric", "格子防撕裂面料"), ("down-proof fabric", "防绒布"),
                ("flame-retardant fabric", "阻燃面料"), ("UV-protection fabric", "防紫外线面料"),
                ("anti-static fabric", "防静电面料"), ("TPU laminated fabric", "TPU复合面料"),
                ("cooling fabric", "凉感面料"),
            ),
            units=("metre",),
            price=(9, 65),
            moq=(1000, 500, 3000, 5000),
            pre=((0.7, _FIBRE),),
            post=((0.4, _GSM, ", {}", " {}"),),
        ),
        "yarn": Leaf(
            "yarn",
            z(
                ("DTY yarn", "低弹丝"), ("cotton yarn", "棉纱"), ("FDY yarn", "全牵伸丝"), ("spandex yarn", "氨纶丝"),
                ("sewing thread", "缝纫线"), ("viscose yarn", "粘胶纱"), ("melange yarn", "色纺纱"),
                ("covered yarn", "包覆纱"),
            ),
            units=("kg",),
            price=(11, 60),
            moq=(1000, 500, 3000, 5000),
            pre=((0.7, _FIBRE),),
            post=((0.6, _DENIER, ", {}", " {}"),),
        ),
        "garment-accessories": Leaf(
            "garment-accessories",
            z(
                ("metal zipper", "金属拉链"), ("nylon zipper", "尼龙拉链"), ("resin buttons", "树脂纽扣"),
                ("woven labels", "织唛"), ("elastic band", "松紧带"), ("hang tags", "吊牌"),
                ("snap buttons", "四合扣"), ("lace trim", "蕾丝花边"), ("drawcord", "抽绳"),
                ("webbing tape", "织带"), ("invisible zipper", "隐形拉链"), ("heat transfer labels", "热转印标"),
            ),
            units=("piece", "metre", "set"),
            price=(0.05, 4.5),
            moq=(5000, 1000, 10000, 3000, 50000),
        ),
    },
    leaf_weights={
        "woven-fabrics": 30,
        "knitted-fabrics": 25,
        "functional-fabrics": 15,
        "garment-accessories": 20,
        "yarn": 10,
    },
    features=z(
        ("quick-dry finish", "速干整理"), ("stretch", "弹力"), ("anti-pill finish", "抗起球"),
        ("water-repellent finish", "防泼水"), ("PU coating", "PU涂层"), ("moisture-wicking", "吸湿排汗"),
        ("brushed back", "磨毛"), ("wrinkle-free finish", "抗皱整理"), ("GRS certificate", "GRS认证"),
        ("OEKO-TEX Standard 100", "OEKO-TEX认证"), ("digital print", "数码印花"), ("yarn-dyed stripes", "色织条纹"),
        ("antibacterial finish", "抗菌整理"), ("peach skin finish", "桃皮绒整理"), ("silver ion", "银离子"),
    ),
    applications=z(
        ("jackets", "夹克"), ("sportswear", "运动服"), ("workwear", "工装"), ("shirts", "衬衫"),
        ("school uniforms", "校服"), ("linings", "里布"), ("bags", "箱包"), ("home textiles", "家纺"),
        ("tents", "帐篷"), ("medical gowns", "医用服"), ("yoga wear", "瑜伽服"), ("umbrellas", "雨伞"),
        ("firefighter suits", "消防服"), ("sailcloth", "帆船"), ("theatre curtains", "舞台幕布"),
    ),
    sentences=z(
        ("Dyed in our own plant with reactive dyes; colour fastness grade 4 and above.",
         "自有染厂活性染料染色，色牢度4级以上。"),
        ("Over 200 colours in stock; lab dips in five days.", "现货200多种颜色，五天内出色样。"),
        ("The {noun_en} is woven on Japanese air-jet looms for an even surface.",
         "{noun_zh}采用日本喷气织机织造，布面均匀。"),
        ("Test reports for shrinkage, tear strength and pilling with every batch.",
         "每批附缩水率、撕裂强度和起球测试报告。"),
        ("Rolls of 50 to 100 metres, wrapped in plastic and woven bags.", "每卷50至100米，塑料袋加编织袋包装。"),
        ("Free swatch book for registered buyers.", "注册买家可免费索取色卡。"),
        ("Recycled fibre with a GRS transaction certificate on request.", "再生纤维，可提供GRS交易证书。"),
        ("Finishing, coating and lamination done in the belt, within 20 km.",
         "后整理、涂层和复合均在产业带20公里内完成。"),
    ),
    specs=(
        ("Shrinkage", "缩水率", z(("≤3%", ""), ("≤5%", ""), ("≤2%", ""))),
        ("Colour fastness", "色牢度", z(("Grade 4", ""), ("Grade 4–5", ""), ("Grade 3–4", ""))),
        ("Finish", "后整理", z(("Soft finish", ""), ("Water-repellent", ""), ("Anti-pill", ""), ("Calendered", ""))),
        ("Roll length", "卷长", z(("100 m", ""), ("50 m", ""), ("80 m", ""))),
        ("Certification", "认证", z(("OEKO-TEX 100", ""), ("GRS", ""), ("GOTS", ""), ("ISO 9001", ""))),
    ),
    customisation=z(
        ("colour matching", "来样配色"), ("custom print", "定制印花"), ("custom width", "定制门幅"),
        ("private label rolls", "贴牌包装"), ("custom finish", "定制后整理"),
    ),
    supplier_words=z(
        ("Textile", "纺织"), ("Knitting", "针织"), ("Fabric", "面料"), ("Garment Accessories", "服装辅料"),
        ("Dyeing and Finishing", "印染"),
    ),
    variant_kind="colour",
    variant_share=0.35,
    sample_share=0.8,
    sample="flat",
    lead_time=(7, 30),
    capacity=(30_000, 2_000_000),
    order_multiples=(1, 50, 100),
    oem=0.5,
    odm=0.3,
    breaks=(3, 5, 2, 10),
)

# --------------------------------------------------------------------------------------------
# Clothing (men's and children's)
# --------------------------------------------------------------------------------------------

_CLOTH = z(
    ("100% cotton", "纯棉"), ("wool-blend", "羊毛混纺"), ("linen", "亚麻"), ("cotton-linen", "棉麻"),
    ("polyester", "涤纶"), ("stretch", "弹力"), ("organic cotton", "有机棉"), ("denim", "牛仔"),
    ("corduroy", "灯芯绒"), ("cashmere", "羊绒"), ("bamboo", "竹纤维"), ("silk", "真丝"),
)
_FIT = z(("slim-fit", "修身"), ("regular-fit", "常规版型"), ("tailored", "合体剪裁"), ("loose-fit", "宽松"))
_SEASON = z(("summer", "夏季"), ("winter", "冬季"), ("autumn", "秋季"), ("spring", "春季"))
_COLD = z(("winter", "冬季"), ("autumn", "秋季"), ("lightweight", "轻薄"), ("hooded", "连帽"))
_SUIT_FEATURES = z(
    ("half canvas", "半毛衬"), ("hand-stitched lapel", "手工驳头"), ("Italian fabric", "意大利面料"),
    ("stretch waistband", "弹力腰头"), ("full canvas", "全毛衬"), ("peak lapel", "戗驳领"),
)
_SHIRT_FEATURES = z(
    ("mother-of-pearl buttons", "贝壳扣"), ("hidden buttons", "暗扣"), ("French cuffs", "法式袖口"),
    ("chest pocket", "胸袋"), ("spread collar", "宽角领"), ("contrast collar", "撞色领"),
)
_OUTER_FEATURES = z(
    ("detachable hood", "可拆卸帽"), ("900 fill power down", "900蓬松度羽绒"), ("water-repellent shell", "防泼水面料"),
    ("inner pockets", "内袋"), ("storm flap", "防风门襟"), ("taped seams", "压胶接缝"),
)
_AGES = z(("ages 3–8", "3–8岁"), ("ages 2–6", "2–6岁"), ("ages 8–14", "8–14岁"), ("ages 1–3", "1–3岁"))
_MONTHS = z(("0–24 months", "0–24个月"), ("0–12 months", "0–12个月"), ("3–18 months", "3–18个月"))
_GIRLS = z(("girls'", "女童"), ("kids'", "儿童"), ("toddler", "幼儿"))
_KIDS = z(("kids'", "儿童"), ("boys'", "男童"), ("girls'", "女童"), ("toddler", "幼儿"))
_MEN = z(("men's", "男士"),)

MENSWEAR = Industry(
    root="menswear",
    leaves={
        "mens-suits": Leaf(
            "mens-suits",
            z(
                ("two-piece suit", "两件套西服"), ("blazer", "西装外套"), ("three-piece suit", "三件套西服"),
                ("business suit", "商务西服"), ("wedding suit", "婚礼西服"), ("tuxedo", "礼服"),
                ("waistcoat", "马甲"), ("double-breasted suit", "双排扣西服"),
            ),
            units=("set", "piece"),
            price=(180, 1600),
            moq=(100, 50, 200, 300, 30),
            pre=((0.5, _MEN), (0.6, _CLOTH), (0.5, _FIT)),
            features=_SUIT_FEATURES,
        ),
        "mens-shirts": Leaf(
            "mens-shirts",
            z(
                ("dress shirt", "正装衬衫"), ("casual shirt", "休闲衬衫"), ("oxford shirt", "牛津纺衬衫"),
                ("polo shirt", "POLO衫"), ("short-sleeve shirt", "短袖衬衫"), ("flannel shirt", "法兰绒衬衫"),
                ("denim shirt", "牛仔衬衫"), ("non-iron shirt", "免烫衬衫"), ("band-collar shirt", "立领衬衫"),
            ),
            units=("piece",),
            price=(28, 180),
            moq=(200, 100, 300, 500, 1000),
            pre=((0.5, _MEN), (0.7, _CLOTH), (0.3, _FIT)),
            features=_SHIRT_FEATURES,
        ),
        "mens-trousers": Leaf(
            "mens-trousers",
            z(
                ("chinos", "休闲裤"), ("dress trousers", "西裤"), ("jeans", "牛仔裤"), ("cargo trousers", "工装裤"),
                ("jogger pants", "束脚裤"), ("shorts", "短裤"), ("pleated trousers", "褶裥西裤"),
            ),
            units=("piece",),
            price=(40, 240),
            moq=(200, 100, 300, 500),
            pre=((0.5, _MEN), (0.6, _CLOTH), (0.4, _FIT)),
        ),
        "mens-outerwear": Leaf(
            "mens-outerwear",
            z(
                ("down jacket", "羽绒服"), ("trench coat", "风衣"), ("wool coat", "羊毛大衣"),
                ("bomber jacket", "飞行员夹克"), ("parka", "派克大衣"), ("padded jacket", "棉服"),
                ("leather jacket", "皮夹克"), ("windbreaker", "防风夹克"), ("fleece jacket", "抓绒外套"),
            ),
            units=("piece",),
            price=(95, 950),
            moq=(100, 200, 50, 300),
            pre=((0.5, _MEN), (0.4, _COLD)),
            features=_OUTER_FEATURES,
        ),
    },
    leaf_weights={"mens-suits": 30, "mens-shirts": 30, "mens-trousers": 20, "mens-outerwear": 20},
    features=z(
        ("wrinkle-free fabric", "抗皱面料"), ("stretch waistband", "弹力腰头"), ("side pockets", "侧袋"),
        ("quick-dry fabric", "速干面料"), ("belt loops", "腰带袢"), ("YKK zipper", "YKK拉链"),
    ),
    applications=z(
        ("office", "通勤"), ("weddings", "婚礼"), ("travel", "旅行"), ("golf", "高尔夫"),
        ("hotel uniforms", "酒店制服"), ("airline crews", "航空制服"), ("big and tall", "大码"),
        ("grooms", "新郎"), ("bankers", "银行职业装"), ("orchestras", "乐团演出服"),
    ),
    sentences=z(
        ("Cut on automatic cutting beds and sewn in our own workshop in the belt.",
         "自动裁床裁剪，产业带内自有车间缝制。"),
        ("Each {noun_en} is pressed, folded and bagged individually, 20 to 40 pieces a carton.",
         "每件{noun_zh}单独整烫、折叠、入袋，每箱20至40件。"),
        ("Sizes from 44 to 60 with a full grading chart in centimetres.", "尺码44至60，附完整厘米尺寸表。"),
        ("Fabric from mills in the region, with test reports on request.", "面料来自本地面料厂，可提供检测报告。"),
        ("Your label, hang tags and packaging at no extra charge above the MOQ.",
         "达到起订量可免费使用客户的领标、吊牌和包装。"),
        ("Pre-production sample within seven days of the order.", "下单后七天内出产前样。"),
        ("AQL 2.5 final inspection on every order.", "每单按AQL 2.5出货检验。"),
    ),
    specs=(
        ("Sizes", "尺码", z(("S–XXL", ""), ("46–56", ""), ("M–3XL", ""), ("44–60", ""))),
        ("Lining", "里料", z(("Viscose lining", ""), ("Polyester lining", ""), ("Unlined", ""))),
        ("Care", "洗涤", z(("Dry clean", ""), ("Machine wash 30 °C", ""), ("Hand wash", ""))),
        ("Packing", "包装", z(("1 pc/poly bag, 20 pcs/carton", ""), ("Hanging garment bag", ""))),
        ("Certification", "认证", z(("OEKO-TEX 100", ""), ("BSCI", ""), ("ISO 9001", ""))),
    ),
    customisation=z(
        ("your label", "客户领标"), ("custom sizes", "定制尺码"), ("custom fabric", "指定面料"),
        ("embroidered logo", "刺绣logo"), ("custom packaging", "定制包装"),
    ),
    supplier_words=z(
        ("Garment", "服饰"), ("Clothing", "服装"), ("Apparel", "制衣"), ("Fashion", "时装"),
    ),
    variant_kind="size",
    variant_share=0.55,
    sample_share=0.85,
    sample="double",
    lead_time=(15, 60),
    capacity=(5_000, 200_000),
    order_multiples=(1, 10, 20, 5),
    oem=0.65,
    odm=0.35,
    breaks=(3, 5, 2, 10),
)

CHILDRENSWEAR = Industry(
    root="childrenswear",
    leaves={
        "girls-dresses": Leaf(
            "girls-dresses",
            z(
                ("floral dress", "碎花连衣裙"), ("princess dress", "公主裙"), ("tutu dress", "蓬蓬裙"),
                ("party dress", "礼服裙"), ("sweater dress", "毛衣裙"), ("denim dress", "牛仔裙"),
                ("smocked dress", "手工缩褶裙"),
            ),
            units=("piece",),
            price=(22, 130),
            moq=(100, 200, 50, 300),
            pre=((0.8, _GIRLS), (0.5, _CLOTH), (0.3, _SEASON)),
            post=((0.5, _AGES, ", {}", " {}"),),
        ),
        "kids-sets": Leaf(
            "kids-sets",
            z(
                ("tracksuit", "运动套装"), ("pyjama set", "睡衣套装"), ("T-shirt and shorts set", "T恤短裤套装"),
                ("hoodie and joggers set", "卫衣卫裤套装"), ("school uniform", "校服"), ("swimsuit set", "泳衣套装"),
            ),
            units=("set",),
            price=(22, 95),
            moq=(200, 100, 300, 500),
            pre=((0.8, _KIDS), (0.5, _CLOTH)),
            post=((0.5, _AGES, ", {}", " {}"),),
        ),
        "baby-clothing": Leaf(
            "baby-clothing",
            z(
                ("baby romper", "婴儿连体衣"), ("baby bodysuit", "婴儿包屁衣"), ("baby sleeping bag", "婴儿睡袋"),
                ("muslin swaddle", "纱布包巾"), ("baby hat", "婴儿帽"), ("baby bib", "婴儿围兜"),
            ),
            units=("piece", "set"),
            price=(8, 70),
            moq=(300, 200, 500, 1000),
            pre=((0.6, _CLOTH),),
            post=((0.6, _MONTHS, ", {}", " {}"),),
        ),
        "kids-outerwear": Leaf(
            "kids-outerwear",
            z(
                ("down jacket", "羽绒服"), ("padded coat", "棉服"), ("raincoat", "雨衣"),
                ("fleece jacket", "抓绒外套"), ("windbreaker", "冲锋衣"), ("denim jacket", "牛仔外套"),
            ),
            units=("piece",),
            price=(45, 320),
            moq=(100, 200, 300, 50),
            pre=((0.8, _KIDS), (0.4, _COLD)),
            post=((0.4, _AGES, ", {}", " {}"),),
        ),
    },
    leaf_weights={"girls-dresses": 30, "kids-sets": 25, "baby-clothing": 20, "kids-outerwear": 25},
    features=z(
        ("soft cotton lining", "纯棉内衬"), ("nickel-free snaps", "无镍按扣"), ("embroidery", "刺绣"),
        ("reflective strips", "反光条"), ("elastic waist", "松紧腰"), ("bow", "蝴蝶结"),
        ("cartoon print", "卡通印花"), ("detachable hood", "可拆卸帽"), ("lace trim", "蕾丝边"),
        ("glow-in-the-dark print", "夜光印花"),
    ),
    applications=z(
        ("birthday parties", "生日派对"), ("school", "上学"), ("holidays", "节日"), ("kindergarten", "幼儿园"),
        ("flower girls", "花童"), ("photo shoots", "写真拍摄"), ("ski trips", "滑雪"), ("christenings", "洗礼"),
    ),
    sentences=z(
        ("Made in Zhili, the children's clothing town, by a workshop of 80 sewers.",
         "产自童装名镇织里，自有80名缝纫工的车间。"),
        ("Fabrics tested to GB 31701 class A for infants and class B for children.",
         "面料符合GB 31701婴幼儿A类、儿童B类标准。"),
        ("No drawstrings at the neck; buttons pull-tested for small children.", "领口无抽绳，纽扣通过拉力测试。"),
        ("Each {noun_en} comes in a polybag with a size sticker, mixed sizes per carton.",
         "每件{noun_zh}独立袋装贴尺码标，每箱可混码。"),
        ("New designs every season; catalogue sent on request.", "每季上新，可索取产品目录。"),
        ("Soft, breathable fabric that stays soft after washing.", "面料柔软透气，洗后不变硬。"),
    ),
    specs=(
        ("Safety standard", "安全标准", z(("GB 31701 class A", ""), ("GB 31701 class B", ""), ("EN 14682", ""))),
        ("Care", "洗涤", z(("Machine wash 30 °C", ""), ("Hand wash", ""))),
        ("Packing", "包装", z(("1 pc/poly bag, 50 pcs/carton", ""), ("Mixed sizes per carton", ""))),
        ("Certification", "认证", z(("OEKO-TEX 100", ""), ("CPSIA", ""), ("BSCI", ""))),
    ),
    customisation=z(
        ("your label", "客户领标"), ("custom print", "定制印花"), ("custom colours", "定制颜色"),
        ("gift packaging", "礼盒包装"),
    ),
    supplier_words=z(("Children's Clothing", "童装"), ("Garment", "服饰"), ("Kids Apparel", "儿童服饰")),
    variant_kind="size",
    variant_share=0.6,
    sample_share=0.85,
    sample="double",
    lead_time=(10, 45),
    capacity=(10_000, 300_000),
    order_multiples=(1, 10, 5, 12),
    oem=0.6,
    odm=0.4,
    breaks=(3, 5, 2, 10),
)

# --------------------------------------------------------------------------------------------
# Dried fruit and nuts, farm produce, goji
# --------------------------------------------------------------------------------------------

_XJ_ORIGIN = z(
    ("Turpan", "吐鲁番"), ("Aksu", "阿克苏"), ("Hotan", "和田"), ("Kashgar", "喀什"), ("Ruoqiang", "若羌"),
    ("Shache", "莎车"), ("Hami", "哈密"), ("Yecheng", "叶城"),
)
_GRADE = z(
    ("grade A", "A级"), ("premium", "特级"), ("grade 1", "一级"), ("export grade", "出口级"), ("AA grade", "AA级"),
    ("grade 2", "二级"),
)
_PACK = z(
    ("25 kg cartons", "25公斤纸箱"), ("10 kg cartons", "10公斤纸箱"), ("500 g bags", "500克袋装"),
    ("vacuum packed", "真空包装"), ("1 kg gift box", "1公斤礼盒"), ("bulk bags", "散装编织袋"),
)
_GS_ORIGIN = z(("Dingxi", "定西"), ("Tianshui", "天水"), ("Jingning", "静宁"), ("Min county", "岷县"),
("Longxi", "陇西"))
_NX_ORIGIN = z(("Zhongning", "中宁"), ("Ningxia", "宁夏"), ("Zhongwei", "中卫"), ("Guyuan", "固原"))
_GOJI_GRADE = z(*[(f"grade {g}", f"{g}粒/50克") for g in (280, 220, 350, 180, 380, 500)])

_PRODUCE_FEATURES = z(
    ("sun-dried", "自然晾晒"), ("no-sugar-added", "无添加糖"), ("organic", "有机"), ("hand-picked", "手工挑选"),
    ("sulphur-free", "无硫"), ("new-crop", "新货"), ("HACCP-certified", "HACCP认证"), ("cold-stored", "冷库储存"),
    ("non-GMO", "非转基因"), ("EU organic", "欧盟有机"), ("metal-detected", "金属检测"),
    ("colour-sorted", "色选"), ("selenium-rich", "富硒"),
)
_PRODUCE_APPLICATIONS = z(
    ("baking", "烘焙"), ("snacks", "零食"), ("retail", "商超零售"), ("food service", "餐饮"),
    ("breakfast cereals", "早餐谷物"), ("confectionery", "糖果"), ("gift boxes", "礼盒"),
    ("traditional medicine", "中医药"), ("cosmetics", "化妆品"), ("brewing", "酿造"), ("pet food", "宠物食品"),
)
_PRODUCE_SPECS = (
    ("Moisture", "水分", z(("≤15%", ""), ("≤18%", ""), ("≤12%", ""), ("≤8%", ""))),
    ("Shelf life", "保质期", z(("12 months", ""), ("18 months", ""), ("24 months", ""), ("6 months", ""))),
    ("Storage", "储存", z(("Cool and dry", ""), ("0–5 °C cold storage", ""))),
    ("Certification", "认证", z(("HACCP", ""), ("ISO 22000", ""), ("EU organic", ""), ("Halal", ""), ("BRC", ""))),
)
_PRODUCE_CUSTOM = z(
    ("private label", "贴牌"), ("custom packaging", "定制包装"), ("custom grading", "定制分级"),
    ("custom blend", "定制配比"),
)
_PRODUCE_SENTENCES = (
    ("Grown and processed in the belt; every lot traceable to its orchard.", "产业带内种植加工，每批可追溯到果园。"),
    ("Cleaned, graded and packed in our own food plant.", "自有食品厂清洗、分级、包装。"),
    ("Pesticide residue tests by a third-party lab with every lot.", "每批附第三方农残检测报告。"),
    ("The {noun_en} ships in reefer containers from the nearest rail port.", "{noun_zh}从就近铁路口岸冷藏集装箱发运。"),
    ("Harvested at full ripeness and dried within 48 hours.", "完全成熟时采收，48小时内完成干燥。"),
    ("Phytosanitary certificate and certificate of origin supplied.", "提供植物检疫证书和原产地证明。"),
)

DRIED_FRUIT = Industry(
    root="dried-fruit-nuts",
    leaves={
        "raisins": Leaf(
            "raisins",
            z(
                ("green raisins", "绿葡萄干"), ("black raisins", "黑葡萄干"), ("red raisins", "红葡萄干"),
                ("Thompson seedless raisins", "无核白葡萄干"), ("golden raisins", "黄葡萄干"),
                ("Munage raisins", "马奶子葡萄干"), ("rose-fragrance raisins", "玫瑰香葡萄干"),
            ),
            units=("kg",),
            price=(16, 65),
            moq=(500, 300, 1000, 100, 5000),
            pre=((0.7, _XJ_ORIGIN),),
            post=((0.6, _GRADE, ", {}", " {}"), (0.3, _PACK, ", {}", " {}")),
        ),
        "jujubes": Leaf(
            "jujubes",
            z(
                ("red dates", "红枣"), ("jujubes", "骏枣"), ("grey jujubes", "灰枣"),
                ("seedless red dates", "无核红枣"),
                ("jujube slices", "红枣片"), ("jujube powder", "红枣粉"),
            ),
            units=("kg",),
            price=(14, 75),
            moq=(500, 1000, 200, 2000),
            pre=((0.8, _XJ_ORIGIN),),
            post=((0.6, _GRADE, ", {}", " {}"),),
        ),
        "walnuts": Leaf(
            "walnuts",
            z(
                ("walnuts in shell", "带壳核桃"), ("walnut kernels", "核桃仁"), ("thin-shell walnuts", "薄皮核桃"),
                ("paper-shell walnuts", "纸皮核桃"), ("walnut halves", "核桃半仁"),
            ),
            units=("kg",),
            price=(12, 90),
            moq=(1000, 500, 5000, 2000),
            pre=((0.7, _XJ_ORIGIN),),
            post=((0.5, _GRADE, ", {}", " {}"),),
        ),
        "almonds-nuts": Leaf(
            "almonds-nuts",
            z(
                ("badam almonds", "巴旦木"), ("pistachios", "开心果"), ("pine nuts", "松子"), ("hazelnuts", "榛子"),
                ("sunflower seeds", "葵花籽"), ("pumpkin seeds", "南瓜子"), ("apricot kernels", "杏仁"),
            ),
            units=("kg",),
            price=(25, 180),
            moq=(500, 200, 1000, 100),
            pre=((0.5, _XJ_ORIGIN),),
            post=((0.5, _GRADE, ", {}", " {}"),),
        ),
        "dried-apricots-figs": Leaf(
            "dried-apricots-figs",
            z(
                ("dried apricots", "杏干"), ("dried figs", "无花果干"), ("prunes", "西梅干"),
                ("dried mulberries", "桑葚干"), ("dried white apricots", "小白杏干"),
            ),
            units=("kg",),
            price=(20, 85),
            moq=(300, 500, 1000, 100),
            pre=((0.6, _XJ_ORIGIN),),
            post=((0.5, _GRADE, ", {}", " {}"),),
        ),
        "mixed-dried-fruit": Leaf(
            "mixed-dried-fruit",
            z(
                ("mixed dried fruit", "什锦果干"), ("nut gift box", "坚果礼盒"), ("daily nuts", "每日坚果"),
                ("trail mix", "混合坚果"), ("dried fruit gift box", "干果礼盒"),
            ),
            units=("carton", "piece", "kg"),
            price=(30, 220),
            moq=(100, 200, 500, 50),
            post=((0.5, _PACK, ", {}", " {}"),),
        ),
        "melons-fresh-fruit": Leaf(
            "melons-fresh-fruit",
            z(
                ("Hami melons", "哈密瓜"), ("fresh grapes", "鲜葡萄"), ("Korla fragrant pears", "库尔勒香梨"),
                ("selenium-sand watermelons", "硒砂瓜"), ("fresh jujubes", "鲜枣"), ("pomegranates", "石榴"),
            ),
            units=("kg", "tonne"),
            price=(3, 16),
            moq=(1000, 5000, 2000, 10000),
            post=((0.5, _GRADE, ", {}", " {}"),),
        ),
    },
    leaf_weights={
        "raisins": 25,
        "jujubes": 18,
        "walnuts": 18,
        "almonds-nuts": 12,
        "dried-apricots-figs": 10,
        "mixed-dried-fruit": 8,
        "melons-fresh-fruit": 9,
    },
    features=_PRODUCE_FEATURES,
    applications=_PRODUCE_APPLICATIONS,
    sentences=z(*_PRODUCE_SENTENCES),
    specs=(("Origin", "产地", z(("Xinjiang, China", ""))), *_PRODUCE_SPECS),
    customisation=_PRODUCE_CUSTOM,
    supplier_words=z(("Agricultural Products", "农产品"), ("Dried Fruit", "干果"), ("Food", "食品"), ("Nuts", "坚果")),
    variant_kind="pack",
    variant_share=0.25,
    sample_share=0.7,
    sample="free",
    lead_time=(3, 20),
    capacity=(20_000, 2_000_000),
    order_multiples=(1, 10, 25, 5),
    oem=0.35,
    odm=0.05,
    breaks=(2, 4, 5, 10),
    features_before=True,
)

FARM = Industry(
    root="farm-produce",
    leaves={
        "potatoes": Leaf(
            "potatoes",
            z(
                ("fresh potatoes", "鲜马铃薯"), ("potato starch", "马铃薯淀粉"), ("potato flakes", "马铃薯雪花全粉"),
                ("seed potatoes", "马铃薯种薯"), ("potato vermicelli", "马铃薯粉条"), ("french fries", "冷冻薯条"),
            ),
            units=("kg", "tonne"),
            price=(1.2, 16),
            moq=(1000, 5000, 20, 10000),
            pre=((0.6, _GS_ORIGIN),),
            post=((0.5, _GRADE, ", {}", " {}"), (0.3, _PACK, ", {}", " {}")),
        ),
        "apples": Leaf(
            "apples",
            z(
                ("Fuji apples", "红富士苹果"), ("Huaniu apples", "花牛苹果"), ("Gala apples", "嘎啦苹果"),
                ("apple juice concentrate", "浓缩苹果汁"), ("apple chips", "苹果脆片"), ("dried apple rings", "苹果干"),
            ),
            units=("kg", "carton", "tonne"),
            price=(4, 14),
            moq=(1000, 500, 5000, 100),
            pre=((0.7, _GS_ORIGIN),),
            post=((0.5, z(("80 mm+", "果径80毫米以上"), ("75–80 mm", "75–80毫米"),
            ("85 mm+", "85毫米以上")), ", {}", " {}"),),
        ),
        "rice-grains": Leaf(
            "rice-grains",
            z(
                ("rice", "大米"), ("millet", "小米"), ("buckwheat", "荞麦"), ("quinoa", "藜麦"), ("oats", "燕麦"),
                ("highland barley", "青稞"), ("black rice", "黑米"),
            ),
            units=("kg", "tonne"),
            price=(4, 32),
            moq=(1000, 500, 5000, 20),
            pre=((0.5, _GRADE),),
            post=((0.4, _PACK, ", {}", " {}"),),
        ),
        "lily-bulbs": Leaf(
            "lily-bulbs",
            z(("Lanzhou lily bulbs", "兰州百合"), ("dried lily bulbs", "百合干"), ("lily powder", "百合粉")),
            units=("kg",),
            price=(55, 220),
            moq=(100, 50, 500),
            post=((0.6, _GRADE, ", {}", " {}"),),
        ),
        "medicinal-herbs": Leaf(
            "medicinal-herbs",
            z(
                ("angelica root", "当归"), ("astragalus root", "黄芪"), ("codonopsis root", "党参"),
                ("licorice root", "甘草"), ("rhubarb root", "大黄"), ("isatis root", "板蓝根"),
            ),
            units=("kg",),
            price=(25, 240),
            moq=(100, 500, 50, 1000),
            pre=((0.6, _GS_ORIGIN),),
            post=((0.6, z(("sliced", "切片"), ("whole roots", "整根"), ("powder", "粉")), ", {}", " {}"),),
        ),
    },
    leaf_weights={"potatoes": 30, "apples": 30, "rice-grains": 15, "lily-bulbs": 10, "medicinal-herbs": 15},
    features=_PRODUCE_FEATURES,
    applications=_PRODUCE_APPLICATIONS,
    sentences=z(*_PRODUCE_SENTENCES),
    specs=(("Origin", "产地", z(("Gansu, China", ""),)), *_PRODUCE_SPECS),
    customisation=_PRODUCE_CUSTOM,
    supplier_words=z(("Agricultural Products", "农产品"), ("Agriculture", "农业"), ("Food", "食品")),
    variant_kind="pack",
    variant_share=0.2,
    sample_share=0.6,
    sample="free",
    lead_time=(3, 20),
    capacity=(50_000, 3_000_000),
    order_multiples=(1, 10, 25),
    oem=0.3,
    odm=0.05,
    breaks=(2, 5, 4, 10),
    features_before=True,
)

GOJI = Industry(
    root="goji",
    leaves={
        "dried-goji": Leaf(
            "dried-goji",
            z(
                ("dried goji berries", "枸杞干果"), ("red goji berries", "红枸杞"),
                ("organic goji berries", "有机枸杞"),
                ("jumbo goji berries", "大果枸杞"), ("wolfberries", "宁夏枸杞子"),
            ),
            units=("kg",),
            price=(35, 170),
            moq=(100, 50, 200, 500, 1000),
            pre=((0.7, _NX_ORIGIN),),
            post=((0.7, _GOJI_GRADE, ", {}", " {}"),),
        ),
        "black-goji": Leaf(
            "black-goji",
            z(("black goji berries", "黑枸杞"), ("wild black goji", "野生黑枸杞")),
            units=("kg",),
            price=(140, 900),
            moq=(10, 20, 50, 100),
            post=((0.5, _GRADE, ", {}", " {}"),),
        ),
        "goji-juice": Leaf(
            "goji-juice",
            z(("goji juice", "枸杞原浆"), ("NFC goji juice", "NFC枸杞汁"), ("goji drink", "枸杞饮料"),
            ("goji wine", "枸杞酒")),
            units=("piece", "carton"),
            price=(18, 75),
            moq=(500, 200, 1000, 2000),
            pre=((0.6, _NX_ORIGIN),),
        ),
        "goji-extracts": Leaf(
            "goji-extracts",
            z(
                ("goji powder", "枸杞粉"), ("goji polysaccharide extract", "枸杞多糖提取物"),
                ("goji seed oil", "枸杞籽油"), ("freeze-dried goji powder", "枸杞冻干粉"),
            ),
            units=("kg",),
            price=(28, 900),
            moq=(25, 5, 100, 10),
        ),
    },
    leaf_weights={"dried-goji": 50, "goji-extracts": 20, "goji-juice": 15, "black-goji": 15},
    features=_PRODUCE_FEATURES,
    applications=_PRODUCE_APPLICATIONS,
    sentences=z(
        ("Zhongning goji, grown on Yellow River irrigated fields and dried in sun rooms.",
         "中宁枸杞，黄河水灌溉，阳光房晾晒。"),
        *_PRODUCE_SENTENCES,
    ),
    specs=(("Origin", "产地", z(("Ningxia, China", ""),)), *_PRODUCE_SPECS),
    customisation=_PRODUCE_CUSTOM,
    supplier_words=z(("Goji", "枸杞"), ("Biotechnology", "生物科技"), ("Agricultural Products", "农产品")),
    variant_kind="pack",
    variant_share=0.25,
    sample_share=0.75,
    sample="free",
    lead_time=(3, 15),
    capacity=(5_000, 500_000),
    order_multiples=(1, 10, 5),
    oem=0.4,
    odm=0.1,
    breaks=(2, 4, 5, 10),
    features_before=True,
)

INDUSTRIES: dict[str, Industry] = {
    i.root: i for i in (LASER, TEXTILES, MENSWEAR, CHILDRENSWEAR, DRIED_FRUIT, FARM, GOJI)
}
LEAF_INDUSTRY: dict[str, Industry] = {leaf: i for i in INDUSTRIES.values() for leaf in i.leaves}

# --------------------------------------------------------------------------------------------
# Belts: where suppliers are and which leaves they make
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    en: str
    zh: str
    division: str  # GB/T 2260 code, the 3rd–8th characters of a USCC


@dataclass
class BeltProfile:
    cities: tuple[City, ...]
    leaves: dict[str, float]  # leaf slug → share of the belt's listings
    weight: float  # share of all generated suppliers


def _leaves(industry: Industry, *extra: tuple[str, float]) -> dict[str, float]:
    return {**industry.leaf_weights, **dict(extra)}


BELT_PROFILES: dict[str, BeltProfile] = {
    "wuhan-laser": BeltProfile(
        (City("Wuhan", "武汉", "420100"), City("Ezhou", "鄂州", "420700"), City("Xiaogan", "孝感", "420900"),
         City("Huanggang", "黄冈", "421100"), City("Xianning", "咸宁", "421200")),
        _leaves(LASER),
        weight=20,
    ),
    "shishi-textiles": BeltProfile(
        (City("Shishi", "石狮", "350581"), City("Jinjiang", "晋江", "350582"), City("Quanzhou", "泉州", "350500"),
         City("Changle", "长乐", "350112")),
        _leaves(TEXTILES),
        weight=18,
    ),
    "wenzhou-menswear": BeltProfile(
        (City("Wenzhou", "温州", "330300"), City("Rui'an", "瑞安", "330381"), City("Yueqing", "乐清", "330382"),
         City("Ouhai", "瓯海", "330304")),
        _leaves(MENSWEAR),
        weight=16,
    ),
    "huzhou-childrenswear": BeltProfile(
        (City("Huzhou", "湖州", "330500"), City("Zhili", "织里", "330502"), City("Changxing", "长兴", "330522"),
         City("Deqing", "德清", "330521")),
        _leaves(CHILDRENSWEAR),
        weight=16,
    ),
    "xinjiang-farm-produce": BeltProfile(
        (City("Turpan", "吐鲁番", "650400"), City("Aksu", "阿克苏", "652900"), City("Urumqi", "乌鲁木齐", "650100"),
         City("Kashgar", "喀什", "653100"), City("Hotan", "和田", "653200"), City("Korla", "库尔勒", "652801")),
        _leaves(DRIED_FRUIT),
        weight=11,
    ),
    "gansu-agriculture": BeltProfile(
        (City("Dingxi", "定西", "621100"), City("Tianshui", "天水", "620500"), City("Lanzhou", "兰州", "620100"),
         City("Zhangye", "张掖", "620700"), City("Longxi", "陇西", "621122")),
        _leaves(FARM),
        weight=10,
    ),
    "ningxia-goji": BeltProfile(
        (City("Zhongning", "中宁", "640521"), City("Yinchuan", "银川", "640100"), City("Zhongwei", "中卫", "640500"),
         City("Guyuan", "固原", "640400")),
        _leaves(GOJI, ("melons-fresh-fruit", 8), ("rice-grains", 8)),
        weight=9,
    ),
}

# Keywords of a belt's industry (English) → root category, for belts the profiles do not know.
INDUSTRY_KEYWORDS = (
    ("laser", "laser-equipment"),
    ("photon", "laser-equipment"),
    ("fabric", "textiles"),
    ("textile", "textiles"),
    ("yarn", "textiles"),
    ("children", "childrenswear"),
    ("kids", "childrenswear"),
    ("men", "menswear"),
    ("cloth", "menswear"),
    ("goji", "goji"),
    ("wolfberry", "goji"),
    ("nut", "dried-fruit-nuts"),
    ("dried", "dried-fruit-nuts"),
    ("farm", "farm-produce"),
    ("potato", "farm-produce"),
    ("apple", "farm-produce"),
)

# Province (ISO 3166-2:CN) → its GB/T 2260 prefix, for the USCC of belts the profiles do not know.
PROVINCE_DIVISION = {
    "CN-BJ": "11", "CN-TJ": "12", "CN-HE": "13", "CN-SX": "14", "CN-NM": "15", "CN-LN": "21", "CN-JL": "22",
    "CN-HL": "23", "CN-SH": "31", "CN-JS": "32", "CN-ZJ": "33", "CN-AH": "34", "CN-FJ": "35", "CN-JX": "36",
    "CN-SD": "37", "CN-HA": "41", "CN-HB": "42", "CN-HN": "43", "CN-GD": "44", "CN-GX": "45", "CN-HI": "46",
    "CN-CQ": "50", "CN-SC": "51", "CN-GZ": "52", "CN-YN": "53", "CN-XZ": "54", "CN-SN": "61", "CN-GS": "62",
    "CN-QH": "63", "CN-NX": "64", "CN-XJ": "65", "CN-TW": "71", "CN-HK": "81", "CN-MO": "82",
}  # fmt: skip

# fmt: on


def profile_for_belt(
    *, slug: str, province: str, city_en: str, city_zh: str, industry_en: str, used_leaves: Iterable[str]
) -> BeltProfile | None:
    """The profile of a demo belt, or one guessed for another belt (None if nothing fits)."""
    if slug in BELT_PROFILES:
        return BELT_PROFILES[slug]
    leaves = {leaf: 1.0 for leaf in used_leaves if leaf in LEAF_INDUSTRY}
    if not leaves:
        text = industry_en.lower()
        root = next((root for word, root in INDUSTRY_KEYWORDS if word in text), None)
        if root is None:
            return None
        leaves = dict(INDUSTRIES[root].leaf_weights)
    division = PROVINCE_DIVISION.get(province, "11") + "0000"
    city = City(city_en.split("(")[0].strip() or "City", city_zh or "市", division)
    return BeltProfile((city,), leaves, weight=10)


# --------------------------------------------------------------------------------------------
# Suppliers
# --------------------------------------------------------------------------------------------

# fmt: off
BRAND_SYLLABLES = (
    ("Hua", "华"), ("Guang", "光"), ("Xin", "鑫"), ("Tai", "泰"), ("Long", "隆"), ("Sheng", "盛"), ("Feng", "丰"),
    ("Yuan", "源"), ("Da", "达"), ("Heng", "恒"), ("Rui", "瑞"), ("Jin", "金"), ("Kai", "凯"), ("Hong", "宏"),
    ("Tian", "天"), ("Yu", "宇"), ("Cheng", "诚"), ("Bao", "宝"), ("Fu", "福"), ("Jia", "嘉"), ("Mei", "美"),
    ("Ming", "明"), ("Chuang", "创"), ("Wei", "威"), ("Yi", "一"), ("Li", "立"), ("Xiang", "祥"), ("De", "德"),
    ("Zhong", "中"), ("Hai", "海"), ("Shun", "顺"), ("An", "安"), ("Run", "润"), ("Jing", "精"), ("Ke", "科"),
)
SURNAMES = (
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"), ("Huang", "黄"),
    ("Zhao", "赵"), ("Wu", "吴"), ("Zhou", "周"), ("Xu", "徐"), ("Sun", "孙"), ("Ma", "马"), ("Zhu", "朱"),
)
GIVEN_NAMES = (
    ("Wei", "伟"), ("Fang", "芳"), ("Na", "娜"), ("Min", "敏"), ("Jing", "静"), ("Lei", "磊"), ("Qiang", "强"),
    ("Jun", "军"), ("Yang", "洋"), ("Yong", "勇"), ("Jie", "杰"), ("Tao", "涛"), ("Ming", "明"), ("Hui", "慧"),
)
ROADS = (
    ("Gaoxin Avenue", "高新大道"), ("Industrial Road", "工业路"), ("Chuangye Avenue", "创业大道"),
    ("Binhe Road", "滨河路"), ("Xingfu Street", "幸福街"), ("Jianshe Road", "建设路"), ("Keji Road", "科技路"),
)
# fmt: on
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# What share of generated suppliers is in which state; listings of the last five are not public.
SUPPLIER_STATES = (
    ("verified", 0.38),
    ("certified_origin", 0.30),
    ("audited_factory", 0.15),
    ("expired", 0.03),  # certified, but the certification ran out
    ("suspended", 0.03),
    ("under_verification", 0.05),
    ("info_requested", 0.02),
    ("rejected", 0.02),
    ("draft", 0.02),
)
PUBLIC_STATES = ("verified", "certified_origin", "audited_factory")
LAPSED_STATES = ("expired", "suspended")  # had published listings, no longer shown


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


def pick_weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


# --------------------------------------------------------------------------------------------
# Listings
# --------------------------------------------------------------------------------------------

NICE = (1, 2, 3, 5)
# fmt: off
COLOURS = z(
    ("Black / 黑色", ""), ("Navy / 藏青", ""), ("White / 白色", ""), ("Grey / 灰色", ""), ("Khaki / 卡其", ""),
    ("Red / 红色", ""), ("Olive / 军绿", ""), ("Beige / 米色", ""), ("Pink / 粉色", ""), ("Sky blue / 天蓝", ""),
    ("Burgundy / 酒红", ""), ("Mustard / 姜黄", ""),
)
# fmt: on
ADULT_SIZES = ("S", "M", "L", "XL", "XXL", "3XL")
SUIT_SIZES = ("46", "48", "50", "52", "54", "56")
KID_SIZES = ("90 cm", "100 cm", "110 cm", "120 cm", "130 cm", "140 cm", "150 cm")
BABY_SIZES = ("0–3 months", "3–6 months", "6–12 months", "12–18 months", "18–24 months")
PACK_SIZES = ("500 g bag", "1 kg bag", "5 kg carton", "10 kg carton", "25 kg carton")


def nice_at_least(q: float) -> int:
    """The smallest of 1, 2, 3, 5, 10, 20, 30, 50, 100… that is at least `q`."""
    if q <= 1:
        return 1
    power = 10 ** math.floor(math.log10(q))
    for step in (*NICE, 10):
        if step * power >= q:
            return step * power
    return 10 * power


def round_up(q: int, multiple: int) -> int:
    return -(-q // multiple) * multiple


@dataclass
class SupplierPlan:
    """What listing generation needs to know of one supplier."""

    id: int
    state: str
    leaves: dict[str, float]
    sites: list[tuple[int, str, str]]  # (id, city en, city zh)
    sku_prefix: str
    currency_usd: float

    def __post_init__(self) -> None:
        self.leaf_slugs = list(self.leaves)
        self.leaf_cum = list(itertools.accumulate(self.leaves.values()))


@dataclass
class ListingRows:
    listings: list[tuple] = field(default_factory=list)
    tiers: list[tuple] = field(default_factory=list)
    variants: list[tuple] = field(default_factory=list)


# fmt: off
LISTING_COLUMNS = (
    "id", "supplier_id", "category_id", "sku", "title_en", "title_zh", "description_en", "description_zh",
    "status", "unit", "currency", "moq", "lead_time_days", "monthly_capacity", "sample_available",
    "sample_price", "sample_fee_credited", "moq_mode", "order_multiple", "oem", "odm", "customisation_en",
    "customisation_zh", "specifications", "production_site_id", "created_at", "updated_at", "published_at",
    "archived_at",
)
# fmt: on
TIER_COLUMNS = ("listing_id", "min_quantity", "unit_price")
VARIANT_COLUMNS = ("listing_id", "sku", "size", "colour", "model", "moq", "position")


class ListingMaker:
    """Builds listing, tier and variant rows for a batch of ids with one seeded generator."""

    def __init__(self, rng: random.Random, categories: dict[str, int], now: datetime.datetime) -> None:
        self.rng = rng
        self.categories = categories
        self.now = now

    def status_for(self, state: str) -> str:
        r = self.rng.random()
        if state in PUBLIC_STATES:
            return "published" if r < 0.9 else ("draft" if r < 0.96 else "archived")
        if state in LAPSED_STATES:
            return "published" if r < 0.8 else ("draft" if r < 0.92 else "archived")
        return "draft" if r < 0.9 else "archived"

    def build(self, rows: ListingRows, listing_id: int, supplier: SupplierPlan, created: datetime.datetime) -> None:
        rng = self.rng
        random_ = rng.random
        leaf_slug = supplier.leaf_slugs[bisect.bisect_right(supplier.leaf_cum, random_() * supplier.leaf_cum[-1])]
        industry = LEAF_INDUSTRY[leaf_slug]
        leaf = industry.leaves[leaf_slug]

        title_en, title_zh, noun_en, noun_zh = self._title(industry, leaf)
        description_en, description_zh = self._description(industry, noun_en, noun_zh, supplier)

        # Quantities: MOQ and tiers in whole multiples of the carton pack.
        multiple = industry.multiple_choice.pick(rng) if random_() < 0.35 else 1
        moq = round_up(leaf.moq_choice.pick(rng), multiple)
        unit = leaf.units[int(random_() * len(leaf.units))]
        low, high = leaf.log_price
        price = math.exp(low + (high - low) * random_())
        if unit == "tonne":
            price *= 1000
            moq = round_up(max(1, moq // 1000) if moq >= 1000 else (1, 5, 10, 20)[int(random_() * 4)], multiple)
        currency = "CNY"
        if random_() < supplier.currency_usd:
            currency = "USD"
            price /= 7.1
        r = random_()
        tier_count = 1 if r < 0.15 else 2 if r < 0.4 else 3 if r < 0.8 else 4
        quantity, first_price = moq, max(0.01, round(price, 2))
        unit_price = first_price
        tiers = rows.tiers
        breaks = industry.breaks
        tiers.append((listing_id, quantity, f"{unit_price:.2f}"))
        for _ in range(tier_count - 1):
            quantity = round_up(nice_at_least(quantity * breaks[int(random_() * len(breaks))]), multiple)
            unit_price = max(0.01, round(unit_price * (0.98 - 0.1 * random_()), 2))
            tiers.append((listing_id, quantity, f"{unit_price:.2f}"))

        sample_available = random_() < industry.sample_share
        sample_price = None
        if sample_available:
            if industry.sample == "unit":
                sample_price = f"{first_price:.2f}"
            elif industry.sample == "flat":
                sample_price = f"{(10, 15, 20, 30, 50)[int(random_() * 5)]}.00"
            elif industry.sample == "double":
                sample_price = f"{first_price * (1.5 + random_()):.2f}"
            else:
                sample_price = "0.00" if random_() < 0.4 else f"{(10, 20, 30, 50)[int(random_() * 4)]}.00"

        variants = 0
        if random_() < industry.variant_share:
            variants = self._variants(rows, industry, leaf_slug, listing_id)
        moq_mode = "mixed"
        if variants and random_() < 0.4:
            moq_mode = "per_variant"
            self._variant_moqs(rows, variants, moq, multiple)

        oem, odm = random_() < industry.oem, random_() < industry.odm
        custom_en = custom_zh = ""
        if oem or odm:
            options = industry.customisation.sample(rng, 1 + int(random_() * 3))
            custom_en = ", ".join(en for en, _zh in options).capitalize()
            custom_zh = "、".join(zh for _en, zh in options)

        specifications = "[" + ", ".join(spec.pick(rng) for spec in industry.spec_json if random_() < 0.7) + "]"

        status = self.status_for(supplier.state)
        published_at = archived_at = None
        now = self.now
        age = (now - created).total_seconds()
        updated = created + datetime.timedelta(seconds=random_() * min(age, 120 * 86400))
        if status != "draft":
            published_at = min(now, created + datetime.timedelta(seconds=300 + random_() * 3 * 86400))
            if updated < published_at:
                updated = published_at
            if status == "archived":
                archived_at = min(now, published_at + datetime.timedelta(days=1 + random_() * 300))
                if updated < archived_at:
                    updated = archived_at

        site_id = None
        if supplier.sites and random_() < 0.92:
            site_id = supplier.sites[int(random_() * len(supplier.sites))][0]

        sku = f"{supplier.sku_prefix}-{listing_id}" if random_() < 0.9 else ""
        low_lead, high_lead = industry.lead_time
        lead = low_lead + int(random_() * (high_lead - low_lead + 1))
        capacity = None
        if random_() >= 0.1:
            low, high = industry.log_capacity
            capacity = nice_at_least(math.exp(low + (high - low) * random_()))
            if unit == "tonne":
                capacity = max(1, capacity // 1000)

        rows.listings.append(
            (
                listing_id,
                supplier.id,
                self.categories[leaf_slug],
                sku,
                title_en[:200],
                title_zh[:200],
                description_en,
                description_zh,
                status,
                unit,
                currency,
                moq,
                lead,
                capacity,
                sample_available,
                sample_price,
                sample_available and random_() < 0.4,
                moq_mode,
                multiple,
                oem,
                odm,
                custom_en[:300],
                custom_zh[:300],
                specifications,
                site_id,
                created,
                updated,
                published_at,
                archived_at,
            )
        )

    def _title(self, industry: Industry, leaf: Leaf) -> tuple[str, str, str, str]:
        rng = self.rng
        noun_en, noun_zh = leaf.nouns.pick(rng)
        pre_en, pre_zh = [], []
        for probability, words in leaf.pre:
            if rng.random() < probability:
                en, zh = words.pick(rng)
                if en.lower() not in noun_en.lower():
                    pre_en.append(en)
                    pre_zh.append(zh)
        en = " ".join([*pre_en, noun_en])
        zh = "".join([*pre_zh, noun_zh])
        for probability, words, fmt_en, fmt_zh in leaf.post:
            if rng.random() < probability:
                value_en, value_zh = words.pick(rng)
                en += fmt_en.format(value_en)
                zh += fmt_zh.format(value_zh)
        if rng.random() < 0.45:
            feature_en, feature_zh = (leaf.features or industry.features).pick(rng)
            if industry.features_before:
                en, zh = f"{feature_en} {en}", f"{feature_zh}{zh}"
            else:
                en += f" with {feature_en}"
                zh += f" 配{feature_zh}" if industry is LASER else f" {feature_zh}"
        if rng.random() < 0.12:
            use_en, use_zh = industry.applications.pick(rng)
            en += f", for {use_en}"
            zh += f" {use_zh}用"
        return en[0].upper() + en[1:], zh, noun_en, noun_zh

    def _description(self, industry: Industry, noun_en: str, noun_zh: str, supplier: SupplierPlan) -> tuple[str, str]:
        rng = self.rng
        chosen = industry.sentences.sample(rng, rng.randint(2, 3)) + TRADE_SENTENCES.sample(rng, rng.randint(0, 2))
        en = " ".join(s_en.format(noun_en=noun_en, noun_zh=noun_zh) for s_en, _ in chosen)
        zh = "".join(s_zh.format(noun_en=noun_en, noun_zh=noun_zh) for _, s_zh in chosen)
        if supplier.sites and rng.random() < 0.5:
            _site, city_en, city_zh = rng.choice(supplier.sites)
            en += f" Made at our {city_en} site."
            zh += f"产自我司{city_zh}生产基地。"
        return en, zh

    def _variants(self, rows: ListingRows, industry: Industry, leaf_slug: str, listing_id: int) -> int:
        rng = self.rng
        kind = industry.variant_kind
        start = len(rows.variants)
        if kind == "size":
            if leaf_slug == "mens-suits":
                scale = SUIT_SIZES
            elif leaf_slug == "baby-clothing":
                scale = BABY_SIZES
            elif industry is CHILDRENSWEAR:
                scale = KID_SIZES
            else:
                scale = ADULT_SIZES
            count = rng.randint(3, len(scale))
            first = rng.randint(0, len(scale) - count)
            colour = COLOURS.pick(rng)[0] if rng.random() < 0.5 else ""
            values = [(size, colour, "") for size in scale[first : first + count]]
        elif kind == "colour":
            values = [("", colour, "") for colour, _ in COLOURS.sample(rng, rng.randint(2, 6))]
        elif kind == "pack":
            count = rng.randint(2, 3)
            first = rng.randint(0, len(PACK_SIZES) - count)
            values = [(size, "", "") for size in PACK_SIZES[first : first + count]]
        else:
            powers = [en for en, _zh in _KW.sample(rng, rng.randint(2, 4))]
            values = [("", "", f"Model {power}") for power in powers]
        for position, (size, colour, model) in enumerate(values):
            rows.variants.append((listing_id, "", size, colour, model, None, position))
        return len(rows.variants) - start

    def _variant_moqs(self, rows: ListingRows, count: int, moq: int, multiple: int) -> None:
        """Per-variant MOQ: about half the variants get their own minimum, the rest use the listing's."""
        for index in range(len(rows.variants) - count, len(rows.variants)):
            if self.rng.random() < 0.5:
                own = round_up(max(1, int(moq * self.rng.choice((0.5, 1, 2)))), multiple)
                row = rows.variants[index]
                rows.variants[index] = (*row[:5], own, row[6])


def created_times(
    rng: random.Random, count: int, start: datetime.datetime, end: datetime.datetime
) -> list[datetime.datetime]:
    """`count` times spread evenly over [start, end) with jitter, in rising order."""
    span = (end - start).total_seconds()
    step = span / max(count, 1)
    return [start + datetime.timedelta(seconds=(i + rng.random()) * step) for i in range(count)]
