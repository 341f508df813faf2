"""Counts read right in the singular and the plural."""

from __future__ import annotations

from app.services import words


def test_words_count_is_singular_for_one_only():
    assert words.count(1, "AI system") == "1 AI system"
    assert words.count(0, "AI system") == "0 AI systems"
    assert words.count(1, "entry", "entries") == "1 entry"
    assert words.count(2, "entry", "entries") == "2 entries"
    assert words.count(1200, "point") == "1,200 points"


def test_words_plural_gives_the_noun_alone():
    assert words.plural(1, "point") == "point" and words.plural(3, "point") == "points"
