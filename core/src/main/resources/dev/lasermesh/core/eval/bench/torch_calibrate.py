"""PyTorch baseline for `lasermesh bench calibrate`: the calibration statistics of SVD-LLM's reference code
(forward hooks on the linears, X in float32 from the model, X^T X accumulated in float64), here also the
column sums of X, on the same windows and weights as Lasermesh. The forward is torch_eval.forward (float32,
no logits: calibration needs none), its linears nn.Linear modules. One hook per distinct input, as
Lasermesh collects them (DESIGN 7.4): q_proj (k_proj, v_proj share its input), o_proj, gate_proj (up_proj
shares it) and down_proj; a hook on every linear would only repeat the work. Windows run in batches of
--batch. Writes the Grams of the --save layers (sites in the order above, float64 little-endian, full
matrices) and prints one JSON line with the timing, the torch version and its BLAS.

usage: torch_calibrate.py --model DIR --ids FILE --window 128 --threads 2 --batch 1 --repeats 2
                          --save 0,29 --out FILE
"""
import json

import torch
import torch.nn as nn

from torch_encoder import blas
from torch_eval import best_of, bench_arguments, forward, load, read_windows

HOOKED = ["self_attn.q_proj.weight", "self_attn.o_proj.weight", "mlp.gate_proj.weight", "mlp.down_proj.weight"]
LINEARS = HOOKED + ["self_attn.k_proj.weight", "self_attn.v_proj.weight", "mlp.up_proj.weight"]


def modules(cfg, w):
    out = {}
    for l in range(cfg["num_hidden_layers"]):
        for s in LINEARS:
            name = "model.layers.%d.%s" % (l, s)
            m = nn.Linear(w[name].shape[1], w[name].shape[0], bias=False)
            m.weight = nn.Parameter(w[name], requires_grad=False)
            out[name] = m
    return out


def hook(stats):
    def collect(module, inputs, output):
        x = inputs[0].reshape(-1, inputs[0].shape[-1]).double()
        if "gram" not in stats:
            stats["gram"] = torch.zeros(x.shape[1], x.shape[1], dtype=torch.float64)
            stats["sum"] = torch.zeros(x.shape[1], dtype=torch.float64)
        stats["gram"].addmm_(x.T, x)
        stats["sum"] += x.sum(0)
    return collect


def calibrate(cfg, w, linears, windows, batch):
    stats = {}
    handles = []
    for name, m in linears.items():
        if any(name.endswith(s) for s in HOOKED):
            stats[name] = {}
            handles.append(m.register_forward_hook(hook(stats[name])))
    for i in range(0, windows.shape[0], batch):
        forward(cfg, w, windows[i:i + batch], linear=lambda x, name: linears[name](x), logits=False)
    for h in handles:
        h.remove()
    return stats


def main():
    ap = bench_arguments()
    ap.add_argument("--save", default="0", help="comma-separated layers whose Grams are written")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg, w = load(a.model)
    linears = modules(cfg, w)
    windows = read_windows(a.ids, a.window)
    n = windows.shape[0]
    best, stats = best_of(a.repeats, lambda: calibrate(cfg, w, linears, windows[:min(n, a.batch)], a.batch),
                          lambda: calibrate(cfg, w, linears, windows, a.batch))
    with open(a.out, "wb") as f:
        for l in (int(s) for s in a.save.split(",")):
            for s in HOOKED:
                stats["model.layers.%d.%s" % (l, s)]["gram"].numpy().astype("<f8").tofile(f)
    print(json.dumps({"seconds": best, "tokens": n * a.window, "tokens_per_s": n * a.window / best,
                      "batch": a.batch, "threads": a.threads, "torch": torch.__version__, "blas": blas()}))

if __name__ == "__main__":
    main()
