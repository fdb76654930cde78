"""The account page and two-step verification. Nobody in the world fixture has a device: enrolment is
open to appraisers and administrators only, the QR code exists only while one's own enrolment is
pending, and the code step and removal have nothing to do (tests/test_two_factor.py covers them with
devices)."""

from . import Rule, logged_in

ELIGIBLE_ONLY = dict(officer_a=403, officer_b=403)

RULES = {
    "account": Rule(expect=logged_in(200)),
    "two_factor_enrol": Rule(expect=logged_in(200, **ELIGIBLE_ONLY)),
    "two_factor_qr": Rule(expect=logged_in(404)),
    "two_factor_verify": Rule(expect=logged_in("redirect")),
    "two_factor_disable": Rule(expect=logged_in("redirect", **ELIGIBLE_ONLY)),
    "two_factor_backup_codes_new": Rule(expect=logged_in("redirect", **ELIGIBLE_ONLY)),
}
