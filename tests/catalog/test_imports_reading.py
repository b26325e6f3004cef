"""Reading an uploaded listings file: CSV in UTF-8, UTF-8 with BOM and GBK, XLSX, and every refusal.

A refused file is refused whole, at upload, with a message for the supplier; nothing is stored.
"""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import imports
from catalog.imports import check_upload, read_sheet

HEADER = "sku,title_en,title_zh,category,moq,tier1_qty,tier1_price"
ROW = "LC-1,Fiber laser cutter,光纤激光切割机,laser-cutters,1,1,128000"


def upload(content: bytes, name: str = "listings.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_utf8_csv_is_read_with_its_row_numbers():
    checked = check_upload(upload(f"{HEADER}\n{ROW}\n\n{ROW.replace('LC-1', 'LC-2')}\n".encode()))
    assert checked.format == "csv"
    assert checked.rows == 2
    sheet = read_sheet(checked.data, checked.format)
    # The blank row is skipped but still counted, as the spreadsheet numbers it.
    assert [line for line, _cells in sheet.rows] == [2, 4]
    assert sheet.rows[0][1][sheet.columns["title_zh"]] == "光纤激光切割机"


def test_utf8_csv_with_bom_finds_the_sku_column():
    data = "\ufeff".encode() + f"{HEADER}\n{ROW}\n".encode()
    sheet = read_sheet(check_upload(upload(data)).data, "csv")
    assert sheet.columns["sku"] == 0
    assert sheet.rows[0][1][0] == "LC-1"


def test_gbk_csv_with_chinese_headers_is_read():
    text = (
        "货号,英文标题,中文标题,类目,起订量,阶梯1数量,阶梯1单价\nLC-1,Cutter,光纤激光切割机,laser-cutters,1,1,128000\n"
    )
    data = text.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GBK, not UTF-8 by accident
    checked = check_upload(upload(data))
    sheet = read_sheet(checked.data, checked.format)
    assert set(sheet.columns) == {"sku", "title_en", "title_zh", "category", "moq", "tier1_qty", "tier1_price"}
    assert sheet.labels["moq"] == "起订量"  # messages name the column as the supplier wrote it
    assert sheet.rows[0][1][sheet.columns["title_zh"]] == "光纤激光切割机"


def test_semicolon_csv_and_excel_sep_hint_are_read():
    data = f"sep=;\n{HEADER.replace(',', ';')}\n{ROW.replace(',', ';')}\n".encode()
    sheet = read_sheet(data, "csv")
    assert sheet.rows[0][0] == 2  # Excel hides the hint line: the header stays row 1
    assert sheet.rows[0][1][sheet.columns["category"]] == "laser-cutters"


def test_header_names_are_forgiving_about_case_spaces_and_required_stars():
    data = b"*SKU,Title EN,title-zh,Category,MOQ,Tier1 Qty,tier1_price\nA,B,C,laser-cutters,1,1,2\n"
    sheet = read_sheet(data, "csv")
    assert {"sku", "title_en", "title_zh", "category", "moq", "tier1_qty", "tier1_price"} == set(sheet.columns)


def test_xlsx_is_read_with_numbers_booleans_and_row_numbers():
    data = xlsx_bytes(
        [
            ["sku", "title_zh", "category", "moq", "tier1_qty", "tier1_price", "oem"],
            ["LC-1", "光纤激光切割机", "laser-cutters", 5, 5, 12.5, True],
            [],
            ["LC-2", "切割机", "laser-cutters", 10.0, 10, 100, False],
        ]
    )
    checked = check_upload(upload(data, "anything.bin"))  # judged by content, not by name
    assert checked.format == "xlsx"
    assert checked.rows == 3  # as the sheet declares it, blank row included; the job counts again
    sheet = read_sheet(checked.data, "xlsx")
    first, second = sheet.rows
    assert first[0] == 2 and second[0] == 4
    assert first[1][sheet.columns["tier1_price"]] == "12.5"
    assert first[1][sheet.columns["oem"]] == "yes"
    assert second[1][sheet.columns["moq"]] == "10"


def test_unknown_columns_are_refused_by_name():
    with pytest.raises(ValidationError) as exc:
        read_sheet(b"sku,tittle_en,colour\nA,B,C\n", "csv")
    assert "tittle_en, colour" in message(exc)


def test_a_column_named_twice_is_refused():
    with pytest.raises(ValidationError) as exc:
        read_sheet("sku,moq,起订量\nA,1,2\n".encode(), "csv")
    assert "起订量" in message(exc) and "twice" in message(exc)


def test_a_file_without_the_sku_column_is_refused():
    with pytest.raises(ValidationError) as exc:
        read_sheet(b"title_en,moq\nA,1\n", "csv")
    assert "sku (货号)" in message(exc)


def test_header_without_rows_is_refused():
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(f"{HEADER}\n\n".encode()))
    assert "no listings" in message(exc)


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(b"  \n"))
    assert exc.value.code == "empty"


def test_binary_file_that_is_not_a_csv_is_refused():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(png, "listings.csv"))
    assert exc.value.code == "not_csv"
    assert "UTF-8 or GBK" in message(exc)


def test_fake_xlsx_zip_without_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(out.getvalue(), "listings.xlsx"))
    assert exc.value.code == "bad_xlsx"


def test_damaged_xlsx_is_refused():
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(b"PK\x03\x04" + b"\x00garbage" * 100, "listings.xlsx"))
    assert exc.value.code == "bad_xlsx"
    assert "cannot be opened" in message(exc)


def test_old_binary_xls_is_refused_with_what_to_do():
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "listings.xls"))
    assert ".xlsx" in message(exc)


def test_file_over_the_size_cap_is_refused_without_reading_it_all(monkeypatch):
    monkeypatch.setattr(imports.reading, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(f"{HEADER}\n".encode() + b"x" * 1001))
    assert exc.value.code == "too_large"


def test_file_over_the_size_cap_is_refused_even_when_its_size_is_not_known(monkeypatch):
    monkeypatch.setattr(imports.reading, "MAX_FILE_BYTES", 1000)
    stream = io.BytesIO(f"{HEADER}\n".encode() + b"x" * 5000)
    with pytest.raises(ValidationError) as exc:
        imports.read_capped(stream)
    assert exc.value.code == "too_large"


def test_real_size_cap_is_ten_megabytes():
    big = f"{HEADER}\n".encode() + b"x" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(big))
    assert "10.0\xa0MB" in message(exc)


def test_xlsx_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(imports.reading, "XLSX_MAX_UNPACKED_BYTES", 2000)
    data = xlsx_bytes([["sku", "title_en"], *[[f"S{n}", "x" * 50] for n in range(100)]])
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(data, "listings.xlsx"))
    assert exc.value.code == "too_large"


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(imports.reading, "MAX_ROWS", 3)
    rows = "\n".join(ROW.replace("LC-1", f"LC-{n}") for n in range(4))
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(f"{HEADER}\n{rows}\n".encode()))
    assert exc.value.code == "too_many_rows"
    assert "more than 3 rows" in message(exc)


def test_a_runaway_quoted_cell_is_reported_with_the_line():
    # An unclosed quote swallows the rest of the file into one cell, beyond the csv module's limit.
    with pytest.raises(ValidationError) as exc:
        read_sheet(b'sku,title_en\nA,B\nC,"' + b"x" * 200_000 + b"\n", "csv")
    assert exc.value.code == "bad_csv"
    assert "near line" in message(exc)


def test_xlsx_upload_check_reads_the_header_and_the_declared_size_only():
    data = xlsx_bytes([["sku", "moq"], ["A", 1], ["B", 2], ["C", 3]])
    checked = check_upload(upload(data, "listings.xlsx"))
    assert (checked.format, checked.rows) == ("xlsx", 3)
    sheet = read_sheet(data, "xlsx", header_only=True)
    assert sheet.rows == [] and sheet.declared_rows == 3


def test_xlsx_declaring_too_many_rows_is_refused_at_upload(monkeypatch):
    monkeypatch.setattr(imports.reading, "MAX_ROWS", 3)
    data = xlsx_bytes([["sku", "moq"], *[[f"S{n}", 1] for n in range(4)]])
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(data, "listings.xlsx"))
    assert exc.value.code == "too_many_rows"


def test_xlsx_without_a_declared_size_leaves_the_row_count_to_the_job(monkeypatch):
    workbook = openpyxl.Workbook(write_only=True)  # writes no <dimension>, like some generators
    sheet = workbook.create_sheet()
    sheet.append(["sku", "moq"])
    for n in range(4):
        sheet.append([f"S{n}", 1])
    out = io.BytesIO()
    workbook.save(out)
    assert check_upload(upload(out.getvalue(), "listings.xlsx")).rows == 0  # unknown until the job reads it
    monkeypatch.setattr(imports.reading, "MAX_ROWS", 3)
    check_upload(upload(out.getvalue(), "listings.xlsx"))  # the upload check reads no rows
    with pytest.raises(ValidationError) as exc:
        read_sheet(out.getvalue(), "xlsx")  # the job's read
    assert exc.value.code == "too_many_rows"


def test_xlsx_with_a_bad_header_is_refused_at_upload():
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(xlsx_bytes([["name", "price"], ["A", 1]]), "listings.xlsx"))
    assert exc.value.code == "no_header"
