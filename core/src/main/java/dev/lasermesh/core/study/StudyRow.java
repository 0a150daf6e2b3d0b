package dev.lasermesh.core.study;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One line of the study's table.
 *
 * @param variant           the variant
 * @param linearBytes       bytes of the linear matrices as stored
 * @param modelBytes        bytes of the whole model as stored
 * @param compression       the base's linear bytes / linearBytes
 * @param modelCompression  the base's model bytes / modelBytes
 * @param perplexity        perplexity of the variant
 * @param perplexityChange  perplexity / the base's − 1
 * @param factoredMatrices  formats and bytes of the factors (factored variants only)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StudyRow(StudyVariant variant, long linearBytes, long modelBytes, double compression,
                       double modelCompression, double perplexity, double perplexityChange,
                       List<FactoredLaserMatrix> factoredMatrices) {

    /** Empty lists are left out of the JSON, so a row read back has none: empty again. */
    public StudyRow {
        factoredMatrices = factoredMatrices == null ? List.of() : List.copyOf(factoredMatrices);
    }

    static StudyRow of(StudyVariant variant, VariantBytes bytes, double perplexity, VariantBytes base,
                       double basePerplexity) {
        return new StudyRow(variant, bytes.linearBytes(), bytes.modelBytes(),
                (double) base.linearBytes() / bytes.linearBytes(), (double) base.modelBytes() / bytes.modelBytes(),
                perplexity, perplexity / basePerplexity - 1, bytes.factoredMatrices());
    }
}
