package dev.lasermesh.core.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The LASER reductions a study composes with quantization, and where they come from (a search run
 * for the study, or the report of an earlier run), so the output can say which.
 *
 * @param source   how the matrices were chosen, in words
 * @param matrices the reduced matrices and their ranks, in the order they were accepted
 */
public record LaserChoice(String source, List<LaserMatrix> matrices) {

    public LaserChoice {
        matrices = List.copyOf(matrices);
    }

    /**
     * The matrices a {@code lasermesh-report.json} (of {@code run} or {@code reduce}) lists as replaced,
     * with their ranks.
     *
     * @throws InvalidInputException naming the file when it is missing, not JSON, or not such a report
     */
    public static LaserChoice fromReport(Path report) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(report));
        } catch (IOException e) {
            throw new InvalidInputException(report + ": cannot read the LASER report (" + e.getClass().getSimpleName()
                    + ")");
        }
        JsonNode entries = root == null ? null : root.get("matrices");
        if (entries == null || !entries.isArray()) {
            throw new InvalidInputException(report + ": not a lasermesh-report.json (no \"matrices\" list)");
        }
        List<LaserMatrix> matrices = new ArrayList<>();
        for (JsonNode entry : entries) {
            JsonNode reduction = entry.get("reduction");
            JsonNode name = entry.path("analysis").get("name");
            if (reduction != null && reduction.hasNonNull("rank") && name != null && name.isTextual()) {
                matrices.add(new LaserMatrix(name.textValue(), reduction.get("rank").intValue()));
            }
        }
        return new LaserChoice("report " + report, matrices);
    }
}
