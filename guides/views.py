from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView, TemplateView

from guides.models import Guide, GuideStatus


class GuideListView(ListView):
    template_name = "guides/guide_list.html"
    context_object_name = "guides"

    def get_queryset(self):
        # The guides in the page's language, and the English ones not translated yet.
        return Guide.objects.published().for_language(get_language())


class GuideDetailView(DetailView):
    template_name = "guides/guide_detail.html"
    context_object_name = "guide"

    def get(self, request, *args, **kwargs):
        # A draft is not public yet: 404. An archived guide is kept (with its history) but
        # taken down on purpose: 410 Gone, with a page that says so and leads to the others.
        guide = (
            Guide.objects.exclude(status=GuideStatus.DRAFT)
            .for_language(get_language())
            .filter(slug=kwargs["slug"])
            .first()
        )
        if guide is None:
            raise Http404
        # An English guide on a Spanish page, while its translation is missing.
        untranslated = guide.language != get_language()
        if guide.status == GuideStatus.ARCHIVED:
            context = {"guide": guide, "untranslated": untranslated}
            return render(request, "guides/guide_gone.html", context, status=410)
        self.object = guide
        context = self.get_context_data(object=guide, untranslated=untranslated)
        return self.render_to_response(context)


class PlanView(TemplateView):
    """My support plan: the page only. The plan itself lives in the visitor's browser."""

    template_name = "plan/plan.html"
