"""The second sign-in step for curators: set up an authenticator app, then type its codes.

Both pages need a staff user already signed in with their password; the admin's own login
page (with its lockout) is the first step. Codes are TOTP (RFC 6238), which any authenticator
app reads from the QR code. django-otp makes each wrong code wait longer before the next is
checked (1, 2, 4… seconds), and never takes the same code twice.
"""

import base64
from functools import wraps
from urllib.parse import urlencode

import segno
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import CodeForm

WRONG_CODE = (
    "That code did not match. Codes change every 30 seconds: type the one your app shows "
    "now. After a wrong code the next one is checked only after a short wait, longer each time."
)


def staff_signed_in(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def next_url(request):
    """Where to go once the step is done: the admin page asked for, if it is on this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def page(request, template, **context):
    context = {
        **admin.site.each_context(request),
        # The admin's side menu lists pages this session cannot open yet.
        "is_nav_sidebar_enabled": False,
        "next": next_url(request),
        **context,
    }
    return render(request, template, context)


def signed_in_with(request, device):
    otp_login(request, device)
    # A new session key for the now fully signed-in session, as Django does at sign-in.
    request.session.cycle_key()
    return redirect(next_url(request))


@staff_signed_in
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('accounts:setup')}?{urlencode({'next': next_url(request)})}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        for device in devices:
            # Checks the throttle and records the failure or the code used, under a row lock.
            if verify_token(user, device.persistent_id, form.cleaned_data["code"]):
                return signed_in_with(request, device)
        form.add_error("code", WRONG_CODE)
    return page(request, "accounts/verify.html", title="Type your sign-in code", form=form)


@staff_signed_in
def setup(request):
    user = request.user
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        # Replacing an app is an administrator's job (see README): someone who only knows
        # the password must not be able to add their own.
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': next_url(request)})}")
    # The app is added but not trusted until it has produced one right code.
    unconfirmed = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk")
    device = unconfirmed.first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            return signed_in_with(request, device)
        form.add_error("code", WRONG_CODE)
    secret = base64.b32encode(device.bin_key).decode()
    return page(
        request,
        "accounts/setup.html",
        title="Set up two-step sign-in",
        form=form,
        # Made here, in the page itself: the secret is never sent to another site.
        qr_code=segno.make(device.config_url).svg_inline(
            scale=5, dark="#000", light="#fff", title="QR code of your sign-in secret"
        ),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )
