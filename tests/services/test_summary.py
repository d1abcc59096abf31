"""The home page's figures: what a clerk needs to look at first."""

from __future__ import annotations

from datetime import date

from pfdesk.services.context import Actor
from pfdesk.services.summary import home_summary


def test_open_action_items_soonest_due_first_with_overdue_marked(demo_ctx):
    s = home_summary(demo_ctx)
    dues = [a.due_on for a in s.actions if a.due_on]
    assert s.actions and dues == sorted(dues)
    assert any(a.overdue for a in s.actions) and all(
        a.overdue == (a.due_on is not None and a.due_on < s.today) for a in s.actions)


def test_cases_without_recent_contacts_are_listed_by_number(demo_ctx):
    s = home_summary(demo_ctx)
    assert s.quiet_case_count >= len(s.quiet_cases) > 0
    lasts = [c.last_contact for c in s.quiet_cases]
    assert lasts == sorted(lasts) and all((s.today - d).days > 90 for d in lasts)
    assert all(c.case_number.startswith("R") for c in s.quiet_cases)


def test_a_viewer_sees_no_case_list_and_no_case_action_items(demo_ctx):
    viewer = demo_ctx.acting_as(Actor("iin", "", "viewer"))
    s = home_summary(viewer)
    assert s.quiet_cases is None and s.open_cases is None
    assert all("ケース" not in a.body_name for a in s.actions)
    assert s.open_action_items < home_summary(demo_ctx).open_action_items


def test_the_april_rotation_is_recalled_in_april_and_may_only(demo_ctx):
    assert home_summary(demo_ctx, today=date(2027, 4, 8)).rollover_due
    assert not home_summary(demo_ctx, today=date(2026, 11, 26)).rollover_due


def test_a_new_store_lists_every_first_step_as_not_done(ctx):
    from pfdesk.services.summary import store_counts

    steps = home_summary(ctx).first_steps
    assert steps is not None and not steps.all_done
    assert (steps.directory_done, steps.bodies_done, steps.cases_done,
            steps.settings_done) == (False, False, False, False)
    counts = store_counts(ctx)
    assert (counts.organizations, counts.people, counts.bodies, counts.cases) == (0, 0, 0, 0)


def test_the_demo_town_needs_no_first_steps_and_a_viewer_gets_no_case_count(demo_ctx):
    from pfdesk.services.summary import store_counts

    assert home_summary(demo_ctx).first_steps is None
    counts = store_counts(demo_ctx)
    assert counts.organizations and counts.people and counts.bodies and counts.cases
    viewer = demo_ctx.acting_as(Actor("iin", "", "viewer"))
    assert store_counts(viewer).cases is None
