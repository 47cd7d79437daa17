"""The people and the problem lifecycle of the demo (``manage.py load_demo``),
read from demo/workflow.json.

Every change goes through the real services (submit, review, publish, invite,
propose, session, accept, outcome, confirm, verify), so the audit trail,
notifications, matches and the studio's achievement exist as they would after
real use. Idempotent: a person who exists is kept as they are (password too);
a problem is driven only while it has not been driven yet (a new problem when
it does not exist, an imported one while it is still merely published)."""

import datetime
import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import Person, Role
from accounts.services import claim_profile
from core.snippets import IndustryChain
from organisations.models import Enterprise
from studios.models import AlliancePage, Craftsman, Studio

from . import services
from .models import TEXT_FIELDS, Problem, Proposal, Status

NOT_YET_DRIVEN = {Status.PUBLISHED, Status.MATCHED}


def load_workflow(path, *, log=lambda message: None):
    data = json.loads(path.read_text(encoding="utf-8"))
    with translation.override("zh-hans"):  # notifications and audit notes
        people = {r["username"]: _person(r) for r in data.get("people", [])}
        driven = sum(_drive(r, people) for r in data.get("problems", []))
    log(f"workflow: {driven} problems driven through the services")
    return data.get("people", [])


def _person(record):
    User = get_user_model()
    user = User.objects.filter(username=record["username"]).first()
    if user is None:
        user = User.objects.create_user(
            username=record["username"],
            password=record["password"],
            first_name=record.get("first_name", ""),
            last_name=record.get("last_name", ""),
        )
    if not Person.objects.filter(user=user).exists():
        Person.objects.create(
            user=user,
            role=record["role"],
            enterprise=(
                Enterprise.objects.get_or_create(name=record["enterprise"])[0]
                if record["role"] == Role.ENTERPRISE
                else None
            ),
            studio=(
                Studio.objects.get(slug=record["studio"])
                if record["role"] == Role.CRAFTSMAN
                else None
            ),
            approved_at=None if record["role"] == Role.STAFF else timezone.now(),
        )
    if name := record.get("profile"):  # the studio member who is this craftsman
        _claim_profile(user, name)
    return user


def _claim_profile(user, name):
    person = Person.objects.get(user=user)
    profile = Craftsman.objects.filter(
        name=name, memberships__studio_id=person.studio_id
    ).first()
    if person.profile_id is None and profile is not None:
        claim_profile(person=person, profile=profile, by=user)


def _drive(record, people):
    with transaction.atomic():
        problem = Problem.objects.filter(external_id=record["id"]).first()
        if problem is None:
            if "new" not in record:
                return False  # an imported problem that was not imported
            problem = _new_problem(record["id"], record["new"], people)
        elif "new" in record or problem.status not in NOT_YET_DRIVEN:
            return False
        for action, arguments in record["steps"]:
            STEPS[action](problem, people[arguments["by"]], arguments)
            problem.refresh_from_db()
    return True


def _new_problem(external_id, fields, people):
    owner = next(
        user
        for user in people.values()
        if user.person.role == Role.ENTERPRISE
        and user.person.enterprise.name
        == fields.get("enterprise", user.person.enterprise.name)
    )
    problem = Problem.objects.create(
        external_id=external_id,
        enterprise=owner.person.enterprise,
        created_by=owner,
        industry_chain=(
            IndustryChain.objects.get_or_create(name=fields["industry_chain"])[0]
            if fields.get("industry_chain")
            else None
        ),
        **{
            name: fields[name]
            for name in (*TEXT_FIELDS, "confidentiality", "public_summary")
            if name in fields
        },
    )
    problem.tags.set(fields.get("tags", []))
    problem.save()
    if fields.get("alliances"):
        problem.alliances.set(
            AlliancePage.objects.filter(title__in=fields["alliances"])
        )
    return problem


def _money(value):
    return None if value is None else Decimal(str(value))


def _invite(problem, user, arguments):
    studios = list(Studio.objects.filter(slug__in=arguments["studios"]))
    services.invite_studios(problem=problem, studios=studios, user=user)


def _propose(problem, user, arguments):
    services.submit_proposal(
        problem=problem,
        user=user,
        text=arguments["text"],
        estimated_cost_wan_yuan=_money(arguments.get("estimated_cost_wan_yuan")),
        estimated_days=arguments.get("estimated_days"),
    )


def _session(problem, user, arguments):
    services.record_session(
        problem=problem,
        user=user,
        held_on=datetime.date.fromisoformat(arguments["held_on"]),
        place=arguments.get("place", ""),
        note=arguments.get("note", ""),
    )


def _accept(problem, user, arguments):
    proposal = problem.proposals.filter(state=Proposal.State.SUBMITTED).earliest("pk")
    services.accept_proposal(
        proposal=proposal, user=user, note=arguments.get("note", "")
    )


def _outcome(problem, user, arguments):
    services.record_outcome(
        problem=problem,
        user=user,
        result=arguments["result"],
        solution=arguments["solution"],
        projected_benefit_wan_yuan=_money(arguments.get("projected_benefit_wan_yuan")),
        actual_benefit_wan_yuan=_money(arguments.get("actual_benefit_wan_yuan")),
        patents=arguments.get("patents", 0),
        five_smalls=arguments.get("five_smalls", 0),
    )


STEPS = {
    "submit": lambda p, u, a: services.submit_problem(problem=p, user=u),
    "review": lambda p, u, a: services.start_review(problem=p, user=u),
    "publish": lambda p, u, a: services.publish_problem(problem=p, user=u),
    "invite": _invite,
    "propose": _propose,
    "session": _session,
    "accept": _accept,
    "outcome": _outcome,
    "confirm": lambda p, u, a: services.confirm_outcome(problem=p, user=u),
    "verify": lambda p, u, a: services.verify_outcome(problem=p, user=u),
}
