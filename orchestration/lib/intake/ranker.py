"""Rank metric codes for a new sentence by how closely it matches earlier reports' snippets (Okapi BM25).

Each earlier figure row is one document: its snippet's words plus two marker words for its unit and measure
(``_u_percent``, ``_m_pct_change``), so that "12.5%" prefers percentage metrics. A metric's score is its best
snippet's score, with a small bonus for how many of its snippets match at all. Pure Python, explainable:
``explain`` lists the shared words.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "there",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
        "we",
        "our",
        "its",
        "than",
        "per",
        "cent",
        "has",
        "had",
        "will",
        "also",
        "into",
        "over",
        "who",
        "all",
        "more",
    ]
)
WORD = re.compile(r"[a-z][a-z']+")


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower().replace("\u2019", "'")) if w not in STOPWORDS]


def markers(unit: str, measure: str) -> list[str]:
    return [f"_u_{unit}", f"_m_{measure}"]


@dataclass
class HistoryRow:
    metric_code: str
    snippet: str
    unit: str
    measure: str
    breakdown: str = ""


class Ranker:
    def __init__(self, history: Iterable[HistoryRow], k1: float = 1.2, b: float = 0.75):
        self.rows = list(history)
        self.docs = [Counter(words(r.snippet) + markers(r.unit, r.measure)) for r in self.rows]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lengths) / len(self.lengths) if self.lengths else 1.0
        df: Counter[str] = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(self.docs)
        self.idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(self.docs):
            for w in d:
                self.postings[w].append(i)
        self.k1, self.b = k1, b

    def _scores(self, query: list[str]) -> dict[int, float]:
        scores: dict[int, float] = defaultdict(float)
        for w in set(query):
            idf = self.idf.get(w)
            if idf is None:
                continue
            for i in self.postings[w]:
                tf = self.docs[i][w]
                norm = tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * self.lengths[i] / self.avg))
                scores[i] += idf * norm
        return scores

    def rank(self, snippet: str, unit: str, measure: str, top: int = 3) -> list[tuple[str, float, int]]:
        """Best metric codes for a sentence: (metric_code, score, index of its best history row)."""
        scores = self._scores(words(snippet) + markers(unit, measure))
        best: dict[str, tuple[float, int]] = {}
        support: Counter[str] = Counter()
        for i, s in scores.items():
            code = self.rows[i].metric_code
            support[code] += 1
            if code not in best or s > best[code][0]:
                best[code] = (s, i)
        ranked = sorted(
            ((code, s + 0.05 * math.log1p(support[code]), i) for code, (s, i) in best.items()),
            key=lambda t: (-t[1], t[0]),
        )
        return ranked[:top]

    def explain(self, snippet: str, row: int) -> list[str]:
        return sorted(set(words(snippet)) & set(self.docs[row]))


def history_from_rows(rows: Iterable[Mapping[str, str]]) -> list[HistoryRow]:
    return [
        HistoryRow(r["metric_code"], r["source_snippet"], r["unit"], r["measure"], r.get("breakdown", "")) for r in rows
    ]


def propose_code(snippet: str, figure: str) -> str:
    """A new metric code from the sentence's content words near the figure: ``new:<word>_<word>``."""
    ws = [w for w in words(snippet) if len(w) > 3 and "'" not in w][:3]
    return "new:" + ("_".join(ws) if ws else "metric")
