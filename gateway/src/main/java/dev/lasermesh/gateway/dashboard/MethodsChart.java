package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.core.calibrate.MethodStudy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Perplexity against parameter budget of a job's methods study (DESIGN §7.4, issue 14): one line per method
 * (svd, whitened, feature), one point per budget in the table's order, and the base model's perplexity as
 * the reference — the table the gateway built with core's {@code MethodStudy.row}.
 *
 * @param calibration    the calibration text
 * @param basePerplexity the uncompressed model's perplexity
 * @param methods        one line per method, in table order
 */
public record MethodsChart(String calibration, double basePerplexity, List<Line> methods) {

    /**
     * One method's line.
     *
     * @param method   {@code svd}, {@code whitened} or {@code feature}
     * @param spectrum the spectrum its rank policy saw
     * @param points   one per budget
     */
    public record Line(String method, String spectrum, List<Point> points) {
    }

    /**
     * One budget of one method.
     *
     * @param budget                  the parameter budget r
     * @param perplexity              with every selected matrix at rank ⌊r·m·n/(m+n)⌋
     * @param meanActivationError     mean ‖XWᵀ − XW_kᵀ‖/‖XWᵀ‖ over the matrices
     * @param meanRelativeWeightError mean ‖W − W_k‖/‖W‖ over the matrices
     */
    public record Point(double budget, double perplexity, double meanActivationError, double meanRelativeWeightError) {
    }

    /** The chart of {@code report}. */
    public static MethodsChart of(MethodStudy.Report report) {
        Map<String, List<Point>> points = new LinkedHashMap<>();
        for (MethodStudy.Row row : report.result().rows()) {
            points.computeIfAbsent(row.method(), m -> new ArrayList<>()).add(new Point(row.budget(), row.perplexity(),
                    row.meanActivationError(), row.meanRelativeWeightError()));
        }
        List<Line> lines = new ArrayList<>();
        points.forEach((method, line) -> lines.add(new Line(method, report.result().spectra().get(method), line)));
        return new MethodsChart(report.calibration(), report.result().basePerplexity(), lines);
    }
}
