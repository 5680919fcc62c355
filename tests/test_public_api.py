"""The public API is small and deliberate: this test fails if it drifts."""

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
        "__version__",
        "analyze",
        "bundled_scenarios",
        "explain",
        "load",
        "robustness",
        "run_session",
    ]
    assert accord.__all__ == sorted(accord.__all__, key=str)
    for name in accord.__all__:
        assert hasattr(accord, name)
