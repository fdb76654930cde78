"""Login throttling (django-axes) for every login that comes with a request."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check of locked-out usernames, before the real backends authenticate.

    Axes refuses an authenticate() call without a request; such calls never come from a login page
    or the admin (both pass the request), only from code with no HTTP client behind it (the test
    client's login, scripts), so they are let through to the other backends instead."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
