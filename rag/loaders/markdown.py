"""Markdown articles: YAML front matter for metadata, and just enough de-marking that quotes read cleanly."""

from __future__ import annotations

import re

import frontmatter
import yaml

from rag.days import parse_date
from rag.errors import LoadError
from rag.types import Article

from .article import build_article, title_from_name

# Every pattern stops scanning at the next delimiter or line end, so no input makes it quadratic:
# an upload of "**x **x ..." or "[[[[..." on one long line must not hold the CPU for minutes.
_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_RULE = re.compile(r"^ {0,3}(?:[-*_=][ \t]*){3,}$", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\([^()\n]*\)")
_REF_LINK = re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]*\]")
_REF_DEF = re.compile(r"^ {0,3}\[[^\[\]\n]+\]:[ \t]+\S.*$", re.MULTILINE)
_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1)[^\n])+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_DATE_KEYS = ("published", "date", "published_at")


def markdown_to_text(markdown: str) -> str:
    """Strip the markup a reader would not see (hashes, link targets, images, emphasis), keep the words."""
    text = _IMAGE.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _REF_DEF.sub("", text)
    text = _RULE.sub("", text)
    text = _HEADING.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    return _EMPHASIS.sub(r"\1", text)


def split_h1(markdown: str) -> tuple[str, str]:
    """Take the first ``# Heading`` out of the body, since it becomes the title."""
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        match = _H1.match(line)
        if match:
            return markdown_to_text(match.group(1)), "\n".join(lines[:index] + lines[index + 1 :])
    return "", markdown


def article_from_markdown(text: str, source: str, name: str) -> Article:
    """A Markdown article; front matter title/url/date win over what the body says."""
    try:
        meta, body = frontmatter.parse(text)
    except yaml.YAMLError as err:
        raise LoadError(f"has malformed YAML front matter: {_first_line(err)}") from err
    heading, body = split_h1(body)
    title = _string(meta.get("title")) or heading
    published = next((date for key in _DATE_KEYS if (date := parse_date(meta.get(key)))), None)
    return build_article(
        markdown_to_text(body),
        source=source,
        title=title,
        url=_string(meta.get("url") or meta.get("link")),
        published=published,
        article_id=_string(meta.get("id")),
        fallback_title=title_from_name(name),
    )


def _string(value: object) -> str:
    return str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
