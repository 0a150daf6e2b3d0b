package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.task.EncoderModel;
import dev.lasermesh.core.eval.task.TaskReport;
import dev.lasermesh.core.model.ModelSource;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The task options of {@code eval} and {@code run} for encoders scored by {@code knn-accuracy} (DESIGN §7.1). */
public final class TaskOptions {

    /** The metric's name in reports. */
    static final String METRIC = TaskReport.METRIC;

    @Option(names = "--task", paramLabel = "DIR",
            description = "Encoders: a task folder with train.jsonl and test.jsonl ({\"text\", \"label\"} per line), "
                    + "scored by knn-accuracy (cosine k-NN, k = 5) instead of perplexity (default: none).")
    Path task;

    /** Whether a task was given. */
    boolean given() {
        return task != null;
    }

    /**
     * Checks that the model is an encoder when a task is given, and that a task is given for an encoder.
     *
     * @throws InvalidInputException naming the model and what it needs
     */
    void requireFits(ModelSource source, Path model, boolean textsGiven) {
        boolean encoder = EncoderModel.isEncoder(source);
        if (given() && !encoder) {
            throw new InvalidInputException(model + ": --task scores encoders (family bert); this model is scored by"
                    + " perplexity (--text FILE)");
        }
        if (encoder && !given()) {
            throw new InvalidInputException(model + ": an encoder (family bert) is scored by " + METRIC
                    + " on a task folder: give --task DIR" + (textsGiven ? " instead of --text" : ""));
        }
        if (given() && textsGiven) {
            throw new InvalidInputException("--task and --text exclude each other");
        }
    }
}
