"""The demo's category tree and belts, as `generate_catalog` needs them (tests of the generator)."""

import pytest

from belts.models import Belt, Category
from demo.generator.vocabulary import INDUSTRIES


@pytest.fixture
def demo_catalog(db):
    """The demo's category tree (every leaf the generator knows) and three belts: two demo belts
    and one the generator only knows by its industry's words."""
    for position, (root, industry) in enumerate(INDUSTRIES.items()):
        parent = Category.objects.create(slug=root, name_en=root, name_zh=root, position=position)
        for leaf in industry.leaves:
            if not Category.objects.filter(slug=leaf).exists():
                Category.objects.create(slug=leaf, name_en=leaf, name_zh=leaf, parent=parent)
    common = {"brand_en": "Brand", "brand_zh": "品牌", "story_en": "", "story_zh": ""}
    Belt.objects.create(
        slug="wuhan-laser", name_en="Wuhan laser belt", name_zh="武汉激光产业带", province="CN-HB",
        industry_en="Laser equipment", industry_zh="激光设备", position=0, **common,
    )  # fmt: skip
    Belt.objects.create(
        slug="wenzhou-menswear", name_en="Wenzhou menswear belt", name_zh="温州男装产业带", province="CN-ZJ",
        industry_en="Men's clothing", industry_zh="男装", position=1, **common,
    )  # fmt: skip
    return Belt.objects.create(
        slug="keqiao-fabrics", name_en="Keqiao fabric belt", name_zh="柯桥面料产业带", province="CN-ZJ",
        city_en="Shaoxing (Keqiao)", city_zh="绍兴柯桥", industry_en="Printed and dyed fabrics",
        industry_zh="印染面料", position=2, **common,
    )  # fmt: skip
