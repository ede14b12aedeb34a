"""A faster choice of QR code mask for segno, with exactly segno's result.

ISO/IEC 18004 picks, of eight mask patterns, the one whose symbol has the lowest penalty score
(long runs, 2 x 2 blocks, finder-like patterns, dark/light balance). segno scores the eight
candidates module by module in Python, which was most of the time of encoding a certificate's
verification address (about 4 ms of a 40 ms render). Here each row is one integer and each
row or column one string, so the same rules run as bit operations, regular expressions and
`str.find` in C. The score of every candidate, and therefore the chosen mask and the symbol, is
the same as segno's: `tests/lms/test_qr.py` compares both on every QR version and error level.

`install()` replaces `segno.encoder.find_and_apply_best_mask` (looked up by segno at each
encode); Micro QR codes and a caller's explicit mask still go to segno's own function.
No database access.
"""

import functools
import re

from segno import encoder

_original = encoder.find_and_apply_best_mask
_RUN_OF_FIVE = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = "1011101"


_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_FROM_DIGITS = bytes.maketrans(b"01", b"\x00\x01")


@functools.lru_cache(maxsize=64)
def _mask_flips(width: int) -> tuple[tuple[int, ...], ...]:
    """Per mask pattern and row, the bits the pattern flips in the encoding region (bit j of a
    row integer is column j), for a QR code `width` modules wide; as segno decides the region."""
    function_matrix = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(function_matrix, width, width)
    encoder.add_alignment_patterns(function_matrix, width, width)
    function_matrix[-8][8] = 0x1
    return tuple(
        tuple(
            sum(1 << j for j in range(width) if function_matrix[i][j] > 0x1 and pattern(i, j))
            for i in range(width)
        )
        for pattern in encoder.get_data_mask_functions(False)
    )


def _finder_like_score(text: str, size: int) -> int:
    """segno's N3 count over every row and column, step for step (including where it resumes
    after a match), on the lines joined with one separator each."""
    score = 0
    stride = size + 1
    position = text.find(_FINDER_LIKE)
    while position != -1:
        index = position % stride  # where the match starts in its line
        start = position - index
        offset = position + 7
        if (index in (0, size - 7) or "1" not in text[max(position - 4, start):position]
                or "1" not in text[offset:min(offset + 4, start + size)]):
            score += 40
        else:
            offset = position + 4
        position = text.find(_FINDER_LIKE, offset)
    return score


def penalty(rows: list[int], size: int) -> int:
    """The penalty score of a masked symbol given as row integers (segno's `evaluate_mask`)."""
    lines = [format(row, f"0{size}b")[::-1] for row in rows]
    lines += ["".join(column) for column in zip(*lines, strict=True)]
    text = "|".join(lines)  # rows, then columns; no run or pattern crosses a separator
    score = sum(run.end() - run.start() - 2 for run in _RUN_OF_FIVE.finditer(text))
    score += _finder_like_score(text, size)
    pairs = (1 << (size - 1)) - 1
    for above, below in zip(rows, rows[1:], strict=False):
        same = ~(above ^ (above >> 1)) & ~(below ^ (below >> 1)) & ~(above ^ below) & pairs
        score += 3 * same.bit_count()
    dark = sum(row.bit_count() for row in rows)
    percent = float(dark) / (size**2)
    return score + 10 * int(abs(percent * 100 - 50) / 5)


def find_and_apply_best_mask(matrix, width, height, proposed_mask=None):
    """Drop-in for `segno.encoder.find_and_apply_best_mask`: (mask number, masked matrix)."""
    if proposed_mask is not None or width != height or width < 21 or any(max(row) > 1 for row in matrix):
        return _original(matrix, width, height, proposed_mask)
    rows = [int(row.translate(_TO_DIGITS)[::-1], 2) for row in matrix]
    best_mask, best_score, best_rows = 0, None, rows
    for number, flips in enumerate(_mask_flips(width)):
        masked = [row ^ flip for row, flip in zip(rows, flips, strict=True)]
        score = penalty(masked, width)
        if best_score is None or score < best_score:
            best_mask, best_score, best_rows = number, score, masked
    return best_mask, tuple(
        bytearray(format(row, f"0{width}b")[::-1].encode().translate(_FROM_DIGITS)) for row in best_rows
    )


def install() -> None:
    """Make segno use this mask choice (idempotent)."""
    encoder.find_and_apply_best_mask = find_and_apply_best_mask
