package dev.lasermesh.core.eval.task;

import dev.lasermesh.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A classification task folder (DESIGN §7.1): {@code train.jsonl}, the examples neighbours are taken
 * from (and, leave-one-out, the split a search compares on), and {@code test.jsonl}, the split that is
 * reported.
 *
 * @param folder the folder
 * @param train  the train split
 * @param test   the test split
 */
public record TaskFolder(Path folder, LabeledTexts train, LabeledTexts test) {

    public static final String TRAIN_FILE = "train.jsonl";
    public static final String TEST_FILE = "test.jsonl";

    /**
     * Reads a task folder.
     *
     * @throws InvalidInputException naming the file and line when a split is missing, empty or malformed,
     *                               or a test label never occurs in train (k-NN could never predict it)
     */
    public static TaskFolder read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(folder + ": task folder not found (it needs " + TRAIN_FILE + " and "
                    + TEST_FILE + ")");
        }
        LabeledTexts train = LabeledTexts.read(folder.resolve(TRAIN_FILE));
        LabeledTexts test = LabeledTexts.read(folder.resolve(TEST_FILE));
        if (train.size() < 2) {
            throw new InvalidInputException(train.file() + ": leave-one-out needs at least 2 train examples, found "
                    + train.size());
        }
        Set<String> known = new HashSet<>(train.labels());
        for (int i = 0; i < test.size(); i++) {
            if (!known.contains(test.labels().get(i))) {
                throw new InvalidInputException(test.file() + " line " + (i + 1) + ": its label occurs in no line of "
                        + train.file() + " (every test label needs train examples)");
            }
        }
        return new TaskFolder(folder, train, test);
    }
}
