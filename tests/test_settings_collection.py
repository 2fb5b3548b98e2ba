"""The collection name is checked when settings are built, not at the first Chroma call."""

from __future__ import annotations

import pytest

from rag import Settings


@pytest.mark.parametrize("name", ["articles", "news-2026", "a.b_c", "x" * 502])
def test_names_chroma_accepts_are_kept(name: str) -> None:
    assert Settings(collection=name).collection == name


@pytest.mark.parametrize("name", ["ab", "-news", "news_", "with space", "x" * 503, "naïve"])
def test_names_chroma_would_refuse_are_a_settings_error(name: str) -> None:
    with pytest.raises(ValueError, match="collection"):
        Settings(collection=name)
