package dev.lasermesh.core.eval.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.task.SentenceEmbedder;
import dev.lasermesh.core.eval.task.TaskFolder;
import java.util.ArrayList;
import java.util.List;

/**
 * The sentences both sides of the encoder benchmark embed: the first texts of a task folder (train,
 * then test), tokenized by Lasermesh, in the batches {@link SentenceEmbedder} forms (fixed groups of
 * {@value SentenceEmbedder#BATCH_SIZE} consecutive texts), written as the JSON the PyTorch script reads,
 * so PyTorch runs exactly the batches Lasermesh runs.
 */
final class EncoderBenchBatches {

    private EncoderBenchBatches() {
    }

    /**
     * The first {@code count} texts of the task, train before test.
     *
     * @throws InvalidInputException naming {@code --texts} when the task has fewer texts
     */
    static List<String> firstTexts(TaskFolder task, int count) {
        List<String> all = new ArrayList<>(task.train().texts());
        all.addAll(task.test().texts());
        if (count < 1 || count > all.size()) {
            throw new InvalidInputException("--texts " + count + ": the task " + task.folder() + " has " + all.size()
                    + " texts (train and test), ask for 1.." + all.size());
        }
        return List.copyOf(all.subList(0, count));
    }

    /** Consecutive groups of {@code batchSize} sequences (the last may be smaller), in order. */
    static List<List<int[]>> batches(List<int[]> tokenized, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        List<List<int[]>> out = new ArrayList<>();
        for (int from = 0; from < tokenized.size(); from += batchSize) {
            out.add(List.copyOf(tokenized.subList(from, Math.min(tokenized.size(), from + batchSize))));
        }
        return out;
    }

    /** {@code {"batches": [[[ids of a text], …], …]}}. */
    static String json(List<List<int[]>> batches) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode all = root.putArray("batches");
        for (List<int[]> batch : batches) {
            ArrayNode b = all.addArray();
            for (int[] ids : batch) {
                ArrayNode text = b.addArray();
                for (int id : ids) {
                    text.add(id);
                }
            }
        }
        return root.toString();
    }
}
