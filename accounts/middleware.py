from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device


class SecondFactorMiddleware:
    """Sends a curator signed in with a password only to the second step before any admin page.

    With ``ADMIN_REQUIRE_2FA`` on, a staff user whose session is not yet verified by a code
    from their authenticator app goes to the code page, or, with no app set up, to the page
    that sets one up. Goes after django-otp's ``OTPMiddleware``, which tells whether the
    session is verified. Pages outside the admin are never touched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.second_step(request) or self.get_response(request)

    def second_step(self, request):
        if not settings.ADMIN_REQUIRE_2FA or not request.path.startswith(reverse("admin:index")):
            return None
        # These pages must stay reachable: signing in, signing out, and the second step itself.
        if request.path in {
            reverse("admin:login"),
            reverse("admin:logout"),
            reverse("accounts:setup"),
            reverse("accounts:verify"),
        }:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff) or user.is_verified():
            return None
        step = "accounts:verify" if user_has_device(user) else "accounts:setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
