"""What a run leaves in its folder: claims.json and verdict lines, no stale or foreign files;
``mfdnn reproduce`` carries the claims, survives any exception and exits 1 under --strict."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import pytest

from mfdnn.cli.main import main
from mfdnn.errors import ConfigError
from mfdnn.experiments.core import registry
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.config import check_range, field_types
from mfdnn.experiments.core.registry import PROFILES, all_experiments, experiment
from mfdnn.experiments.core.runner import run_experiment
from mfdnn.plotting import plt


@dataclass
class ToyConfig:
    value: float = 0.85
    fail: bool = False


@pytest.fixture
def toy(monkeypatch):
    """A registered experiment ``toy-claims``: one figure, metric ``acc`` = ``value``."""
    monkeypatch.setattr(registry, "_REGISTRY", dict(all_experiments()))

    @experiment("toy-claims", title="toy", group="test", config=ToyConfig,
                metrics=("acc", "chance"), quick={}, quick_note="same",
                claims=(Claim("acc", ">=", 0.84, "course notebook", profiles=("quick",)),
                        Claim("acc", ">", "chance", "common sense", profiles=("quick",)),
                        Claim("acc", ">=", 0.99, "paper", profiles=("full",),
                              note="needs the full training"),
                        Claim("acc", ">=", 0.5, "HW9", profiles=("quick",),
                              data=("kmnist",))))
    def run(cfg, ctx):
        fig, ax = plt.subplots()
        ax.plot([0, 1])
        ctx.savefig(fig, "curve")
        ctx.substitute("kmnist", "fashion-mnist")
        if cfg.fail:
            raise RuntimeError("diverged\nsecond line")
        return {"acc": cfg.value, "chance": 0.1}

    return "toy-claims"


def test_claims_json_has_the_contract_keys_and_verdicts(toy, tmp_path, capsys):
    run_experiment(toy, profile="quick", out=tmp_path, progress=False)
    claims = json.loads((tmp_path / "claims.json").read_text())
    for record in claims:
        assert {"metric", "op", "expected", "source", "profiles", "verdict"} <= set(record)
    assert [c["verdict"] for c in claims] == ["pass", "pass", "not-checked", "not-checked"]
    assert claims[3]["reason"] == "a claim about kmnist (this run used fashion-mnist)"
    lines = capsys.readouterr().out.strip().splitlines()[-4:]
    assert lines[0] == "\u2713 pass        acc >= 0.84: 0.85 (course notebook)"
    assert lines[2].startswith("\u2014 not-checked acc >= 0.99: 0.85 (paper); needs the full")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["substitutes"] == {"kmnist": "fashion-mnist"}


def test_a_claim_broken_on_purpose_fails(toy, tmp_path, capsys):
    record = run_experiment(toy, profile="quick", out=tmp_path, overrides=["value=0.5"],
                            progress=False)
    assert [c["verdict"] for c in record.claims][:2] == ["fail", "pass"]
    assert record.claims[0]["reason"] == "got 0.5, expected >= 0.84"
    assert "\u2717 fail        acc >= 0.84: 0.5 (course notebook); got 0.5" in \
        capsys.readouterr().out


def test_a_failed_run_leaves_no_figures_and_no_results_of_an_earlier_run(toy, tmp_path):
    run_experiment(toy, profile="quick", out=tmp_path, progress=False, quiet=True)
    assert {p.name for p in tmp_path.iterdir()} >= {"curve.png", "claims.json", "metrics.json"}
    with pytest.raises(RuntimeError):
        run_experiment(toy, profile="quick", out=tmp_path, overrides=["fail=true"],
                       progress=False, quiet=True)
    assert {p.name for p in tmp_path.iterdir()} == {".mfdnn-run"}


def test_a_folder_that_is_not_a_run_is_refused_and_kept(toy, tmp_path):
    (tmp_path / "thesis.tex").write_text("mine")
    with pytest.raises(ConfigError, match="not an mfdnn run"):
        run_experiment(toy, profile="quick", out=tmp_path, progress=False, quiet=True)
    assert (tmp_path / "thesis.tex").read_text() == "mine"


def test_reproduce_records_any_exception_and_goes_on(toy, tmp_path, monkeypatch, capsys):
    failing = dataclasses.replace(registry._REGISTRY[toy], name="toy-crash",
                                  run=lambda cfg, ctx: 1 / 0)
    monkeypatch.setitem(registry._REGISTRY, "toy-crash", failing)
    out = tmp_path / "rep"
    assert main(["reproduce", "--profile", "quick", "--only", "toy-*", "--out", str(out),
                 "--no-progress"]) == 1
    summary = json.loads((out / "summary.json").read_text())
    crash = summary["experiments"]["toy-crash"]
    assert crash["status"] == "failed" and crash["error"] == "ZeroDivisionError: division by zero"
    assert {c["verdict"] for c in crash["claims"]} == {"fail"}
    ok = summary["experiments"]["toy-claims"]
    assert ok["status"] == "ok" and [c["verdict"] for c in ok["claims"]][:2] == ["pass", "pass"]
    assert summary["claims"] == {"pass": 2, "fail": 4, "not-checked": 2}
    page = (out / "report.html").read_text()
    assert "Claims: <span class='mark-pass'>\u2713 2 pass" in page
    assert "\u2717 4 fail" in page and "\u2014 2 not checked" in page


def test_a_failed_runs_claims_keep_their_tolerance_in_the_report(toy, tmp_path, monkeypatch,
                                                                 capsys):
    crash = dataclasses.replace(registry._REGISTRY[toy], name="toy-crash",
                                run=lambda cfg, ctx: 1 / 0, claims=(
                                    Claim("acc", "within", 0.85, "x", tolerance=0.01),))
    monkeypatch.setitem(registry._REGISTRY, "toy-crash", crash)
    out = tmp_path / "rep"
    assert main(["reproduce", "--profile", "quick", "--only", "toy-crash", "--out", str(out),
                 "--no-progress"]) == 1
    [claim] = json.loads((out / "summary.json").read_text())["experiments"]["toy-crash"]["claims"]
    assert claim["tolerance"] == 0.01 and claim["verdict"] == "fail"
    assert "acc within 0.01 of 0.85" in (out / "report.html").read_text()


def test_reproduce_strict_exits_1_on_a_failing_claim_only(toy, tmp_path, capsys, monkeypatch):
    args = ["reproduce", "--profile", "quick", "--only", "toy-claims", "--no-progress"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b"), "--strict"]) == 0
    low = dataclasses.replace(registry._REGISTRY[toy],
                              overrides={"quick": {"value": 0.5}, "laptop": {}, "full": {}})
    monkeypatch.setitem(registry._REGISTRY, toy, low)
    assert main([*args, "--out", str(tmp_path / "c")]) == 0
    assert main([*args, "--out", str(tmp_path / "d"), "--strict"]) == 1


def test_recheck_judges_the_runs_of_a_folder_by_todays_claims(toy, tmp_path, monkeypatch,
                                                             capsys):
    out = tmp_path / "rep"
    args = ["reproduce", "--profile", "quick", "--only", "toy-claims", "--no-progress",
            "--out", str(out)]
    assert main(args) == 0
    metrics_before = (out / "toy-claims" / "metrics.json").read_text()
    stricter = dataclasses.replace(registry._REGISTRY[toy], claims=(
        Claim("acc", ">=", 0.9, "a stricter source", profiles=("quick",)),))
    monkeypatch.setitem(registry._REGISTRY, toy, stricter)
    assert main(["reproduce", "--recheck", "--out", str(out), "--strict"]) == 1
    assert (out / "toy-claims" / "metrics.json").read_text() == metrics_before  # not rerun
    on_disk = json.loads((out / "toy-claims" / "claims.json").read_text())
    summary = json.loads((out / "summary.json").read_text())
    assert on_disk == summary["experiments"]["toy-claims"]["claims"]
    assert [(c["expected"], c["verdict"]) for c in on_disk] == [(0.9, "fail")]
    assert summary["claims"] == {"pass": 0, "fail": 1, "not-checked": 0}
    assert "\u2717 1 fail" in (out / "report.html").read_text()


def test_recheck_of_a_folder_without_runs_is_one_line(tmp_path, capsys):
    assert main(["reproduce", "--recheck", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "no run folders to re-check" in err and len(err.splitlines()) == 1


def test_recheck_builds_a_summary_from_run_folders_alone(toy, tmp_path, monkeypatch, capsys):
    """A stopped ``reproduce`` leaves run folders and no summary: recheck makes one."""
    crash = dataclasses.replace(registry._REGISTRY[toy], name="toy-crash",
                                run=lambda cfg, ctx: 1 / 0)
    monkeypatch.setitem(registry._REGISTRY, "toy-crash", crash)
    run_experiment(toy, profile="quick", out=tmp_path / toy, progress=False, quiet=True)
    with pytest.raises(ZeroDivisionError):
        run_experiment("toy-crash", profile="quick", out=tmp_path / "toy-crash", quiet=True)
    (tmp_path / "notes").mkdir()  # not a run folder: ignored
    assert main(["reproduce", "--recheck", "--out", str(tmp_path)]) == 1  # one run failed
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["profile"] == "quick" and list(summary["experiments"]) == [toy, "toy-crash"]
    assert summary["experiments"][toy]["status"] == "ok"
    assert "did not finish" in summary["experiments"]["toy-crash"]["error"]
    assert summary["claims"]["pass"] == 2
    fixed = dataclasses.replace(registry._REGISTRY[toy], name="toy-crash")
    monkeypatch.setitem(registry._REGISTRY, "toy-crash", fixed)
    run_experiment("toy-crash", profile="quick", out=tmp_path / "toy-crash", quiet=True)
    assert main(["reproduce", "--recheck", "--out", str(tmp_path)]) == 0  # finished since
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["experiments"]["toy-crash"]["status"] == "ok" and summary["failed"] == 0


def test_rerunning_some_experiments_keeps_the_others_in_the_summary(toy, tmp_path, monkeypatch,
                                                                    capsys):
    other = dataclasses.replace(registry._REGISTRY[toy], name="toy-other")
    monkeypatch.setitem(registry._REGISTRY, "toy-other", other)
    out = tmp_path / "rep"
    common = ["reproduce", "--profile", "quick", "--no-progress", "--out", str(out)]
    assert main([*common, "--only", "toy-*"]) == 0
    assert main([*common, "--only", "toy-other"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert list(summary["experiments"]) == ["toy-claims", "toy-other"]
    assert summary["passed"] == 2
    assert main([*common, "--only", "toy-other", "--seed", "1"]) == 0  # another seed: alone
    assert list(json.loads((out / "summary.json").read_text())["experiments"]) == ["toy-other"]


def test_a_claim_must_name_declared_metrics_and_known_profiles():
    with pytest.raises(ValueError, match="not among its metrics"):
        experiment("toy-bad", title="t", group="g", config=ToyConfig, metrics=("acc",),
                   quick={}, quick_note="q", claims=(Claim("loss", "<=", 1, "x"),))
    with pytest.raises(ValueError, match="names profiles"):
        experiment("toy-bad", title="t", group="g", config=ToyConfig, metrics=("acc",),
                   quick={}, quick_note="q",
                   claims=(Claim("acc", "<=", 1, "x", profiles=("huge",)),))


@pytest.mark.parametrize("name", list(all_experiments()))
def test_every_profile_of_every_experiment_is_within_the_set_ranges(name):
    exp = all_experiments()[name]
    for profile in PROFILES:
        cfg = exp.make_config(profile)
        types = field_types(type(cfg))
        for f in dataclasses.fields(cfg):
            check_range(f.name, getattr(cfg, f.name), types[f.name], f.metadata)
