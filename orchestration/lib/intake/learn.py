"""Suggestions and confidence learnt from the reports already held, never from the report being drafted.

**Suggestions.** For a figure, the candidate metrics are the best of a BM25 ranking (:class:`.ranker.Ranker`) of its
sentence against earlier figures' snippets, and the metrics whose profile (all their snippets, with the catalogue's
name, definition, numerator, denominator and domain) best matches the heading or table header above, the sentence or
the words next to the figure, or whose earlier figures sat under similar headings. A level printed in a unit other
than a bare count only ever gets metrics of that unit. Each candidate gets the features in ``FEATURES``, among them
three that read the figure itself rather than its words: its size against the range of the metric's earlier figures
of the same measure (30,674 is no percentage, 846 no force-wide crime count), the words just after it (what it
counts: "500 *officers recruited*"), and whether a number printed bare in running text faces a metric whose unit is
printed with its figures (%, £, percentage points); and one that reads the catalogue: the share of the metric's name
that the sentence spells out (a broad metric such as the solved rate was often first for sentences that never name
it). A conditional logit (softmax over a row's candidates) weighs them: ``fit_ranker`` fits the weights on labelled
drafts of held reports. A second stage then adds ``NEIGHBOUR_FEATURES`` and ranks again with its own weights: for
each candidate, how often held figures of that metric sat within a few lines of held figures of the metrics the
first stage chose for the figures drafted just before and after (figures near each other tend to be about the same
thing), and whether two or more held reports use the metric. ``fit.fit`` fits the first stage, then the second on
neighbour features each report gets from first-stage weights fitted on the other reports. (Features are chosen on
exploratory runs of the benchmark, so the choice itself has seen the five reports; only the weights are fitted
inside its loop. Left out because they lowered its held-out accuracy: the catalogue unit and earlier measures, how
common a metric is (its count of figures; in the second stage only whether two reports use it), the lines around the
figure. Left out because they added nothing to the top three: the section's lines against each metric's profile,
markup left in a snippet by a document's conversion (``<ul style=...>``) stripped from its words. Left out because
the first suggestion fell: the words of the metric's code next to the figure or in the sentence (its catalogue
name's share of the sentence, above, raised it), a printed unit that is the metric's.)

**Confidence.** The probability that a row's first suggestion is the figure's metric, from a logistic regression
(``fit_confidence``) on row features: the top candidate's share of the softmax and its margin, how much of its name
the sentence spells out, and the number's shape (in words, a small whole number, a year, a decimal like a heading
number, a unit printed with it, in a table). Non-figures are rows whose first suggestion is wrong, so they are
fitted to score low too.

The benchmark (``bench/bench_intake.py``) fits both inside its leave-one-report-out loop: the weights used on a
report never saw it. ``make add-report`` fits them on every held report, each drafted with the others as history
(:mod:`.fit`). The fits are numpy: a few thousand rows and a dozen weights, hundreds of steps.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from orchestration.lib.intake import context
from orchestration.lib.intake.ranker import Ranker, history_from_rows, words

FEATURES = (
    "sentence",  # BM25 of the sentence against the metric's best earlier snippet, over the row's best
    "sentence_raw",  # the same score / 10
    "support",  # log(1 + how many of the metric's snippets share a word with the sentence)
    "catalogue",  # the sentence against the catalogue's words for the metric alone, over the row's best
    "heading",  # the heading (or table header) above against the metric's profile, over the row's best
    "section",  # share of the metric's domain in the profile scores of the lines before the figure
    "under",  # the heading (or table header) above against those the metric's earlier figures sat under
    "near",  # the words next to the figure against the metric's profile, over the row's best
    "profile",  # the sentence against the metric's profile, over the row's best
    "magnitude",  # the figure's size (log10) against the range of the metric's earlier figures of its measure
    "after",  # the words just after the figure (what it counts) against the metric's profile, over the row's best
    "named",  # share of the words of the metric's catalogue name that the sentence has
    "unit_clash",  # a number in running text printed bare against a metric whose unit is printed (%, £, pp)
)
# The second stage: the first stage's candidates with these added, ranked by their own weights.
NEIGHBOUR_FEATURES = (
    "neighbours",  # how often, in the held reports, the metric sat near the first-stage choices of the figures
    # drafted just before and after (``NEIGHBOURS`` each side): mean over them of P(metric near | their choice)
    "shared",  # the metric is used by two or more held reports
)
NEIGHBOURS = 3  # drafted figures each side whose first-stage choice is looked at
NEAR_LINES = 10  # held figures this many lines apart or fewer count as near each other
ROW_FEATURES = (
    "p_first",  # the first candidate's share of the softmax, as a log-odds
    "margin",  # first minus second candidate's score
    "first_sentence",  # the first candidate's BM25 against its best earlier snippet / 10: a near copy scores high
    "first_agrees",  # share of the candidate features on which the first candidate is the best
    "first_named",  # share of the first candidate's catalogue name words in the sentence
    "in_words",
    "small_whole",  # a whole number up to 10
    "year_like",
    "heading_like",  # a decimal like 3.2 at the start of a line
    "unit_printed",  # %, £, minutes, hours printed with it
    "table_cell",
    "wordless",  # no words around it to match
    "coverage",  # share of the sentence's words (by idf) the best earlier snippet shares
)
RANKING_FEATURES = 5  # the first ROW_FEATURES depend on the weights: ``confidence_rows`` recomputes them
CANDIDATES = 10
AFTER_WORDS = 3  # "500 officers recruited", "seven arrests for": what a figure counts follows it
# Units that are printed with their figure: a number in running text without one is rarely of such a metric.
PRINTED_UNITS = frozenset({"percent", "gbp", "percentage_points"})
# Confidence bands of the reliability table, the draft's review order and ``make intake-check``.
BANDS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9)


def band(p: float) -> str:
    """The band label of a confidence: ``0.7-0.9``, ``0.9-1``."""
    lo = max(b for b in BANDS if p >= b - 1e-12)
    hi = next((b for b in BANDS if b > lo), 1.0)
    return f"{lo:g}-{hi:g}"


@dataclass
class Context:
    """What the draft knows of a figure: its sentence and the words around it."""

    snippet: str
    unit: str
    measure: str
    near: str
    section: str  # the lines before the figure (the section it is in)
    heading: str
    table_cell: bool
    in_words: bool
    value: float | None
    line: str
    start: int


def _logit_rows(rows: Sequence[Sequence[float]], w: Sequence[float]) -> list[float]:
    return [sum(a * b for a, b in zip(x, w, strict=True)) for x in rows]


def softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    e = [math.exp(s - top) for s in scores]
    total = sum(e)
    return [x / total for x in e]


class Suggester:
    """Candidate metrics of a figure with their features; ranked by ``weights`` when given."""

    def __init__(
        self,
        history: Sequence[Mapping[str, str]],
        metrics: Sequence[Mapping[str, str]],
        weights: Sequence[float] | None = None,
        texts: Mapping[str, Sequence[str]] | None = None,
        first_weights: Sequence[float] | None = None,
    ):
        """``texts`` (source document -> lines), when given, adds what the history's figures sat under (heading,
        table header) to what a metric is known by: a bare table row of an earlier report still teaches words.
        ``first_weights`` rank the candidates on ``FEATURES`` alone (the first stage); ``weights`` rank them on
        ``FEATURES + NEIGHBOUR_FEATURES`` (the second)."""
        known = {r["metric_code"] for r in history}
        self.metrics = {m["metric_code"]: m for m in metrics if m["metric_code"] in known}
        self.ranker = Ranker(history_from_rows(history, list(self.metrics.values())))
        said: dict[str, list[str]] = defaultdict(list)
        for r in history:
            said[r["metric_code"]].append(r["source_snippet"])
        for code, m in self.metrics.items():
            said[code].append(_catalogue_text(m))
        codes = sorted(said)
        self.profiles = Ranker(_docs(codes, [" ".join(said[c]) for c in codes]))
        self.catalogue = Ranker(_docs(list(self.metrics), [_catalogue_text(m) for m in self.metrics.values()]))
        under: dict[str, list[str]] = defaultdict(list)
        contexts = {name: context.heading_context(lines) for name, lines in (texts or {}).items()}
        for r in history:
            ctx_lines = contexts.get(r["source_document"])
            if ctx_lines and 0 < int(r["source_line"]) <= len(ctx_lines):
                under[r["metric_code"]].append(ctx_lines[int(r["source_line"]) - 1])
        self.under = Ranker(_docs(sorted(under), [" ".join(under[c]) for c in sorted(under)]))
        self.weights = list(weights) if weights is not None else None
        self.first_weights = list(first_weights) if first_weights is not None else None
        self._sections: dict[str, dict[str, float]] = {}
        self.near, self.near_total = near_counts(history)
        used: dict[str, set[str]] = defaultdict(set)
        for r in history:
            used[r["metric_code"]].add(r["source_document"])
        self.reports_using = {c: len(v) for c, v in used.items()}
        # (metric, measure) -> the lowest and highest size (log10) of its earlier figures
        self.sizes: dict[tuple[str, str], tuple[float, float]] = {}
        for r in history:
            if r.get("printed_value"):
                key, size = (r["metric_code"], r["measure"]), _size(float(r["printed_value"]))
                lowest, highest = self.sizes.get(key, (size, size))
                self.sizes[key] = (min(lowest, size), max(highest, size))

    def candidates(self, ctx: Context) -> tuple[list[str], list[list[float]], float]:
        """Candidate codes, their feature vectors (``FEATURES``) and the coverage of the best earlier snippet."""
        units = {c: m["unit"] for c, m in self.metrics.items()}
        ranked = self.ranker.rank(ctx.snippet, ctx.unit, ctx.measure, top=CANDIDATES, allowed=units)
        coverage = self.ranker.coverage(ctx.snippet, ranked[0][2]) if ranked else 0.0
        sentence = {code: (score, support) for code, score, support in _with_support(self.ranker, ctx)}
        near = _code_scores(self.profiles, ctx.near)
        after = _code_scores(self.profiles, " ".join(ctx.line[ctx.start :].split()[1 : 1 + AFTER_WORDS]))
        profile = _code_scores(self.profiles, ctx.snippet)
        heading = _code_scores(self.profiles, ctx.heading)
        under = _code_scores(self.under, ctx.heading)
        catalogue = _code_scores(self.catalogue, ctx.snippet)
        section = self._section(ctx.section)
        pool = [c for c, _, _ in ranked]
        for extra, n in ((heading, 5), (under, 5), (profile, 3), (near, 3)):
            pool += [c for c, _ in sorted(extra.items(), key=lambda t: -t[1])[:n]]
        # A level printed in a unit other than a bare count ("12.5%", "£4.93m") is only ever a metric of that unit.
        strict = ctx.measure == "value" and ctx.unit != "count"
        codes = [c for c in dict.fromkeys(pool) if c in self.metrics and not (strict and units[c] != ctx.unit)]
        if not codes:
            return [], [], coverage
        tops = [
            max((d.get(c, 0.0) for c in codes), default=0.0) or 1.0
            for d in (catalogue, heading, under, near, profile, after)
        ]
        best = max((sentence.get(c, (0.0, 0))[0] for c in codes), default=0.0) or 1.0
        bare = ctx.unit == "count" and not ctx.table_cell
        sentence_words = set(words(ctx.snippet))
        vectors = []
        for c in codes:
            s, support = sentence.get(c, (0.0, 0))
            vectors.append(
                [
                    s / best,
                    s / 10,
                    math.log1p(support),
                    catalogue.get(c, 0.0) / tops[0],
                    heading.get(c, 0.0) / tops[1],
                    section.get(self.metrics[c]["domain"], 0.0),
                    under.get(c, 0.0) / tops[2],
                    near.get(c, 0.0) / tops[3],
                    profile.get(c, 0.0) / tops[4],
                    self._magnitude(c, ctx),
                    after.get(c, 0.0) / tops[5],
                    self._named(c, sentence_words),
                    float(bare and units[c] in PRINTED_UNITS),
                ]
            )
        return codes, vectors, coverage

    def _named(self, code: str, sentence_words: set[str]) -> float:
        """Share of the (stemmed) words of the metric's catalogue name found among ``sentence_words``."""
        name = set(words(self.metrics[code]["metric_name"]))
        return len(name & sentence_words) / len(name) if name else 0.0

    def _magnitude(self, code: str, ctx: Context) -> float:
        """1 when the figure's size (log10) is within the range of the metric's earlier figures of its measure,
        falling as exp(-distance) outside it; 0 when the metric has none of that measure: 30,674 is not the size
        of a percentage, nor 846 of a force-wide crime count."""
        sizes = self.sizes.get((code, ctx.measure))
        if ctx.value is None or sizes is None:
            return 0.0
        lowest, highest = sizes
        size = _size(ctx.value)
        return math.exp(-max(0.0, lowest - size, size - highest))

    def _section(self, text: str) -> dict[str, float]:
        """Domain -> its share of the profile scores of a section's text (remembered: a line's figures share it)."""
        if text not in self._sections:
            by: dict[str, float] = defaultdict(float)
            for code, score in _code_scores(self.profiles, text).items():
                if code in self.metrics:
                    by[self.metrics[code]["domain"]] += score
            total = sum(by.values()) or 1.0
            self._sections[text] = {d: v / total for d, v in by.items()}
        return self._sections[text]

    def rank(self, ctx: Context) -> Suggestion:
        """One figure alone (no neighbours): ``rank_all`` of it."""
        return self.rank_all([ctx])[0]

    def rank_all(self, ctxs: Sequence[Context]) -> list[Suggestion]:
        """The candidates of each figure (in drafting order) best first under the weights, with the row features
        (``ROW_FEATURES``): the first stage ranks each on ``FEATURES``, the second adds ``NEIGHBOUR_FEATURES``
        from the first stage's choices for the figures around it."""
        found = [self.candidates(ctx) for ctx in ctxs]
        extended = self.extend([(codes, vectors) for codes, vectors, _ in found], self.first_weights)
        out = []
        for ctx, (_, _, coverage), (codes, vectors) in zip(ctxs, found, extended, strict=True):
            scores = _logit_rows(vectors, self.weights or default_weights(second=True))
            order = sorted(range(len(codes)), key=lambda k: (-scores[k], codes[k]))
            ranked = [(codes[k], scores[k]) for k in order]
            feats = row_features(ctx, [scores[k] for k in order], [vectors[k] for k in order], coverage)
            out.append(Suggestion(ranked, feats, coverage, codes, vectors, found[len(out)][1]))
        return out

    def extend(
        self, candidates: Sequence[tuple[list[str], list[list[float]]]], first_weights: Sequence[float] | None
    ) -> list[tuple[list[str], list[list[float]]]]:
        """Each figure's candidates (``FEATURES`` vectors, in drafting order) with ``NEIGHBOUR_FEATURES`` added,
        from the first choices under ``first_weights``."""
        firsts = [first_choice(codes, vectors, first_weights or default_weights()) for codes, vectors in candidates]
        out = []
        for i, (codes, vectors) in enumerate(candidates):
            around = neighbours(firsts, i)
            out.append(
                (
                    codes,
                    [
                        [
                            *v,
                            neighbour_score(c, around, self.near, self.near_total),
                            float(self.reports_using.get(c, 0) >= 2),
                        ]
                        for c, v in zip(codes, vectors, strict=True)
                    ],
                )
            )
        return out

    def breakdown(self, code: str, snippet: str) -> str:
        """The breakdown of the metric's earlier figure whose snippet is closest to this one."""
        scores = self.ranker.row_scores(Counter(words(snippet)))
        best = max(
            (i for i in scores if self.ranker.rows[i].metric_code == code), key=lambda i: scores[i], default=None
        )
        return self.ranker.rows[best].breakdown if best is not None else ""


@dataclass
class Suggestion:
    ranked: list[tuple[str, float]]  # (code, score), best first
    row_features: list[float]
    coverage: float  # share of the sentence's words the best earlier snippet shares (the uncalibrated confidence)
    codes: list[str]  # the candidates in pool order, with their feature vectors
    vectors: list[list[float]]  # FEATURES + NEIGHBOUR_FEATURES
    base: list[list[float]]  # FEATURES alone (what the fit extends with its own first-stage weights)


def default_weights(second: bool = False) -> list[float]:
    """Before any fit: the sentence's BM25 and support alone (the ranker's old order); ``second``: with a zero
    for each of ``NEIGHBOUR_FEATURES``."""
    first = [0.0] * len(FEATURES)
    first[FEATURES.index("sentence_raw")], first[FEATURES.index("support")] = 10.0, 1.0
    return first + [0.0] * (len(NEIGHBOUR_FEATURES) if second else 0)


def first_choice(codes: Sequence[str], vectors: Sequence[Sequence[float]], weights: Sequence[float]) -> str:
    """The best candidate under ``weights`` ("" when there is none)."""
    if not codes:
        return ""
    scores = _logit_rows(vectors, weights)
    return codes[min(range(len(codes)), key=lambda k: (-scores[k], codes[k]))]


def neighbours(firsts: Sequence[str], i: int, reach: int = NEIGHBOURS) -> list[str]:
    """The first choices of the ``reach`` drafted figures before and after the i-th (not its own)."""
    return [firsts[j] for j in range(max(0, i - reach), min(len(firsts), i + reach + 1)) if j != i]


def near_counts(
    history: Iterable[Mapping[str, str]], lines: int = NEAR_LINES
) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """(a, b) -> how many times a held figure of metric b sat within ``lines`` lines of one of metric a (another
    figure, same report); and a -> how many figures sat near one of metric a."""
    by: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r in history:
        by[r["source_document"]].append((int(r["source_line"]), r["metric_code"]))
    pair: Counter[tuple[str, str]] = Counter()
    total: Counter[str] = Counter()
    for doc in sorted(by):
        figures = sorted(by[doc])
        for a, (line_a, metric_a) in enumerate(figures):
            for b, (line_b, metric_b) in enumerate(figures):
                if a != b and abs(line_a - line_b) <= lines:
                    pair[(metric_a, metric_b)] += 1
                    total[metric_a] += 1
    return pair, total


def neighbour_score(
    code: str, around: Sequence[str], pair: Mapping[tuple[str, str], int], total: Mapping[str, int]
) -> float:
    """Mean over the neighbours' first choices (those held figures sat near) of the share of the figures near that
    choice that were of ``code``."""
    shares = [pair.get((n, code), 0) / total[n] for n in around if total.get(n)]
    return sum(shares) / len(shares) if shares else 0.0


def _catalogue_text(m: Mapping[str, str]) -> str:
    return " ".join(
        m.get(k, "") for k in ("metric_code", "metric_name", "definition", "numerator", "denominator", "domain")
    ).replace("_", " ")


def _docs(codes: Sequence[str], texts: Sequence[str]):
    from orchestration.lib.intake.ranker import HistoryRow

    return [HistoryRow(c, t, "", "") for c, t in zip(codes, texts, strict=True)]


def _code_scores(ranker: Ranker, text: str) -> dict[str, float]:
    if not text.strip() or not ranker.rows:
        return {}
    q = Counter(words(text))
    return {ranker.rows[i].metric_code: s for i, s in ranker.row_scores(q).items()}


def _with_support(ranker: Ranker, ctx: Context) -> list[tuple[str, float, int]]:
    from orchestration.lib.intake.ranker import bag

    scores = ranker.row_scores(bag(ctx.snippet, ctx.unit, ctx.measure))
    by: dict[str, list[float]] = defaultdict(list)
    for i, s in scores.items():
        by[ranker.rows[i].metric_code].append(s)
    return [(c, max(v), len(v)) for c, v in by.items()]


def _size(value: float) -> float:
    """A figure's order of magnitude: log10(1 + |value|)."""
    return math.log10(1 + abs(value))


YEAR = re.compile(r"^(?:19|20)\d{2}$")


def row_features(
    ctx: Context, scores: Sequence[float], vectors: Sequence[Sequence[float]] = (), coverage: float = 0.0
) -> list[float]:
    """``ROW_FEATURES`` of a figure whose candidates scored ``scores`` with feature ``vectors`` (best first)."""
    v = ctx.value
    whole = v is not None and float(v).is_integer()
    printed = ctx.line[ctx.start : ctx.start + 12]
    return [
        *ranking_features(scores, vectors),
        float(ctx.in_words),
        float(whole and v is not None and abs(v) <= 10),
        float(whole and v is not None and bool(YEAR.match(str(int(abs(v)))))),
        float(bool(re.match(r"\s*[-•*]?\s*\d+\.\d+", ctx.line)) and ctx.line.lstrip(" -•*").startswith(printed[:3])),
        float(ctx.unit not in ("count", "")),
        float(ctx.table_cell),
        float(not words(ctx.snippet)),
        coverage,
    ]


# --- fitting ------------------------------------------------------------------------------------------------


def fit_ranker(
    examples: Sequence[tuple[list[list[float]], int, float]],
    l2: float = 0.001,
    steps: int = 300,
    second: bool = False,
) -> list[float]:
    """Weights of a conditional logit: each example is (candidate vectors, index of the right one, its weight).

    Full-batch Adam from ``default_weights`` (of the second stage when ``second``), vectorised over every
    candidate of every example at once."""
    w = np.array(default_weights(second), dtype=float)
    examples = [e for e in examples if e[0]]
    total = sum(x for _, _, x in examples)
    if not total:
        return w.tolist()
    x = np.array([vec for vectors, _, _ in examples for vec in vectors], dtype=float)
    sizes = np.array([len(vectors) for vectors, _, _ in examples])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    group = np.repeat(np.arange(len(examples)), sizes)
    right = np.zeros(len(x))
    right[starts + np.array([k for _, k, _ in examples])] = 1.0
    scale = np.repeat(np.array([weight for _, _, weight in examples]) / total, sizes)
    adam = _Adam(len(w))
    for _ in range(steps):
        s = x @ w
        e = np.exp(s - np.maximum.reduceat(s, starts)[group])
        p = e / np.add.reduceat(e, starts)[group]
        adam.step(w, l2 * w + x.T @ ((p - right) * scale))
    return w.tolist()


class _Adam:
    """Adam steps (rate 0.05): robust to the features' different scales."""

    def __init__(self, n: int, rate: float = 0.05):
        self.m, self.v, self.t, self.rate = np.zeros(n), np.zeros(n), 0, rate

    def step(self, w: np.ndarray, grad: np.ndarray) -> None:
        self.t += 1
        self.m = 0.9 * self.m + 0.1 * grad
        self.v = 0.999 * self.v + 0.001 * grad**2
        w -= self.rate * (self.m / (1 - 0.9**self.t)) / (np.sqrt(self.v / (1 - 0.999**self.t)) + 1e-8)


@dataclass
class Confidence:
    """Logistic regression from ``ROW_FEATURES`` to the probability that the first suggestion is right, mapped
    through an isotonic calibration learnt on out-of-fold scores (``calibrate``) and capped below the first band
    edge its out-of-fold rows do not bear out."""

    weights: list[float] = field(default_factory=list)  # bias first
    cap: float = 1.0  # never more than this: see ``claimable_cap``
    knots: list[list[float]] = field(default_factory=list)  # [lowest raw score of a block, its share right]

    def raw(self, features: Sequence[float]) -> float:
        """The logistic regression's probability, before calibration."""
        if not self.weights:
            return 0.0
        z = self.weights[0] + sum(a * b for a, b in zip(features, self.weights[1:], strict=True))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def calibrated(self, raw: float) -> float:
        """A raw score through the isotonic map (a step function); the raw score itself without one."""
        if not self.knots:
            return raw
        return next((share for lowest, share in reversed(self.knots) if raw >= lowest), self.knots[0][1])

    def __call__(self, features: Sequence[float]) -> float:
        if not self.weights:
            return 0.0
        return min(self.cap, self.calibrated(self.raw(features)))


# One-sided 95%: a band is claimed only when the share right is above its edge with that confidence.
WILSON_Z = 1.645


def wilson_lower(right: int, n: int, z: float = WILSON_Z) -> float:
    """The Wilson score interval's lower bound of a share right/n: small samples claim little."""
    if not n:
        return 0.0
    p = right / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def claimable_cap(scored: Sequence[tuple[float, bool]]) -> float:
    """The highest confidence the rows (confidence, right) bear out: for each band edge (0.5, 0.7, 0.9) in turn,
    the rows scoring at least the edge must be right at least that often by the Wilson lower bound; at the first
    edge they do not (or no row reaches), confidence stops just under it."""
    for edge in BANDS[BANDS.index(0.5) :]:
        hits = [right for p, right in scored if p >= edge]
        if not hits or wilson_lower(sum(hits), len(hits)) < edge:
            return round(edge - 0.01, 2)
    return 1.0


def isotonic(scored: Sequence[tuple[float, bool]]) -> list[list[float]]:
    """Pool adjacent violators: the monotone step function of score that best fits right (1) or wrong (0).
    Returns its blocks as [lowest score, share right], lowest first."""
    blocks: list[list[float]] = []  # [lowest score, right, n]
    for p, right in sorted(scored, key=lambda t: t[0]):
        blocks.append([p, float(right), 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    return [[lowest, right / n] for lowest, right, n in blocks]


def calibrate(
    logistic: Confidence, out_of_fold: Sequence[tuple[float, bool]], groups: Sequence[str] | None = None
) -> tuple[Confidence, list[tuple[float, bool]]]:
    """``logistic`` mapped through the isotonic fit of out-of-fold raw scores (score, right), capped below the first
    band edge the calibrated out-of-fold rows do not bear out. Returns it and those calibrated rows.

    With ``groups`` (each row's report), the cap is judged on rows calibrated by an isotonic fit of the other
    reports' rows only: a fit judged on its own rows would claim its luckiest block (the top rows of one report,
    all right) for a new report too."""
    knots = isotonic(out_of_fold)
    mapped = Confidence(logistic.weights, 1.0, knots)
    if groups is not None and len(set(groups)) > 1:
        scored = []
        for g in sorted(set(groups)):
            others = Confidence(
                logistic.weights, 1.0, isotonic([row for row, h in zip(out_of_fold, groups, strict=True) if h != g])
            )
            scored += [
                (others.calibrated(p), right) for (p, right), h in zip(out_of_fold, groups, strict=True) if h == g
            ]
    else:
        scored = [(mapped.calibrated(p), right) for p, right in out_of_fold]
    return Confidence(logistic.weights, claimable_cap(scored), knots), scored


def fit_confidence(rows: Sequence[tuple[list[float], bool]], l2: float = 0.01, steps: int = 500) -> Confidence:
    """Logistic regression by full-batch Adam; the bias is not penalised."""
    if not rows:
        return Confidence()
    x = np.array([[1.0, *features] for features, _ in rows], dtype=float)
    y = np.array([1.0 if right else 0.0 for _, right in rows])
    w = np.zeros(x.shape[1])
    penalised = np.ones_like(w)
    penalised[0] = 0.0
    adam = _Adam(len(w))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30.0, 30.0)))
        adam.step(w, l2 * w * penalised + x.T @ (p - y) / len(rows))
    return Confidence(w.tolist())


# --- labels: which draft row is which held figure -----------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def match_held(draft_rows: Sequence[Mapping[str, str]], held: Iterable[Mapping[str, str]]) -> dict[int, dict]:
    """Draft row index -> the held figure row it drafts: same line, same printed magnitude.

    A value printed twice on a line (a table row): the k-th held figure of that value on the line is paired with
    the k-th draft row of that value (held figures in figure_id order, draft rows in line order)."""
    by_line: dict[int, list[int]] = defaultdict(list)
    for i, d in enumerate(draft_rows):
        by_line[int(d["source_line"])].append(i)
    seen: Counter[tuple[str, float]] = Counter()
    out: dict[int, dict] = {}
    for r in sorted(held, key=lambda r: (int(r["source_line"]), r["figure_id"])):
        value = abs(float(r["printed_value"]))
        same = [
            i
            for i in by_line.get(int(r["source_line"]), [])
            if draft_rows[i]["value"] and _close(abs(float(draft_rows[i]["value"])), value)
        ]
        k = seen[(r["source_line"], value)]
        seen[(r["source_line"], value)] += 1
        if same:
            out[same[min(k, len(same) - 1)]] = dict(r)
    return out


@dataclass
class Labelled:
    """A draft of a held report with, per row, its candidates, features and the held figure it drafts (if any)."""

    rows: list[dict[str, str]]
    candidates: list[tuple[list[str], list[list[float]]]]
    row_features: list[list[float]]
    held: dict[int, dict]
    suggester: Suggester | None = None  # what drafted it: adds the second stage's features (``Suggester.extend``)

    def extended(self, first_weights: Sequence[float]) -> Labelled:
        """The same with ``NEIGHBOUR_FEATURES`` added to every candidate, from first choices under the weights."""
        assert self.suggester is not None
        return Labelled(self.rows, self.suggester.extend(self.candidates, first_weights), self.row_features, self.held)


def examples(drafts: Sequence[Labelled]) -> list[tuple[list[list[float]], int, float]]:
    """(candidate vectors, index of the held metric, weight) for every held figure whose metric is a candidate.

    A small report's figures weigh more (up to half the largest report's count, in whole repeats), so that the
    weights suit reports of every size, not only the one with the most figures."""
    per = []
    for d in drafts:
        rows = []
        for i, r in d.held.items():
            codes, vectors = d.candidates[i]
            if r["metric_code"] in codes:
                rows.append((vectors, codes.index(r["metric_code"])))
        per.append(rows)
    big = max((len(rows) for rows in per), default=0)
    return [(v, k, float(max(1, round(big / len(rows) / 2)))) for rows in per for v, k in rows]


def confidence_rows(drafts: Iterable[Labelled], weights: Sequence[float]) -> list[tuple[list[float], bool]]:
    """Row features under ``weights`` and whether the first suggestion is the held figure's metric."""
    out = []
    for d in drafts:
        for i, (codes, vectors) in enumerate(d.candidates):
            scores = _logit_rows(vectors, weights) if vectors else []
            order = sorted(range(len(codes)), key=lambda k: (-scores[k], codes[k]))
            feats = list(d.row_features[i])
            feats[:RANKING_FEATURES] = ranking_features([scores[k] for k in order], [vectors[k] for k in order])
            right = i in d.held and bool(order) and codes[order[0]] == d.held[i]["metric_code"]
            out.append((feats, right))
    return out


def logit(p: float) -> float:
    p = min(1 - 1e-4, max(1e-4, p))
    return math.log(p / (1 - p))


def ranking_features(scores: Sequence[float], vectors: Sequence[Sequence[float]]) -> list[float]:
    """The first ``RANKING_FEATURES`` of ``ROW_FEATURES`` from a row's candidate scores and vectors (best first)."""
    p = softmax(scores)[0] if scores else 0.0
    margin = scores[0] - scores[1] if len(scores) > 1 else (scores[0] if scores else 0.0)
    if not vectors:
        return [logit(p), max(-5.0, min(5.0, margin)), 0.0, 0.0, 0.0]
    first = vectors[0]
    agrees = sum(first[j] > 0 and first[j] >= max(v[j] for v in vectors) for j in range(len(first))) / len(first)
    return [
        logit(p),
        max(-5.0, min(5.0, margin)),
        min(3.0, first[FEATURES.index("sentence_raw")]),
        agrees,
        first[FEATURES.index("named")],
    ]
