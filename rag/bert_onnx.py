"""The BERT encoder layers as an ONNX graph, for onnxruntime to run questions and articles through.

Why: at a question's dozen tokens onnxruntime's kernels run MiniLM's six layers faster than
NumPy (OpenBLAS) with the same vectors (docs/benchmarks-answer-speed.md), and articles embed
faster than through torch (docs/benchmarks-ingest.md). The graph is built here, node by node,
from the weights the NumPy layers already read: exporting from torch would load torch and
transformers (seconds of start-up) and ties the result to their exporter's quirks, while this
is a page of plain operators that a test compares with the NumPy layers.

The graph starts after the embedding layer (a table lookup, done in NumPy): inputs are the
embedded tokens ``x`` (batch, tokens, width) and the attention ``mask`` (batch, tokens, 1 for
a real token), the output is the last layer's ``hidden`` states; pooling stays in NumPy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

# Operators used here all exist in opset 17 (LayerNormalization arrived in 17); onnxruntime
# 1.17+ runs it.
OPSET = 17
# Bumped whenever the graph this module builds changes, so cached copies are not reused.
GRAPH_FORMAT = 1


class _Builder:
    """Collects nodes and initializers, naming each output after a running count."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def const(self, name: str, value: np.ndarray | float | list[int]) -> str:
        """A constant tensor; floats become float32 and integer lists int64."""
        if isinstance(value, float):
            array = np.asarray(value, dtype=np.float32)
        elif isinstance(value, list):
            array = np.asarray(value, dtype=np.int64)
        else:
            array = np.asarray(value, order="C")  # (ascontiguousarray would turn a scalar into shape (1,))
        self.initializers.append(self.numpy_helper.from_array(array, name))
        return name

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        """One node; returns the name of its single output."""
        self._count += 1
        out = f"{kind.lower()}_{self._count}"
        self.nodes.append(self.helper.make_node(kind, list(inputs), [out], **attributes))
        return out

    def linear(self, x: str, weights: Mapping[str, np.ndarray], name: str) -> str:
        """``x @ W + b`` with ``W`` stored as a contiguous (in, out) matrix."""
        return self.op("Add", self.op("MatMul", x, self.const(f"{name}.w", weights[f"{name}.weight"])),
                       self.const(f"{name}.b", weights[f"{name}.bias"]))  # fmt: skip

    def layer_norm(self, x: str, weights: Mapping[str, np.ndarray], name: str, eps: float) -> str:
        """Layer normalisation over the last axis."""
        scale = self.const(f"{name}.w", weights[f"{name}.weight"])
        shift = self.const(f"{name}.b", weights[f"{name}.bias"])
        return self.op("LayerNormalization", x, scale, shift, axis=-1, epsilon=eps)


def encoder_graph(weights: Mapping[str, np.ndarray], heads: int, layers: int, eps: float) -> bytes:
    """The serialized ONNX model of ``layers`` BERT layers.

    ``weights`` uses the NumPy layers' prepared layout (``bert_numpy.prepared``): fused
    query/key/value as ``encoder.layer.N.qkv.weight`` and every linear weight as (in, out).
    Needs the ``onnx`` package; raises ImportError without it.
    """
    from onnx import TensorProto

    g = _Builder()
    width = int(weights["encoder.layer.0.qkv.weight"].shape[0])
    head_width = width // heads
    # Padding tokens get -1e9 before the softmax, so real tokens never attend to them.
    one = g.const("one", 1.0)
    padding = g.op("Mul", g.op("Sub", one, "mask"), g.const("minus_inf", -1e9))
    bias = g.op("Unsqueeze", padding, g.const("axes_1_2", [1, 2]))
    split_heads = g.const("split_heads", [0, 0, 3, heads, head_width])
    join_heads = g.const("join_heads", [0, 0, width])
    scale = g.const("scale", float(1.0 / np.sqrt(head_width)))
    picks = [g.const(f"pick_{i}", np.asarray(i, dtype=np.int64)) for i in range(3)]
    half, root_half = g.const("half", 0.5), g.const("root_half", float(1.0 / np.sqrt(2.0)))
    x = "x"
    for layer in range(layers):
        p = f"encoder.layer.{layer}."
        # (batch, tokens, 3, heads, head width) -> (3, batch, heads, tokens, head width)
        qkv = g.op(
            "Transpose", g.op("Reshape", g.linear(x, weights, f"{p}qkv"), split_heads), perm=[2, 0, 3, 1, 4]
        )
        q, k, v = (g.op("Gather", qkv, pick, axis=0) for pick in picks)
        scores = g.op("MatMul", q, g.op("Transpose", k, perm=[0, 1, 3, 2]))
        weights_ = g.op("Softmax", g.op("Add", g.op("Mul", scores, scale), bias), axis=-1)
        context = g.op(
            "Reshape", g.op("Transpose", g.op("MatMul", weights_, v), perm=[0, 2, 1, 3]), join_heads
        )
        attended = g.linear(context, weights, f"{p}attention.output.dense")
        x = g.layer_norm(g.op("Add", x, attended), weights, f"{p}attention.output.LayerNorm", eps)
        inner = g.linear(x, weights, f"{p}intermediate.dense")
        # Exact (erf) GELU, as BERT defines it: 0.5 * h * (1 + erf(h / sqrt(2))).
        gelu = g.op("Mul", g.op("Mul", inner, half),
                    g.op("Add", g.op("Erf", g.op("Mul", inner, root_half)), one))  # fmt: skip
        out = g.linear(gelu, weights, f"{p}output.dense")
        x = g.layer_norm(g.op("Add", x, out), weights, f"{p}output.LayerNorm", eps)
    g.nodes.append(g.helper.make_node("Identity", [x], ["hidden"]))
    graph = g.helper.make_graph(
        g.nodes, "bert_encoder",
        [g.helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", width]),
         g.helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "tokens"])],
        [g.helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", width])],
        g.initializers,
    )  # fmt: skip
    model = g.helper.make_model(graph, opset_imports=[g.helper.make_opsetid("", OPSET)], ir_version=8)
    return bytes(model.SerializeToString())
