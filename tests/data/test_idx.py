"""The IDX reader: round trips, and clear errors on damaged files."""

import gzip

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mfdnn.data.idx import encode_idx, parse_idx, read_idx
from mfdnn.errors import DataError

DTYPES = st.sampled_from([np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(DTYPES, hnp.array_shapes(min_dims=1, max_dims=4, max_side=5)))
def test_encode_then_parse_is_identity(array):
    back = parse_idx(encode_idx(array))
    assert back.dtype == array.dtype.newbyteorder("=")
    np.testing.assert_array_equal(back, array)


def test_header_is_big_endian_as_in_the_mnist_files():
    raw = encode_idx(np.zeros((60000, 28, 28), dtype=np.uint8))
    assert raw[:4] == bytes([0, 0, 0x08, 3])
    assert int.from_bytes(raw[4:8], "big") == 60000
    assert len(raw) == 16 + 60000 * 28 * 28  # the size of train-images-idx3-ubyte


def test_reads_gzipped_and_raw_files(tmp_path):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "a").write_bytes(encode_idx(array))
    (tmp_path / "a.gz").write_bytes(gzip.compress(encode_idx(array)))
    np.testing.assert_array_equal(read_idx(tmp_path / "a"), array)
    np.testing.assert_array_equal(read_idx(tmp_path / "a.gz"), array)


@pytest.mark.parametrize("damage, message", [
    (lambda b: b"\x01" + b[1:], "magic"),
    (lambda b: b[:2] + b"\x07" + b[3:], "element type"),
    (lambda b: b[:-1], "size mismatch"),
    (lambda b: b + b"\x00", "size mismatch"),
    (lambda b: b[:6], "header"),
])
def test_damaged_files_raise_a_clear_error(damage, message):
    raw = encode_idx(np.ones((3, 4), dtype=np.uint8))
    with pytest.raises(DataError, match=message):
        parse_idx(damage(raw), "x.idx")
