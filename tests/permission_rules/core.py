from . import Rule, logged_in, same_for_all

RULES = {
    "home": Rule(expect=logged_in("redirect")),
    "healthz": Rule(expect=same_for_all(200)),
    "login": Rule(expect=same_for_all("redirect", anonymous=200)),
    "logout": Rule(expect=same_for_all(405)),
    "password_change": Rule(expect=logged_in(200)),
    "password_change_done": Rule(expect=logged_in(200)),
    "password_reset": Rule(expect=same_for_all(200)),
    "password_reset_done": Rule(expect=same_for_all(200)),
    # A link that is not valid renders the "invalid link" page.
    "password_reset_confirm": Rule(args=lambda w: ["MQ", "khong-hop-le"], expect=same_for_all(200)),
    "password_reset_complete": Rule(expect=same_for_all(200)),
}
