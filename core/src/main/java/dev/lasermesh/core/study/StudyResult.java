package dev.lasermesh.core.study;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The quantization study's answer: the table and what it was computed from.
 *
 * @param model      the model
 * @param evaluation what the perplexities are (protocol, window, texts, tokens)
 * @param laser      the LASER matrices and where they come from
 * @param rows       one per variant, base first
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StudyResult(String model, Map<String, Object> evaluation, LaserChoice laser, List<StudyRow> rows) {
}
