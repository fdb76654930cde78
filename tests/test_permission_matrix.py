"""Every URL of the project, requested as every persona, against the expected outcome.

The URL list is walked from the resolver (recursively through includes), so a new URL cannot slip
through: without a rule in a module of tests/permission_rules/ the test fails and says which.
Django admin URLs (namespace "admin") share one generic rule, written out below.
"""

import importlib
import pkgutil
import re

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from communes.models import Unit
from tests import permission_rules
from tests.permission_rules import PERSONAS, Rule

REDIRECTS = (301, 302, 303, 307, 308)


def _walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, route, ns)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name, route, pattern


def _all_patterns():
    return list(_walk(get_resolver()))


def _full_name(namespace, name):
    return f"{namespace}:{name}" if namespace and name else name


def _collect_rules():
    rules, owners = {}, {}
    for module_info in pkgutil.iter_modules(permission_rules.__path__):
        module = importlib.import_module(f"{permission_rules.__name__}.{module_info.name}")
        for name, rule in getattr(module, "RULES", {}).items():
            if name in rules:
                raise AssertionError(
                    f"URL “{name}” has a rule in both tests/permission_rules/{owners[name]}.py and "
                    f"tests/permission_rules/{module_info.name}.py: keep one."
                )
            rules[name], owners[name] = rule, module_info.name
    return rules


RULES = _collect_rules()
PATTERNS = _all_patterns()
PROJECT_URLS = sorted({
    _full_name(ns, name) for ns, name, _, _ in PATTERNS if ns != "admin" and name
})
ADMIN_PATTERNS = [(name, route, p) for ns, name, route, p in PATTERNS if ns == "admin"]


def test_every_url_pattern_has_a_name_and_a_rule():
    unnamed = [route for ns, name, route, _ in PATTERNS if ns != "admin" and not name]
    assert not unnamed, (
        "These URL patterns have no name, so no permission rule can be written for them: "
        + ", ".join(unnamed)
    )
    missing = [name for name in PROJECT_URLS if name not in RULES]
    assert not missing, (
        "These URLs have no permission rule. Add one for each in a module of tests/permission_rules/ "
        "(format in tests/permission_rules/__init__.py): " + ", ".join(missing)
    )


def test_every_rule_belongs_to_an_existing_url():
    stale = sorted(set(RULES) - set(PROJECT_URLS))
    assert not stale, "Rules for URLs that no longer exist (remove them): " + ", ".join(stale)


def _client_for(client, world, persona):
    client.logout()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def _request(client, rule, url):
    method = getattr(client, rule.method.lower())
    return method(url, rule.data) if rule.method.lower() != "get" or rule.data else method(url)


def _outcome_matches(response, expected, login_url):
    location = response.get("Location", "")
    if expected == "login":
        return response.status_code in REDIRECTS and location.startswith(login_url)
    if expected == "redirect":
        return response.status_code in REDIRECTS and not location.startswith(login_url)
    return response.status_code == expected


def _describe(response):
    if response.status_code in REDIRECTS:
        return f"{response.status_code} → {response['Location']}"
    return str(response.status_code)


@pytest.mark.parametrize("url_name", [n for n in PROJECT_URLS if n in RULES])
def test_url_answers_each_persona_as_its_rule_says(url_name, client, world):
    rule: Rule = RULES[url_name]
    unknown = set(rule.expect) - set(PERSONAS)
    assert not unknown, f"Rule for “{url_name}” names unknown personas: {sorted(unknown)}"
    missing = [p for p in PERSONAS if p not in rule.expect]
    assert not missing, f"Rule for “{url_name}” says nothing about: {missing}"
    login_url = reverse("login")
    failures = []
    for persona in PERSONAS:
        url = reverse(url_name, args=rule.url_args(world))
        response = _request(_client_for(client, world, persona), rule, url)
        expected = rule.expect[persona]
        if not _outcome_matches(response, expected, login_url):
            failures.append(f"{persona}: expected {expected}, got {_describe(response)}")
    assert not failures, f"{rule.method.upper()} {url_name}:\n  " + "\n  ".join(failures)


# --- The Django admin: one generic rule --------------------------------------------------------

# What a province administrator manages (issue 4): criteria sets, years, units, accounts and roles.
PROVINCE_ADMIN_MODELS = {
    "parindex.criteriaset", "parindex.item", "parindex.evaluationyear",
    "communes.unit", "communes.membership", "auth.user",
}
NON_STAFF = ("officer_a", "officer_b", "appraiser", "other_appraiser")
MODEL_URL = re.compile(r"^(?P<app>[a-z_]+)_(?P<model>[a-z0-9]+)_(?P<action>changelist|add|change|delete|history)$")


def _admin_kwargs(pattern, world):
    """Values for an admin URL's groups: an existing unit where an object is wanted."""
    groups = pattern.pattern.regex.groupindex
    values = {}
    for group in groups:
        if group == "app_label":
            values[group] = "communes"
        elif group == "content_type_id":
            values[group] = ContentType.objects.get_for_model(Unit).pk
        elif group in ("object_id", "id"):
            values[group] = str(world.commune_a.pk)
        elif group == "url":
            values[group] = "khong-co-trang-nay/"
        else:
            values[group] = "1"
    return values


def _admin_url(name, pattern, world, route):
    kwargs = _admin_kwargs(pattern, world)
    if name:
        return reverse(f"admin:{name}", kwargs=kwargs)
    # The admin's final catch-all has no name.
    return reverse("admin:index") + kwargs.get("url", "")


def _admin_expected(name, persona):
    """The outcome a GET must give, or a set of acceptable statuses."""
    if name == "login":
        return 200 if persona != "admin" else "redirect"
    if name == "logout":
        return "redirect" if persona != "admin" else 405  # LogoutView only takes POST
    if persona != "admin":
        return "admin_login"
    if name == "index":
        return 200
    match = MODEL_URL.match(name or "")
    if match and match["action"] == "changelist":
        return 200 if f"{match['app']}.{match['model']}" in PROVINCE_ADMIN_MODELS else 403
    # Any other admin page answers without a server error: allowed, refused, or redirected
    # (an object outside the province "does not exist" and sends back to the index).
    return {200, 302, 403, 404}


def _admin_label(name, route):
    return name or f"(unnamed) {route}"


@pytest.mark.parametrize(
    ("name", "route", "pattern"), ADMIN_PATTERNS, ids=[_admin_label(n, r) for n, r, _ in ADMIN_PATTERNS],
)
def test_admin_url_follows_the_generic_rule(name, route, pattern, client, world):
    admin_login = reverse("admin:login")
    failures = []
    for persona in PERSONAS:
        response = _client_for(client, world, persona).get(_admin_url(name, pattern, world, route))
        expected = _admin_expected(name, persona)
        if expected == "admin_login":
            ok = response.status_code in REDIRECTS and response["Location"].startswith(admin_login)
        elif expected == "redirect":
            ok = response.status_code in REDIRECTS
        elif isinstance(expected, set):
            ok = response.status_code in expected
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{persona}: expected {expected}, got {_describe(response)}")
    assert not failures, f"admin {_admin_label(name, route)}:\n  " + "\n  ".join(failures)


def test_admin_generic_rule_sees_the_province_admin_models():
    """The generic rule above expects 200 on these changelists: they must be registered."""
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert {"communes.unit", "communes.membership", "auth.user"} <= registered

