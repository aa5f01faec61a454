"""The anomaly class of HW9 P1 and HW11 P3: the KMNIST test set where its files are
available, Fashion-MNIST's test set (the default substitute, HOMEWORK.md 0.3) otherwise."""

from __future__ import annotations

import os
from typing import Literal

from mfdnn import data
from mfdnn.data.files import cache_root
from mfdnn.data.sources import check_cache
from mfdnn.errors import DataError
from mfdnn.experiments.core.context import RunContext

AnomalyChoice = Literal["auto", "kmnist", "fashion-mnist"]


def kmnist_available() -> bool:
    """KMNIST is in the cache, or in ``$MFDNN_DATA_DIR``; no download is tried."""
    status = check_cache(data.spec("kmnist"), cache_root() / "kmnist")
    if all(s == "ok" for s in status.values()):
        return True
    if os.environ.get("MFDNN_DATA_DIR"):
        try:
            data.load("kmnist", "test", data_dir=os.environ["MFDNN_DATA_DIR"])
            return True
        except DataError:
            return False
    return False


def anomaly_test_set(choice: AnomalyChoice, ctx: RunContext) -> tuple[data.ImageSet, str]:
    """The anomaly images and the name of the set used (noted in the manifest)."""
    if choice == "auto":
        choice = "kmnist" if kmnist_available() else "fashion-mnist"
        if choice == "fashion-mnist":
            ctx.substitute("kmnist", "fashion-mnist",
                           "KMNIST is not available offline: the anomaly set is the "
                           "Fashion-MNIST test set (the substitute); error rates differ from "
                           "the course's")
    images = data.load(choice, "test")
    ctx.info["anomaly_dataset"] = choice
    return images, choice
