"""Low-rank layers of a Lasermesh factored model folder (PyTorch only; written by `lasermesh reduce --factored`).

A weight W (out x in) reduced to rank k, W_k = U_k diag(S_k) V_k^T, is stored as two factors in the layout of
`nn.Sequential(nn.Linear(in, k, bias=False), nn.Linear(k, out, bias=False))`:

    <module>.0.weight = diag(sqrt(S_k)) V_k^T   (k x in),  applied first
    <module>.1.weight = U_k diag(sqrt(S_k))     (out x k), applied second

so that x -> (x A^T) B^T = x W_k^T with k (in + out) parameters instead of in * out. A bias of the original
linear (Qwen2's q/k/v projections) keeps its name, <module>.bias. An embedding matrix (vocab x hidden) stores
the same two factors; looking up a row of U_k sqrt(S_k) and multiplying it by sqrt(S_k) V_k^T gives the row
of W_k.

`install_low_rank(model, ranks)` puts these layers in place of the dense ones before the weights are loaded;
`ranks` maps a module path (the tensor name without ".weight") to k, as `lasermesh_ranks` in config.json.
"""
import torch
from torch import nn


class LowRankLinear(nn.Sequential):
    """nn.Linear(in_features, out_features) of rank `rank`: Linear(in, k) then Linear(k, out), plus the bias."""

    def __init__(self, in_features, out_features, rank, bias=False, device=None, dtype=None):
        super().__init__(nn.Linear(in_features, rank, bias=False, device=device, dtype=dtype),
                         nn.Linear(rank, out_features, bias=False, device=device, dtype=dtype))
        self.in_features = in_features
        self.out_features = out_features
        self.rank = rank
        if bias:
            self.bias = nn.Parameter(torch.empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)

    def forward(self, x):
        y = super().forward(x)
        return y if self.bias is None else y + self.bias


class LowRankEmbedding(nn.Module):
    """nn.Embedding(num_embeddings, embedding_dim) of rank `rank`, with the parameter names of LowRankLinear."""

    def __init__(self, num_embeddings, embedding_dim, rank, padding_idx=None, device=None, dtype=None):
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = padding_idx
        self.rank = rank
        self.add_module("0", nn.Linear(embedding_dim, rank, bias=False, device=device, dtype=dtype))
        self.add_module("1", nn.Embedding(num_embeddings, rank, padding_idx=padding_idx, device=device, dtype=dtype))

    def forward(self, ids):
        return self.get_submodule("1")(ids) @ self.get_submodule("0").weight


def low_rank_like(dense, rank):
    """The low-rank stand-in for `dense` (an nn.Linear or nn.Embedding) at rank `rank`, on its device and dtype."""
    weight = dense.weight
    out_features, in_features = weight.shape
    if not 1 <= rank <= min(out_features, in_features):
        raise ValueError(f"rank {rank} is outside [1, {min(out_features, in_features)}] for a "
                         f"{out_features} x {in_features} weight")
    if isinstance(dense, nn.Linear):
        return LowRankLinear(in_features, out_features, rank, dense.bias is not None,
                             device=weight.device, dtype=weight.dtype)
    if isinstance(dense, nn.Embedding):
        return LowRankEmbedding(out_features, in_features, rank, dense.padding_idx,
                                device=weight.device, dtype=weight.dtype)
    raise ValueError(f"a {type(dense).__name__} cannot be stored factored (only nn.Linear and nn.Embedding)")


def install_low_rank(model, ranks):
    """Replaces each module named in `ranks` (module path -> k) by its low-rank stand-in."""
    for path, rank in ranks.items():
        parent_path, _, name = path.rpartition(".")
        parent = model.get_submodule(parent_path)
        try:
            setattr(parent, name, low_rank_like(getattr(parent, name), int(rank)))
        except ValueError as e:
            raise ValueError(f"{path}: {e}") from e
