"""Expected outcome of every URL for every persona, used by tests/test_permission_matrix.py.

Each module in this package (one per area of the product) defines

    RULES = {
        "url_name": Rule(args=lambda w: [w.assessment_a.pk], expect={...}),
    }

`args` builds the URL's positional args from the `world` fixture (tests/conftest.py).
`expect` maps each persona in PERSONAS to the outcome of a GET (or of `method`):
an HTTP status code (200, 403, 404, 405) or one of the strings
    "login"    – redirected to the login page (anonymous users),
    "redirect" – any other redirect (302/303).
The matrix test fails when a URL pattern of the project has no rule, so adding a URL means adding
its rule here.
"""

from dataclasses import dataclass, field

PERSONAS = ("anonymous", "officer_a", "officer_b", "appraiser", "other_appraiser", "admin")


@dataclass
class Rule:
    expect: dict
    args: object = None  # callable(world) -> list
    method: str = "get"
    data: dict = field(default_factory=dict)

    def url_args(self, world):
        return list(self.args(world)) if self.args else []


def same_for_all(outcome, **overrides):
    """expect dict with one outcome for every persona, some overridden."""
    result = {p: outcome for p in PERSONAS}
    result.update(overrides)
    return result


def logged_in(outcome, **overrides):
    """Anonymous goes to login; every signed-in persona gets `outcome` unless overridden."""
    return same_for_all(outcome, anonymous="login", **overrides)
