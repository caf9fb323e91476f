"""Meeting pages. Each view: check the access policy, parse input, call one service or selector, render.

The meeting page is the working document before, during and after the meeting; the smaller pages
(agenda item, minutes, paper, action) each hold one form and return to it. Everything works
without JavaScript; with it, marking attendance updates the list in place (htmx).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnership.core import access, exports
from partnership.core.errors import ApplicationError
from partnership.core.pages import form_error, form_page
from partnership.core.uploads import SizeLimitHandler, size_label
from partnership.directory.models import Network
from partnership.meetings import ics, selectors, services
from partnership.meetings.forms import (
    AddAttendeeForm,
    AgendaItemForm,
    ApologiesForm,
    AttendanceForm,
    ItemActionForm,
    MeetingForm,
    MinutesForm,
    MoveItemForm,
    PaperForm,
    StatusForm,
)
from partnership.meetings.models import AgendaItem, AgendaPaper, Attendance, CalendarFeed, Meeting
from partnership.meetings.papers import max_paper_bytes

NEW_FEED_SESSION_KEY = "meetings.new_calendar_feed"
# Service error fields -> the form fields that show them.
FIELD_NAMES = {"starts_at": "start_time", "ends_at": "end_time"}


def _form_error(form: Any, exc: ApplicationError) -> None:
    form_error(form, exc, FIELD_NAMES)


def _crumbs(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("Meetings", reverse("meetings:index")), *pairs]


def _meeting_crumbs(meeting: Meeting, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return _crumbs((meeting.title, reverse("meetings:detail", args=[meeting.pk])), *pairs)


def _meeting(request: HttpRequest, pk: int, action: str = "view") -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("network__partnership", "host_school"), pk=pk)
    access.require(request, action, meeting)
    return meeting


def _item(request: HttpRequest, pk: int, item_pk: int) -> AgendaItem:
    meeting = _meeting(request, pk, "manage")
    item = get_object_or_404(AgendaItem.objects.select_related("presenter"), pk=item_pk, meeting=meeting)
    item.meeting = meeting
    return item


def _at(meeting: Meeting, anchor: str = "") -> str:
    """The meeting page's address, at the part `anchor` names."""
    url = reverse("meetings:detail", args=[meeting.pk])
    return f"{url}#{anchor}" if anchor else url


def _back_to(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(_at(meeting, anchor))


def _form_page(request: HttpRequest, form: Any, context: dict[str, Any], **handling: Any) -> HttpResponse:
    """A one-form page of the meeting (`form_page`), with a back link to the meeting page."""
    meeting_url = context["crumbs"][-2][1]
    return form_page(request, form, context={"back": meeting_url, **context}, field_names=FIELD_NAMES, **handling)


# --- Lists --------------------------------------------------------------------------------------


@login_required
def meeting_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/index.html",
        {
            "upcoming": selectors.upcoming_meetings_for(request.user, limit=50),
            "recent": selectors.recent_meetings_for(request.user),
            "crumbs": [("Home", reverse("home")), ("Meetings", "")],
        },
    )


# --- Scheduling ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, network_pk: int) -> HttpResponse:
    network = get_object_or_404(Network.objects.select_related("partnership"), pk=network_pk)
    access.require(request, "run_meetings", network)
    suggestion = selectors.host_suggestion(network)
    rotation = suggestion.rotation if suggestion else []
    schools = sorted((turn.school for turn in rotation), key=lambda s: s.name)
    return form_page(
        request,
        MeetingForm(request.POST or None, schools=schools, suggestion=suggestion, initial={"title": network.name}),
        save=lambda form: services.meeting_schedule(
            network=network, actor=request.user, request=request, **_meeting_data(form)
        ),
        success_message="Meeting scheduled. Everyone in the network, and you, are on the attendance list, "
        "and are emailed the invitation with a calendar file.",
        redirect_to=_at,
        field_names=FIELD_NAMES,
        template="meetings/meeting_form.html",
        context={
            "network": network,
            "suggestion": suggestion,
            "rotation": rotation,
            "title": f"Schedule a {network.name} meeting",
            "submit": "Schedule meeting",
            "crumbs": [
                ("Home", reverse("home")),
                ("Networks", reverse("directory:network_list")),
                (network.name, reverse("directory:network_detail", args=[network.pk])),
                ("Schedule a meeting", ""),
            ],
        },
    )


def _meeting_data(form: MeetingForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "location": data["location"],
        "host_school": data["host"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "manage")
    schools = [turn.school for turn in selectors.host_rotation(meeting.network)]
    if meeting.host_school is not None and meeting.host_school not in schools:
        schools.append(meeting.host_school)  # it has left the partnership since, but hosted this one
    schools.sort(key=lambda s: s.name)
    return form_page(
        request,
        MeetingForm(request.POST or None, schools=schools, initial=MeetingForm.initial_for(meeting)),
        save=lambda form: services.meeting_update(
            meeting=meeting, data=_meeting_data(form), actor=request.user, request=request
        ),
        success_message="Meeting details saved. Subscribed calendars will show the change; if the time or "
        "place changed, the people on the list are emailed the new details.",
        redirect_to=_at,
        field_names=FIELD_NAMES,
        template="meetings/meeting_form.html",
        context={
            "network": meeting.network,
            "title": "Change the meeting's details",
            "submit": "Save changes",
            "crumbs": _meeting_crumbs(meeting, ("Change details", "")),
        },
    )


@login_required
@require_POST
def meeting_status(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "manage")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what has happened to the meeting.")
        return _back_to(meeting)
    try:
        done = services.meeting_set_status(
            meeting=meeting, status=form.cleaned_data["status"], actor=request.user, request=request
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        told = done in ("cancelled", "reinstated") and meeting.starts_at > timezone.now()
        messages.success(
            request, f"The meeting has been {done}." + (" The people on the list are emailed." if told else "")
        )
    return _back_to(meeting)


@login_required
@require_POST
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "manage")
    try:
        services.meeting_approve_minutes(meeting=meeting, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The minutes are approved. The record of this meeting is now final.")
    return _back_to(meeting)


# --- The meeting page ---------------------------------------------------------------------------


def _page_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    page = selectors.meeting_page(meeting, request.user)
    can_manage = access.can(request.user, "manage", meeting)
    is_open = meeting.minutes_approved_at is None
    mine = page.my_attendance
    context: dict[str, Any] = {
        "meeting": meeting,
        "page": page,
        "can_manage": can_manage,
        "is_open": is_open,
        "has_started": meeting.starts_at <= timezone.now(),
        "sent_apologies": is_open and mine is not None and mine.status == Attendance.Status.APOLOGIES,
        "can_send_apologies": is_open
        and meeting.status == Meeting.Status.SCHEDULED
        and (mine is None or mine.status == Attendance.Status.EXPECTED),
        "apologies_form": ApologiesForm(),
        "status_choices": Attendance.Status,
    }
    if can_manage and meeting.minutes_approved_at is None:
        candidates = selectors.attendee_candidates(meeting, page.attendance)
        context["add_attendee_form"] = AddAttendeeForm(people=candidates) if candidates else None
    return context


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    context = _page_context(request, meeting)
    context["crumbs"] = _crumbs((meeting.title, ""))
    return render(request, "meetings/detail.html", context)


# --- Agenda -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "manage")
    return _form_page(
        request,
        AgendaItemForm(request.POST or None, people=selectors.meeting_people(meeting)),
        {
            "caption": meeting.title,
            "title": "Add an agenda item",
            "submit": "Add item",
            "crumbs": _meeting_crumbs(meeting, ("Add an agenda item", "")),
        },
        save=lambda form: services.agenda_item_add(
            meeting=meeting,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            presenter=form.cleaned_data["presenter_person"],
            number=form.cleaned_data.get("number"),
            actor=request.user,
            request=request,
        ),
        success_message=lambda item: f"Item {item.number} added to the agenda.",
        redirect_to=lambda item: _at(meeting, f"item-{item.pk}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    meeting = item.meeting
    initial = {
        "title": item.title,
        "description": item.description,
        "presenter": item.presenter_id or "",
        "number": item.number,
    }
    people = selectors.meeting_people(meeting)
    if item.presenter is not None and item.presenter not in people:
        people.append(item.presenter)  # they may have left the network since
    return _form_page(
        request,
        AgendaItemForm(request.POST or None, people=people, initial=initial),
        {
            "caption": meeting.title,
            "title": f"Change item {item.number}",
            "submit": "Save item",
            "crumbs": _meeting_crumbs(meeting, (f"Item {item.number}", "")),
        },
        save=lambda form: services.agenda_item_update(
            item=item,
            data={
                "title": form.cleaned_data["title"],
                "description": form.cleaned_data["description"],
                "presenter": form.cleaned_data["presenter_person"],
                "number": form.cleaned_data.get("number") or item.number,
            },
            actor=request.user,
            request=request,
        ),
        success_message="Agenda item saved.",
        redirect_to=_at(meeting, f"item-{item.pk}"),
    )


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    form = MoveItemForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Choose where to move the item.")
        services.agenda_item_move(item=item, number=form.cleaned_data["number"], actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back_to(item.meeting, f"item-{item.pk}")


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    try:
        services.agenda_item_remove(item=item, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back_to(item.meeting, f"item-{item.pk}")
    messages.success(request, f"“{item.title}” removed from the agenda.")
    return _back_to(item.meeting, "agenda")


@login_required
@require_http_methods(["GET", "POST"])
def item_minutes(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    meeting = item.meeting
    return _form_page(
        request,
        MinutesForm(request.POST or None, initial={"minutes": item.minutes, "decisions": item.decisions}),
        {
            "caption": f"{meeting.title} · item {item.number}",
            "title": f"Minutes: {item.title}",
            "submit": "Save minutes",
            "crumbs": _meeting_crumbs(meeting, (f"Minutes of item {item.number}", "")),
        },
        save=lambda form: services.agenda_item_record_minutes(
            item=item,
            minutes=form.cleaned_data["minutes"],
            decisions=form.cleaned_data["decisions"],
            actor=request.user,
            request=request,
        ),
        success_message=f"Minutes for item {item.number} saved.",
        redirect_to=_at(meeting, f"item-{item.pk}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_action_create(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    meeting = item.meeting
    return _form_page(
        request,
        ItemActionForm(request.POST or None, people=selectors.meeting_people(meeting)),
        {
            "caption": f"{meeting.title} · item {item.number}: {item.title}",
            "title": "Add an action",
            "submit": "Add action",
            "crumbs": _meeting_crumbs(meeting, ("Add an action", "")),
        },
        save=lambda form: services.agenda_item_action_add(
            item=item,
            title=form.cleaned_data["title"],
            owner=form.cleaned_data["owner_person"],
            due_on=form.cleaned_data["due_on"],
            actor=request.user,
            request=request,
        ),
        success_message=lambda action: f"Action added for {action.owner}. It is in their list of actions.",
        redirect_to=_at(meeting, f"item-{item.pk}"),
    )


@login_required
@csrf_exempt  # checked in _paper_upload, once the size-limiting upload handler is in place
@require_http_methods(["GET", "POST"])
def paper_upload(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)  # the policy is checked before any of the upload is read
    limit = SizeLimitHandler(request, limit=max_paper_bytes())
    request.upload_handlers.insert(0, limit)
    return _paper_upload(request, item, limit)


@csrf_protect
def _paper_upload(request: HttpRequest, item: AgendaItem, limit: SizeLimitHandler) -> HttpResponse:
    meeting = item.meeting
    form = PaperForm()
    if request.method == "POST":
        try:
            form = PaperForm(request.POST, request.FILES)
            valid = form.is_valid()
        except (RequestDataTooBig, TooManyFieldsSent):
            form, valid = PaperForm(data={}), False
            form.add_error(None, "The upload could not be read. Try again with one file.")
        if limit.too_big:
            form.errors.pop("file", None)
            form.add_error(
                "file",
                f"“{limit.too_big}” is bigger than {size_label(max_paper_bytes())}, the most a paper can be. "
                "Save a smaller version (for example, compress the images) and try again.",
            )
        elif valid:
            try:
                paper = services.agenda_paper_add(
                    item=item, upload=form.cleaned_data["file"], actor=request.user, request=request
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"“{paper.original_name}” added to item {item.number}.")
                return _back_to(meeting, f"item-{item.pk}")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "back": _at(meeting),
            "multipart": True,
            "caption": f"{meeting.title} · item {item.number}: {item.title}",
            "title": "Add a paper",
            "submit": "Upload paper",
            "crumbs": _meeting_crumbs(meeting, ("Add a paper", "")),
        },
    )


@login_required
@require_safe
def paper_download(request: HttpRequest, pk: int) -> FileResponse:
    paper = get_object_or_404(AgendaPaper.objects.select_related("item__meeting__network"), pk=pk)
    access.require(request, "view", paper.item.meeting)
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("This paper's file is missing.") from exc
    # Always a download, with the type we checked on upload: never rendered as a page of ours.
    return FileResponse(handle, as_attachment=True, filename=paper.original_name, content_type=paper.content_type)


@login_required
@require_POST
def paper_delete(request: HttpRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(AgendaPaper.objects.select_related("item__meeting__network"), pk=pk)
    meeting = paper.item.meeting
    access.require(request, "manage", meeting)
    try:
        services.agenda_paper_remove(paper=paper, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{paper.original_name}” removed.")
    return _back_to(meeting, f"item-{paper.item_id}")


# --- Attendance ---------------------------------------------------------------------------------


def _attendance_done(request: HttpRequest, meeting: Meeting, *, notice: str = "", error: str = "") -> HttpResponse:
    """With htmx, the refreshed attendance section (saying what happened); without, back to the page."""
    if request.headers.get("HX-Request"):
        context = _page_context(request, meeting)
        context.update(attendance_notice=notice, attendance_error=error)
        return render(request, "meetings/_attendance.html", context)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return _back_to(meeting, "attendance")


@login_required
@require_POST
def attendance_mark(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "manage")
    row = get_object_or_404(Attendance.objects.select_related("person"), pk=attendance_pk, meeting=meeting)
    row.meeting = meeting
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        return _attendance_done(request, meeting, error="Choose present, absent, apologies or expected.")
    try:
        row = services.attendance_mark(
            attendance=row, status=form.cleaned_data["status"], actor=request.user, request=request
        )
    except ApplicationError as exc:
        return _attendance_done(request, meeting, error=exc.message)
    return _attendance_done(request, meeting, notice=f"{row.person.full_name}: {row.get_status_display().lower()}.")


@login_required
@require_POST
def attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "manage")
    page = selectors.meeting_page(meeting, request.user)
    form = AddAttendeeForm(request.POST, people=selectors.attendee_candidates(meeting, page.attendance))
    if not form.is_valid():
        return _attendance_done(request, meeting, error="Choose someone to add to the list.")
    person = form.cleaned_data["person"]
    try:
        services.attendance_add(meeting=meeting, person=person, actor=request.user, request=request)
    except ApplicationError as exc:
        return _attendance_done(request, meeting, error=exc.message)
    return _attendance_done(request, meeting, notice=f"{person.full_name} added to the list.")


@login_required
@require_POST
def apologies(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in person sends (or withdraws) their own apologies."""
    meeting = _meeting(request, pk)
    form = ApologiesForm(request.POST)
    try:
        if request.POST.get("withdraw"):
            services.attendance_withdraw_apologies(
                meeting=meeting, person=request.user, actor=request.user, request=request
            )
            notice = "Your apologies are withdrawn: you are expected at the meeting."
        else:
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.attendance_send_apologies(
                meeting=meeting, person=request.user, note=note, actor=request.user, request=request
            )
            notice = "Your apologies are recorded."
    except ApplicationError as exc:
        return _attendance_done(request, meeting, error=exc.message)
    return _attendance_done(request, meeting, notice=notice)


# --- Calendar feeds -----------------------------------------------------------------------------


def _feed_urls(request: HttpRequest, raw: str) -> dict[str, str]:
    https = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": raw}))
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@login_required
@require_http_methods(["GET", "POST"])
def feed_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        feed, raw = services.calendar_feed_create(owner=request.user, request=request)
        request.session[NEW_FEED_SESSION_KEY] = {"id": feed.pk, "token": raw}
        return redirect("meetings:feed_list")
    new = request.session.pop(NEW_FEED_SESSION_KEY, None)
    feeds = list(selectors.feeds_for(request.user))
    new_feed = next((f for f in feeds if new and f.pk == new["id"]), None)
    return render(
        request,
        "meetings/feeds.html",
        {
            "feeds": [f for f in feeds if f.revoked_at is None],
            "revoked": [f for f in feeds if f.revoked_at is not None][:10],
            "new_feed": new_feed,
            "new_urls": _feed_urls(request, new["token"]) if new_feed else None,
            "crumbs": _crumbs(("Calendar feeds", "")),
        },
    )


@login_required
@require_POST
def network_feed_create(request: HttpRequest, network_pk: int) -> HttpResponse:
    network = get_object_or_404(Network.objects.select_related("partnership"), pk=network_pk)
    access.require(request, "view_meetings", network)
    feed, raw = services.calendar_feed_create(owner=request.user, network=network, request=request)
    request.session[NEW_FEED_SESSION_KEY] = {"id": feed.pk, "token": raw}
    return redirect("meetings:feed_list")


@login_required
@require_POST
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(CalendarFeed.objects.select_related("network"), pk=pk)
    access.require(request, "manage", feed)
    try:
        services.calendar_feed_revoke(feed=feed, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The feed is switched off. Calendars using its address will stop updating.")
    return redirect("meetings:feed_list")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A private iCalendar feed. No sign-in: the token in the address is the credential, so an
    unknown or revoked token, or an owner who may no longer see the network, is simply not found."""
    feed = selectors.feed_for_token(token)
    if feed is None or not feed.owner.is_active:
        raise Http404("No such calendar.")
    network = feed.network
    if network is not None and not access.can(feed.owner, "view_meetings", network):
        raise Http404("No such calendar.")
    meetings = selectors.feed_meetings(feed)
    services.calendar_feed_mark_used(feed)
    name = f"{network.name} meetings" if network is not None else f"Meetings: {feed.owner.full_name}"
    body = ics.calendar_bytes(
        name, meetings, lambda m: request.build_absolute_uri(reverse("meetings:detail", args=[m.pk]))
    )
    response = exports.calendar_response("meetings.ics", body)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
