"""The three Python tutorials: they cover what the course page promises, at the promised size,
and their exercises' checking cells tell a right answer from a wrong one.

Executed with a real Jupyter kernel (nbclient): each solution notebook must print "correct" in
every checking cell; each student notebook must run top to bottom without an error while every
checking cell reports a failure; and a solution notebook with planted wrong answers must flag
exactly the planted ones. Nine notebook runs, a few seconds each (part 3 imports torch).
"""

from __future__ import annotations

import json
import re

import pytest

from mfdnn.course import tutorials as T
from mfdnn.errors import ConfigError

nbformat = pytest.importorskip("nbformat")

PYTORCH_TOPICS = ("tensors", "autograd", "nn.Module", "optimisers", "DataLoader")

# (sections, exercises) at least, per tutorial: the size built (21/18, 17/15, 19/17).
FLOORS = {"python1": (20, 18), "python2": (16, 15), "python3": (18, 17)}


def page_topics(course) -> list[str]:
    """The topics the course page's Python-tutorial paragraph lists ("such as ... library")."""
    match = re.search(r"concepts such as (.*?)\.", course.python_tutorial["before"])
    assert match, "the course page's list of tutorial topics moved"
    topics = []
    for item in re.split(r",\s*", match.group(1)):
        item = re.sub(r"^(and )?(the )?(Python )?", "", item.strip())
        topics.append(item.removesuffix(" library"))
    return topics


def test_every_topic_of_the_page_and_of_pytorch_has_a_section(course):
    topics = page_topics(course)
    assert topics == ["variables", "loops", "functions", "classes", "objects", "inheritance",
                      "exceptions", "lists", "tuples", "decorators", "iterators", "NumPy",
                      "Matplotlib"]
    all_headings = " | ".join(h for n in T.TUTORIALS for h in T.tutorial_sections(n)).lower()
    missing = [t for t in topics + list(PYTORCH_TOPICS) if t.lower() not in all_headings]
    assert not missing, f"no section heading names {missing}"


@pytest.mark.parametrize("name", T.TUTORIALS)
def test_size(name):
    sections, exercises = len(T.tutorial_sections(name)), len(T.exercise_names(name))
    assert sections >= FLOORS[name][0] and exercises >= FLOORS[name][1], (sections, exercises)


@pytest.mark.parametrize("name", T.TUTORIALS)
def test_notebooks_are_valid_and_the_solution_differs_only_in_the_exercises(name):
    student = T.tutorial_notebook(name)
    solution = T.tutorial_notebook(name, solutions=True)
    for nb in (student, solution):
        nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))
        ids = [c["id"] for c in nb["cells"]]
        assert len(set(ids)) == len(ids)
        assert all(re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", i) for i in ids)
    assert [c["id"] for c in student["cells"]] == [c["id"] for c in solution["cells"]]
    differ = [s["id"] for s, t in zip(student["cells"], solution["cells"], strict=True)
              if s["source"] != t["source"]]
    names = T.exercise_names(name)
    assert differ == ["cell-0"] + [f"exercise-{n}" for n in names]   # the title notes solutions
    for cell in student["cells"]:
        text = "".join(cell["source"])
        if cell["id"].startswith("exercise-"):
            assert "# YOUR CODE HERE" in text and "NotImplementedError" in text
            assert cell["metadata"]["tags"] == ["exercise"]
        if cell["id"].startswith("check-"):
            assert "check(" in text and cell["metadata"]["tags"] == ["check"]
    assert T.tutorial_title(name).startswith(f"Python Tutorial {name[-1]}: ")
    assert "".join(student["cells"][0]["source"]).startswith(f"# {T.tutorial_title(name)}")


@pytest.mark.parametrize("name", T.TUTORIALS)
def test_inline_math_stays_on_one_line(name):
    for cell in T.tutorial_cells(name):
        if cell.kind == "markdown":
            for line in cell.source.splitlines():
                assert line.replace("$$", "").count("$") % 2 == 0, line


def helper(capsys):
    """The checking helper as the notebooks define it, and a reader of what it printed."""
    from importlib import resources

    namespace: dict = {}
    exec(resources.files(T).joinpath("sources", "_check.py").read_text(), namespace)

    def run(fn, cases) -> str:
        namespace["check"](fn, cases)
        return capsys.readouterr().out.strip()

    return run


def test_the_checking_helper_says_what_is_wrong(capsys):
    import numpy as np
    import torch

    run = helper(capsys)

    def half(x):
        return x / 2

    assert run(half, [((2,), 1.0), ((1,), 0.5)]) == "correct: all 2 cases pass"
    assert run(half, [((2,), 1.0), ((3,), 1)]) == (
        "wrong: case 2 of 2: half(3) returned 1.5, expected 1 (type float, not int)")
    assert run(half, [((4,), 2.0000001)]).startswith("correct")          # 1e-6 relative
    assert run(half, [((4,), 2.001)]) == "wrong: case 1 of 1: half(4) returned 2.0, expected 2.001"
    assert run(half, [(("a",), 1.0)]) == (
        "wrong: case 1 of 1: half('a') raised TypeError: unsupported operand type(s) for /: "
        "'str' and 'int'")
    assert run(half, [((0,), ZeroDivisionError)]) == (
        "wrong: case 1 of 1: half(0) returned 0.0; it should raise ZeroDivisionError")
    assert run(lambda x: 1 / x, [((0,), ZeroDivisionError)]).startswith("correct")

    def todo(x):
        raise NotImplementedError()

    assert run(todo, [((1,), 1)]).startswith("not done yet: case 1 of 1: todo(1) raised")
    assert run(list, [(((1, 2),), (1, 2))]).endswith("(type list, not tuple)")
    assert run(dict, [(([("a", 1)],), {"a": 2})]).endswith("(first difference at key 'a')")
    assert run(np.ones, [((3,), np.ones(3))]).startswith("correct")
    assert run(np.ones, [((3,), np.ones((3, 1)))]).endswith("(shape (3,), not (3, 1))")
    assert run(np.ones, [((2,), np.ones(2, dtype=np.float32))]).endswith(
        "(dtype float64, not float32)")
    assert run(np.ones, [((3,), torch.ones(3))]).endswith("(type ndarray, not Tensor)")
    assert run(np.eye, [((2,), np.array([[1.0, 0], [1, 1]]))]).endswith(
        "(first difference at [1, 0]: 0.0 instead of 1.0)")
    assert run(bool, [((1,), 1)]) == (
        "wrong: case 1 of 1: bool(1) returned True, expected 1 (type bool, not int)")


def test_unknown_tutorial_names_the_choices():
    with pytest.raises(ConfigError, match="unknown tutorial 'python4'; choose from "
                                          "python1, python2, python3"):
        T.tutorial_notebook("python4")
    with pytest.raises(ConfigError, match="python1, python2, python3"):
        T.tutorial_title("")


def test_legacy_cells_are_the_student_notebook():
    for name in T.TUTORIALS:
        nb = T.tutorial_notebook(name)
        assert [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]] == [
            (kind, text) for kind, text in T.TUTORIAL_CELLS[name]]


@pytest.mark.parametrize(("text", "message"), [
    ("# %% exercise f\n# YOUR CODE HERE\nraise NotImplementedError\n# %% check f\ncheck()",
     "must be followed by its solution and check"),
    ("# %% exercise f\npass\n# %% solution f\npass\n# %% check f\ncheck()",
     "needs a '# YOUR CODE HERE' region"),
    ("# %% solution f\npass", "without its exercise"),
    ("# %% [markdown]\nnot a comment", "a Markdown line must be a comment"),
    ("# %% [raw]\nx", "unknown cell marker"),
])
def test_the_reader_refuses_a_malformed_source(text, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        T.parse(text)


def test_the_reader_reads_cells_and_strips_markdown_comments():
    cells = T.parse("header, dropped\n# %% [markdown]\n# # Title\n#\n# text\n\n# %%\nx = 1\n\n"
                    "# %% exercise f\ndef f():\n    # YOUR CODE HERE\n    raise NotImplementedError"
                    "\n# %% solution f\ndef f():\n    return 1\n# %% check f\ncheck(f, [])\n")
    assert [(c.kind, c.role, c.name) for c in cells] == [
        ("markdown", "", ""), ("code", "", ""), ("code", "exercise", "f"),
        ("code", "solution", "f"), ("code", "check", "f")]
    assert cells[0].source == "# Title\n\ntext" and cells[1].source == "x = 1"


# ---- execution ---------------------------------------------------------------------------

# A plausible wrong answer per exercise, of different kinds: off by one, a wrong axis, an
# argument mutated, an edge case missed, a missing clean-up, an unweighted mean...
PLANTS = {
    "python1": {
        "argmax": "def argmax(xs):\n    best = 0\n    for i, x in enumerate(xs):\n"
                  "        if x >= xs[best]:\n            best = i\n    return best",
        "gradient_descent": "def gradient_descent(grad, theta0, alpha, steps):\n"
                            "    path = [theta0]\n    for _ in range(steps - 1):\n"
                            "        path.append(path[-1] - alpha * grad(path[-1]))\n"
                            "    return path",
        "appended": "def appended(xs, x):\n    xs.append(x)\n    return xs",
        "sigmoid": "def sigmoid(x):\n    return 1 / (1 + math.exp(-x))",
        "rotate": "def rotate(xs, k):\n    if not xs:\n        return []\n"
                  "    k = k % len(xs)\n    return xs[k:] + xs[:k]",
    },
    "python2": {
        "Minibatches": (
            "class Minibatches:\n"
            "    def __init__(self, data, batch_size, drop_last=False):\n"
            "        self.data, self.batch_size, self.drop_last = data, batch_size, drop_last\n"
            "        self.start = 0\n"
            "    def __len__(self):\n"
            "        full, rest = divmod(len(self.data), self.batch_size)\n"
            "        return full + (1 if rest and not self.drop_last else 0)\n"
            "    def __iter__(self):\n        return self\n"        # never restarts
            "    def __next__(self):\n"
            "        if self.start >= len(self) * self.batch_size:\n"
            "            raise StopIteration\n"
            "        batch = self.data[self.start:self.start + self.batch_size]\n"
            "        self.start += self.batch_size\n        return batch"),
        "temporarily": "@contextlib.contextmanager\ndef temporarily(obj, name, value):\n"
                       "    old = getattr(obj, name)\n    setattr(obj, name, value)\n"
                       "    yield obj\n    setattr(obj, name, old)",     # no finally
        "count_calls": "def count_calls(fn):\n    def wrapper(*args, **kwargs):\n"
                       "        wrapper.calls += 1\n        return fn(*args, **kwargs)\n"
                       "    wrapper.calls = 0\n    return wrapper",      # no functools.wraps
        "parse_lr": "def parse_lr(text):\n    lr = float(text)\n    if lr < 0:\n"
                    "        raise ValueError(text)\n    return lr",
        "sigmoid_value": "def sigmoid_value(v):\n    s = 1 / (1 + math.exp(-v.data))\n"
                         "    out = Value(s, (v,))\n    def _backward():\n"
                         "        v.grad = s * (1 - s) * out.grad\n"  # = instead of +=
                         "    out._backward = _backward\n    return out",
    },
    "python3": {
        "softmax": "def softmax(Z):\n    E = np.exp(Z - Z.max(axis=0, keepdims=True))\n"
                   "    return E / E.sum(axis=0, keepdims=True)",
        "image_grid": "def image_grid(images, rows, cols):\n    N, H, W = images.shape\n"
                      "    return images.reshape(rows * H, cols * W)",
        "train_epoch": "def train_epoch(model, loader, loss_fn, optimizer):\n"
                       "    losses = []\n    for X_batch, y_batch in loader:\n"
                       "        optimizer.zero_grad()\n"
                       "        loss = loss_fn(model(X_batch), y_batch)\n"
                       "        loss.backward()\n        optimizer.step()\n"
                       "        losses.append(loss.item())\n"
                       "    return sum(losses) / len(losses)",     # batches weighted equally
        "momentum_step": "def momentum_step(params, velocities, lr, beta):\n"
                         "    for p, v in zip(params, velocities):\n"
                         "        v.mul_(beta).add_(p.grad)\n        p -= lr * v",  # no no_grad
        "to_batch": "def to_batch(images):\n"
                    "    return torch.from_numpy(images).float().unsqueeze(1)",   # not / 255
        "one_hot": "def one_hot(labels, num_classes):\n"
                   "    return (labels[:, None] == np.arange(num_classes)).astype(int)",
    },
}


def execute(nb: dict, tmp_path) -> dict[str, object]:
    """Run ``nb`` in a fresh python3 kernel; the printed text of each checking cell, by name,
    and the error outputs of all cells."""
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    node = nbformat.reads(json.dumps(nb), as_version=4)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("MPLBACKEND", raising=False)      # the kernel's inline backend, as a student's
        mp.setenv("OMP_NUM_THREADS", "1")           # tiny tensors: threads only cost time
        nbclient.NotebookClient(node, timeout=300, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
    checks, errors = {}, []
    for cell in node.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            if out.output_type == "error":
                errors.append(f"{cell.id}: {out.ename}: {out.evalue}")
        if cell.id.startswith("check-"):
            checks[cell.id.removeprefix("check-")] = "".join(
                o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    return {"checks": checks, "errors": errors}


def verdict(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and all(line.startswith("correct: ") for line in lines):
        return "correct"
    if any(line.startswith(("wrong: ", "not done yet: ")) for line in lines):
        return "fails"
    return f"unclear: {text!r}"


def test_the_planted_wrong_answers_exist():
    for name, plants in PLANTS.items():
        assert set(plants) <= set(T.exercise_names(name)), name


@pytest.mark.parametrize("name", T.TUTORIALS)
def test_solution_notebook_says_correct_everywhere(name, tmp_path):
    run = execute(T.tutorial_notebook(name, solutions=True), tmp_path)
    assert run["errors"] == []
    assert set(run["checks"]) == set(T.exercise_names(name))
    wrong = {k: v for k, v in run["checks"].items() if verdict(v) != "correct"}
    assert not wrong, wrong


@pytest.mark.parametrize("name", T.TUTORIALS)
def test_student_notebook_runs_and_every_check_reports_the_unsolved_exercise(name, tmp_path):
    run = execute(T.tutorial_notebook(name), tmp_path)
    assert run["errors"] == [], "a cell outside the exercises depends on an answer"
    assert set(run["checks"]) == set(T.exercise_names(name))
    passing = {k: v for k, v in run["checks"].items() if verdict(v) != "fails"}
    assert not passing, passing


@pytest.mark.parametrize("name", T.TUTORIALS)
def test_planted_wrong_answers_are_caught_and_only_they(name, tmp_path):
    nb = T.tutorial_notebook(name, solutions=True)
    plants = PLANTS[name]
    for cell in nb["cells"]:
        exercise = cell["id"].removeprefix("exercise-")
        if cell["id"].startswith("exercise-") and exercise in plants:
            cell["source"] = plants[exercise].splitlines(keepends=True)
    run = execute(nb, tmp_path)
    assert run["errors"] == []
    for exercise, text in run["checks"].items():
        if exercise in plants:
            assert verdict(text) == "fails" and text.startswith("wrong: "), (exercise, text)
        else:
            assert verdict(text) == "correct", (exercise, text)
