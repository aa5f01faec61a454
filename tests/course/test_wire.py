"""The wire format: what the judge accepts from a jail, and what it refuses."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
import torch

from mfdnn.course.probes import wire


def test_arrays_tensors_and_scalars_round_trip_exactly():
    value = {"f": np.array([1.5, np.nan, np.inf, -0.0]), "i": np.arange(6).reshape(2, 3),
             "b": np.array([True, False]), "zero_d": np.array(2.5), "t": torch.ones(2, 2),
             "f32": np.float32(0.1), "n": [1, 2.5, None, "x", True], "empty": np.zeros((0, 3))}
    back = wire.decode(wire.encode(value), 1 << 20)
    assert np.array_equal(back["f"], value["f"], equal_nan=True)
    assert back["i"].dtype == np.int64 and back["i"].shape == (2, 3)
    assert back["b"].dtype == np.bool_ and back["b"].tolist() == [True, False]
    assert back["zero_d"].shape == () and float(back["zero_d"]) == 2.5
    assert back["t"].dtype == np.float64 and back["t"].shape == (2, 2)
    assert back["f32"] == float(np.float32(0.1)) and back["n"] == [1, 2.5, None, "x", True]
    assert back["empty"].shape == (0, 3)
    for a in (back["f"], back["i"], back["t"]):
        assert type(a) is np.ndarray and a.flags.writeable and a.flags.owndata


class Sneaky(np.ndarray):
    pass


@pytest.mark.parametrize("value", [np.array(["a"]), np.array([object()]), np.array([1j]),
                                   {1: 2}, object(), {"x": {1, 2}}])
def test_encode_refuses_what_is_not_plain_data(value):
    with pytest.raises(TypeError):
        wire.encode(value)


def test_a_subclass_is_sent_as_its_plain_values():
    back = wire.decode(wire.encode(np.zeros(3).view(Sneaky)), 1 << 10)
    assert type(back) is np.ndarray


def _arr(code, shape, data: bytes) -> bytes:
    return json.dumps({"$array": [code, shape, base64.b64encode(data).decode()]}).encode()


@pytest.mark.parametrize("data, fragment", [
    (b"\xff\xfe", "UTF-8"),
    (b"{", "not JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "nested"),
    (b"[" * 40 + b"0" + b"]" * 40, "nested"),
    (b"9" * 5000, "not JSON"),
    (b'"' + b"x" * 200_000 + b'"', "string of"),
    (json.dumps([0] * 1_100_000).encode(), "values in one message"),
    (_arr("O", [1], b"12345678"), "dtype"),
    (_arr("<f8", [1], b"12345678"), "dtype"),
    (_arr("f8", [2], b"12345678"), "holds 8 bytes"),
    (_arr("f8", [-1], b""), "shape"),
    (_arr("f8", [1.5], b""), "shape"),
    (_arr("f8", [1] * 9, b"12345678"), "shape"),
    (_arr("f8", [100_000, 1000], b""), "entries"),
    (_arr("b1", [1], b"\x02"), "boolean"),
    (json.dumps({"$array": ["f8", [1], "!!!!"]}).encode(), "base64"),
    (json.dumps({"$array": ["f8", [1], 5]}).encode(), "base64"),
    (json.dumps({"$array": ["f8", [1]]}).encode(), "dtype, shape, data"),
    (json.dumps({"$array": ["f8", [0], ""], "extra": 1}).encode(), "one key"),
    (b"x" * 2000, "bytes"),
])
def test_decode_refuses_malformed_messages_with_one_line(data, fragment):
    with pytest.raises(wire.WireError, match=fragment) as info:
        wire.decode(data, 1000 if fragment == "bytes" else 1 << 24)
    assert "\n" not in str(info.value) and len(str(info.value)) < 200
