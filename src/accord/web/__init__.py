"""A confidential mediated negotiation on the web (the optional extra ``web``).

A facilitator sets up a case from a scenario's parties and issues; each party enters its own
preferences privately; the neutral engine (accord's exact analysis) proposes packages that every
party accepts by its own preferences; parties accept or reject them secretly; a package all
accept becomes the baseline, and the engine then proposes improvements on it that maximise the
smallest gain (the Smartsettle procedure: Thiessen, "Beyond win-win in cyberspace", 2002).

Nothing outside this package imports it: the command line loads it lazily.
"""

from .app import create_app
from .config import WebConfig

__all__ = ["WebConfig", "create_app"]
