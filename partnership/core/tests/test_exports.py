import io

import pytest
from openpyxl import load_workbook

from partnership.core.exports import csv_response, pdf_bytes, safe_cell, xlsx_bytes


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_prefixes_are_escaped(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous


def test_numbers_and_plain_text_are_left_alone():
    assert safe_cell(-3) == -3 and safe_cell("Reading") == "Reading" and safe_cell(None) == ""


def test_csv_is_utf8_with_bom_for_excel():
    response = csv_response("t.csv", ["Name"], [["Zoë"], ["=cmd"]])
    body = response.content.decode("utf-8-sig")
    assert "Zoë" in body and "'=cmd" in body


def test_xlsx_opens_with_openpyxl_and_keeps_formulas_as_text():
    data = xlsx_bytes([("Actions: autumn/spring", ["Title", "Due"], [['=HYPERLINK("x")', "2026-01-01"]])])
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet.title == "Actions- autumn-spring"
    assert sheet["A2"].value == '\'=HYPERLINK("x")' and sheet["A2"].data_type == "s"


def test_pdf_is_a_real_pdf(tmp_path):
    from pypdf import PdfReader

    data = pdf_bytes("core/pdf_test.html", {"title": "Plan for governors"})
    assert data.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Plan for governors" in text
