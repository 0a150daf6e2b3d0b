package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.core.study.StudyResult;
import dev.lasermesh.core.study.StudyRow;
import java.util.List;

/**
 * The memory/quality frontier of a job's quantization study (DESIGN §7.2): one point per variant,
 * labelled, bytes of the linear matrices against perplexity — the table core built from the
 * evaluators' perplexities ({@code QuantizationStudy.result}), in table order.
 *
 * @param laserSource where the LASER matrices come from, in words
 * @param points      one per variant, base first
 */
public record StudyChart(String laserSource, List<Point> points) {

    /**
     * One variant.
     *
     * @param variant     its name ({@code base}, {@code laser+Q4_0}, ...)
     * @param linearBytes bytes of the linear matrices as the variant stores them
     * @param modelBytes  bytes of the whole model
     * @param compression the base's linear bytes / linearBytes
     * @param perplexity  its perplexity
     */
    public record Point(String variant, long linearBytes, long modelBytes, double compression, double perplexity) {
    }

    /** The chart of {@code result}. */
    public static StudyChart of(StudyResult result) {
        return new StudyChart(result.laser().source(), result.rows().stream().map(StudyChart::point).toList());
    }

    private static Point point(StudyRow row) {
        return new Point(row.variant().name(), row.linearBytes(), row.modelBytes(), row.compression(),
                row.perplexity());
    }
}
