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


def test_refresh_dates_reopens_a_demo_loaded_long_ago(db):
    import datetime as dt

    from django.utils import timezone

    from parindex.models import EvaluationYear

    _run()
    long_ago = timezone.now() - dt.timedelta(days=200)
    EvaluationYear.objects.update(self_assessment_opens=long_ago - dt.timedelta(days=30),
                                  self_assessment_deadline=long_ago)
    _run()
    # plain reruns move nothing
    assert set(EvaluationYear.objects.values_list("self_assessment_deadline", flat=True)) == {long_ago}
    out = StringIO()
    call_command("load_demo", "--refresh-dates", stdout=out)
    # Every demo year (2024, 2025 and 2026) is open again.
    for year in EvaluationYear.objects.all():
        assert year.self_assessment_opens < timezone.now() < year.self_assessment_deadline, year.year
    assert "Đã đặt lại các mốc thời gian" in out.getvalue()
