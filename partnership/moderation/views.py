"""The moderation front page. Session, sample, agreement and CJ pages are in `views_*.py` beside it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from partnership.core.pages import crumbs
from partnership.moderation import selectors


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    context = selectors.index_context(request.user)
    return render(request, "moderation/index.html", {**context, "crumbs": crumbs(("Moderation", ""))})
