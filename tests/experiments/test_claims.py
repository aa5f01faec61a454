"""Claims: each comparison, the profiles a claim is meant for, substitutes, verdict lines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfdnn.experiments.core.claims import Claim, check_claims, compare, count, verdict_line

METRICS = {"acc": 0.85, "psnr_model": 30.3, "psnr_baseline": 29.2, "curve": [1, 2],
           "n": 19_158_352, "flag": True}


@pytest.mark.parametrize(("claim", "verdict"), [
    (Claim("acc", ">=", 0.84, "course"), "pass"),
    (Claim("acc", ">=", 0.86, "course"), "fail"),
    (Claim("acc", "<=", 0.85, "course"), "pass"),
    (Claim("acc", "<", 0.85, "course"), "fail"),
    (Claim("psnr_model", ">", "psnr_baseline", "paper"), "pass"),
    (Claim("psnr_baseline", ">", "psnr_model", "paper"), "fail"),
    (Claim("n", "within", 19_158_352, "HOMEWORK.md", tolerance=0), "pass"),
    (Claim("acc", "within", 0.8, "course", tolerance=0.04), "fail"),
    (Claim("acc", "within", 0.8, "course", tolerance=0.05), "pass"),
])
def test_each_comparison(claim, verdict):
    assert compare(claim, METRICS)[0] == verdict


@pytest.mark.parametrize("metric", ["missing", "curve", "flag"])
def test_a_claim_on_a_missing_or_non_numeric_metric_fails(metric):
    verdict, value, reason = compare(Claim(metric, ">=", 0, "x"), METRICS)
    assert verdict == "fail" and value is None and metric in reason


def test_a_comparison_with_a_missing_metric_fails_and_says_which():
    verdict, _, reason = compare(Claim("acc", ">", "nope", "x"), METRICS)
    assert verdict == "fail" and "nope" in reason


def test_a_failing_claim_says_what_it_got_and_what_was_expected():
    _, _, reason = compare(Claim("psnr_baseline", ">", "psnr_model", "paper"), METRICS)
    assert reason == "got 29.2, expected > psnr_model = 30.3"


def test_records_carry_the_declared_fields_and_the_verdict():
    claims = [Claim("acc", ">=", 0.84, "course notebook", profiles=("quick", "laptop")),
              Claim("acc", ">=", 0.99, "paper", profiles=("full",),
                    note="needs the full 100 epochs")]
    quick = check_claims(claims, METRICS, "quick")
    assert quick[0] == {"metric": "acc", "op": ">=", "expected": 0.84,
                        "source": "course notebook", "profiles": ["quick", "laptop"],
                        "verdict": "pass", "value": 0.85}
    assert quick[1]["verdict"] == "not-checked"
    assert quick[1]["reason"] == "needs the full 100 epochs"
    assert count(quick) == {"pass": 1, "fail": 0, "not-checked": 1}
    assert check_claims(claims, METRICS, "full")[1]["verdict"] == "fail"


def test_a_substituted_data_set_makes_its_claims_not_checked_and_says_which():
    claims = [Claim("acc", ">=", 0.5, "HW9", data=("kmnist",)), Claim("acc", ">=", 0.5, "x")]
    records = check_claims(claims, METRICS, "laptop", substitutes={"kmnist": "fashion-mnist"})
    assert records[0]["verdict"] == "not-checked"
    assert "kmnist (this run used fashion-mnist)" in records[0]["reason"]
    assert records[1]["verdict"] == "pass"


@pytest.mark.parametrize("kwargs", [
    dict(op="=="), dict(op="within"), dict(op=">=", tolerance=1.0),
    dict(op="within", tolerance=1.0, expected="other"), dict(source=""), dict(profiles=()),
])
def test_malformed_claims_are_refused_when_declared(kwargs):
    fields = dict(metric="acc", op=">=", expected=0.5, source="x") | kwargs
    with pytest.raises(ValueError):
        Claim(**fields)


def test_verdict_lines():
    records = check_claims([Claim("acc", ">=", 0.84, "course"),
                            Claim("acc", ">=", 0.9, "paper")], METRICS, "laptop")
    assert verdict_line(records[0]) == "\u2713 pass        acc >= 0.84: 0.85 (course)"
    assert verdict_line(records[1]).startswith("\u2717 fail        acc >= 0.9: 0.85 (paper); got")


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_within_is_symmetric_in_value_and_expected(a, b, tol):
    one = compare(Claim("x", "within", b, "s", tolerance=tol), {"x": a})[0]
    two = compare(Claim("x", "within", a, "s", tolerance=tol), {"x": b})[0]
    assert one == two


def test_every_experiment_states_what_it_reproduces():
    """Each registered experiment has at least one claim (issue 18), each with a source."""
    from mfdnn.experiments.core.registry import PROFILES, all_experiments

    bare = [name for name, exp in all_experiments().items() if not exp.claims]
    assert not bare, f"experiments without claims: {', '.join(bare)}"
    for exp in all_experiments().values():
        for claim in exp.claims:
            assert claim.source.strip() and set(claim.profiles) <= set(PROFILES)

