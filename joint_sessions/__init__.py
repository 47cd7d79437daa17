"""Joint problem-solving sessions (技术协作攻关 / 技术会诊).

Union staff plan a session for one or more problems: where and when, seats in
total and per skill. Eligible craftsmen volunteer for a skill seat; a sign-up
must fit both its skill's quota and the total (as a pretix ticket must fit
every quota it belongs to). On the day the organiser checks attendees in by
their code, records the minutes and the proposals made (each becomes a
proposal on its problem, through the board's own service) and publishes a
report.

Why a freed seat is *offered*, not given
----------------------------------------
When a confirmed attendee cancels, the next person waiting for that skill (in
arrival order) is offered the seat for a limited time (``OFFER_HOURS``) and
must confirm it; if they do not, the offer passes to the next person. This is
pretix's waiting-list voucher rather than Decidim's automatic promotion. Our
volunteers are craftsmen with day jobs who signed up days or weeks earlier: a
seat handed to someone who can no longer come turns into a no-show, which
costs the session a skill it needed. Asking for a confirmation takes one
click, and the seat is held for them meanwhile, so nobody can be overtaken;
an offer made shortly before the session expires at its start at the latest.

Layering: this is the top app. It may import problems, search, accounts,
studios, organisations and core; nothing below imports it (the problem page
shows sessions through the ``core.hooks.PROBLEM_PAGE_PANELS`` hook).
"""
