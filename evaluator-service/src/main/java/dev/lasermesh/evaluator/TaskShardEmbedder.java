package dev.lasermesh.evaluator;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.forward.EncoderState;
import dev.lasermesh.core.eval.task.EncoderModel;
import dev.lasermesh.core.eval.task.SentenceEmbedder;
import dev.lasermesh.core.eval.task.TaskFolder;
import dev.lasermesh.core.model.ModelSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedder of one shard of a task's examples for one base encoder (DESIGN §7.1): examples are
 * numbered train 0..n−1 then test n..n+m−1, and the shard [first, end) is embedded with core's
 * {@link SentenceEmbedder}, one for the shard's train part and one for its test part. Each part must
 * start at a multiple of {@value SentenceEmbedder#BATCH_SIZE} within its split, so its batches are those
 * of a whole-split pass and the embeddings equal the standalone's bit for bit. Anchored on the base
 * model, so a state whose overlays lie in layers ≥ l re-runs layers ≥ l only.
 */
final class TaskShardEmbedder implements AutoCloseable {

    private final ModelSource source;
    private final EncoderModel model;
    private final List<SentenceEmbedder> parts = new ArrayList<>();
    private final int totalExamples;
    private final long tokens;

    /**
     * @param key        model, task folder and examples
     * @param threads    threads embedding batches in parallel
     * @param cacheBytes memory bound of the hidden states kept (split between the parts)
     * @throws InvalidInputException when the model is no encoder, the task folder is unusable, or the
     *                               shard does not start at a batch boundary of its split
     */
    TaskShardEmbedder(TaskShardKey key, int threads, long cacheBytes) {
        this.source = ModelSource.open(key.model());
        try {
            this.model = EncoderModel.of(source);
            TaskFolder task = TaskFolder.read(key.task());
            int train = task.train().size();
            this.totalExamples = train + task.test().size();
            int first = Math.min(key.first(), totalExamples);
            int end = key.end() == null ? totalExamples : Math.min(key.end(), totalExamples);
            List<List<String>> texts = new ArrayList<>();
            if (first < train) {
                texts.add(task.train().texts().subList(first, Math.min(end, train)));
            }
            if (end > train) {
                texts.add(task.test().texts().subList(Math.max(first, train) - train, end - train));
            }
            requireBatchStart(first < train ? first : first - train);
            long tokenCount = 0;
            for (List<String> part : texts) {
                List<int[]> tokenized = model.tokenize(part);
                tokenCount += tokenized.stream().mapToLong(t -> t.length).sum();
                parts.add(new SentenceEmbedder(model.weights(), model.pooling(), tokenized, threads,
                        cacheBytes / Math.max(1, texts.size())));
            }
            this.tokens = tokenCount;
            for (SentenceEmbedder part : parts) {
                part.anchor(model.weights().baseState());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static void requireBatchStart(int offset) {
        if (offset % SentenceEmbedder.BATCH_SIZE != 0) {
            throw new InvalidInputException("task shard starts at example " + offset + " of its split, not at a "
                    + "multiple of " + SentenceEmbedder.BATCH_SIZE + " (its embeddings would not merge exactly)");
        }
    }

    /** The unmodified base encoder, to which a task's overlays are applied. */
    EncoderState baseState() {
        return model.weights().baseState();
    }

    /** Train and test examples of the task in all. */
    int totalExamples() {
        return totalExamples;
    }

    /** Tokens of the shard's texts (special tokens included), for the rate. */
    long tokens() {
        return tokens;
    }

    /** The embeddings of the shard's examples under {@code state}, in example order. */
    double[][] embed(EncoderState state) {
        List<double[]> rows = new ArrayList<>();
        for (SentenceEmbedder part : parts) {
            rows.addAll(List.of(part.embed(state)));
        }
        return rows.toArray(double[][]::new);
    }

    @Override
    public void close() {
        parts.forEach(SentenceEmbedder::close);
        if (model != null) {
            model.close();
        }
        source.close();
    }
}
