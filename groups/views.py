from django.views.generic import DetailView

from groups.models import Meeting
from resources.views import KIND_NAMES


class MeetingDetailView(DetailView):
    template_name = "groups/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        # A temporarily closed meeting keeps its page, with a notice, so shared links still
        # explain what happened; a meeting that no longer meets is gone.
        return (
            Meeting.objects.public()
            .select_related("group__fellowship", "place")
            .prefetch_related("types")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind_name=KIND_NAMES[self.object.group.kind], **kwargs)
