"""The CUDA path. Skipped where torch sees no GPU (CI has none); the GPU check runs them.

On a GPU the loop does the CPU's arithmetic (same index order, same steps), ``--amp``
computes in bf16, and a run resumes from a checkpoint written on the GPU.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from mfdnn.train import Checkpoint, cross_entropy_loss, fit
from mfdnn.train.settings import TrainSettings, use

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="torch sees no CUDA GPU")


def train(device, epochs=4, amp=False, checkpoint=None, resume=False, stop_after=None,
          loss_fn=cross_entropy_loss):
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    X = torch.randn(256, 8, generator=g)
    Y = (X[:, 0] + X[:, 1] > 0).long() + 2 * (X[:, 2] > 0).long()
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4)).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    saved = Checkpoint(checkpoint, "cuda-toy", resume) if checkpoint else None
    with use(TrainSettings(amp=amp, progress=False)):  # what --amp sets for a run
        result = fit(model, loss_fn, opt, (X.to(device), Y.to(device)), epochs=epochs,
                     batch_size=32, checkpoint=saved,
                     stop_when=(lambda h: len(h) >= stop_after) if stop_after else None)
    return model, result


def test_training_on_cuda_matches_the_cpu():
    cpu_model, cpu = train("cpu")
    gpu_model, gpu = train("cuda")
    assert gpu.steps == cpu.steps
    for a, b in zip(cpu.curve("loss"), gpu.curve("loss"), strict=True):
        assert b == pytest.approx(a, abs=1e-5)
    for a, b in zip(cpu_model.parameters(), gpu_model.parameters(), strict=True):
        torch.testing.assert_close(b.cpu(), a, atol=1e-5, rtol=1e-5)


def test_amp_on_cuda_runs_the_forward_pass_in_bf16():
    dtypes = set()

    def loss_fn(model, x, y):
        out = model(x)
        dtypes.add(out.dtype)
        return cross_entropy_loss(model, x, y)

    _, result = train("cuda", epochs=2, amp=True, loss_fn=loss_fn)
    assert dtypes == {torch.bfloat16}
    assert result.history[-1]["loss"] < result.history[0]["loss"]


def test_resume_on_cuda_continues_the_run(tmp_path):
    straight, _ = train("cuda", epochs=4)
    ckpt = tmp_path / "ckpt.pt"
    train("cuda", epochs=4, checkpoint=ckpt, stop_after=2)  # "killed" after epoch 2
    resumed, result = train("cuda", epochs=4, checkpoint=ckpt, resume=True)
    assert len(result.history) == 4
    for a, b in zip(straight.parameters(), resumed.parameters(), strict=True):
        assert b.device.type == "cuda"
        torch.testing.assert_close(b, a, atol=1e-6, rtol=1e-6)
