"""China's 34 provincial-level divisions (ISO 3166-2:CN codes) with their English and Chinese names.

pycountry carries the codes but its names are romanised ("Hubei Sheng", "Ningxia Huizu Zizhiqu")
and its Chinese translation lacks some regions, so the display names are kept here.
"""

from marketplace.i18n import current_language_suffix

PROVINCES: dict[str, tuple[str, str]] = {
    "CN-AH": ("Anhui", "安徽省"),
    "CN-BJ": ("Beijing", "北京市"),
    "CN-CQ": ("Chongqing", "重庆市"),
    "CN-FJ": ("Fujian", "福建省"),
    "CN-GD": ("Guangdong", "广东省"),
    "CN-GS": ("Gansu", "甘肃省"),
    "CN-GX": ("Guangxi Zhuang Autonomous Region", "广西壮族自治区"),
    "CN-GZ": ("Guizhou", "贵州省"),
    "CN-HA": ("Henan", "河南省"),
    "CN-HB": ("Hubei", "湖北省"),
    "CN-HE": ("Hebei", "河北省"),
    "CN-HI": ("Hainan", "海南省"),
    "CN-HK": ("Hong Kong SAR", "香港特别行政区"),
    "CN-HL": ("Heilongjiang", "黑龙江省"),
    "CN-HN": ("Hunan", "湖南省"),
    "CN-JL": ("Jilin", "吉林省"),
    "CN-JS": ("Jiangsu", "江苏省"),
    "CN-JX": ("Jiangxi", "江西省"),
    "CN-LN": ("Liaoning", "辽宁省"),
    "CN-MO": ("Macao SAR", "澳门特别行政区"),
    "CN-NM": ("Inner Mongolia Autonomous Region", "内蒙古自治区"),
    "CN-NX": ("Ningxia Hui Autonomous Region", "宁夏回族自治区"),
    "CN-QH": ("Qinghai", "青海省"),
    "CN-SC": ("Sichuan", "四川省"),
    "CN-SD": ("Shandong", "山东省"),
    "CN-SH": ("Shanghai", "上海市"),
    "CN-SN": ("Shaanxi", "陕西省"),
    "CN-SX": ("Shanxi", "山西省"),
    "CN-TJ": ("Tianjin", "天津市"),
    "CN-TW": ("Taiwan", "台湾省"),
    "CN-XJ": ("Xinjiang Uygur Autonomous Region", "新疆维吾尔自治区"),
    "CN-XZ": ("Xizang (Tibet) Autonomous Region", "西藏自治区"),
    "CN-YN": ("Yunnan", "云南省"),
    "CN-ZJ": ("Zhejiang", "浙江省"),
}

PROVINCE_CHOICES = sorted(((code, names[0]) for code, names in PROVINCES.items()), key=lambda c: c[1])


def province_name(code: str) -> str:
    """The province's name in the active language; the code itself if unknown."""
    names = PROVINCES.get(code)
    if names is None:
        return code
    return names[1] if current_language_suffix() == "zh" else names[0]


_CODE_OF_ENGLISH_NAME = {names[0]: code for code, names in PROVINCES.items()}


def province_code(value: str) -> str:
    """The code of a province given as its code or its English name (the value itself if neither)."""
    return value if value in PROVINCES else _CODE_OF_ENGLISH_NAME.get(value, value)
