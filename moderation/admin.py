"""The moderation queue: curators read each submission next to what it would change, then
approve or reject it. Submissions are never added, edited or deleted here, only decided;
a superuser may erase what a submitter wrote, keeping the decision.

What visitors confirmed of listings and meetings is listed, read only, by
``moderation/confirmations_admin.py``, registered from here."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from moderation import (
    confirmations_admin,  # noqa: F401 (registers the confirmations' lists)
    review,
)
from moderation.models import Submission, SubmissionStatus


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejecting"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "aria-describedby": "reason-help"}),
        help_text=gettext_lazy(
            "Kept with the submission for other curators. Up to 500 characters."
        ),
        error_messages={"required": gettext_lazy("Say why you reject it.")},
    )


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("reference", "status", "kind", "problem_type", "about", "created_at")
    actions = ["erase_submitter_details"]
    list_display_links = ("reference",)
    list_filter = ("status", "kind", "problem_type")
    list_select_related = ("listing", "meeting")
    search_fields = ("reference", "name", "listing__name", "meeting__name")
    # Open submissions first, newest first within each status.
    ordering = (
        Case(
            When(status=SubmissionStatus.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ).asc(),
        "-created_at",
    )

    @admin.display(description=gettext_lazy("about"))
    def about(self, submission):
        return submission.subject_name

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # What the public sent, and what curators decided, is kept.
        return False

    def has_erase_permission(self, request):
        # Erasing cannot be undone: only superusers, not every curator, may do it.
        return request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        # Django answers an action the user may not run with "No action selected"; an
        # erasure asked for without the right is refused outright.
        if (
            request.method == "POST"
            and "erase_submitter_details" in request.POST.getlist("action")
            and not self.has_erase_permission(request)
        ):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    @admin.action(description=gettext_lazy("Erase the submitter's details"), permissions=["erase"])
    def erase_submitter_details(self, request, queryset):
        """Asks first, listing the references; then blanks what each submitter wrote."""
        if not self.has_erase_permission(request):
            raise PermissionDenied
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Erase the submitters' details?"),
                "opts": self.opts,
                "submissions": queryset.order_by("reference"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/moderation/submission/erase_confirmation.html", context
            )
        chosen = [submission for submission in queryset if not submission.is_erased]
        erased = queryset.erase_now(request.user)
        for submission in chosen:
            submission.refresh_from_db()
            # After the erasure, so the log keeps nothing the submitter wrote.
            self.log_change(request, submission, _("Erased the submitter's details."))
        self.message_user(
            request,
            ngettext(
                "Erased the submitter's details from %(count)d submission.",
                "Erased the submitters' details from %(count)d submissions.",
                erased,
            )
            % {"count": erased},
            messages.SUCCESS,
        )
        return None

    def get_urls(self):
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name=f"{name}_approve",
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name=f"{name}_reject",
            ),
            *super().get_urls(),
        ]

    def _submission(self, request, object_id):
        submission = get_object_or_404(
            Submission.objects.select_related(
                "listing", "meeting__group", "meeting__place", "fellowship", "decided_by"
            ),
            pk=object_id,
        )
        if not self.has_view_permission(request, submission):
            raise PermissionDenied
        return submission

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self.review_page(request, self._submission(request, object_id), RejectForm())

    def review_page(self, request, submission, reject_form, status=200):
        opts = self.opts
        plan = review.plan(submission) if submission.is_open else None
        subject = submission.subject
        subject_admin_url = None
        if subject is not None:
            specific = getattr(subject, "specific", subject)
            meta = specific._meta
            subject_admin_url = reverse(
                f"admin:{meta.app_label}_{meta.model_name}_change", args=[specific.pk]
            )
        created_admin_url = None
        if submission.created_listing_id:
            created = submission.created_listing.specific
            created_admin_url = reverse(
                f"admin:{created._meta.app_label}_{created._meta.model_name}_change",
                args=[created.pk],
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Submission %(reference)s") % {"reference": submission.reference},
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "original": submission,
            "submission": submission,
            "plan": plan,
            "subject_admin_url": subject_admin_url,
            "created_admin_url": created_admin_url,
            "can_decide": submission.is_open and self.has_change_permission(request, submission),
            "can_erase": not submission.is_erased and self.has_erase_permission(request),
            "reject_form": reject_form,
            "has_view_permission": True,
        }
        return TemplateResponse(
            request, "admin/moderation/submission/review.html", context, status=status
        )

    def _decide(self, request, object_id):
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        submission = self._submission(request, object_id)
        if not self.has_change_permission(request, submission):
            raise PermissionDenied
        return submission, None

    def _review_url(self, submission):
        return reverse("admin:moderation_submission_change", args=[submission.pk])

    def approve_view(self, request, object_id):
        submission, refusal = self._decide(request, object_id)
        if refusal:
            return refusal
        try:
            created = review.approve(submission, request.user)
        except review.AlreadyDecided:
            self.message_user(
                request, _("Someone has already decided this submission."), messages.ERROR
            )
            return HttpResponseRedirect(self._review_url(submission))
        except review.CannotApprove as problem:
            self.message_user(request, str(problem), messages.ERROR)
            return HttpResponseRedirect(self._review_url(submission))
        if created is not None:
            self.message_user(
                request,
                _("Approved %(reference)s: a draft listing was created. Check it, then publish it.")
                % {"reference": submission.reference},
                messages.SUCCESS,
            )
            meta = created._meta
            return HttpResponseRedirect(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[created.pk])
            )
        self.message_user(
            request,
            _("Approved %(reference)s: the change is applied and kept in the history.")
            % {"reference": submission.reference},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:moderation_submission_changelist"))

    def reject_view(self, request, object_id):
        submission, refusal = self._decide(request, object_id)
        if refusal:
            return refusal
        form = RejectForm(request.POST)
        if not form.is_valid():
            return self.review_page(request, submission, form, status=400)
        try:
            review.reject(submission, request.user, form.cleaned_data["reason"])
        except review.AlreadyDecided:
            self.message_user(
                request, _("Someone has already decided this submission."), messages.ERROR
            )
            return HttpResponseRedirect(self._review_url(submission))
        self.message_user(
            request,
            _("Rejected %(reference)s.") % {"reference": submission.reference},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:moderation_submission_changelist"))
