"""Checks the low-rank modules of a Lasermesh factored folder with PyTorch (no transformers needed).

Imports the folder's own lasermesh_low_rank.py, puts its modules in place of dense ones at the paths of the
config's `lasermesh_ranks` (install_low_rank, as modeling_lasermesh.py does inside transformers), loads the
folder's factor tensors into them with load_state_dict(strict=True), and compares what each module computes
on random inputs with the dense weights of the dense output of the same truncation. Prints one JSON line.

usage: check_low_rank.py FACTORED_DIR DENSE_DIR   (with the benchmark's torch_eval.py beside it, for its reader)
"""
import json
import os
import sys

import torch
from torch import nn

from torch_eval import read_safetensors


def dense_module_tree(ranks, dense):
    """A module tree with the dense layers at the factored paths: nn.Embedding for embeddings, else nn.Linear."""
    root = nn.Module()
    for path in ranks:
        *parents, name = path.split(".")
        node = root
        for p in parents:
            if not hasattr(node, p):
                node.add_module(p, nn.Module())
            node = getattr(node, p)
        out_features, in_features = dense[path + ".weight"].shape
        node.add_module(name, nn.Embedding(out_features, in_features) if name == "embed_tokens"
                        else nn.Linear(in_features, out_features, bias=False))
    return root


def main():
    factored_dir, dense_dir = sys.argv[1], sys.argv[2]
    sys.path.insert(0, factored_dir)
    from lasermesh_low_rank import install_low_rank

    ranks = json.load(open(os.path.join(factored_dir, "config.json")))["lasermesh_ranks"]
    factored = read_safetensors(os.path.join(factored_dir, "model.safetensors"))
    dense = read_safetensors(os.path.join(dense_dir, "model.safetensors"))
    root = dense_module_tree(ranks, dense)
    install_low_rank(root, ranks)
    root.load_state_dict({k: factored[k] for k in root.state_dict()}, strict=True)
    torch.manual_seed(1)
    worst = 0.0
    kinds = {}
    with torch.no_grad():
        for path in ranks:
            module = root.get_submodule(path)
            w = dense[path + ".weight"].double()
            if path.endswith("embed_tokens"):
                ids = torch.randint(0, w.shape[0], (64,))
                got, want = module(ids).double(), w[ids]
            else:
                x = torch.randn(16, w.shape[1])
                got, want = module(x).double(), x.double() @ w.T
            worst = max(worst, ((got - want).abs().max() / want.abs().max()).item())
            kinds[path] = {"type": type(module).__name__, "rank": module.rank}
    print(json.dumps({"modules": kinds, "max_relative_error": worst, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
