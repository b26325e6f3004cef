"""demo/world.py: the demo world's data files load into the shapes the seed writes, and a broken
file is refused with every problem listed before anything is written."""

import shutil

import pytest
import yaml

from demo.world import DATA_DIR, WorldError, demo_world, load_world


def test_the_data_files_hold_the_whole_world():
    world = demo_world()

    assert world.password == "demo-pass-2026"
    assert [a["email"] for a in world.accounts] == [
        "admin@demo.test", "buyer@demo.test", "supplier@demo.test", "operator@demo.test", "produce@demo.test",
    ]  # fmt: skip
    assert (len(world.belts), len(world.suppliers), len(world.listings)) == (7, 28, 86)
    assert sum(1 + len(root["children"]) for root in world.categories) == 41
    # Evidence and details are read from each belt's file into maps by supplier and by SKU.
    assert set(world.supplier_evidence) == {s["slug"] for s in world.suppliers}
    assert set(world.listing_details) == {listing["sku"] for listing in world.listings}
    assert all("evidence" not in s for s in world.suppliers)
    assert all("details" not in listing for listing in world.listings)
    assert set(world.belt_checklists.values()) == {c["slug"] for c in world.audit_checklists}
    assert world.belts[0]["suppliers"][0]["certification"] == "audited_factory"  # has the supplier login
    assert [order["key"] for order in world.trade_orders] == [f"demo-purchase-{n}" for n in (1, 2, 3, 4)]


@pytest.fixture
def data_copy(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("generator"))
    return copy


def _edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_copy_of_the_data_loads_as_the_same_world(data_copy):
    assert load_world(data_copy) == demo_world()


def test_a_broken_world_is_refused_with_every_problem(data_copy):
    def break_belt(belt):
        first, second = belt["suppliers"][0], belt["suppliers"][1]
        first["uscc"] = "91420100MA109Y0357"  # wrong check character
        first["listings"][0]["category"] = "laser-equipment"  # a root, not a leaf
        first["listings"][1]["tiers"] = [[1, "10.00"], [3, "12.00"]]  # price rises
        del second["listings"][0]["moq"]

    _edit(data_copy / "belts" / "wuhan-laser.yaml", break_belt)

    with pytest.raises(WorldError) as raised:
        load_world(data_copy)
    # Missing keys are reported first (the rules cannot run on a half-read world).
    assert raised.value.problems == ["supplier wuhan-ruiguang-laser / listing RG-CW1500: no moq"]

    _edit(data_copy / "belts" / "wuhan-laser.yaml", lambda belt: belt["suppliers"][1]["listings"][0].update(moq=1))
    with pytest.raises(WorldError) as raised:
        load_world(data_copy)
    problems = "\n".join(raised.value.problems)
    assert "wuhan-guanggu-photonics: USCC 91420100MA109Y0357 is not valid" in problems
    assert "laser-equipment is not a second-level category" in problems
    assert "tier quantities must rise and unit prices fall" in problems


def test_a_belt_without_its_file_is_refused(data_copy):
    (data_copy / "belts" / "ningxia-goji.yaml").unlink()

    with pytest.raises(WorldError, match=r"belt ningxia-goji: no file belts/ningxia-goji\.yaml"):
        load_world(data_copy)
