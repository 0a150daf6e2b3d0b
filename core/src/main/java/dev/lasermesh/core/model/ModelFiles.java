package dev.lasermesh.core.model;

import dev.lasermesh.core.tensor.ShardIndex;
import java.util.Set;

/**
 * The files that make a Hugging Face model folder a model: its config and generation config, the
 * tokenizer's files, the weights (safetensors, single or sharded) and their index, and the model card.
 * Anything else a folder holds (notes, scripts, a licence, an earlier report) is an extra the model does
 * without; a service that must be careful about what it reads or copies can tell the two apart.
 */
public final class ModelFiles {

    private static final Set<String> NAMED = Set.of(ModelSource.CONFIG_FILE, "generation_config.json",
            "tokenizer.json", "tokenizer_config.json", "tokenizer.model", "special_tokens_map.json",
            "added_tokens.json", "vocab.json", "merges.txt", ShardIndex.FILE_NAME, "README.md");

    private ModelFiles() {
    }

    /** Whether a file of this name in a model folder is part of the model. */
    public static boolean partOfModel(String fileName) {
        return NAMED.contains(fileName) || fileName.endsWith(".safetensors");
    }
}
