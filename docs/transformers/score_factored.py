"""Loads a Lasermesh factored output with Hugging Face transformers and scores it.

For a machine with transformers (4.x or 5.x) and PyTorch; Lasermesh's own machines have neither, so this
is where `reduce --factored` meets the real library. It checks that

  1. AutoModelForCausalLM.from_pretrained(FACTORED, trust_remote_code=True) builds the folder's
     modeling_lasermesh.py class with every factor tensor loaded (no missing or unexpected keys) and the
     modules of config.json's `lasermesh_ranks` replaced by low-rank modules of those ranks;
  2. loading FACTORED without trust_remote_code fails instead of building a plain model;
  3. the factored model's perplexity equals the dense output's (same truncation, `reduce` without
     --factored), loaded as a plain model, within --tolerance relative; and, when --expect is given,
     the perplexity `lasermesh eval` printed for the same folder.

Perplexity is laserRMT's protocol as `lasermesh eval` computes it (README, "Perplexity protocols"): the
text tokenized once with the folder's tokenizer.json (no special tokens), the first --max-tokens ids with
one BOS in front, non-overlapping windows of --window tokens (remainder dropped), mean cross-entropy over
the window's shifted positions (log-softmax in float64), ppl = exp(mean over windows). float32 weights and
forward pass.

usage:
  ./lasermesh reduce models/demo-llama --out out/fac --factored --layers 4-5
  ./lasermesh reduce models/demo-llama --out out/dense --layers 4-5
  ./lasermesh eval out/fac --text data/sotu-2009-2021.txt --max-tokens 8192      # note the perplexity
  python3 docs/transformers/score_factored.py --factored out/fac --dense out/dense \\
      --text data/sotu-2009-2021.txt --max-tokens 8192 --expect <perplexity>

Prints one JSON line and exits 1 when a check fails.
"""
import argparse
import json
import math
import os
import sys

import torch
import transformers
from tokenizers import Tokenizer
from transformers import AutoModelForCausalLM


def float32():
    """The float32 load argument: `dtype` since transformers 4.56, `torch_dtype` before."""
    major, minor = (int(part) for part in transformers.__version__.split(".")[:2])
    return {"dtype": torch.float32} if (major, minor) >= (4, 56) else {"torch_dtype": torch.float32}


def windows(folder, text_file, max_tokens, window):
    config = json.load(open(os.path.join(folder, "config.json")))
    text = open(text_file, encoding="utf-8").read()
    ids = Tokenizer.from_file(os.path.join(folder, "tokenizer.json")).encode(text, add_special_tokens=False).ids
    stream = torch.tensor([config["bos_token_id"]] + ids[:max_tokens], dtype=torch.long)
    n = stream.numel() // window
    return stream[:n * window].view(n, window)


def perplexity(model, batches):
    means = []
    with torch.inference_mode():
        for chunk in batches.split(8):
            logits = model(input_ids=chunk).logits[:, :-1].double()
            nll = -torch.log_softmax(logits, dim=-1).gather(-1, chunk[:, 1:, None])[..., 0]
            means.extend(nll.mean(dim=1).tolist())
    return math.exp(sum(means) / len(means))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--factored", required=True)
    ap.add_argument("--dense", required=True)
    ap.add_argument("--text", required=True)
    ap.add_argument("--max-tokens", type=int, default=8192)
    ap.add_argument("--window", type=int, default=128)
    ap.add_argument("--tolerance", type=float, default=1e-5)
    ap.add_argument("--expect", type=float, help="the perplexity lasermesh eval printed for --factored")
    a = ap.parse_args()
    failures = []

    factored, info = AutoModelForCausalLM.from_pretrained(a.factored, trust_remote_code=True, output_loading_info=True,
                                                          **float32())
    factored.eval()
    for key in ("missing_keys", "unexpected_keys", "mismatched_keys"):
        if info.get(key):
            failures.append(f"{key}: {sorted(info[key])[:5]}")
    ranks = json.load(open(os.path.join(a.factored, "config.json")))["lasermesh_ranks"]
    for path, rank in ranks.items():
        module = factored.get_submodule(path)
        if type(module).__name__ not in ("LowRankLinear", "LowRankEmbedding") or module.rank != rank:
            failures.append(f"{path} is a {type(module).__name__} of rank {getattr(module, 'rank', None)}, not rank {rank}")

    try:
        AutoModelForCausalLM.from_pretrained(a.factored, trust_remote_code=False)
        failures.append("loading without trust_remote_code succeeded")
    except (ValueError, OSError, KeyError) as e:
        refused = type(e).__name__ + ": " + str(e).splitlines()[0][:160]
    else:
        refused = None

    dense = AutoModelForCausalLM.from_pretrained(a.dense, **float32()).eval()
    batches = windows(a.factored, a.text, a.max_tokens, a.window)
    ppl_factored = perplexity(factored, batches)
    ppl_dense = perplexity(dense, batches)
    relative = abs(ppl_factored - ppl_dense) / ppl_dense
    if relative > a.tolerance:
        failures.append(f"factored perplexity {ppl_factored} differs from the dense {ppl_dense} by {relative:.2e}")
    if a.expect is not None and abs(ppl_factored - a.expect) / a.expect > a.tolerance:
        failures.append(f"factored perplexity {ppl_factored} differs from lasermesh eval's {a.expect}")

    print(json.dumps({"transformers": transformers.__version__, "torch": torch.__version__,
                      "model_class": type(factored).__name__, "low_rank_modules": len(ranks),
                      "windows": batches.shape[0], "perplexity_factored": ppl_factored, "perplexity_dense": ppl_dense,
                      "relative_difference": relative, "lasermesh_eval": a.expect,
                      "without_trust_remote_code": refused, "failures": failures}))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
