package dev.lasermesh.core.eval.task;

import dev.lasermesh.core.eval.forward.EncoderState;
import dev.lasermesh.core.eval.forward.EncoderWeights;

/**
 * Scores encoder states of one base model by {@code knn-accuracy} on a task folder: the train texts
 * and, for the test split, the test texts are embedded ({@link SentenceEmbedder}, each with half of the
 * cache bound) and classified ({@link KnnAccuracy}). {@link #anchor} makes a state the reference of the
 * hidden-state caches, so a later state that changes layer l only re-runs layers ≥ l.
 */
public final class TaskEvaluator implements AutoCloseable {

    private final EncoderWeights weights;
    private final TaskFolder task;
    private final SentenceEmbedder train;
    private final SentenceEmbedder test;

    /**
     * @param model      the encoder (tokenizer, pooling, weights)
     * @param task       the task's texts and labels
     * @param threads    worker threads
     * @param cacheBytes memory bound of both hidden-state caches together; 0 disables them
     */
    public TaskEvaluator(EncoderModel model, TaskFolder task, int threads, long cacheBytes) {
        this.weights = model.weights();
        this.task = task;
        this.train = new SentenceEmbedder(weights, model.pooling(), model.tokenize(task.train().texts()), threads,
                cacheBytes / 2);
        this.test = new SentenceEmbedder(weights, model.pooling(), model.tokenize(task.test().texts()), threads,
                cacheBytes / 2);
    }

    public TaskFolder task() {
        return task;
    }

    /** The metric of {@code state} on {@code split}; the caches are unchanged. */
    public KnnAccuracy.Score score(EncoderState state, TaskSplit split) {
        return classify(task, train.embed(state), split == TaskSplit.TEST ? test.embed(state) : null, split);
    }

    /** The metric of {@code state} on {@code split}, anchoring the caches it uses on {@code state}. */
    public KnnAccuracy.Score anchor(EncoderState state, TaskSplit split) {
        return classify(task, train.anchor(state), split == TaskSplit.TEST ? test.anchor(state) : null, split);
    }

    /** Where a score of {@code state} on train resumes (0 = embeddings), for benchmarks and tests. */
    public int resumeStage(EncoderState state) {
        return train.resumeStage(state);
    }

    /**
     * The metric of a model state from its embeddings: what this evaluator computes after embedding, and
     * what the mesh's gateway computes from the embeddings its evaluators return in shards (DESIGN §7.1),
     * so both apply the same neighbour and tie rules.
     *
     * @param task            the task whose labels the embeddings are of
     * @param trainEmbeddings every train example's embedding, in train-file order
     * @param testEmbeddings  every test example's embedding, in test-file order; unused (may be null) for
     *                        {@link TaskSplit#TRAIN_LOO}
     * @param split           which examples are classified
     */
    public static KnnAccuracy.Score classify(TaskFolder task, double[][] trainEmbeddings, double[][] testEmbeddings,
                                             TaskSplit split) {
        return split == TaskSplit.TRAIN_LOO
                ? KnnAccuracy.score(trainEmbeddings, task.train().labels(), trainEmbeddings, task.train().labels(), true)
                : KnnAccuracy.score(trainEmbeddings, task.train().labels(), testEmbeddings, task.test().labels(), false);
    }

    @Override
    public void close() {
        train.close();
        test.close();
    }
}
