"""The suggestion rule: most votes, 优秀 within the cap by share, ties and near-ties flagged."""

from services.grading.suggestion import suggest


def votes(excellent=0, qualified=0, basically=0, unqualified=0) -> dict[str, int]:
    return {
        "excellent": excellent,
        "qualified": qualified,
        "basically_qualified": basically,
        "unqualified": unqualified,
    }


def test_the_grade_with_most_votes_is_suggested_without_a_flag_when_clear():
    result = suggest([(1, votes(qualified=9, basically=2)), (2, votes(basically=6, unqualified=3))], cap=1)
    assert (result[1].grade, result[1].flags) == ("qualified", [])
    assert (result[2].grade, result[2].flags) == ("basically_qualified", [])


def test_excellent_only_within_the_cap_by_share_highest_first():
    rows = [
        (1, votes(excellent=6, qualified=4)),  # 60 %
        (2, votes(excellent=8, qualified=2)),  # 80 %
        (3, votes(excellent=7, qualified=3)),  # 70 %
        (4, votes(qualified=10)),
    ]
    result = suggest(rows, cap=2)
    assert [result[m].grade for m in (1, 2, 3, 4)] == ["qualified", "excellent", "excellent", "qualified"]
    assert any("超出本支部优秀名额（2 人）" in f for f in result[1].flags)
    assert result[2].flags == [] and result[3].flags == []


def test_a_cap_of_zero_suggests_no_excellent():
    result = suggest([(1, votes(excellent=3))], cap=0)
    assert result[1].grade == "qualified"


def test_a_tie_goes_to_the_lower_grade_and_is_flagged():
    result = suggest([(1, votes(qualified=4, basically=4)), (2, votes(basically=3, unqualified=3))], cap=1)
    assert result[1].grade == "basically_qualified"
    assert result[1].flags == ["“合格”与“基本合格”票数相同（各 4 票），按较低的等次建议，请支部研究决定"]
    assert result[2].grade == "unqualified"


def test_ten_excellent_against_ten_qualified_is_suggested_qualified_though_within_the_cap():
    """The issue's case: a 10:10 tie was suggested as 优秀."""
    result = suggest([(1, votes(excellent=10, qualified=10)), (2, votes(qualified=20))], cap=1)
    assert result[1].grade == "qualified"
    assert result[1].flags == ["“优秀”与“合格”票数相同（各 10 票），按较低的等次建议，请支部研究决定"]


def test_a_lead_of_one_vote_is_flagged_as_a_near_tie():
    result = suggest([(1, votes(basically=5, qualified=4, unqualified=1))], cap=1)
    assert result[1].grade == "basically_qualified"
    assert result[1].flags == ["“基本合格”只比“合格”多一票（5 比 4），请支部研究决定"]


def test_equal_excellent_shares_across_the_edge_of_the_cap_go_to_the_lower_grade_and_are_flagged():
    rows = [
        (1, votes(excellent=7, qualified=3)),
        (2, votes(excellent=7, qualified=3)),
        (3, votes(excellent=9, qualified=1)),
    ]
    result = suggest(rows, cap=2)
    flagged = [m for m in (1, 2) if any("名额边缘" in f for f in result[m].flags)]
    assert flagged == [1, 2]
    assert result[3].grade == "excellent"
    assert [result[m].grade for m in (1, 2)] == ["qualified", "qualified"]  # not one of them by roster order
    # within the cap, equal shares are no tie: both are suggested 优秀
    both = suggest(rows, cap=3)
    assert [both[m].grade for m in (1, 2, 3)] == ["excellent"] * 3


def test_no_valid_ballot_gives_no_suggestion():
    assert suggest([(1, votes())], cap=1)[1].grade is None
