"""The BERT encoder layers in NumPy: what runs when onnxruntime cannot (``rag.bert_onnx`` is the usual path).

The same arithmetic as the ONNX graph, on the same prepared weights; a test pins both to
sentence-transformers' vectors. The embedding step (a table lookup and a layer norm) runs here
for both runtimes.
"""

from __future__ import annotations

import numpy as np

_SQRT_2_OVER_PI = np.float32(np.sqrt(2.0 / np.pi))


def prepared(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Linear weights stored as contiguous (in, out) matrices, query/key/value fused into one.

    ``x @ W.T`` on the stored (out, in) layout is slower than on a contiguous copy.
    """
    out = dict(weights)
    layer = 0
    while f"encoder.layer.{layer}.attention.self.query.weight" in weights:
        p = f"encoder.layer.{layer}."
        parts = [f"{p}attention.self.{name}" for name in ("query", "key", "value")]
        out[f"{p}qkv.weight"] = np.ascontiguousarray(
            np.concatenate([weights[f"{q}.weight"] for q in parts]).T
        )
        out[f"{p}qkv.bias"] = np.concatenate([weights[f"{q}.bias"] for q in parts])
        for q in parts:
            del out[f"{q}.weight"], out[f"{q}.bias"]
        for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
            out[f"{p}{name}.weight"] = np.ascontiguousarray(weights[f"{p}{name}.weight"].T)
        layer += 1
    return out


def embedded(w: dict[str, np.ndarray], ids: np.ndarray, eps: float) -> np.ndarray:
    """Token, position and segment embeddings of a padded batch, layer-normalised: the first layer's input."""
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
    )
    x = x + w["embeddings.token_type_embeddings.weight"][0]
    return layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)


def encoder_layers(
    w: dict[str, np.ndarray], x: np.ndarray, mask: np.ndarray, heads: int, layers: int, eps: float
) -> np.ndarray:
    """The last layer's hidden states of ``layers`` BERT layers; ``mask`` is 1.0 on real tokens."""
    bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
    for layer in range(layers):
        x = _layer(w, x, bias, f"encoder.layer.{layer}.", heads, eps)
    return x


def _layer(
    w: dict[str, np.ndarray], x: np.ndarray, bias: np.ndarray, p: str, heads: int, eps: float
) -> np.ndarray:
    n, length, dim = x.shape
    head = dim // heads
    # One matmul for query, key and value (weights fused and pre-transposed at load time).
    qkv = (x @ w[f"{p}qkv.weight"] + w[f"{p}qkv.bias"]).reshape(n, length, 3, heads, head)
    q, k, v = (qkv[:, :, i].transpose(0, 2, 1, 3) for i in range(3))
    scores = q @ k.transpose(0, 1, 3, 2)
    scores *= np.float32(1.0 / np.sqrt(head))
    scores += bias
    scores -= scores.max(-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(-1, keepdims=True)
    context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, dim)
    attended = context @ w[f"{p}attention.output.dense.weight"] + w[f"{p}attention.output.dense.bias"]
    x = layer_norm(
        x + attended,
        w[f"{p}attention.output.LayerNorm.weight"],
        w[f"{p}attention.output.LayerNorm.bias"],
        eps,
    )
    inner = _gelu(x @ w[f"{p}intermediate.dense.weight"] + w[f"{p}intermediate.dense.bias"])
    out = inner @ w[f"{p}output.dense.weight"] + w[f"{p}output.dense.bias"]
    return layer_norm(x + out, w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"], eps)


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """Layer normalisation over the last axis, in place on a centred copy."""
    centred = x - x.mean(-1, keepdims=True)
    scale = np.einsum("...i,...i->...", centred, centred)[..., None]
    scale *= np.float32(1.0 / x.shape[-1])
    scale += np.float32(eps)
    np.sqrt(scale, out=scale)
    centred /= scale
    centred *= weight
    centred += bias
    return np.asarray(centred)


def _gelu(x: np.ndarray) -> np.ndarray:
    # The tanh form of GELU differs from the erf form by under 1e-3 per activation; the
    # embeddings agree with torch's to a cosine of 0.99999 (pinned by a test).
    # 0.5 * (1 + tanh(z)) is computed as 1 / (1 + exp(-2z)): the same value, but NumPy's
    # float32 exp is vectorised where its tanh is not. x * x * x, not x**3: NumPy's float32
    # power is slower still.
    z = x * x
    z *= np.float32(0.044715)
    z += np.float32(1.0)
    z *= x
    z *= np.float32(-2.0) * _SQRT_2_OVER_PI
    np.minimum(z, np.float32(80.0), out=z)  # exp(80) is finite in float32: no overflow warning
    np.exp(z, out=z)
    z += np.float32(1.0)
    return np.asarray(np.divide(x, z, out=z))
