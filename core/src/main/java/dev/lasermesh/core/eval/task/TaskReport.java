package dev.lasermesh.core.eval.task;

import dev.lasermesh.core.model.family.EvaluationSupport;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.Split;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evaluation part of an encoder job's report (DESIGN §7.1), the same whether {@code lasermesh run
 * --task} or the mesh ran the search: the metric, the task folder, the split the search compared on
 * with the values before and after, and the test split before and after — LASER's protocol of choosing
 * on one split and reporting on another, so a search that raises train-LOO while test falls shows both.
 */
public final class TaskReport {

    /** The metric's name in reports. */
    public static final String METRIC = EvaluationSupport.Metric.KNN_ACCURACY.cliName();

    private TaskReport() {
    }

    /**
     * {@code {"metric", "task", "search_split", "before", "after", "test_before", "test_after"}}.
     *
     * @param task         the task folder, as the report names it
     * @param outcome      the finished search (values: train-LOO accuracies, or test for a grid's report)
     * @param baselineTest the base model on test
     * @param finalTest    the model with every accepted candidate on test
     */
    public static Map<String, Object> evaluation(String task, SearchOutcome outcome, KnnAccuracy.Score baselineTest,
                                                 KnnAccuracy.Score finalTest) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", METRIC);
        out.put("task", task);
        out.put("search_split", outcome.split() == Split.REPORT ? TaskSplit.TEST.cliName()
                : TaskSplit.TRAIN_LOO.cliName());
        out.put("before", outcome.baselinePerplexity());
        out.put("after", outcome.finalPerplexity());
        out.put("test_before", score(TaskSplit.TEST, baselineTest));
        out.put("test_after", score(TaskSplit.TEST, finalTest));
        return out;
    }

    /** {@code {"metric":"knn-accuracy","split":…,"value":…,"correct":…,"examples":…}}. */
    public static Map<String, Object> score(TaskSplit split, KnnAccuracy.Score score) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", METRIC);
        out.put("split", split.cliName());
        out.put("value", score.accuracy());
        out.put("correct", score.correct());
        out.put("examples", score.examples());
        return out;
    }
}
