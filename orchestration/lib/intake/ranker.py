"""Rank metric codes for a new sentence by how closely it matches earlier reports' snippets (Okapi BM25).

Each earlier figure row is one document: the words of its snippet (stemmed crudely: "arrested", "arrests" ->
"arrest") and two marker words for its unit and measure (``_u_percent``, ``_m_pct_change``), so that "12.5%"
prefers percentage metrics. Each catalogue metric adds one more document, its code's words, name and
definition, so that a metric seen once still has words. A metric's score is its best document's score plus a bonus for how many of
its documents match at all (``SUPPORT_WEIGHT`` x log(1 + matches)): a metric that recurs in every report wins
ties. A level printed in a unit other than a bare count (``12.5%``, ``£4.93m``) only ranks metrics of that
unit. Pure Python, explainable: ``explain`` lists the shared words.

The weights were chosen on the leave-one-out benchmark (``bench/bench_intake.py``); extra weight on the words
next to the figure and on a table's header and heading were tried there and lowered top-3 accuracy.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STOPWORDS = frozenset(
    """a an and are as at be been by for from has have in is it of on or that the their there this to was were
    which with we our its than per cent has had will also into over who all more these those they them being
    this been than such other some any each most were total number numbers""".split()  # noqa: SIM905
)
WORD = re.compile(r"[a-z][a-z']+")
SUPPORT_WEIGHT = 1.0


def stem(word: str) -> str:
    w = word.rstrip("'s") if word.endswith("'s") else word
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ers", "er", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            w = w[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    return w.rstrip("e") if len(w) > 4 else w


def words(text: str) -> list[str]:
    return [stem(w) for w in WORD.findall(text.lower().replace("\u2019", "'")) if w not in STOPWORDS]


def markers(unit: str, measure: str) -> list[str]:
    return [f"_u_{unit}", f"_m_{measure}"]


def bag(snippet: str, unit: str, measure: str) -> Counter[str]:
    """The bag of words of a figure in its sentence, with its unit and measure markers."""
    return Counter(words(snippet) + markers(unit, measure))


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
        self.docs = [bag(r.snippet, r.unit, r.measure) for r in self.rows]
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

    def row_scores(self, query: Counter[str]) -> dict[int, float]:
        scores: dict[int, float] = defaultdict(float)
        for w, qw in query.items():
            idf = self.idf.get(w)
            if idf is None:
                continue
            for i in self.postings[w]:
                tf = self.docs[i][w]
                norm = tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * self.lengths[i] / self.avg))
                scores[i] += idf * norm * qw
        return scores

    def rank(
        self,
        snippet: str,
        unit: str,
        measure: str,
        top: int = 3,
        allowed: Mapping[str, str] | None = None,
    ) -> list[tuple[str, float, int]]:
        """Best metric codes for a sentence: (metric_code, score, index of its best history row).

        ``allowed`` (metric_code -> catalogue unit), when given, keeps a level (measure ``value``) in a unit other
        than a bare count to the metrics of that unit: "12.5%" is never a headcount.
        """
        scores = self.row_scores(bag(snippet, unit, measure))
        by_code: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for i, s in scores.items():
            code = self.rows[i].metric_code
            if allowed is not None and measure == "value" and unit != "count" and allowed.get(code, unit) != unit:
                continue
            by_code[code].append((s, i))
        ranked = []
        for code, hits in by_code.items():
            hits.sort(reverse=True)
            score = hits[0][0] + SUPPORT_WEIGHT * math.log1p(len(hits))
            ranked.append((code, score, hits[0][1]))
        ranked.sort(key=lambda t: (-t[1], t[0]))
        return ranked[:top]

    def explain(self, snippet: str, row: int) -> list[str]:
        """The words a sentence shares with a history document: why it ranked."""
        return sorted(set(words(snippet)) & set(self.docs[row]))

    def coverage(self, snippet: str, row: int) -> float:
        """Share of the sentence's words (weighted by rarity, idf) that the history document has too: 0 to 1.

        A word never seen in the history weighs as the rarest seen word."""
        query = sorted(set(words(snippet)))  # sorted: float sums in a fixed order, bit for bit
        if not query:
            return 0.0
        rarest = max(self.idf.values(), default=1.0)
        total = sum(self.idf.get(w, rarest) for w in query)
        shared = sum(self.idf[w] for w in query if w in self.docs[row])
        return shared / total


def history_from_rows(
    rows: Iterable[Mapping[str, str]], catalogue: Iterable[Mapping[str, str]] = ()
) -> list[HistoryRow]:
    """History documents: one per earlier figure row, and one per catalogue metric (its code, name and definition)."""
    out = [
        HistoryRow(r["metric_code"], r["source_snippet"], r["unit"], r["measure"], r.get("breakdown", "")) for r in rows
    ]
    out += [
        HistoryRow(
            m["metric_code"],
            f"{m['metric_code'].replace('_', ' ')} {m['metric_name']} {m['definition']}",
            m["unit"],
            "value",
        )
        for m in catalogue
    ]
    return out


def propose_code(snippet: str, figure: str) -> str:
    """A new metric code from the sentence's content words, nearest the figure first: ``new:<word>_<word>``."""
    raw = [w for w in WORD.findall(snippet.lower()) if w not in STOPWORDS and len(w) > 3 and "'" not in w]
    tokens = snippet.lower().split()
    fig = figure.lower().split()[0] if figure.split() else ""
    at = next((i for i, t in enumerate(tokens) if fig and fig in t), 0)
    place = {w: min((abs(i - at) for i, t in enumerate(tokens) if w in t), default=99) for w in raw}
    ws = sorted(dict.fromkeys(raw), key=lambda w: place[w])[:3]
    return "new:" + ("_".join(ws) if ws else "metric")
