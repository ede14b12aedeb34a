"""The faster QR mask choice gives exactly segno's symbols."""

import string

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st
from segno import encoder

from lms import qr


def both(content: str, **options) -> tuple[segno.QRCode, segno.QRCode]:
    """The symbol with segno's own mask choice, and with ours (whatever was installed stays)."""
    installed = encoder.find_and_apply_best_mask
    try:
        encoder.find_and_apply_best_mask = qr._original
        reference = segno.make(content, micro=False, **options)
        encoder.find_and_apply_best_mask = qr.find_and_apply_best_mask
        fast = segno.make(content, micro=False, **options)
    finally:
        encoder.find_and_apply_best_mask = installed
    return reference, fast


@pytest.mark.parametrize("version", [1, 2, 4, 5, 6, 7, 10, 14, 21, 27, 33, 40])
@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
def test_every_size_and_error_level_gets_segnos_mask_and_symbol(version, error):
    # 0.7 v² bytes fit every error level of version v (v = 1: one byte), filling much of the
    # data region, as a long address would.
    content = ("https://formacion.example.org/v/ABCDE-FGH23?" * 40)[: max(1, int(0.7 * version * version))]
    reference, fast = both(content, version=version, error=error, boost_error=False)
    assert reference.version == version
    assert (fast.mask, fast.matrix) == (reference.mask, reference.matrix)


@settings(max_examples=150, deadline=None)
@given(content=st.text(alphabet=string.printable + "ñáéíóúüꞌʼ", min_size=1, max_size=300),
       error=st.sampled_from("lmqh"))
def test_any_content_gets_segnos_mask_and_symbol(content, error):
    reference, fast = both(content, error=error)
    assert (fast.mask, fast.matrix) == (reference.mask, reference.matrix)


def test_micro_codes_and_an_explicit_mask_are_left_to_segno():
    reference = qr._original
    calls = []

    def spy(*args):
        calls.append(args[3])
        return reference(*args)

    micro, full = _unmasked("ABC", micro=True), _unmasked("https://example.org")
    qr._original = spy
    try:
        assert qr.find_and_apply_best_mask(*micro, None)[1]
        qr.find_and_apply_best_mask(*full, 5)
    finally:
        qr._original = reference
    assert calls == [None, 5]


def _unmasked(content: str, micro: bool = False):
    """The matrix segno hands to the mask choice for `content`, captured on the way."""
    captured = []

    def capture(matrix, width, height, proposed_mask=None):
        captured.append(([bytearray(row) for row in matrix], width, height))
        return reference(matrix, width, height, proposed_mask)

    reference, installed = qr._original, encoder.find_and_apply_best_mask
    encoder.find_and_apply_best_mask = capture
    try:
        segno.make(content, micro=micro)
    finally:
        encoder.find_and_apply_best_mask = installed
    return captured[0]


def test_the_app_installs_it():
    """Once Django has started (LmsConfig.ready), segno chooses masks this way."""
    assert encoder.find_and_apply_best_mask is qr.find_and_apply_best_mask
