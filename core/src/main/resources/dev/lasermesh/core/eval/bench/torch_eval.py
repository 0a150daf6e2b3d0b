"""PyTorch baseline for `lasermesh bench eval`: the laserrmt perplexity of a Llama-family model folder
on given token windows, timed. The forward pass is transformers' LlamaForCausalLM (SDPA attention,
float32) written out with torch ops, reading the folder's safetensors directly; log-softmax and NLL in
float64, as the Java evaluator does. Prints one JSON line.

usage: torch_eval.py --model DIR --ids FILE --window 128 --threads 2 --batch 1 --repeats 2
"""
import argparse
import json
import math
import os
import struct
import time

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        raw = bytearray(data[8 + n + begin:8 + n + end])
        out[name] = torch.frombuffer(raw, dtype=DTYPES[e["dtype"]]).reshape(e["shape"]).to(torch.float32)
    return out


def load(folder):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        files = sorted(set(json.load(open(index))["weight_map"].values()))
    else:
        files = ["model.safetensors"]
    w = {}
    for f in files:
        w.update(read_safetensors(os.path.join(folder, f)))
    return cfg, w


def rms_norm(x, weight, eps):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def forward(cfg, w, ids, linear=None, logits=True):
    """Logits of the windows ids [b, t]; the decoder layers' output instead when logits is False. linear(x, name)
    applies the weight named name (default F.linear with w[name]; torch_calibrate.py passes hooked modules)."""
    if linear is None:
        linear = lambda x, name: F.linear(x, w[name])
    b, t = ids.shape
    h = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    kv = cfg.get("num_key_value_heads", heads)
    hd = cfg.get("head_dim", h // heads)
    eps = cfg["rms_norm_eps"]
    inv = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
    ang = torch.outer(torch.arange(t, dtype=torch.float64), inv)
    ang = torch.cat((ang, ang), -1)
    cos, sin = ang.cos().float(), ang.sin().float()
    x = F.embedding(ids, w["model.embed_tokens.weight"])
    for l in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % l
        n = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = linear(n, p + "self_attn.q_proj.weight").view(b, t, heads, hd).transpose(1, 2)
        k = linear(n, p + "self_attn.k_proj.weight").view(b, t, kv, hd).transpose(1, 2)
        v = linear(n, p + "self_attn.v_proj.weight").view(b, t, kv, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(heads // kv, dim=1)
        v = v.repeat_interleave(heads // kv, dim=1)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + linear(a.transpose(1, 2).reshape(b, t, heads * hd), p + "self_attn.o_proj.weight")
        n = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        x = x + linear(F.silu(linear(n, p + "mlp.gate_proj.weight")) * linear(n, p + "mlp.up_proj.weight"),
                       p + "mlp.down_proj.weight")
    if not logits:
        return x
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"]
    return F.linear(rms_norm(x, w["model.norm.weight"], eps), head)


def window_means(cfg, w, windows, batch):
    means = []
    for i in range(0, windows.shape[0], batch):
        chunk = windows[i:i + batch]
        logp = torch.log_softmax(forward(cfg, w, chunk)[:, :-1].double(), dim=-1)
        nll = -logp.gather(-1, chunk[:, 1:, None])[..., 0]
        means.extend(nll.mean(dim=1).tolist())
    return means


def bench_arguments():
    """The options every PyTorch bench baseline takes: the model, the token ids, the windows, threads, batch,
    timed repeats."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--ids", required=True, help="file of whitespace-separated token ids, BOS first")
    ap.add_argument("--window", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=2)
    return ap


def read_windows(ids, window):
    """The token stream of the ids file cut into whole, non-overlapping windows (n x window)."""
    stream = torch.tensor([int(s) for s in open(ids).read().split()], dtype=torch.long)
    n = stream.numel() // window
    return stream[:n * window].view(n, window)


def best_of(repeats, warm_up, run):
    """Runs warm_up once, then run repeats times, without autograd: the fastest seconds and the last result."""
    best = math.inf
    result = None
    with torch.inference_mode():
        warm_up()
        for _ in range(repeats):
            t0 = time.perf_counter()
            result = run()
            best = min(best, time.perf_counter() - t0)
    return best, result


def main():
    a = bench_arguments().parse_args()
    torch.set_num_threads(a.threads)
    cfg, w = load(a.model)
    windows = read_windows(a.ids, a.window)
    n = windows.shape[0]
    best, means = best_of(a.repeats, lambda: window_means(cfg, w, windows[:min(n, a.batch)], a.batch),
                          lambda: window_means(cfg, w, windows, a.batch))
    print(json.dumps({"seconds": best, "tokens": n * a.window, "tokens_per_s": n * a.window / best,
                      "perplexity": math.exp(sum(means) / n), "batch": a.batch, "threads": a.threads,
                      "torch": torch.__version__}))

if __name__ == "__main__":
    main()
