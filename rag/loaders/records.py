"""JSON and JSON Lines files of article records; each bad record fails alone and the rest still load."""

from __future__ import annotations

import json
from collections.abc import Iterator

from rag.days import parse_date
from rag.errors import LoadError
from rag.textcheck import surrogate_problem
from rag.types import Article, Failure

from .article import build_article, check_length, title_from_name

_TEXT_KEYS = ("text", "content", "body")
_DATE_KEYS = ("published", "date", "published_at")
_LIST_KEYS = ("articles", "items", "data")
# The json module recurses once per nesting level; a hostile file nests thousands deep.
_TOO_DEEP = "is nested too deeply to be an article record (JSON arrays or objects thousands of levels deep)"


def load_json(text: str, path: str, max_chars: int) -> Iterator[Article | Failure]:
    """A ``.json`` file: one record, a list of records, or an object holding a list under a known key."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        yield Failure(path, f"is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})")
        return
    except RecursionError:
        yield Failure(path, _TOO_DEEP)
        return
    records = _records_of(value)
    if records is None:
        yield Failure(path, f"holds a JSON {type(value).__name__}, not an article record or a list of them")
    elif not records:
        yield Failure(path, "has no records")
    for number, record in enumerate(records or [], start=1):
        yield _load_record(record, path, number, max_chars)


def load_jsonl(text: str, path: str, max_chars: int) -> Iterator[Article | Failure]:
    """A ``.jsonl`` file: one record per line; blank lines are skipped, and ``#n`` is the line number."""
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Failure(record_source(path, number), f"line {number} is not valid JSON: {err.msg}")
            continue
        except RecursionError:
            yield Failure(record_source(path, number), f"line {number} {_TOO_DEEP}")
            continue
        yield _load_record(record, path, number, max_chars)
    if not found:
        yield Failure(path, "has no records")


def record_source(path: str, number: int) -> str:
    """The source name of one record, so a failure or citation points at the right one."""
    return f"json:{path}#{number}"


def _records_of(value: object) -> list[object] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        listed = next((value[key] for key in _LIST_KEYS if isinstance(value.get(key), list)), None)
        return listed if listed is not None else [value]
    return None


def _load_record(record: object, path: str, number: int, max_chars: int) -> Article | Failure:
    source = record_source(path, number)
    try:
        return article_from_record(record, source, f"{title_from_name(path)} #{number}", max_chars)
    except LoadError as err:
        return Failure(source, str(err))


def article_from_record(record: object, source: str, fallback_title: str, max_chars: int) -> Article:
    """One record's fields as an Article; raises LoadError when it is not an object, has no text,
    has text over ``max_chars`` or text that is not valid Unicode."""
    if not isinstance(record, dict):
        raise LoadError(f"record is a JSON {type(record).__name__}, not an object with a text field")
    text = next((value for key in _TEXT_KEYS if _string(value := record.get(key))), "")
    if not text:
        raise LoadError('record has no text (expected a non-empty "text", "content" or "body" field)')
    check_length(len(text), max_chars)
    record_id = record.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, (str, int)):
        record_id = ""
    fields = {"text": text, "title": _string(record.get("title")), "url": _string(record.get("url"))}
    fields["id"] = str(record_id).strip()
    for name, value in fields.items():
        if problem := surrogate_problem(value, f"record's {name}"):
            raise LoadError(problem)
    return build_article(
        text,
        source=source,
        title=fields["title"],
        url=fields["url"],
        published=next((date for key in _DATE_KEYS if (date := parse_date(record.get(key)))), None),
        article_id=fields["id"],
        fallback_title=fallback_title,
    )


def _string(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
