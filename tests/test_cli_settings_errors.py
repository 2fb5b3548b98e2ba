"""A setting the CLI cannot use is named in one line per mistake, with what to do, and exit code 2."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import rag


def test_a_short_api_key_is_one_clear_line(tmp_path: Path) -> None:
    result = rag("serve", "--port", "65535", data_dir=tmp_path / "data", RAG_API_KEYS="k1")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: RAG_API_KEYS: key 1 of 1 has 2 characters"), lines
    assert "secrets.token_urlsafe" in lines[0]  # how to make a good one
    assert "pydantic" not in result.stderr and "k1" not in result.stderr.replace("key 1 of 1", "")


def test_each_bad_setting_is_named_by_its_variable(tmp_path: Path) -> None:
    result = rag("articles", data_dir=tmp_path / "data", RAG_TOP_K="many", RAG_FETCH_TIMEOUT="-1")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in lines] == ["RAG_TOP_K", "RAG_FETCH_TIMEOUT"], lines
    assert "valid integer" in lines[0] and "greater than 0" in lines[1]
    assert "pydantic" not in result.stderr and "validation error" not in result.stderr


def test_a_port_out_of_range_is_refused_not_wrapped_around(tmp_path: Path) -> None:
    # 70000 was handed to the socket, which listened on 70000 - 65536 = 4464 while saying 70000.
    for port in ("70000", "-1"):
        result = rag("serve", "--port", port, data_dir=tmp_path / "data")
        assert result.returncode == 2, (port, result.stderr)
        assert "1 to 65535" in result.stderr and "Serving" not in result.stderr


def test_serving_an_open_api_beyond_loopback_is_a_user_error(tmp_path: Path) -> None:
    # It exited 1 ("failed:"), the code the README keeps for a broken store or model.
    result = rag(
        "serve", "--host", "0.0.0.0", "--port", "1", data_dir=tmp_path / "data", RAG_API_KEYS="",
        RAG_ALLOW_REMOTE="false",
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: Refusing to listen on 0.0.0.0 without API keys"), lines
    assert "--allow-remote" in lines[0] and "Serving" not in result.stderr
