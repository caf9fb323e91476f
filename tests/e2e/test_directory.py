"""The directory in a real browser: a headteacher finds their way around, invites a colleague and approves
a role an administrator gave."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from partnership.core.roles import Role
from partnership.directory import services
from partnership.directory.models import RoleAssignment

pytestmark = pytest.mark.e2e


def nav(page, label):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True)


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_headteacher_finds_their_way_around_the_directory(page, world, a11y, sign_in):
    teacher = world["teacher"]
    teacher.full_name = "Ada Lovelace"
    teacher.job_title = "Year 4 teacher"
    teacher.save()
    partner_head = world["partner_head"]

    sign_in(page, world["head"].email)
    expect(heading(page)).to_contain_text("Hello")
    a11y(page)

    nav(page, "Partnerships").click()
    expect(heading(page)).to_have_text("Partnerships")
    a11y(page)
    # Only the partnership the head's school belongs to is listed.
    expect(page.get_by_role("link", name="Other Partnership")).to_have_count(0)

    page.get_by_role("link", name="Home Partnership").click()
    expect(heading(page)).to_have_text("Home Partnership")
    expect(page.get_by_role("link", name="Partner Primary")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Own Primary").click()
    expect(heading(page)).to_have_text("Own Primary")
    expect(page.get_by_role("table").get_by_role("link", name="Ada Lovelace")).to_be_visible()
    a11y(page)

    # People: search by name ...
    nav(page, "People").click()
    expect(heading(page)).to_have_text("Who's who")
    a11y(page)
    page.get_by_label("Name, email or job title").fill("Lovelace")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/people/\?q=Lovelace"))
    results = page.get_by_role("table")
    expect(results.locator("caption")).to_have_text("1 person")
    expect(results.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    a11y(page)

    # ... and filter by role and school.
    page.get_by_label("Name, email or job title").fill("")
    page.get_by_label("Role").select_option(label="Headteacher")
    page.get_by_label("School").select_option(label="Partner Primary")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"role=headteacher"))
    expect(results.locator("caption")).to_have_text("1 person")
    expect(results.get_by_role("link", name=partner_head.full_name)).to_be_visible()
    expect(results.get_by_role("link", name="Ada Lovelace")).to_have_count(0)
    a11y(page)

    results.get_by_role("link", name=partner_head.full_name).click()
    expect(heading(page)).to_have_text(partner_head.full_name)
    expect(page.get_by_role("cell", name="Headteacher", exact=True)).to_be_visible()
    a11y(page)

    nav(page, "Networks").click()
    expect(heading(page)).to_have_text("Networks and working parties")
    a11y(page)

    page.get_by_role("link", name="SENCOs").click()
    expect(heading(page)).to_have_text("SENCOs")
    members = page.get_by_role("table")
    expect(members.get_by_role("link", name=world["senco"].full_name)).to_be_visible()
    expect(members.get_by_role("link", name=world["adviser"].full_name)).to_be_visible()
    a11y(page)


def test_an_invited_colleague_sets_up_their_account(page, new_page, world, a11y, sign_in):
    sign_in(page, world["head"].email)
    a11y(page)
    page.get_by_role("link", name="Own Primary").click()
    expect(heading(page)).to_have_text("Own Primary")
    a11y(page)

    page.get_by_role("link", name="Invite a colleague").click()
    expect(heading(page)).to_have_text("Invite a colleague to Own Primary")
    a11y(page)

    # Submitting an empty form shows the errors, accessibly.
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    a11y(page)

    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Email address").fill("grace.hopper@own.test")
    page.get_by_role("group", name="Roles").get_by_label("Teacher", exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(heading(page)).to_have_text("Own Primary")
    expect(page.get_by_role("alert")).to_contain_text("An invitation has been emailed to grace.hopper@own.test")
    a11y(page)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["grace.hopper@own.test"]
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)

    # The invitee opens the link in their own browser.
    invitee = new_page()
    invitee.goto(link)
    expect(heading(invitee)).to_have_text("Set up your account")
    expect(invitee.get_by_label("Your full name")).to_have_value("Grace Hopper")
    a11y(invitee)

    # A password that is too short and common is refused.
    invitee.get_by_label("Choose a password").fill("password")
    invitee.get_by_label("Type the password again").fill("password")
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee.locator(".govuk-error-summary")).to_be_visible()
    a11y(invitee)

    invitee.get_by_label("Your full name").fill("Grace Brewster Hopper")
    invitee.get_by_label("Choose a password").fill("cobol-compilers-and-moths-1952")
    invitee.get_by_label("Type the password again").fill("cobol-compilers-and-moths-1952")
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee).to_have_url(re.compile(r"/$"))
    expect(heading(invitee)).to_have_text("Hello, Grace")
    expect(invitee.get_by_role("navigation", name="Your account")).to_contain_text("Grace Brewster Hopper")
    a11y(invitee)

    # The link works once.
    invitee.goto(link)
    expect(invitee.get_by_text("Set up your account")).to_have_count(0)
    a11y(invitee)

    # The new colleague is in the people directory, as a teacher at Own Primary.
    nav(invitee, "People").click()
    a11y(invitee)
    invitee.get_by_label("Name, email or job title").fill("Hopper")
    invitee.get_by_role("button", name="Filter").click()
    row = invitee.get_by_role("row").filter(has=invitee.get_by_role("link", name="Grace Brewster Hopper"))
    expect(row).to_contain_text("Own Primary")
    expect(row).to_contain_text("Teacher")
    a11y(invitee)

    # The head sees them too, on the school page.
    page.reload()
    expect(page.get_by_role("table").get_by_role("link", name="Grace Brewster Hopper")).to_be_visible()
    a11y(page)


def test_a_headteacher_approves_a_role_an_administrator_gave(page, world, a11y, sign_in):
    teacher = world["teacher"]
    teacher.full_name = "Mary Somerville"
    teacher.save()
    grant = services.role_assign(person=teacher, role=Role.SENCO, school=world.own, actor=world["admin"])

    sign_in(page, world["head"].email)
    a11y(page)
    page.get_by_role("link", name="Own Primary").click()
    expect(heading(page)).to_have_text("Own Primary")
    expect(page.get_by_role("region", name="Important")).to_contain_text("1 role awaiting your approval")
    a11y(page)

    page.get_by_role("link", name="Approve or refuse it").click()
    expect(heading(page)).to_have_text("Roles awaiting approval")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Mary Somerville"))
    expect(row).to_contain_text("SENCO")
    expect(row).to_contain_text(world["admin"].full_name)
    a11y(page)

    row.get_by_role("button", name="Approve SENCO for Mary Somerville").click()
    expect(heading(page)).to_have_text("Roles awaiting approval")
    expect(page.get_by_role("alert")).to_contain_text("Mary Somerville is now SENCO at Own Primary.")
    expect(page.get_by_role("cell", name="No roles are awaiting approval.")).to_be_visible()
    a11y(page)
    assert RoleAssignment.objects.get(pk=grant.pk).approved_by == world["head"]
