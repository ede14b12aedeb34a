"""Property: any question the exporter writes, the parser reads back identically."""

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import gift
from assessments.gift import Answer, GiftQuestion, MatchPair, NumericAnswer

# Text with every GIFT special character, accents and inner newlines; no leading/trailing space
# (the format trims it) and no blank line (which ends a question).
# Pieces include markup and format tags, which the exporter must mark [plain] in formatted
# questions.
PIECES = st.sampled_from(
    [*"abcxyzÁéíñü019 ~=#{}:\\%-_>[]/*\n<&`", "<b>", "&amp;", "[html]", "[plain]"]
)
text = (
    st.lists(PIECES, min_size=1, max_size=20)
    .map("".join)
    .map(lambda s: "\n".join(p.strip() for p in s.split("\n")))
)
text = text.map(str.strip).filter(lambda s: s and "\n\n" not in s and "_____" not in s)
maybe_text = st.one_of(st.just(""), text)
weight = st.integers(-100, 100).map(float)
number = st.integers(-10_000, 10_000).map(lambda n: n / 8)


def choice_question(qtype):
    answers = st.lists(
        st.builds(Answer, text=text, weight=weight, feedback=maybe_text), min_size=2, max_size=5
    )
    if qtype == gift.SINGLE:
        answers = answers.filter(
            lambda a: any(x.weight > 0 for x in a) and any(x.weight <= 0 for x in a)
        )
    else:
        answers = answers.filter(lambda a: any(x.weight > 0 for x in a))
    return st.builds(
        GiftQuestion,
        qtype=st.just(qtype),
        text=text,
        name=maybe_text,
        answers=answers,
        general_feedback=maybe_text,
        text_format=st.sampled_from(gift.FORMATS),
    )


questions = st.one_of(
    choice_question(gift.SINGLE),
    choice_question(gift.MULTIPLE),
    st.builds(
        GiftQuestion,
        qtype=st.just(gift.SHORT),
        text=text,
        name=maybe_text,
        answers=st.lists(
            st.builds(
                Answer, text=text, weight=st.integers(1, 100).map(float), feedback=maybe_text
            ),
            min_size=1,
            max_size=3,
        )
        # GIFT itself cannot tell a short answer containing '->' from a matching pair.
        .filter(lambda answers: not any("->" in a.text for a in answers)),
    ),
    st.builds(
        GiftQuestion,
        qtype=st.just(gift.TRUEFALSE),
        text=text,
        correct=st.booleans(),
        feedback_true=maybe_text,
        feedback_false=maybe_text,
        general_feedback=maybe_text,
    ),
    st.builds(
        GiftQuestion,
        qtype=st.just(gift.NUMERICAL),
        text=text,
        numeric=st.lists(
            st.one_of(
                st.builds(
                    NumericAnswer,
                    value=number,
                    tolerance=st.integers(0, 100).map(lambda n: n / 4),
                    weight=st.integers(1, 100).map(float),
                    feedback=maybe_text,
                ),
                st.tuples(number, number).map(lambda t: NumericAnswer(low=min(t), high=max(t))),
            ),
            min_size=1,
            max_size=3,
        ).flatmap(
            lambda answers: st.one_of(
                st.just(answers),
                # Moodle's "any other answer" feedback (~#…) comes last.
                maybe_text.filter(bool).map(
                    lambda fb: [*answers, NumericAnswer(weight=0.0, feedback=fb)]
                ),
            )
        ),
    ),
    st.builds(
        GiftQuestion,
        qtype=st.just(gift.MATCHING),
        text=text,
        # '->' separates a pair, so GIFT cannot carry it on the left side.
        pairs=st.lists(
            st.builds(MatchPair, left=text.filter(lambda t: "->" not in t), right=text),
            min_size=2,
            max_size=4,
        ),
    ),
    st.builds(GiftQuestion, qtype=st.just(gift.ESSAY), text=text, general_feedback=maybe_text),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(questions, min_size=1, max_size=4))
def test_export_then_parse_is_identity(items):
    assert gift.parse(gift.export(items)) == items
