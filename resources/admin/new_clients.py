"""The admin of "taking new clients" for clinicians and treatment programs: the fields, a
column and a filter by when it was last confirmed, the action "Confirm taking new clients
today", and confirmation links for the listing's own contact (README: "Taking new clients").

No e-mail is sent: the site has no mail server of its own (CORRECTIONS_EMAIL is only an
address people write to). The curator copies the link into their own message.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from resources.models import (
    NEW_CLIENTS_FRESH_DAYS,
    NEW_CLIENTS_LINK_DAYS,
    NewClientsConfirmer,
    NewClientsLink,
)

NEW_CLIENTS_FIELDSET = (
    _("New clients"),
    {
        "fields": (
            ("accepting_new_clients", "new_clients_waitlist"),
            ("new_clients_confirmed_on", "new_clients_confirmed_by"),
            "new_clients_link",
        ),
        "description": _(
            "Confirm it with the provider, or send their contact a confirmation link: the "
            "date shows on the listing's card, and past 30 days the card says "
            "“call before you go”."
        ),
    },
)
CREATE_LINK_BUTTON = "_new_clients_link"


@admin.display(description=_("new clients confirmed"), ordering="new_clients_confirmed_on")
def new_clients_confirmed(listing):
    """The date, and by whom; flagged when it is too old to show as confirmed."""
    if listing.new_clients_confirmed_on is None:
        return _("Never")
    by = listing.get_new_clients_confirmed_by_display()
    confirmed = f"{date_format(listing.new_clients_confirmed_on)} ({by})"
    if not listing.new_clients_is_fresh:
        return format_html("{} <strong>({})</strong>", confirmed, _("over 30 days ago"))
    return confirmed


class NewClientsConfirmedFilter(admin.SimpleListFilter):
    title = _("new clients confirmed")
    parameter_name = "new_clients_confirmed"

    def lookups(self, request, model_admin):
        return [
            ("fresh", _("Within 30 days")),
            ("old", _("Over 30 days ago")),
            ("never", _("Never")),
        ]

    def queryset(self, request, queryset):
        oldest = timezone.localdate() - timedelta(days=NEW_CLIENTS_FRESH_DAYS)
        if self.value() == "fresh":
            return queryset.filter(new_clients_confirmed_on__gte=oldest)
        if self.value() == "old":
            return queryset.filter(new_clients_confirmed_on__lt=oldest)
        if self.value() == "never":
            return queryset.filter(new_clients_confirmed_on__isnull=True)
        return queryset


class NewClientsAdmin:
    """Mixed into the admins of the kinds that take clients (before TypedListingAdmin)."""

    new_clients_actions = ["confirm_new_clients_today", "create_new_clients_links"]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "new_clients_link")

    @admin.display(description=_("confirmation link for the listing's contact"))
    def new_clients_link(self, listing):
        if listing.pk is None:
            return _("Save the listing first.")
        button = format_html(
            '<button type="submit" name="{}" value="1" class="button">{}</button>',
            CREATE_LINK_BUTTON,
            _("Save and create a new link"),
        )
        live = [link for link in listing.new_clients_links.all()[:1] if link.is_live]
        if not live:
            return format_html("{} {}", _("No link waiting for an answer."), button)
        link = live[0]
        path = reverse("moderation:new_clients", args=[link.token])
        return format_html(
            '<a href="{}">{}</a><br>{} {}',
            path,
            path,
            _("Good once, until %(day)s. Copy the link, with this site's address in front.")
            % {"day": date_format(timezone.localtime(link.expires_at))},
            button,
        )

    def save_model(self, request, obj, form, change):
        # Whoever edits the date here is a curator confirming it.
        if "new_clients_confirmed_on" in form.changed_data and obj.new_clients_confirmed_on:
            obj.new_clients_confirmed_by = NewClientsConfirmer.CURATOR
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if CREATE_LINK_BUTTON not in request.POST:
            return super().response_change(request, obj)
        link = NewClientsLink.objects.create(listing=obj, created_by=request.user)
        self.message_user(
            request,
            _("Send this link to the listing's contact: %(url)s (good once, for %(days)d days).")
            % {"url": request.build_absolute_uri(link_path(link)), "days": NEW_CLIENTS_LINK_DAYS},
            messages.SUCCESS,
        )
        # Back to the same page, which shows the link too.
        return HttpResponseRedirect(request.path)

    @admin.action(description=_("Confirm taking new clients today"), permissions=["change"])
    def confirm_new_clients_today(self, request, queryset):
        """Each listing keeps its answer, confirmed today by a curator, with a history row."""
        today = timezone.localdate()
        done = 0
        for listing in queryset:
            listing.set_new_clients(
                listing.new_clients_answer, NewClientsConfirmer.CURATOR, on=today
            )
            listing._history_user = request.user
            listing._change_reason = "Bulk action: confirm taking new clients today"
            with transaction.atomic():
                listing.save()
            done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d listing confirmed as taking (or not taking) new clients today.",
                "%(count)d listings confirmed as taking (or not taking) new clients today.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Create confirmation links for the listings' contacts"),
        permissions=["change"],
    )
    def create_new_clients_links(self, request, queryset):
        """One single-use link per listing, shown on a page for the curator to copy."""
        links = [
            NewClientsLink.objects.create(listing=listing, created_by=request.user)
            for listing in queryset.order_by("name")
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Confirmation links"),
            "opts": self.opts,
            "links": [(link, request.build_absolute_uri(link_path(link))) for link in links],
        }
        return TemplateResponse(request, "admin/resources/new_clients_links.html", context)


def link_path(link):
    return reverse("moderation:new_clients", args=[link.token])
