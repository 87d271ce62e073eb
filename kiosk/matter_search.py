"""Finding matters by what a citizen types or touches: one rule for every screen.

A pure function over a list of matters, so the hall's `search_matters` and a kiosk searching the
category it already holds (no round trip to the hall server per key press) find the same
matters in the same order.
"""

from __future__ import annotations

from kiosk.models import Matter


def find_matters(matters: list[Matter], query: str) -> list[Matter]:
    """By Chinese name or alias (substring), by pinyin initials (gtgs -> 个体工商户...) or by a
    part of the English name or an English common word (two letters or more, any case). Best first: a name that starts
    with the query, a name holding it, an alias, initials that start with it, initials holding
    it, an English name or English common word; catalog order within each."""
    q = query.strip()
    if not q:
        return list(matters)
    upper = q.upper()
    letters = upper.isascii() and upper.isalpha()
    english = q.casefold() if q.isascii() and len(q) >= 2 else ""
    scored = []
    for i, m in enumerate(matters):
        if q in m.name:
            score = 0 if m.name.startswith(q) else 1
        elif any(q in a for a in m.aliases):
            score = 2
        elif letters and m.initials.startswith(upper):
            score = 3
        elif letters and upper in m.initials:
            score = 4
        elif english and (english in m.name_en.casefold() or any(english in a.casefold() for a in m.aliases_en)):
            score = 5
        else:
            continue
        scored.append((score, i, m))
    return [m for _, _, m in sorted(scored, key=lambda s: s[:2])]
