package dev.lasermesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lasermesh study}: experiments that compare several models by perplexity in one table. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Experiments that compare variants of a model by perplexity in one table.",
        subcommands = {StudyLoraCommand.class, CommandLine.HelpCommand.class})
final class StudyCommand {
}
