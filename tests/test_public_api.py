"""The public API is small and deliberate: this test fails if it drifts."""

import ast
import importlib
from pathlib import Path

import pytest

import accord


def test_public_names_are_pinned() -> None:
    assert accord.__all__ == [
        "AccordError",
        "Analysis",
        "AnalysisConfig",
        "AnalysisError",
        "Explanation",
        "ImportFormatError",
        "Issue",
        "Option",
        "Party",
        "Preferences",
        "Robustness",
        "RobustnessConfig",
        "Scenario",
        "ScenarioError",
        "SessionConfig",
        "SessionResult",
        "SpaceTooLargeError",
        "TournamentConfig",
        "TournamentResult",
        "__version__",
        "analyze",
        "bundled_scenarios",
        "explain",
        "load",
        "robustness",
        "run_session",
        "run_tournament",
    ]
    assert accord.__all__ == sorted(accord.__all__, key=str)
    for name in accord.__all__:
        assert hasattr(accord, name)


# Every subpackage's public names, as its ``__all__`` lists them (ruff keeps each list sorted).
SUBPACKAGES: dict[str, list[str]] = {
    "accord.analysis": [
        "TOL",
        "Analysis",
        "AnalysisConfig",
        "Blocker",
        "Explanation",
        "FrontierPoint",
        "Improvement",
        "IssueChange",
        "IssueCost",
        "NearestPackage",
        "NonSignatory",
        "PartyLoss",
        "PartyView",
        "RedLineBlocker",
        "ReservationCut",
        "RuleBroken",
        "Solution",
        "SolutionView",
        "Trade",
        "Unblocking",
        "analyze",
        "compile_space",
        "explain",
        "pareto_frontier",
    ],
    "accord.analysis.optimise": [
        "Attainable",
        "Best",
        "Chebyshev",
        "MinGain",
        "NashProduct",
        "Objective",
        "Optimised",
        "Utility",
        "Welfare",
        "agreement_possible",
        "best_package",
        "choose_engine",
        "optimise_space",
    ],
    "accord.cli": [
        "app",
        "main",
    ],
    "accord.distributed": [
        "connect",
        "map_chunks",
        "n_threads",
        "scheduler_client",
        "split",
    ],
    "accord.division": [
        "AdjustedWinner",
        "Items",
        "Split",
        "adjusted_winner",
        "bundled_divisions",
        "is_pareto_optimal",
        "parse_items",
        "read_items",
    ],
    "accord.forecast": [
        "HEADER",
        "MAX_ACTORS",
        "Actor",
        "BdmConfig",
        "Forecast",
        "ForecastRound",
        "IssueForecast",
        "ScenarioForecast",
        "bdm_path",
        "bundled_forecasts",
        "forecast",
        "forecast_scenario",
        "issue_scale",
        "median_position",
        "parse_actors",
        "read_actors",
        "weighted_mean",
    ],
    "accord.io": [
        "FORMATS",
        "YamlLimits",
        "detect",
        "dump",
        "dumps",
        "load_file",
        "loads",
        "read",
        "read_genius",
        "read_geniusweb",
        "schema",
        "write",
        "write_genius",
        "write_geniusweb",
    ],
    "accord.io.genius_xml": [
        "MAX_FILE_BYTES",
        "MAX_RECTANGLES",
        "read_genius",
        "write_genius",
    ],
    "accord.io.geniusweb_json": [
        "EXTRAS_FILE",
        "MAX_FILE_BYTES",
        "JsonFile",
        "json_files",
        "looks_like_geniusweb",
        "read_geniusweb",
        "read_json_files",
        "write_geniusweb",
    ],
    "accord.model": [
        "FORMAT",
        "Condition",
        "Constraint",
        "Distribution",
        "FrozenDict",
        "Interaction",
        "Issue",
        "Normal",
        "Number",
        "NumericRange",
        "Option",
        "OptionValue",
        "Package",
        "Party",
        "PiecewiseLinear",
        "Preferences",
        "RangeCondition",
        "RedLine",
        "Scenario",
        "Value",
        "support_of",
        "value_of",
    ],
    "accord.report": [
        "Report",
        "ReportConfig",
        "build_report",
    ],
    "accord.simulation": [
        "MEDIATORS",
        "STRATEGIES",
        "Agreement",
        "Domain",
        "Event",
        "Mediator",
        "NegotiationState",
        "Outcome",
        "PartyUtilities",
        "PartyView",
        "SessionConfig",
        "SessionResult",
        "Strategy",
        "TournamentConfig",
        "TournamentResult",
        "Trace",
        "Vote",
        "build_domain",
        "make_strategy",
        "run_session",
        "run_tournament",
        "strategy_names",
    ],
    "accord.simulation.protocols": [
        "run_mediated",
        "run_mopac",
        "run_saop",
    ],
    "accord.simulation.strategies": [
        "STRATEGIES",
        "Aspiration",
        "Boulware",
        "Conceder",
        "FrequencyModel",
        "Hardliner",
        "Linear",
        "RandomOffers",
        "RelativeTitForTat",
        "ScheduledStrategy",
        "Strategy",
        "TimeBasedConcession",
        "make_strategy",
        "strategy_names",
    ],
    "accord.uncertainty": [
        "PackageRobustness",
        "Robustness",
        "RobustnessConfig",
        "Sensitivity",
        "SolutionStability",
        "Threshold",
        "TornadoBar",
        "UncertainInput",
        "UtilityModel",
        "recommend",
        "robustness",
        "uncertain_inputs",
    ],
    "accord.web": [
        "WebConfig",
        "create_app",
    ],
}


def _declares_all(init: Path) -> bool:
    tree = ast.parse(init.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        for node in tree.body
    )


def test_every_subpackage_with_public_names_is_pinned() -> None:
    root = Path(accord.__file__).parent
    declared = {
        ".".join(init.relative_to(root.parent).parent.parts)
        for init in root.rglob("__init__.py")
        if init.parent != root and _declares_all(init)
    }
    assert declared == set(SUBPACKAGES)


@pytest.mark.parametrize("name", sorted(SUBPACKAGES))
def test_subpackage_names_are_pinned(name: str) -> None:
    module = importlib.import_module(name)
    assert list(module.__all__) == SUBPACKAGES[name]
    for public in module.__all__:
        assert hasattr(module, public), f"{name}.{public}"
