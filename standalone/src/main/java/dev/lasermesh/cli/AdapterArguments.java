package dev.lasermesh.cli;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The two arguments of every LoRA command: the base model and the adapter trained on it. */
public final class AdapterArguments {

    @Parameters(index = "0", paramLabel = "BASE", description = "The base model folder.")
    Path base;

    @Parameters(index = "1", paramLabel = "ADAPTER",
            description = "The PEFT adapter folder (adapter_config.json, adapter_model.safetensors).")
    Path adapter;
}
