"""The JSON API: thin routes over :class:`~accord.web.service.Service`. Errors are
``{"error": message}`` with the status of the refusal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from .auth import Actor
from .http import SESSION_COOKIE, actor_of, clear_login, client_of, service_of, set_login

__all__ = ["router"]

router = APIRouter(prefix="/api")
Me = Annotated[Actor, Depends(actor_of)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginBody(_Body):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class CaseBody(_Body):
    scenario: str = Field(description="The scenario file's YAML text; only its parties and issues are used.")


class InvitationBody(_Body):
    party: str = Field(max_length=200)
    email: str = Field(max_length=320)


class PasswordBody(_Body):
    password: str = Field(max_length=1024)


class RoundBody(_Body):
    settle: bool = Field(default=False, description="Close the case on its baseline instead.")


class AnswerBody(_Body):
    accept: bool


@router.post("/session")
def log_in(body: LoginBody, request: Request, response: Response) -> dict[str, Any]:
    service = service_of(request)
    login = service.login(body.email, body.password, client_of(request), request.cookies.get(SESSION_COOKIE))
    set_login(request, response, login)
    return {"email": login.actor.email, "role": login.actor.role}


@router.delete("/session")
def log_out(me: Me, request: Request, response: Response) -> dict[str, Any]:
    service_of(request).logout(me)
    clear_login(request, response)
    return {"ok": True}


@router.get("/me")
def my_data(me: Me, request: Request) -> dict[str, Any]:
    return service_of(request).my_data(me)


@router.get("/cases")
def list_cases(me: Me, request: Request) -> list[dict[str, Any]]:
    return service_of(request).list_cases(me)


@router.post("/cases", status_code=201)
def create_case(body: CaseBody, me: Me, request: Request) -> dict[str, Any]:
    return {"id": service_of(request).create_case(me, body.scenario)}


@router.get("/cases/{case_id}")
def case_status(case_id: str, me: Me, request: Request) -> dict[str, Any]:
    return service_of(request).case_status(me, case_id)


@router.get("/cases/{case_id}/audit")
def audit_log(case_id: str, me: Me, request: Request) -> list[dict[str, Any]]:
    return service_of(request).audit_log(me, case_id)


@router.post("/cases/{case_id}/invitations", status_code=201)
def invite(case_id: str, body: InvitationBody, me: Me, request: Request) -> dict[str, Any]:
    return {"token": service_of(request).invite(me, case_id, body.party, body.email)}


@router.delete("/cases/{case_id}/parties/{party}")
def remove_party(case_id: str, party: str, me: Me, request: Request) -> dict[str, Any]:
    service_of(request).remove_party(me, case_id, party)
    return {"ok": True}


@router.post("/invitations/{token}", status_code=201)
def accept_invitation(token: str, body: PasswordBody, request: Request) -> dict[str, Any]:
    return service_of(request).accept_invitation(token, body.password)


@router.put("/cases/{case_id}/preferences")
def put_preferences(case_id: str, me: Me, request: Request, body: Annotated[Any, Body()]) -> dict[str, Any]:
    service_of(request).put_preferences(me, case_id, body)
    return {"ok": True}


@router.get("/cases/{case_id}/preferences")
def get_preferences(case_id: str, me: Me, request: Request) -> dict[str, Any] | None:
    return service_of(request).get_preferences(me, case_id)


@router.delete("/cases/{case_id}/preferences")
def delete_preferences(case_id: str, me: Me, request: Request) -> dict[str, Any]:
    service_of(request).delete_preferences(me, case_id)
    return {"ok": True}


@router.post("/cases/{case_id}/rounds")
def start_round(
    case_id: str, me: Me, request: Request, body: Annotated[RoundBody | None, Body()] = None
) -> dict[str, Any]:
    return service_of(request).start_round(me, case_id, settle=bool(body and body.settle))


@router.get("/cases/{case_id}/suggestions")
def suggestions(case_id: str, me: Me, request: Request) -> list[dict[str, Any]]:
    return service_of(request).suggestions(me, case_id)


@router.put("/cases/{case_id}/suggestions/{suggestion_id}/response")
def respond(case_id: str, suggestion_id: str, body: AnswerBody, me: Me, request: Request) -> dict[str, Any]:
    return service_of(request).respond(me, case_id, suggestion_id, body.accept)
