"""The HTML pages: server-rendered with Jinja2 (autoescaped), one small script of our own
(``static/accord.js``) that sends the forms to the JSON API with the CSRF header. The pages read
through the same service layer as the API, so they show a user exactly what the API would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from .auth import Actor
from .http import SESSION_COOKIE, service_of
from .problems import Unauthenticated

__all__ = ["error_page", "router", "to_login", "wants_html"]

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")

PHASE_TEXT = {
    "collecting": "Collecting preferences: each party enters its own, privately.",
    "suggestions": "Suggestions: each party accepts or rejects the proposed packages, secretly.",
    "baseline": "Baseline reached: every party accepted the same package. Improvements may follow.",
    "improvements": "Improvements: packages at least as good as the baseline for every party.",
    "agreed": "Agreed.",
    "no_agreement": "No package exists that every party accepts. Parties may revise their preferences.",
}


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def to_login(request: Request) -> Response:
    return RedirectResponse("/", status_code=303)


def error_page(request: Request, status: int, message: str) -> Response:
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message, "me": None}, status_code=status
    )


def _me(request: Request) -> Actor:
    return service_of(request).actor(request.cookies.get(SESSION_COOKIE))


def _page(request: Request, name: str, me: Actor | None, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"me": me, "phase_text": PHASE_TEXT, **context})


@router.get("/", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    try:
        _me(request)
    except Unauthenticated:
        return _page(request, "login.html", None)
    return RedirectResponse("/cases", status_code=303)


@router.get("/invitations/{token}", response_class=HTMLResponse)
def invitation_page(token: str, request: Request) -> Response:
    return _page(
        request, "invitation.html", None, token=token, invitation=service_of(request).invitation(token)
    )


@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request) -> Response:
    me = _me(request)
    return _page(request, "cases.html", me, cases=service_of(request).list_cases(me))


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(case_id: str, request: Request) -> Response:
    me = _me(request)
    return _page(request, "case.html", me, case=service_of(request).case_status(me, case_id))


@router.get("/cases/{case_id}/preferences", response_class=HTMLResponse)
def preferences_page(case_id: str, request: Request) -> Response:
    me = _me(request)
    service = service_of(request)
    mine = service.get_preferences(me, case_id)
    case = service.case_status(me, case_id)
    return _page(request, "preferences.html", me, case=case, prefs=mine, form=_form(case, mine))


@router.get("/cases/{case_id}/suggestions", response_class=HTMLResponse)
def suggestions_page(case_id: str, request: Request) -> Response:
    me = _me(request)
    service = service_of(request)
    found = service.suggestions(me, case_id)
    return _page(request, "suggestions.html", me, case=service.case_status(me, case_id), suggestions=found)


def _form(case: dict[str, Any], prefs: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each issue with the values to show in the form: the party's own, or neutral defaults."""
    prefs = prefs or {}
    weights = prefs.get("weights", {})
    values = prefs.get("values", {})
    lines = {
        (issue, str(option))
        for line in prefs.get("red_lines", [])
        for issue, option in line.get("when", {}).items()
        if len(line.get("when", {})) == 1 and not isinstance(option, (dict, list))
    }
    default_weight = round(100 / max(1, len(case["issues"])))
    out = []
    for issue in case["issues"]:
        iid = issue["id"]
        entry: dict[str, Any] = {
            "id": iid,
            "title": issue.get("name") or iid,
            "weight": weights.get(iid, default_weight),
        }
        given = values.get(iid, {})
        if "options" in issue:
            entry["options"] = [
                {
                    "id": o["id"],
                    "label": o.get("label") or o["id"],
                    "value": given.get(o["id"], 50) if isinstance(given, dict) else 50,
                    "red_line": (iid, str(o["id"])) in lines,
                }
                for o in issue["options"]
            ]
        else:
            grid = issue["range"]
            points = (
                dict((float(x), v) for x, v in given.get("points", [])) if isinstance(given, dict) else {}
            )
            entry["unit"] = grid.get("unit") or ""
            entry["points"] = [{"x": x, "value": points.get(float(x), 50)} for x in _sample(grid)]
        out.append(entry)
    return out


def _sample(grid: dict[str, Any]) -> list[float | int]:
    """Up to 5 grid points a party rates (the value is linear in between)."""
    lo, hi, step = float(grid["min"]), float(grid["max"]), float(grid.get("step", 1))
    n = int((hi - lo) / step + 1e-9) + 1
    picks = sorted({round(i * (n - 1) / 4) for i in range(5)}) if n > 5 else list(range(n))
    out: list[float | int] = []
    for i in picks:
        x = lo + i * step
        out.append(int(x) if grid.get("kind") == "integer" or float(x).is_integer() else round(x, 12))
    return out
