from io import StringIO

from django.core.management import call_command

from parindex.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


def _run():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_prints_every_account_with_its_password_each_time(db):
    first = _run()
    assert "Đã nạp dữ liệu mẫu." in first
    assert "tính từ lúc nạp dữ liệu lần đầu" in first
    second = _run()
    assert "không thay đổi gì" in second
    for text in (first, second):
        for account in DEMO_ACCOUNTS:
            line = next(line for line in text.splitlines() if line.strip().startswith(account.username + " "))
            assert DEMO_PASSWORD in line
