package dev.lasermesh.core.eval.task;

import dev.lasermesh.core.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which examples {@code knn-accuracy} classifies (DESIGN §7.1): the train examples leave-one-out (what
 * a search compares), or the test examples against all of train (what is reported, LASER's protocol of
 * choosing on one split and reporting on another).
 */
public enum TaskSplit {
    /** Each train example among the other train examples. */
    TRAIN_LOO("train-loo"),
    /** Each test example among the train examples. */
    TEST("test");

    private final String cliName;

    TaskSplit(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * The split of a name.
     *
     * @throws InvalidInputException naming the value and the valid names
     */
    public static TaskSplit fromName(String name) {
        return Arrays.stream(values()).filter(s -> s.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new InvalidInputException("unknown split \"" + name + "\" (valid: "
                        + Arrays.stream(values()).map(TaskSplit::cliName).collect(Collectors.joining(", ")) + ")"));
    }
}
