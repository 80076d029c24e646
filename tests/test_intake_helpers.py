"""Level 1, the intake's pure helpers: period phrases, number finding, snippets, ranking, slugs, data-to dates."""

from __future__ import annotations

import math
import re
from datetime import date

import pytest

from orchestration.lib.contract import FORMULA_PREFIXES
from orchestration.lib.intake.documents import find_data_to, slug
from orchestration.lib.intake.numbers import candidates, snippet
from orchestration.lib.intake.periods import period_for
from orchestration.lib.intake.ranker import HistoryRow, Ranker, propose_code
from orchestration.lib.verify_sources import EXCLUSION_REASONS, NUMBER, normalise

DATA_TO = date(2019, 3, 31)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("in the three months to 31 March 2019 there were 55 crimes", "2019-01-01", "2019-03-31"),
        ("during the last quarter there were 55 crimes", "2019-01-01", "2019-03-31"),
        ("there were 55 Specials at the end of September", "2018-09-30", "2018-09-30"),
        ("there were 55 Specials at the end of March", "2019-03-31", "2019-03-31"),
        ("55 crimes in the 12 months to February 2019", "2018-03-01", "2019-02-28"),
        ("2020/21 Q1 saw 55 arrests", "2020-04-01", "2020-06-30"),
        ("Q3 2018/19 saw 55 arrests", "2018-10-01", "2018-12-31"),
        ("In 2017/18 there were 55 arrests", "2017-04-01", "2018-03-31"),
        ("55 arrests so far in the financial year to date", "2018-04-01", "2019-03-31"),
        ("from October to December 2018, 55 arrests", "2018-10-01", "2018-12-31"),
        ("as of 22/06/2023 there were 55 members", "2023-06-22", "2023-06-22"),
        ("there are currently 55 members", "2019-03-31", "2019-03-31"),
        ("55 arrests in 2016/17 to 2018/19", "2016-04-01", "2019-03-31"),
    ],
)
def test_period_phrases_relative_to_the_data_to_date(text, start, end):
    pos = text.index("55")
    reading = period_for(text, pos, pos + 2, DATA_TO)
    assert (reading.start.isoformat(), reading.end.isoformat()) == (start, end)
    assert reading.label


def test_nearest_phrase_wins_and_comparison_is_the_same_time_last_year():
    text = "In 2016/17 there were 40 arrests; in 2017/18 there were 55 arrests."
    pos = text.index("55")
    assert period_for(text, pos, pos + 2, DATA_TO).start == date(2017, 4, 1)
    text = "Arrests rose by 12% in the 3 months to March 2019 compared with the same time last year."
    pos = text.index("12%")
    r = period_for(text, pos, pos + 3, DATA_TO, measure="pct_change")
    assert (r.start, r.end) == (date(2019, 1, 1), date(2019, 3, 31))
    assert (r.comparison_start, r.comparison_end) == (date(2018, 1, 1), date(2018, 3, 31))


@pytest.mark.parametrize(
    ("text", "figure", "start", "end"),
    [
        # "from X in A to Y in B": each figure takes the phrase joined to it by "in".
        ("Crime fell from 52,732 in 2015/16 to 30,674 in 2017/18, a drop", "30,674", "2017-04-01", "2018-03-31"),
        ("Crime fell from 52,732 in 2015/16 to 30,674 in 2017/18, a drop", "52,732", "2015-04-01", "2016-03-31"),
        ("the share at the end of 2018/19 Q3 (266) was lower", "266", "2018-12-31", "2018-12-31"),
        ("a week of action 13th - 20th October with 15 events", "15", "2018-10-13", "2018-10-20"),
        ("1,118 a month between September 2016 and March 2017", "1,118", "2016-09-01", "2017-03-31"),
    ],
)
def test_which_phrase_belongs_to_which_figure(text, figure, start, end):
    pos = text.index(figure)
    reading = period_for(text, pos, pos + len(figure), DATA_TO)
    assert (reading.start.isoformat(), reading.end.isoformat()) == (start, end)


def test_no_phrase_gives_no_dates_and_a_note():
    r = period_for("The team has 55 members.", 13, 15, DATA_TO)
    assert r.start is None and r.end is None and r.note


def _one(line: str, printed: str):
    return next(c for c in candidates(1, line) if c.value_as_printed == printed)


def test_values_units_and_measures():
    line = "The force has 1,948 officers, an increase of 12.5% on last year, and spent £4.93m."
    assert _one(line, "1,948").value == 1948 and _one(line, "1,948").unit == "count"
    pct = _one(line, "12.5%")
    assert (pct.value, pct.unit, pct.measure) == (12.5, "percent", "pct_change")
    gbp = _one(line, "£4.93m")
    assert (gbp.value, gbp.unit) == (4_930_000, "gbp")
    drop = _one("a reduction of 235 crimes", "235")
    assert (drop.value, drop.measure) == (-235, "change")


@pytest.mark.parametrize(
    ("line", "printed", "measure"),
    [
        ("confidence has increased from 68.7 per cent in 2017/18 to 79 per cent", "68.7 per cent", "value"),
        ("confidence has increased from 68.7 per cent in 2017/18 to 79 per cent", "79 per cent", "value"),
        ("the solved rate rose to 12% this year", "12%", "value"),
        ("confidence stands at 80%", "80%", "value"),
        ("confidence has decreased by 5.6% amongst non-victims", "5.6%", "pct_change"),
        ("an increase of 12.5% on last year", "12.5%", "pct_change"),
        ("crime rose 4% on last year", "4%", "pct_change"),
        ("with a 21 per cent reduction between 2015/16 and 2019/20", "21 per cent", "pct_change"),
        ("representing **44%** increase compared to 2019", "44%", "pct_change"),
        ("there were 41% fewer residential burglaries", "41%", "pct_change"),
        ("the team reduced anti-social behaviour by 38% through its work", "38%", "pct_change"),
        ("an increase in demand for services of 16 per cent", "16 per cent", "pct_change"),
        ("physical abuse reduced by 82 per cent.", "82 per cent", "pct_change"),
        ("the rate this year is 19%.", "19%", "value"),
    ],
)
def test_a_percentage_a_change_moved_from_or_to_is_a_level(line, printed, measure):
    assert _one(line, printed).measure == measure


def test_duration_is_one_figure_in_minutes_and_its_seconds_a_duplicate_token():
    found = candidates(1, "the wait has reduced to 16 minutes 16 seconds on average")
    figures = [c for c in found if not c.exclusion]
    assert [c.value_as_printed for c in figures] == ["16 minutes 16 seconds"]
    assert figures[0].value == pytest.approx(16 + 16 / 60) and figures[0].unit == "minutes"
    assert [c.exclusion for c in found if c.exclusion] == ["duplicate_token"]


def test_every_digit_token_is_a_candidate_or_inside_a_date():
    line = "- 4.15.** In March 2019 the 101 service took 44,885 calls (page 12), 2,160 online; 3 of 5 teams."
    found = candidates(1, line)
    tokens = [m.group(0) for m in NUMBER.finditer(line)]
    drafted = [c.number_as_printed for c in found if not c.word]
    assert "2019" not in drafted  # inside "March 2019": verify-sources' automatic date rule
    assert sorted(drafted) == sorted(t for t in tokens if t != "2019")
    reasons = {c.number_as_printed: c.exclusion for c in found}
    assert reasons["4.15"] == "paragraph_number"
    assert reasons["101"] == "identifier"
    assert reasons["12"] == "page_number"
    assert reasons["44,885"] == "" and reasons["3"] == ""
    assert set(reasons.values()) - {""} <= set(EXCLUSION_REASONS)


def test_word_figures():
    found = {c.value_as_printed: c for c in candidates(1, "eight in ten residents; two officers; one of the best")}
    assert found["eight in ten"].value == 80 and found["eight in ten"].unit == "percent"
    assert found["two"].value == 2 and found["two"].word
    assert "one" not in found  # "one of": not a figure


@pytest.mark.parametrize(
    "line",
    [
        "- 474 Specials at the end of November 2018 " + "word " * 40,
        "word " * 40 + "there were 474 Specials",
        "% of all Specials\t5.92\t5.19\t-0.73",
    ],
)
def test_snippet_is_quoted_from_the_line_holds_the_figure_and_no_formula(line):
    c = candidates(1, line)[-1] if "Specials\t" in line else _one(line, "474")
    s = snippet(line, c.start, c.end)
    assert s.lower() in normalise(line).lower()
    assert c.value_as_printed in s
    assert len(s.split()) <= 20
    assert not s.startswith(FORMULA_PREFIXES)


def test_ranker_prefers_the_metric_whose_snippets_match():
    history = [
        HistoryRow("specials_headcount", "the Special Constabulary grew to 474 officers", "count", "value"),
        HistoryRow("specials_headcount", "Specials headcount reached 500", "count", "value"),
        HistoryRow("ksi_casualties", "killed or seriously injured on the roads fell to 800", "count", "value"),
        HistoryRow("asb_incidents", "anti-social behaviour incidents fell by 12%", "percent", "pct_change"),
    ]
    r = Ranker(history)
    assert r.rank("The Special Constabulary now has 520 officers", "count", "value")[0][0] == "specials_headcount"
    assert r.rank("people killed or seriously injured on our roads", "count", "value")[0][0] == "ksi_casualties"
    weak = r.rank("drones flown over fields", "count", "value")[0][1]
    strong = r.rank("The Special Constabulary now has 520 officers", "count", "value")[0][1]
    assert weak < strong
    assert propose_code("12 drones flown by the rural team", "12") == "new:drones_flown_rural"


def test_slug_and_data_to():
    assert slug("Police and Crime Plan 2021-2024 quarterly update Q1 2023/24", date(2023, 7, 14)) == (
        "police-crime-plan-quarterly-update-2023-07"
    )
    assert find_data_to("Title\n\nData to: June 2023\n") == date(2023, 6, 30)
    assert find_data_to("Title\nData to November 2018.\n") == date(2018, 11, 30)
    assert find_data_to("Table comparing data to previous year\n") is None


def test_drafts_of_the_real_reports_pass_the_provenance_checks(sources_dir):
    """Every draft row of every report: value printed on its line, snippet quoted from it, value read right;
    every suggested exclusion: a verify-sources reason and a number printed on its line."""
    import csv

    from orchestration.lib import paths
    from orchestration.lib.intake.draft import draft_document
    from orchestration.lib.verify_sources import (
        EXCLUSION_REASONS,
        check_completeness,
        check_provenance,
        load_sources,
    )

    lines = load_sources(sources_dir)
    with (paths.SEEDS_DIR / "source_documents.csv").open(encoding="utf-8", newline="") as f:
        documents = [d for d in csv.DictReader(f) if d["source_document"] in lines]
    assert documents
    for doc in documents:
        name = doc["source_document"]
        draft = draft_document(name, lines[name], date.fromisoformat(doc["data_to_date"]), None, {})
        rows = [
            {
                **r,
                "_where": f"{name} draft row {n}",
                "source_document": name,
                "printed_value": r["value"],
            }
            for n, r in enumerate(draft.rows, start=1)
        ]
        assert rows and all(r["value"] for r in rows)
        assert check_provenance(rows, {name: lines[name]}) == []
        excluded = [{**e, "_where": f"{name} excluded row {n}"} for n, e in enumerate(draft.excluded, start=1)]
        # Numbers in words are listed for the reviewer but never recorded (verify-sources does not count them).
        in_words = [e for e in excluded if not re.search(r"\d", e["number_as_printed"])]
        for e in in_words:
            assert e["reason"] in EXCLUSION_REASONS and e["note"], e
            assert e["number_as_printed"] in lines[name][int(e["source_line"]) - 1], e
        digits = [e for e in excluded if e not in in_words]
        findings, _ = check_completeness([], digits, {name: lines[name]})
        assert [f for f in findings if f.check == "exclusions"] == []


def test_coverage_is_the_share_of_the_sentence_an_earlier_snippet_shares():
    r = Ranker(
        [
            HistoryRow("specials_headcount", "the Special Constabulary grew to 474 officers", "count", "value"),
            HistoryRow("ksi_casualties", "killed or seriously injured on the roads", "count", "value"),
        ]
    )
    assert r.coverage("the Special Constabulary grew to 500 officers", 0) == pytest.approx(1.0)
    assert r.coverage("the Special Constabulary grew to 500 officers", 1) == 0.0
    assert 0 < r.coverage("Special Constabulary drones", 0) < 1
    assert r.explain("Special Constabulary drones", 0) == ["constabulary", "special"]


def test_contents_front_matter_and_running_lines_from_structure():
    from orchestration.lib.intake import furniture

    body = ["Across the region 310 patrols were completed during the period under review by the teams."] * 3
    lines = [
        "Riverside Partnership Review",
        "Quarter 3 - 2040/41",
        "Issue 7",
        "",
        "Overview .......... 2",
        "Street safety\t3-4",
        "Volunteers     5",
        *body,
        "Riverside Partnership Review    page 2",
        *body,
        "Riverside Partnership Review    page 3",
        *body,
        "Riverside Partnership Review    page 4",
    ]
    assert furniture.contents_blocks(lines) == [[4, 5, 6]]
    assert furniture.front_matter_end(lines, furniture.contents_blocks(lines)) == 4
    running = furniture.running_lines(lines)
    assert sorted(running) == [10, 14, 18] and {m.reason for m in running.values()} == {"page_number"}
    # Pages that go back, or a first page far in: no contents list.
    assert furniture.contents_blocks(["A 5", "B 3", "C 1"]) == []
    assert furniture.contents_blocks(["A\t40", "B\t41", "C\t42"]) == []
    # A sentence said three times with the same number is no running header.
    assert furniture.running_lines(["There were 474 officers at the end of March."] * 3 + ["x"] * 10) == {}


@pytest.mark.parametrize(
    ("line", "number", "reason"),
    [
        ("emergencies responded to within 15 or 20 minutes were measured", "20", "age_or_threshold"),
        ("emergencies responded to within 15 minutes were measured", "15", "age_or_threshold"),
        ("cash of £1,000 and above may be seized", "1,000", "age_or_threshold"),
        ("drivers attend a 90 minute course", "90", "not_a_figure"),
        ("the course ran 90 minutes on average", "90", ""),
        ("calls were picked up on average within 3 minutes ten seconds", "3", ""),
    ],
)
def test_thresholds_and_descriptive_lengths_are_no_figures(line, number, reason):
    got = {c.number_as_printed: c.exclusion for c in candidates(1, line)}
    assert got[number] == reason


def test_fitted_ranker_learns_which_feature_marks_the_right_metric():
    import random

    from orchestration.lib.intake import learn

    rnd = random.Random(3)
    n = len(learn.FEATURES)
    marker = learn.FEATURES.index("under")
    examples = []
    for _ in range(150):
        vectors = [[rnd.random() for _ in range(n)] for _ in range(5)]
        right = rnd.randrange(5)
        for k, v in enumerate(vectors):
            v[marker] = 1.0 if k == right else rnd.random() * 0.5
        examples.append((vectors, right, 1.0))
    w = learn.fit_ranker(examples)
    assert w[marker] == max(w)
    test = [[rnd.random() for _ in range(n)] for _ in range(4)]
    test[2][marker] = 1.0
    for k in (0, 1, 3):
        test[k][marker] = 0.2
    scores = learn._logit_rows(test, w)
    assert scores.index(max(scores)) == 2


def test_fitted_confidence_is_calibrated_on_its_data():
    import random

    from orchestration.lib.intake import learn

    rnd = random.Random(5)
    rows = []
    for _ in range(2000):
        p = rnd.random()
        x = [learn.logit(p), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        rows.append((x, rnd.random() < p))  # right with probability p
    conf = learn.fit_confidence(rows)
    for p in (0.1, 0.5, 0.9):
        assert conf([learn.logit(p), 0, 0, 0, 0, 0, 0, 0, 0]) == pytest.approx(p, abs=0.06)
    assert learn.band(0.05) == "0-0.1" and learn.band(0.7) == "0.7-0.9" and learn.band(1.0) == "0.9-1"


def test_held_figures_pair_with_draft_rows_by_line_value_and_order():
    from orchestration.lib.intake.learn import match_held

    draft = [
        {"source_line": "4", "value": "12"},
        {"source_line": "4", "value": "-12"},
        {"source_line": "4", "value": "30"},
        {"source_line": "5", "value": "12"},
    ]
    held = [
        {"figure_id": "k:4:02", "source_line": "4", "printed_value": "12"},
        {"figure_id": "k:4:01", "source_line": "4", "printed_value": "12"},
        {"figure_id": "k:4:03", "source_line": "4", "printed_value": "31"},
    ]
    got = {i: r["figure_id"] for i, r in match_held(draft, held).items()}
    assert got == {0: "k:4:01", 1: "k:4:02"}


def test_calibration_never_claims_a_band_its_out_of_fold_rows_do_not_bear_out():
    import random

    from orchestration.lib.intake import learn

    # 8 of 10 right at 0.8 is not "at least 70% right" with 95% confidence: the cap stays under 0.7.
    assert learn.claimable_cap([(0.8, True)] * 8 + [(0.8, False)] * 2) == 0.69
    assert learn.claimable_cap([(0.95, True)] * 200) == 1.0
    assert learn.claimable_cap([(0.6, True), (0.6, False)]) == 0.49
    assert learn.claimable_cap([(0.4, True)] * 50) == 0.49  # no row reaches 0.5: nothing is claimed there
    rnd = random.Random(11)
    for _ in range(200):  # SYNTHETIC scores: whatever is claimed, the rows reaching each claimed edge bear it out
        n = rnd.randint(1, 120)
        skill = rnd.random()
        raw = [(rnd.random(), rnd.random() < skill) for _ in range(n)]
        logistic = learn.Confidence([0.0])  # only the calibration is under test
        conf, scored = learn.calibrate(logistic, raw)
        knots = [share for _, share in conf.knots]
        assert knots == sorted(knots)  # isotonic: never less sure for a higher raw score
        for edge in (0.5, 0.7, 0.9):
            if conf.cap >= edge:
                hits = [right for p, right in scored if p >= edge]
                assert not hits or learn.wilson_lower(sum(hits), len(hits)) >= edge


@pytest.mark.parametrize(
    ("line", "word", "reason"),
    [
        ("Patrols rose over the last three months in the town.", "three", "date"),
        ("A three year programme of patrols began.", "three", "date"),
        ("The top five wards saw 40 patrols.", "five", "date"),
        ("Work with Operation Safer Nine continued.", "Nine", "identifier"),
        ("Officers made five arrests and seized two vehicles.", "five", None),
        ("Five arrests were made.", "Five", None),
    ],
)
def test_numbers_in_words_that_count_a_span_a_range_or_sit_in_a_name_are_no_figures(line, word, reason):
    """SYNTHETIC lines: the words around a count word say whether it is a figure."""
    from orchestration.lib.intake import numbers

    found = {c.value_as_printed: c for c in numbers.candidates(1, line) if c.word}
    assert found[word].exclusion == (reason or "")
    assert bool(found[word].exclusion_note) == bool(reason)


def test_coverage_is_the_same_bit_for_bit_whatever_the_hash_seed():
    """Identical inputs give identical drafts: no float is summed in a set's (hash-seeded) order. SYNTHETIC text."""
    import subprocess
    import sys

    from orchestration.lib import paths

    script = (
        "from orchestration.lib.intake.ranker import Ranker, HistoryRow\n"
        "words = 'patrol arrest volunteer officer hour call answer wait crime victim road casualty collision "
        "cadet special constable budget spend saving warrant'.split()\n"
        "rows = [HistoryRow('m%d' % i, ' '.join(words[i:] + words[:i][: i % 5]), 'count', 'value') for i in range(20)]\n"
        "r = Ranker(rows)\n"
        "print(repr([r.coverage(' '.join(words) + ' unseen novel', i) for i in range(20)]))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=paths.REPO,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(1, 7)
    }
    assert len(outputs) == 1


def test_neighbour_feature_counts_the_figures_drafted_around_one():
    from orchestration.lib.intake import learn

    # Held figures: in report a, crime at line 1 has arrests 3 lines on and asb 20 lines on (too far to count).
    history = [
        {"source_document": "a", "source_line": "1", "metric_code": "crime"},
        {"source_document": "a", "source_line": "4", "metric_code": "arrests"},
        {"source_document": "a", "source_line": "21", "metric_code": "asb"},
        {"source_document": "b", "source_line": "2", "metric_code": "crime"},
        {"source_document": "b", "source_line": "3", "metric_code": "crime"},
    ]
    pair, total = learn.near_counts(history)
    assert pair[("crime", "arrests")] == 1 and pair[("crime", "crime")] == 2 and total["crime"] == 3
    assert ("crime", "asb") not in pair and "asb" not in total
    # Eight drafted figures; the 0th ... 7th first choices. The 4th's neighbours are the 1st to the 7th but itself.
    firsts = ["x", "crime", "arrests", "crime", "self", "", "crime", "asb"]
    assert learn.neighbours(firsts, 4) == ["crime", "arrests", "crime", "", "crime", "asb"]
    assert learn.neighbours(firsts, 0) == ["crime", "arrests", "crime"]
    # The mean over the neighbours with held figures near them (crime three times, arrests; not "" nor asb) of
    # P(arrests near | that choice): 1/3 near each crime, 0 near arrests (only crime sat near it).
    got = learn.neighbour_score("arrests", learn.neighbours(firsts, 4), pair, total)
    assert got == pytest.approx((1 / 3 + 0 + 1 / 3 + 1 / 3) / 4)
    assert learn.neighbour_score("arrests", [], pair, total) == 0.0


def test_second_stage_extends_each_candidate_from_the_first_choices_around_it():
    from orchestration.lib.intake import learn

    history = [
        {
            "source_document": d,
            "source_line": str(line),
            "metric_code": m,
            "source_snippet": f"{m} words",
            "unit": "count",
            "measure": "value",
        }
        for d, line, m in (("a", 1, "crime"), ("a", 2, "arrests"), ("b", 1, "crime"), ("b", 5, "asb"))
    ]
    metrics = [
        {"metric_code": m, "metric_name": m, "definition": "", "unit": "count", "domain": "d"}
        for m in ("crime", "arrests", "asb")
    ]
    s = learn.Suggester(history, metrics)
    n = len(learn.FEATURES)
    sentence = learn.FEATURES.index("sentence_raw")
    pick = lambda code: [0.0] * sentence + [1.0] + [0.0] * (n - sentence - 1)  # noqa: E731
    drafted = [
        (["crime", "asb"], [pick("crime"), [0.0] * n]),  # first choice: crime
        (["arrests", "crime"], [[0.0] * n, [0.0] * n]),  # a tie: arrests (by code)
        ([], []),
    ]
    out = s.extend(drafted, None)
    assert [len(v) for _, vs in out for v in vs] == [n + 2] * 4
    # Row 0's only neighbours with candidates: row 1 (arrests): arrests sat near crime once, nothing else.
    assert out[0][1][0][n:] == [1.0, 1.0]  # crime: P(crime near | arrests) = 1; crime is in two reports
    assert out[0][1][1][n:] == [0.0, 0.0]  # asb: never near arrests, in one report
    # Row 1's: row 0 (crime): near crime sat arrests (a) and asb (b, 4 lines on): 1/2 each.
    assert out[1][1][0][n:] == [0.5, 0.0]
    assert out[1][1][1][n:] == [0.0, 1.0]
    assert out[2] == ([], [])


def _suggester_with(history_rows, units):
    from orchestration.lib.intake import learn

    history = [
        {
            "source_document": "a",
            "source_line": str(i + 1),
            "metric_code": code,
            "source_snippet": snippet_text,
            "unit": units[code],
            "measure": "value",
            "printed_value": value,
        }
        for i, (code, snippet_text, value) in enumerate(history_rows)
    ]
    metrics = [
        {"metric_code": c, "metric_name": c, "definition": "", "unit": u, "domain": "d"} for c, u in units.items()
    ]
    return learn.Suggester(history, metrics)


def _context(line: str, printed: str, **kw):
    from orchestration.lib.intake import learn

    c = _one(line, printed)
    fields = dict(
        snippet=line,
        unit=c.unit,
        measure=c.measure,
        near=line,
        section="",
        heading="",
        table_cell=False,
        in_words=c.word,
        value=c.value,
        line=line,
        start=c.start,
    )
    return learn.Context(**{**fields, **kw})


def test_magnitude_feature_is_one_within_the_metrics_earlier_range_and_falls_outside():
    from orchestration.lib.intake import learn

    s = _suggester_with(
        [
            ("crime", "crimes were recorded", "150000"),
            ("crime", "crimes were recorded", "180000"),
            ("arrests", "arrests were made", "12"),
            ("arrests", "arrests were made", "98"),
        ],
        {"crime": "count", "arrests": "count"},
    )
    magnitude = learn.FEATURES.index("magnitude")
    codes, vectors, _ = s.candidates(_context("there were 40 arrests and crimes were recorded", "40"))
    got = dict(zip(codes, (v[magnitude] for v in vectors), strict=True))
    assert got["arrests"] == 1.0  # 40 lies between 12 and 98
    # log10(150,001) - log10(41): about 3.56 orders of magnitude below the lowest crime count
    assert got["crime"] == pytest.approx(math.exp(-(math.log10(150001) - math.log10(41))))
    # a measure the metric has no earlier figure of scores nothing
    codes, vectors, _ = s.candidates(_context("arrests rose 4% and crimes were recorded", "4%"))
    assert all(v[magnitude] == 0.0 for v in vectors)


def test_after_feature_reads_what_the_figure_counts_and_unit_clash_flags_a_bare_number_for_a_share():
    from orchestration.lib.intake import learn

    s = _suggester_with(
        [
            ("officers", "officers recruited", "500"),
            ("schools", "schools and colleges visited", "180"),
            ("rate", "of officers were recruited from schools", "12"),
        ],
        {"officers": "count", "schools": "count", "rate": "percent"},
    )
    after, clash = learn.FEATURES.index("after"), learn.FEATURES.index("unit_clash")
    line = "Schools welcomed 500 officers recruited this year"
    codes, vectors, _ = s.candidates(_context(line, "500"))
    got = {c: v for c, v in zip(codes, vectors, strict=True)}
    assert got["officers"][after] == 1.0 and got["schools"][after] == 0.0  # "officers recruited this" follow it
    assert got["rate"][clash] == 1.0 and got["officers"][clash] == got["schools"][clash] == 0.0
    # in a table cell a bare number may be a share: no clash
    codes, vectors, _ = s.candidates(_context(line, "500", table_cell=True))
    assert all(v[clash] == 0.0 for v in vectors)


def test_named_feature_is_the_share_of_the_metrics_name_the_sentence_spells_out():
    from orchestration.lib.intake import learn

    s = _suggester_with(
        [("solved_rate", "the solved rate was", "23"), ("officers", "officers recruited", "500")],
        {"solved_rate": "percent", "officers": "count"},
    )
    s.metrics["solved_rate"]["metric_name"] = "Solved rate"
    s.metrics["officers"]["metric_name"] = "Police officers recruited"
    named = learn.FEATURES.index("named")
    codes, vectors, _ = s.candidates(_context("the solved rate was 23% and 500 officers were recruited", "23%"))
    got = {c: v[named] for c, v in zip(codes, vectors, strict=True)}
    assert got == {"solved_rate": 1.0}  # a level in % only ever gets metrics in %
    codes, vectors, _ = s.candidates(_context("the solved rate rose and 500 officers were recruited", "500"))
    got = {c: v[named] for c, v in zip(codes, vectors, strict=True)}
    assert got["solved_rate"] == 1.0 and got["officers"] == pytest.approx(2 / 3)  # "police" is not in it
    # the confidence reads it of the first candidate
    first_named = learn.ROW_FEATURES.index("first_named")
    assert (
        learn.ranking_features([2.0, 1.0], [vectors[codes.index("officers")], vectors[0]])[first_named]
        == got["officers"]
    )


def test_a_digit_of_another_script_between_words_is_no_figure():
    found = {c.number_as_printed: c.exclusion for c in candidates(1, "officers are also \u0660 arranging 12 events")}
    assert found == {"\u0660": "not_a_figure", "12": ""}


@pytest.mark.parametrize(
    ("line", "printed", "measure"),
    [
        ("the force has grown by a total of 900 officers", "900", "change"),
        ("an increase of more than 30 arrests compared to 2019", "30", "change"),
        ("**845** more rapes were recorded", "845", "change"),
        ("to decrease current vacancy levels of 37 constables", "37", "value"),
        ("grow the Specials from a base of 353 in 2016", "353", "value"),
        ("warrants were executed by 45 officers", "45", "value"),
        ("the tragic death of 39 people found in a lorry", "39", "value"),
    ],
)
def test_a_count_is_a_change_only_when_a_change_word_leads_to_it(line, printed, measure):
    assert _one(line, printed).measure == measure


@pytest.mark.parametrize(
    ("text", "figure", "measure", "start", "end", "comparison_start"),
    [
        # the two ends of "from X to Y" across a span of financial years are its first and last years
        (
            "rose between 2016/17 and 2020/21 (from 60 per cent to 69 per cent), the",
            "60",
            "value",
            "2016-04-01",
            "2017-03-31",
            "",
        ),
        (
            "rose between 2016/17 and 2020/21 (from 60 per cent to 69 per cent), the",
            "69",
            "value",
            "2020-04-01",
            "2021-03-31",
            "",
        ),
        # a change across the span: its last year against its first
        (
            "with a 21 per cent reduction between 2015/16 and 2019/20",
            "21",
            "pct_change",
            "2019-04-01",
            "2020-03-31",
            "2015-04-01",
        ),
        # a level with no "from ... to": the whole span, as before
        ("a total of 6,000 arrests between 2016/17 and 2020/21", "6,000", "value", "2016-04-01", "2021-03-31", ""),
    ],
)
def test_a_span_of_financial_years_splits_into_its_ends(text, figure, measure, start, end, comparison_start):
    pos = text.index(figure)
    r = period_for(text, pos, pos + len(figure), DATA_TO, measure=measure)
    assert (r.start.isoformat(), r.end.isoformat()) == (start, end)
    assert (r.comparison_start.isoformat() if r.comparison_start else "") == comparison_start


def test_a_band_is_claimed_only_if_calibration_fitted_on_other_reports_bears_it_out():
    from orchestration.lib.intake import learn

    # Report a's top rows are all right; report b's, a little lower, are all wrong. Calibrated on their own rows
    # the top block looks sure (20 of 20): a new report like b would be told 0.89 and be wrong every time.
    rows = [(0.95, True)] * 20 + [(0.9, False)] * 20
    groups = ["a"] * 20 + ["b"] * 20
    logistic = learn.Confidence([0.0])
    pooled, _ = learn.calibrate(logistic, rows)
    assert pooled.cap == 0.89
    crossed, scored = learn.calibrate(logistic, rows, groups)
    assert crossed.cap == 0.49  # b's rows, mapped by a's calibration, score 1.0 and are all wrong
    assert crossed.knots == pooled.knots  # the map itself is still fitted on every row
    assert sorted(scored) == sorted([(0.0, True)] * 20 + [(1.0, False)] * 20)


@pytest.mark.parametrize(
    ("line", "number", "reason"),
    [
        ("All Tier 1 Districts reviewed their plans", "1", "identifier"),
        ("victims within level 2 and level 3 were called", "3", "identifier"),
        ("3,776 Year 8 surveys were completed", "8", "identifier"),
        ("3,776 Year 8 surveys were completed", "3,776", ""),
        ("Cat 1 Responders attended", "1", "identifier"),
        ("the year 2019 saw 12 arrests", "12", ""),
        ("the helpline is available 24/7 to victims", "24", "not_a_figure"),
        ("the helpline is available 24/7 to victims", "7", "not_a_figure"),
        ("sessions delivered in groups or 1:1 with 40 pupils", "40", ""),
        ("sessions delivered in groups or 1:1 with 40 pupils", "1", "not_a_figure"),
    ],
)
def test_numbers_in_names_and_idioms_are_no_figures(line, number, reason):
    got = {}
    for c in candidates(1, line):
        got.setdefault(c.number_as_printed, set()).add(c.exclusion)
    assert got[number] == {reason}


@pytest.mark.parametrize(
    ("text", "figure", "start", "end"),
    [
        ("Delivery achieved April-Sept 2022: 55 arrests", "55", "2022-04-01", "2022-09-30"),
        # the sentence leans on the one before for its year
        ("services in 2020/21. During the year, 42.2 per cent were referred", "42.2", "2020-04-01", "2021-03-31"),
        # a level "in the previous year" is the year before the one the sentence names
        (
            "in 2020/21 528 people were supported (an increase from 480 in the previous year).",
            "480",
            "2019-04-01",
            "2020-03-31",
        ),
        (
            "in 2020/21 528 people were supported (an increase from 480 in the previous year).",
            "528",
            "2020-04-01",
            "2021-03-31",
        ),
    ],
)
def test_periods_named_around_the_sentence(text, figure, start, end):
    pos = text.index(figure)
    r = period_for(text, pos, pos + len(figure), DATA_TO)
    assert (r.start.isoformat(), r.end.isoformat()) == (start, end)


def test_a_list_item_takes_the_period_of_its_lead_in_and_says_so():
    from orchestration.lib.intake.draft import _lead_in_reading

    lines = [
        "The programme delivered the following achievements in 2020/21:",
        "- 45 schools took part.",
        "",
        "- 3,776 surveys were completed.",
        "A paragraph with 12 arrests.",
        "- 7 patrols, with no lead-in above.",
    ]
    r = _lead_in_reading(lines, 3, DATA_TO, "value")
    assert (r.start, r.end) == (date(2020, 4, 1), date(2021, 3, 31))
    assert r.note == "read from the lead-in of the list on line 1"
    assert _lead_in_reading(lines, 4, DATA_TO, "value") is None  # not a list item
    assert _lead_in_reading(lines, 5, DATA_TO, "value") is None  # its lead-in does not end in a colon
