package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Quoted;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.task.TaskFolder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a job's {@code evaluation.task} (DESIGN §7.1): a task folder under the data roots whose
 * {@code train.jsonl} and {@code test.jsonl} resolve inside the roots too (a link out of them is refused
 * like any path) and read as core's {@link TaskFolder} reads them — every line a text and a non-empty
 * label, neither split empty, every test label among the train labels. Each problem is reported on
 * {@code evaluation.task}, naming the file and line by the folder's name as the user gave it.
 */
final class TaskEvaluationCheck {

    private static final String FIELD = "evaluation.task";

    private TaskEvaluationCheck() {
    }

    /** The resolved task evaluation: the folder's real path, no texts and no perplexity fields. */
    static EvaluationSpec resolve(EvaluationSpec given, PathRoots dataRoots) {
        if (given.texts() != null && !given.texts().isEmpty()) {
            throw new ContractException("evaluation takes either texts (perplexity) or a task (knn-accuracy), "
                    + "not both", FIELD);
        }
        Map<String, Object> perplexityOnly = new LinkedHashMap<>();
        perplexityOnly.put("protocol", given.protocol());
        perplexityOnly.put("window", given.window());
        perplexityOnly.put("stride", given.stride());
        perplexityOnly.put("maxTokens", given.maxTokens());
        perplexityOnly.forEach((name, value) -> {
            if (value != null) {
                throw new ContractException("evaluation." + name + " applies to perplexity over texts, not to a task"
                        + " (knn-accuracy); leave it out", "evaluation." + name);
            }
        });
        Path folder = dataRoots.resolve(given.task(), FIELD);
        if (!Files.isDirectory(folder)) {
            throw new ContractException(FIELD + " " + Quoted.of(given.task()) + " is not a folder", FIELD);
        }
        for (String file : List.of(TaskFolder.TRAIN_FILE, TaskFolder.TEST_FILE)) {
            Path path = folder.resolve(file);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                dataRoots.requireInside(path, FIELD + " " + Quoted.of(given.task()) + " file " + file, FIELD);
            }
        }
        try {
            TaskFolder.read(folder);
        } catch (InvalidInputException e) {
            throw new ContractException(FIELD + ": " + e.getMessage().replace(folder.toString(), given.task()), FIELD);
        }
        return EvaluationSpec.ofTask(folder.toString());
    }
}
