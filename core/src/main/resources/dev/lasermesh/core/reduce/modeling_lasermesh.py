"""Transformers classes of a Lasermesh factored model folder (written by `lasermesh reduce --factored`).

The folder's config.json names them through `auto_map`, so transformers builds the model with

    AutoModelForCausalLM.from_pretrained(folder, trust_remote_code=True)

Each class is the family's own causal LM (Llama, Mistral, Qwen2) in which the modules listed in the config's
`lasermesh_ranks` (module path -> rank k; the same matrices as lasermesh-ranks.json) are low-rank stand-ins
(lasermesh_low_rank.py) whose parameter names are the factor tensors in the safetensors. The model_type is
the family's with a `lasermesh_` prefix, so loading without trust_remote_code fails instead of building the
plain family with freshly initialised linears where the factors are.
"""
from transformers import (LlamaConfig, LlamaForCausalLM, MistralConfig, MistralForCausalLM, Qwen2Config,
                          Qwen2ForCausalLM)

from .lasermesh_low_rank import install_low_rank


class LowRankCausalLM:
    """Mixin: puts the low-rank modules in place when the model is built, before transformers initialises,
    ties or loads any weight (post_init is the last step of the family's __init__)."""

    def post_init(self):
        install_low_rank(self, getattr(self.config, "lasermesh_ranks", None) or {})
        super().post_init()


class LasermeshLlamaConfig(LlamaConfig):
    model_type = "lasermesh_llama"


class LasermeshLlamaForCausalLM(LowRankCausalLM, LlamaForCausalLM):
    config_class = LasermeshLlamaConfig


class LasermeshMistralConfig(MistralConfig):
    model_type = "lasermesh_mistral"


class LasermeshMistralForCausalLM(LowRankCausalLM, MistralForCausalLM):
    config_class = LasermeshMistralConfig


class LasermeshQwen2Config(Qwen2Config):
    model_type = "lasermesh_qwen2"


class LasermeshQwen2ForCausalLM(LowRankCausalLM, Qwen2ForCausalLM):
    config_class = LasermeshQwen2Config
