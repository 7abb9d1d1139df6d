"""The handbook's screens: the index by stage (searchable) and a page."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.generic import TemplateView

from cohorts.handbook import services
from cohorts.models import HandbookPage


class HandbookIndexView(TemplateView):
    """Pages by stage; a search narrows them. Constant queries whatever the number of pages."""

    template_name = "cohorts/handbook/index.html"

    def get_context_data(self, **kwargs):
        words = self.request.GET.get("q", "")[:200]
        return super().get_context_data(
            words=words,
            stages=services.handbook_index(user=self.request.user, words=words),
            **kwargs,
        )


class HandbookPageView(TemplateView):
    """A page, in English when staff wrote it in English. A reserved page asks a visitor
    to log in and does not exist for anyone else outside the promotions."""

    template_name = "cohorts/handbook/page.html"

    def get(self, request, *args, **kwargs):
        readable = services.readable_pages(request.user).filter(slug=kwargs["slug"]).first()
        if readable is None and not request.user.is_authenticated:
            get_object_or_404(HandbookPage, slug=kwargs["slug"])
            return redirect_to_login(request.get_full_path())
        self.page = readable or get_object_or_404(HandbookPage.objects.none())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        title, body = self.page.in_language(get_language())
        return super().get_context_data(page=self.page, title=title, body=body, **kwargs)
