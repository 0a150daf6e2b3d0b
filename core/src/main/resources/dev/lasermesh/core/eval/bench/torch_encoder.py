"""PyTorch baseline for `lasermesh bench eval --encoder`: sentence embeddings of a BERT encoder folder
(transformers' BertModel in float32, written out with torch ops: post-LN layers, exact erf GELU, SDPA
attention with the padding mask as an additive bias, token type 0, positions 0..n-1) on the batches
Lasermesh embeds, pooled the same way (mean over the real tokens or [CLS], then L2 normalisation when
asked), timed. The weights are read from the folder's safetensors by torch_eval.load (same folder).
Each batch is padded to its longest sequence with an attention mask, as transformers and
sentence-transformers run a batch; with --per-text every text runs alone (no padding, smaller
products). Writes the embeddings as little-endian float64 rows and prints one
JSON line with the timing, the torch version and the BLAS it was built with.

usage: torch_encoder.py --model DIR --batches FILE --out FILE --pooling mean|cls [--normalize]
                        [--per-text] --threads 2 --repeats 2
"""
import argparse
import json
import math
import re
import time

import torch
import torch.nn.functional as F

from torch_eval import load

WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


def tensor_prefix(w):
    """The prefix of the BERT tensor names ('' for a BertModel folder, 'bert.' for a task head's)."""
    for name in w:
        if name.endswith(WORD_EMBEDDINGS):
            return name[:-len(WORD_EMBEDDINGS)]
    raise SystemExit("no tensor named *" + WORD_EMBEDDINGS + " in the model folder")


def encode(cfg, w, p, ids, mask):
    b, t = ids.shape
    h = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    hd = h // heads
    eps = cfg.get("layer_norm_eps", 1e-12)
    x = (F.embedding(ids, w[p + WORD_EMBEDDINGS]) + w[p + "embeddings.token_type_embeddings.weight"][0]) \
        + w[p + "embeddings.position_embeddings.weight"][:t]
    x = F.layer_norm(x, (h,), w[p + "embeddings.LayerNorm.weight"], w[p + "embeddings.LayerNorm.bias"], eps)
    bias = (1.0 - mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
    for l in range(cfg["num_hidden_layers"]):
        a = p + "encoder.layer.%d." % l
        q = F.linear(x, w[a + "attention.self.query.weight"], w[a + "attention.self.query.bias"])
        k = F.linear(x, w[a + "attention.self.key.weight"], w[a + "attention.self.key.bias"])
        v = F.linear(x, w[a + "attention.self.value.weight"], w[a + "attention.self.value.bias"])
        q, k, v = (m.view(b, t, heads, hd).transpose(1, 2) for m in (q, k, v))
        c = F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2).reshape(b, t, h)
        x = F.layer_norm(x + F.linear(c, w[a + "attention.output.dense.weight"], w[a + "attention.output.dense.bias"]),
                         (h,), w[a + "attention.output.LayerNorm.weight"], w[a + "attention.output.LayerNorm.bias"], eps)
        u = F.gelu(F.linear(x, w[a + "intermediate.dense.weight"], w[a + "intermediate.dense.bias"]))
        x = F.layer_norm(x + F.linear(u, w[a + "output.dense.weight"], w[a + "output.dense.bias"]),
                         (h,), w[a + "output.LayerNorm.weight"], w[a + "output.LayerNorm.bias"], eps)
    return x


def pool(x, mask, pooling, normalize):
    if pooling == "cls":
        v = x[:, 0]
    else:
        m = mask[:, :, None].to(x.dtype)
        v = (x * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return F.normalize(v, p=2, dim=1) if normalize else v


def padded(batch):
    """ids and attention mask of one batch, padded with 0 to its longest sequence."""
    t = max(len(s) for s in batch)
    ids = torch.zeros(len(batch), t, dtype=torch.long)
    mask = torch.zeros(len(batch), t, dtype=torch.long)
    for i, s in enumerate(batch):
        ids[i, :len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, :len(s)] = 1
    return ids, mask


def embed_all(cfg, w, p, batches, pooling, normalize):
    return torch.cat([pool(encode(cfg, w, p, ids, mask), mask, pooling, normalize) for ids, mask in batches])


def blas():
    """The BLAS PyTorch was built with (BLAS_INFO and the MKL line of torch.__config__.show())."""
    shown = torch.__config__.show()
    info = re.search(r"BLAS_INFO=([^,\s]+)", shown)
    mkl = re.search(r"Intel\(R\) (?:oneAPI )?Math Kernel Library Version ([^\n]+)", shown)
    cpu = re.search(r"CPU capability usage: (\S+)", shown)
    parts = ["BLAS_INFO=" + (info.group(1) if info else "unknown")]
    if mkl:
        parts.append("MKL " + mkl.group(1).strip())
    if cpu:
        parts.append("CPU capability " + cpu.group(1))
    return ", ".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--batches", required=True, help='JSON {"batches": [[[ids of a text], ...], ...]}')
    ap.add_argument("--out", required=True, help="where the embeddings go, float64 little-endian rows")
    ap.add_argument("--pooling", choices=["mean", "cls"], required=True)
    ap.add_argument("--normalize", action="store_true")
    ap.add_argument("--per-text", action="store_true", help="run every text alone instead of in its batch")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg, w = load(a.model)
    p = tensor_prefix(w)
    groups = json.load(open(a.batches))["batches"]
    if a.per_text:
        groups = [[text] for group in groups for text in group]
    batches = [padded(b) for b in groups]
    texts = sum(ids.shape[0] for ids, _ in batches)
    best = math.inf
    with torch.inference_mode():
        embeddings = embed_all(cfg, w, p, batches[:1], a.pooling, a.normalize)
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            embeddings = embed_all(cfg, w, p, batches, a.pooling, a.normalize)
            best = min(best, time.perf_counter() - t0)
    embeddings.double().numpy().astype("<f8").tofile(a.out)
    print(json.dumps({"seconds": best, "texts": texts, "sentences_per_s": texts / best, "threads": a.threads,
                      "padded_tokens": sum(ids.numel() for ids, _ in batches),
                      "torch": torch.__version__, "blas": blas()}))


if __name__ == "__main__":
    main()
