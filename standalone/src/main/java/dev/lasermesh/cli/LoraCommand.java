package dev.lasermesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lasermesh lora}: LoRA adapters and the spectrum. */
@Command(name = "lora", mixinStandardHelpOptions = true,
        description = "Read PEFT LoRA adapters: merge them into their base, or see what the fine-tune did to each matrix.",
        subcommands = {LoraMergeCommand.class, LoraAnalyzeCommand.class, CommandLine.HelpCommand.class})
final class LoraCommand {
}
