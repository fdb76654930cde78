"""Builds small Excel lists in memory for the account import tests."""

from io import BytesIO

from openpyxl import Workbook

HEADER = ["Mã đơn vị", "Tên đăng nhập", "Họ và tên", "Email", "Vai trò", "Mật khẩu"]


def xlsx_file(rows, header=HEADER, name="tai-khoan.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer
