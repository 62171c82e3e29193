"""The login lock-out backend (django-axes) for every login form."""

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for logins that come with a request.

    Every HTTP login (the login page, the admin, DRF's basic auth) passes its request and is
    counted and locked out per (user name, address). Logins without one (Django's test
    client, a script calling ``authenticate()``) have no address to lock and are passed on to
    the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
