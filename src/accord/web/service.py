"""The service layer: every operation of the app, with its authorisation, in one place. The JSON
API and the HTML pages both call it, so they cannot disagree about who may see what.

Authorisation is decided here, on the server, per object (ASVS 8.2.2) and per field (8.2.3):
a case exists for its facilitator and its seated parties only (everyone else is told 404); a
party reads and writes its own preferences, utilities and answers only; the facilitator sees
who has entered preferences and the phase, never a preference value or an answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from ..model import Scenario
from . import audit, engine
from .auth import Actor, Auth, LoggedIn, digest, new_id, new_secret, normal_email
from .config import WebConfig
from .db import Database, lock_case
from .models import Case, Member, PreferenceRecord, Response, Suggestion, SuggestionUtility, User
from .problems import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from .setup import parse_setup

__all__ = ["PHASES", "Service"]

PHASES = ("collecting", "suggestions", "baseline", "improvements", "agreed", "no_agreement")
_EDITABLE = ("collecting", "baseline", "no_agreement")  # when a party may change its preferences
_OPEN = ("suggestions", "improvements")  # when suggestions await answers

T = TypeVar("T")


@dataclass(frozen=True)
class _Plan:
    """What a round computes from: read in one transaction, used outside any."""

    kind: str  # "suggestion" or "improvement"
    scenario: Scenario
    packages: list[dict[str, Any]]  # the suggestions offered so far, or [the baseline]
    stamp: tuple[Any, ...]


class Service:
    """The app's operations on one database."""

    def __init__(self, database: Database, config: WebConfig) -> None:
        self.database = database
        self.config = config
        self.auth = Auth(config)

    @contextmanager
    def _tx(self) -> Iterator[DbSession]:
        with self.database.transaction() as db:
            yield db

    def _run(self, work: Callable[[DbSession], T]) -> T:
        with self._tx() as db:
            return work(db)

    def _read(self, work: Callable[[DbSession], T]) -> T:
        """A transaction that only reads (on SQLite it runs beside the writer)."""
        with self.database.transaction(write=False) as db:
            return work(db)

    # -- accounts and sessions ----------------------------------------------------------------
    def create_facilitator(self, email: str, password: str) -> str:
        def work(db: DbSession) -> str:
            user = self.auth.create_user(db, email, password, "facilitator")
            audit.record(db, "facilitator_created", actor=None, detail=user.email)
            return user.id

        return self._run(work)

    def login(self, email: str, password: str, client: str, replaces: str | None) -> LoggedIn:
        found = self._run(lambda db: self.auth.login(db, email, password, client, replaces=replaces))
        if found is None:
            raise Unauthenticated("wrong e-mail address or password")
        return found

    def actor(self, session_id: str | None) -> Actor:
        actor, stale = self._read(lambda db: self.auth.actor(db, session_id))
        if stale:
            self._run(lambda db: self.auth.touch(db, actor.session_hash))
        return actor

    def logout(self, actor: Actor) -> None:
        def work(db: DbSession) -> None:
            from .models import Session

            row = db.get(Session, actor.session_hash)
            if row is not None and row.revoked_at is None:
                row.revoked_at = time.time()
            audit.record(db, "logout", actor=actor.email)

        self._run(work)

    # -- who may see a case -------------------------------------------------------------------
    def _case(
        self, db: DbSession, actor: Actor, case_id: str, *, lock: bool = False
    ) -> tuple[Case, Member | None]:
        case = lock_case(db, case_id) if lock else db.get(Case, case_id)
        if case is None:
            raise NotFound()
        if case.facilitator_id == actor.user_id:
            return case, None
        member = db.execute(
            select(Member).where(
                Member.case_id == case.id, Member.user_id == actor.user_id, Member.removed_at.is_(None)
            )
        ).scalar_one_or_none()
        if member is None:
            raise NotFound()
        return case, member

    def _facilitated(self, db: DbSession, actor: Actor, case_id: str, *, lock: bool = False) -> Case:
        case, member = self._case(db, actor, case_id, lock=lock)
        if member is not None:
            raise Forbidden("only the case's facilitator may do this")
        return case

    def _seat(self, db: DbSession, actor: Actor, case_id: str, *, lock: bool = False) -> tuple[Case, Member]:
        case, member = self._case(db, actor, case_id, lock=lock)
        if member is None:
            raise Forbidden("only a party of the case may do this")
        return case, member

    @staticmethod
    def _seated(db: DbSession, case: Case) -> dict[str, Member]:
        """The current member of each party (the newest that is not removed)."""
        rows = db.execute(
            select(Member)
            .where(Member.case_id == case.id, Member.removed_at.is_(None))
            .order_by(Member.created_at)
        ).scalars()
        return {m.party: m for m in rows}

    # -- cases ----------------------------------------------------------------------------------
    def create_case(self, actor: Actor, scenario_text: str) -> str:
        if not actor.is_facilitator:
            raise Forbidden("only a facilitator may create a case")
        setup = parse_setup(scenario_text)

        def work(db: DbSession) -> str:
            case = Case(
                id=new_id(),
                facilitator_id=actor.user_id,
                name=str(setup["name"])[:400],
                setup=setup,
                phase="collecting",
                round=0,
                created_at=time.time(),
            )
            db.add(case)
            audit.record(
                db, "case_created", actor=actor.email, case_id=case.id, detail=f"scenario {setup['id']}"
            )
            return case.id

        return self._run(work)

    def list_cases(self, actor: Actor) -> list[dict[str, Any]]:
        def work(db: DbSession) -> list[dict[str, Any]]:
            if actor.is_facilitator:
                cases = db.execute(
                    select(Case).where(Case.facilitator_id == actor.user_id).order_by(Case.created_at)
                ).scalars()
                return [{"id": c.id, "name": c.name, "phase": c.phase, "role": "facilitator"} for c in cases]
            rows = db.execute(
                select(Case, Member)
                .join(Member, Member.case_id == Case.id)
                .where(Member.user_id == actor.user_id, Member.removed_at.is_(None))
                .order_by(Case.created_at)
            ).all()
            return [
                {"id": c.id, "name": c.name, "phase": c.phase, "role": "party", "party": m.party}
                for c, m in rows
            ]

        return self._read(work)

    def case_status(self, actor: Actor, case_id: str) -> dict[str, Any]:
        def work(db: DbSession) -> dict[str, Any]:
            case, member = self._case(db, actor, case_id)
            seated = self._seated(db, case)
            submitted = {
                m.party
                for m in seated.values()
                if m.user_id is not None and db.get(PreferenceRecord, m.id) is not None
            }
            parties = [
                {
                    "id": p["id"],
                    "name": p.get("name") or p["id"],
                    "invited": p["id"] in seated,
                    "joined": p["id"] in seated and seated[p["id"]].user_id is not None,
                    "submitted": p["id"] in submitted,
                }
                for p in case.setup["parties"]
            ]
            you: dict[str, Any] = (
                {"role": "facilitator"} if member is None else {"role": "party", "party": member.party}
            )
            return {
                "id": case.id,
                "name": case.name,
                "description": case.setup.get("description"),
                "phase": case.phase,
                "round": case.round,
                "parties": parties,
                "issues": case.setup["issues"],
                "baseline": self._package(db, case.baseline_id),
                "agreement": self._package(db, case.agreement_id),
                "you": you,
            }

        return self._read(work)

    @staticmethod
    def _package(db: DbSession, suggestion_id: str | None) -> dict[str, Any] | None:
        if suggestion_id is None:
            return None
        found = db.get(Suggestion, suggestion_id)
        return None if found is None else dict(found.package)

    def audit_log(self, actor: Actor, case_id: str) -> list[dict[str, Any]]:
        def work(db: DbSession) -> list[dict[str, Any]]:
            case = self._facilitated(db, actor, case_id)
            return audit.export(db, case.id)

        return self._read(work)

    # -- invitations and parties ---------------------------------------------------------------
    def invite(self, actor: Actor, case_id: str, party: str, email: str) -> str:
        email = normal_email(email)

        def work(db: DbSession) -> str:
            case = self._facilitated(db, actor, case_id, lock=True)
            ids = [p["id"] for p in case.setup["parties"]]
            if party not in ids:
                raise Invalid(f"party: no party '{party}' in this case; parties are {', '.join(ids)}")
            current = self._seated(db, case).get(party)
            if current is not None and current.user_id is not None:
                raise Conflict(f"party: '{party}' has joined already; remove it first to invite someone else")
            token = new_secret()
            expires = time.time() + self.config.invitation_lifetime
            if current is None:
                db.add(
                    Member(
                        id=new_id(),
                        case_id=case.id,
                        party=party,
                        email=email,
                        token_hash=digest(token),
                        token_expires_at=expires,
                        created_at=time.time(),
                    )
                )
            else:  # a new invitation replaces the unused one
                current.email, current.token_hash, current.token_expires_at = email, digest(token), expires
            audit.record(db, "party_invited", actor=actor.email, case_id=case.id, detail=f"{party} <{email}>")
            return token

        return self._run(work)

    def invitation(self, token: str) -> dict[str, Any]:
        """What the invitation page shows: the case, the party and the e-mail address."""

        def work(db: DbSession) -> dict[str, Any]:
            member = self._invited(db, token)
            case = db.get(Case, member.case_id)
            assert case is not None
            return {"case": case.name, "party": member.party, "email": member.email}

        return self._read(work)

    @staticmethod
    def _invited(db: DbSession, token: str) -> Member:
        member = db.execute(select(Member).where(Member.token_hash == digest(token))).scalar_one_or_none()
        if (
            member is None
            or member.removed_at is not None
            or member.user_id is not None
            or (member.token_expires_at or 0) < time.time()
        ):
            raise NotFound("this invitation is not valid: it was used, has expired or was withdrawn")
        return member

    def accept_invitation(self, token: str, password: str) -> dict[str, Any]:
        def work(db: DbSession) -> dict[str, Any]:
            member = self._invited(db, token)
            user = db.execute(select(User).where(User.email == member.email)).scalar_one_or_none()
            if user is None:
                user = self.auth.create_user(db, member.email, password, "party")
            elif user.role != "party" or not self.auth.passwords.verify(user.password_hash, password):
                raise Conflict(
                    "password: an account with this e-mail address exists; give its password to join"
                )
            member.user_id, member.token_hash, member.token_expires_at = user.id, None, None
            audit.record(
                db, "invitation_accepted", actor=user.email, case_id=member.case_id, detail=member.party
            )
            return {"email": user.email, "case": member.case_id, "party": member.party}

        return self._run(work)

    def remove_party(self, actor: Actor, case_id: str, party: str) -> None:
        def work(db: DbSession) -> None:
            case = self._facilitated(db, actor, case_id, lock=True)
            member = self._seated(db, case).get(party)
            if member is None:
                raise NotFound(f"party: '{party}' has no seat in this case")
            member.removed_at, member.token_hash = time.time(), None
            self._forget(db, case, member)
            if member.user_id is not None:
                self.auth.revoke_user(db, member.user_id)
            audit.record(db, "party_removed", actor=actor.email, case_id=case.id, detail=party)

        self._run(work)

    def _forget(self, db: DbSession, case: Case, member: Member) -> None:
        """Delete a seat's preferences, utilities and answers; an open round closes with them."""
        db.execute(delete(PreferenceRecord).where(PreferenceRecord.member_id == member.id))
        db.execute(delete(SuggestionUtility).where(SuggestionUtility.member_id == member.id))
        db.execute(delete(Response).where(Response.member_id == member.id))
        if case.phase == "suggestions":
            case.phase = "collecting"
        elif case.phase == "improvements":
            case.phase = "baseline"

    # -- a party's own data ---------------------------------------------------------------------
    def put_preferences(self, actor: Actor, case_id: str, body: Any) -> None:
        def work(db: DbSession) -> None:
            case, member = self._seat(db, actor, case_id, lock=True)
            if case.phase not in _EDITABLE:
                raise Conflict(f"preferences cannot change in the {case.phase} phase")
            prefs = engine.check_preferences(case.setup, member.party, body)
            data = prefs.model_dump(mode="json", exclude_none=True)
            record = db.get(PreferenceRecord, member.id)
            if record is None:
                db.add(PreferenceRecord(member_id=member.id, body=data, updated_at=time.time()))
            else:
                record.body, record.updated_at = data, time.time()
            audit.record(db, "preferences_submitted", actor=actor.email, case_id=case.id, detail=member.party)

        self._run(work)

    def get_preferences(self, actor: Actor, case_id: str) -> dict[str, Any] | None:
        def work(db: DbSession) -> dict[str, Any] | None:
            _, member = self._seat(db, actor, case_id)
            record = db.get(PreferenceRecord, member.id)
            return None if record is None else dict(record.body)

        return self._read(work)

    def delete_preferences(self, actor: Actor, case_id: str) -> None:
        def work(db: DbSession) -> None:
            case, member = self._seat(db, actor, case_id, lock=True)
            self._forget(db, case, member)
            audit.record(db, "preferences_deleted", actor=actor.email, case_id=case.id, detail=member.party)

        self._run(work)

    def my_data(self, actor: Actor) -> dict[str, Any]:
        """Everything the app holds about the user (ASVS 14.2.x: the user's own data, exported)."""

        def work(db: DbSession) -> dict[str, Any]:
            seats = db.execute(select(Member).where(Member.user_id == actor.user_id)).scalars().all()
            out = []
            for m in seats:
                record = db.get(PreferenceRecord, m.id)
                answers = db.execute(
                    select(Response, Suggestion)
                    .join(Suggestion, Suggestion.id == Response.suggestion_id)
                    .where(Response.member_id == m.id)
                ).all()
                out.append(
                    {
                        "case": m.case_id,
                        "party": m.party,
                        "removed": m.removed_at is not None,
                        "preferences": None if record is None else record.body,
                        "responses": [
                            {"suggestion": s.id, "package": s.package, "accept": r.accept} for r, s in answers
                        ],
                    }
                )
            return {"email": actor.email, "role": actor.role, "cases": out}

        return self._read(work)

    # -- rounds ---------------------------------------------------------------------------------
    def start_round(self, actor: Actor, case_id: str, *, settle: bool = False) -> dict[str, Any]:
        """Compute suggestions (or improvements on the baseline) now; ``settle`` closes the case
        on its baseline. Returns the phase and round (no numbers).

        The engine runs outside any transaction (it may take seconds, and on SQLite a write
        transaction blocks every other writer): the inputs are read, the packages computed,
        and the result written under the case's lock only if nothing changed meanwhile."""
        if settle:
            return self._run(lambda db: self._settle(db, actor, case_id))
        for _ in range(3):
            plan = self._read(lambda db: self._plan(db, actor, case_id))
            outcome = self._compute(plan)
            with self._tx() as db:
                done = self._apply(db, actor, case_id, plan, outcome)
            if done is not None:
                return done
        raise Conflict("the case kept changing while the engine computed; start the round again")

    def _settle(self, db: DbSession, actor: Actor, case_id: str) -> dict[str, Any]:
        case = self._facilitated(db, actor, case_id, lock=True)
        if case.baseline_id is None or case.phase not in ("baseline", "improvements"):
            raise Conflict("there is no baseline to settle on yet")
        self._agree(db, case, actor.email, "settled on the baseline")
        return {"phase": case.phase, "round": case.round}

    def _stamp(self, db: DbSession, case: Case) -> tuple[Any, ...]:
        """What the engine's answer depends on: if it is unchanged, the answer still holds."""
        seated = self._seated(db, case)
        updated = tuple(
            sorted(
                (m.id, r.updated_at)
                for m in seated.values()
                if (r := db.get(PreferenceRecord, m.id)) is not None
            )
        )
        return (case.phase, case.round, case.baseline_id, updated)

    def _plan(self, db: DbSession, actor: Actor, case_id: str) -> _Plan:
        case = self._facilitated(db, actor, case_id)
        if case.phase == "improvements":
            raise Conflict("the parties are answering the improvements; wait, or settle on the baseline")
        if case.phase == "agreed":
            raise Conflict("the case is closed: an agreement was reached")
        _, prefs = self._submitted(db, case)
        scenario = engine.build_scenario(case.setup, prefs)
        if case.phase == "baseline":
            baseline = db.get(Suggestion, case.baseline_id)
            assert baseline is not None
            return _Plan("improvement", scenario, [dict(baseline.package)], self._stamp(db, case))
        offered = [
            dict(s.package)
            for s in db.execute(
                select(Suggestion).where(Suggestion.case_id == case.id, Suggestion.kind == "suggestion")
            ).scalars()
        ]
        return _Plan("suggestion", scenario, offered, self._stamp(db, case))

    def _compute(self, plan: _Plan) -> engine.Proposal:
        count = self.config.suggestions_per_round
        if plan.kind == "improvement":
            return engine.Proposal(True, engine.improve(plan.scenario, plan.packages[0], count=count))
        return engine.propose(plan.scenario, offered=plan.packages, count=count)

    def _apply(
        self, db: DbSession, actor: Actor, case_id: str, plan: _Plan, outcome: engine.Proposal
    ) -> dict[str, Any] | None:
        case = self._facilitated(db, actor, case_id, lock=True)
        if self._stamp(db, case) != plan.stamp:
            return None  # answers or preferences changed meanwhile: compute again
        seated = self._seated(db, case)
        who = actor.email
        if plan.kind == "improvement":
            if not outcome.candidates:
                self._agree(db, case, who, "no package improves on the baseline for every party")
            else:
                self._new_round(db, case, seated, outcome.candidates, "improvement")
                case.phase = "improvements"
                audit.record(
                    db,
                    "round_started",
                    actor=who,
                    case_id=case.id,
                    detail=f"round {case.round}: improvements",
                )
        elif not outcome.exists:
            case.phase = "no_agreement"
            audit.record(
                db, "no_agreement", actor=who, case_id=case.id, detail="no package every party accepts"
            )
        elif not outcome.candidates:
            raise Conflict("every package the parties all accept has been suggested; the parties may revise")
        else:
            self._new_round(db, case, seated, outcome.candidates, "suggestion")
            case.phase = "suggestions"
            audit.record(
                db, "round_started", actor=who, case_id=case.id, detail=f"round {case.round}: suggestions"
            )
        return {"phase": case.phase, "round": case.round}

    def _submitted(
        self, db: DbSession, case: Case
    ) -> tuple[dict[str, Member], dict[str, engine.PartyPreferences]]:
        seated = self._seated(db, case)
        prefs: dict[str, engine.PartyPreferences] = {}
        missing = []
        for p in case.setup["parties"]:
            member = seated.get(p["id"])
            record = db.get(PreferenceRecord, member.id) if member is not None and member.user_id else None
            if record is None:
                missing.append(p["id"])
            else:
                prefs[p["id"]] = engine.PartyPreferences.model_validate(record.body)
        if missing:
            raise Conflict(f"waiting for the preferences of {', '.join(missing)}")
        return seated, prefs

    def _new_round(
        self,
        db: DbSession,
        case: Case,
        seated: dict[str, Member],
        found: tuple[engine.Candidate, ...],
        kind: str,
    ) -> None:
        case.round += 1
        now = time.time()
        for rank, candidate in enumerate(found):
            suggestion = Suggestion(
                id=new_id(),
                case_id=case.id,
                round=case.round,
                kind=kind,
                rank=rank,
                package=candidate.package,
                created_at=now,
            )
            db.add(suggestion)
            db.flush()
            for party, utility in candidate.utilities.items():
                db.add(
                    SuggestionUtility(
                        suggestion_id=suggestion.id, member_id=seated[party].id, utility=utility
                    )
                )

    def _agree(self, db: DbSession, case: Case, who: str, why: str) -> None:
        case.agreement_id = case.baseline_id
        case.phase = "agreed"
        audit.record(db, "agreed", actor=who, case_id=case.id, detail=why)

    def suggestions(self, actor: Actor, case_id: str) -> list[dict[str, Any]]:
        def work(db: DbSession) -> list[dict[str, Any]]:
            case, member = self._seat(db, actor, case_id)
            if case.phase not in _OPEN:
                return []
            rows = db.execute(
                select(Suggestion, SuggestionUtility)
                .join(SuggestionUtility, SuggestionUtility.suggestion_id == Suggestion.id)
                .where(
                    Suggestion.case_id == case.id,
                    Suggestion.round == case.round,
                    SuggestionUtility.member_id == member.id,
                )
                .order_by(Suggestion.rank)
            ).all()
            answers = {
                r.suggestion_id: r.accept
                for r in db.execute(select(Response).where(Response.member_id == member.id)).scalars()
            }
            return [
                {
                    "id": s.id,
                    "kind": s.kind,
                    "package": s.package,
                    "my_utility": u.utility,
                    "my_response": answers.get(s.id),
                }
                for s, u in rows
            ]

        return self._read(work)

    def respond(self, actor: Actor, case_id: str, suggestion_id: str, accept: bool) -> dict[str, Any]:
        """Record a secret answer. The case row is locked first, so when the last parties accept
        the same package at once exactly one baseline is recorded."""

        def work(db: DbSession) -> dict[str, Any]:
            case, member = self._seat(db, actor, case_id, lock=True)
            suggestion = db.get(Suggestion, suggestion_id)
            if suggestion is None or suggestion.case_id != case.id:
                raise NotFound()
            if case.phase not in _OPEN or suggestion.round != case.round:
                raise Conflict("this suggestion is no longer open for answers")
            answer = db.execute(
                select(Response).where(
                    Response.suggestion_id == suggestion.id, Response.member_id == member.id
                )
            ).scalar_one_or_none()
            if answer is None:
                db.add(
                    Response(suggestion_id=suggestion.id, member_id=member.id, accept=accept, at=time.time())
                )
            else:
                answer.accept, answer.at = accept, time.time()
            db.flush()
            audit.record(db, "answer_recorded", actor=actor.email, case_id=case.id, detail=member.party)
            self._settle_round(db, case, suggestion)
            return {"phase": case.phase}

        return self._run(work)

    def _settle_round(self, db: DbSession, case: Case, answered: Suggestion) -> None:
        seated = self._seated(db, case)
        members = {m.id for m in seated.values()}
        round_ids = [
            s.id
            for s in db.execute(
                select(Suggestion).where(Suggestion.case_id == case.id, Suggestion.round == case.round)
            ).scalars()
        ]
        answers = db.execute(select(Response).where(Response.suggestion_id.in_(round_ids))).scalars().all()
        accepted = {r.member_id for r in answers if r.suggestion_id == answered.id and r.accept} & members
        if len(seated) == len(case.setup["parties"]) and accepted == members:
            case.baseline_id = answered.id
            case.phase = "baseline"
            audit.record(db, "baseline_reached", actor=None, case_id=case.id, detail=f"round {case.round}")
            return
        complete = len({(r.member_id, r.suggestion_id) for r in answers if r.member_id in members}) == len(
            members
        ) * len(round_ids)
        if case.phase == "improvements" and complete:
            self._agree(db, case, "engine", "every party answered and no improvement was accepted by all")
