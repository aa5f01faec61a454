"""The synthetic segmentation set: each mask is exactly the digits that were placed."""

import pytest
import torch

from mfdnn.data.synthetic.digit_segmentation import NUM_CLASSES, make_digit_segmentation

pytestmark = pytest.mark.hw8


def fake_digits(m=20, seed=0):
    """Random 28 x 28 'digits' (uint8) with labels 0..9, so no MNIST download is needed."""
    g = torch.Generator().manual_seed(seed)
    images = (torch.rand(m, 28, 28, generator=g) ** 3 * 255).to(torch.uint8)
    return images, torch.arange(m) % 10


def render(digits, labels, placements, canvas, threshold=0.5):
    """The rule, one canvas and one digit at a time: brighter pixel wins, then threshold."""
    image = torch.zeros(canvas, canvas)
    owner = torch.zeros(canvas, canvas, dtype=torch.long)
    for source, top, left, digit in placements.tolist():
        if source < 0:
            continue
        assert digit == labels[source]
        patch = digits[source].float() / 255
        window = image[top:top + 28, left:left + 28]
        brighter = patch > window
        window[brighter] = patch[brighter]
        owner[top:top + 28, left:left + 28][brighter] = digit + 1
    return image, torch.where(image >= threshold, owner, 0)


def test_masks_match_the_digits_placed():
    digits, labels = fake_digits()
    s = make_digit_segmentation(digits, labels, 40, canvas=48, max_digits=3,
                                generator=torch.Generator().manual_seed(3))
    assert s.images.shape == (40, 1, 48, 48) and s.masks.shape == (40, 48, 48)
    assert s.masks.dtype == torch.int64 and 0 <= s.masks.min() and s.masks.max() < NUM_CLASSES
    n_used = (s.placements[..., 0] >= 0).sum(1)
    assert n_used.min() >= 1 and n_used.max() <= 3 and len(set(n_used.tolist())) > 1
    for image, mask, placements in zip(s.images, s.masks, s.placements, strict=True):
        ref_image, ref_mask = render(digits, labels, placements, 48)
        torch.testing.assert_close(image[0], ref_image)
        assert torch.equal(mask, ref_mask)


def test_a_single_digit_is_labelled_exactly_where_its_strokes_are():
    digits, labels = fake_digits()
    s = make_digit_segmentation(digits, labels, 10, canvas=40, max_digits=1,
                                generator=torch.Generator().manual_seed(0))
    for mask, (source, top, left, digit) in zip(s.masks, s.placements[:, 0].tolist(), strict=True):
        strokes = digits[source].float() / 255 >= 0.5
        expected = torch.zeros(40, 40, dtype=torch.long)
        expected[top:top + 28, left:left + 28][strokes] = digit + 1
        assert torch.equal(mask, expected)


def test_generation_is_seeded():
    digits, labels = fake_digits()
    a = make_digit_segmentation(digits, labels, 5, generator=torch.Generator().manual_seed(1))
    b = make_digit_segmentation(digits, labels, 5, generator=torch.Generator().manual_seed(1))
    assert torch.equal(a.images, b.images) and torch.equal(a.masks, b.masks)


def test_canvas_must_hold_a_digit():
    digits, labels = fake_digits()
    with pytest.raises(ValueError):
        make_digit_segmentation(digits, labels, 2, canvas=20)
