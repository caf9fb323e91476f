from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnership.home.selectors import panels_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's starting page: the panels every app offers them (their school, partnerships,
    networks, next meetings, open actions ...)."""
    panels = panels_for(request)
    return render(
        request,
        "home/home.html",
        {
            "left": [p for p in panels if p.column == "left"],
            "right": [p for p in panels if p.column == "right"],
        },
    )
