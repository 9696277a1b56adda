from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView, ListView, TemplateView

from guides.models import Guide, GuideStatus


class GuideListView(ListView):
    template_name = "guides/guide_list.html"
    context_object_name = "guides"

    def get_queryset(self):
        return Guide.objects.published()


class GuideDetailView(DetailView):
    template_name = "guides/guide_detail.html"
    context_object_name = "guide"

    def get(self, request, *args, **kwargs):
        # A draft is not public yet: 404. An archived guide is kept (with its history) but
        # taken down on purpose: 410 Gone, with a page that says so and leads to the others.
        guide = get_object_or_404(Guide.objects.exclude(status=GuideStatus.DRAFT), **kwargs)
        if guide.status == GuideStatus.ARCHIVED:
            return render(request, "guides/guide_gone.html", {"guide": guide}, status=410)
        self.object = guide
        return self.render_to_response(self.get_context_data(object=guide))


class PlanView(TemplateView):
    """My support plan: the page only. The plan itself lives in the visitor's browser."""

    template_name = "plan/plan.html"
