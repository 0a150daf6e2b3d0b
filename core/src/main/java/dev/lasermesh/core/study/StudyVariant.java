package dev.lasermesh.core.study;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.lasermesh.core.quant.QuantScheme;
import java.util.Optional;

/**
 * One point of the quantization study: a LASER form and a storage format for the linear matrices.
 * Pure data, so that a scheduler (the CLI now, the mesh later) can hand variants out to evaluators.
 *
 * @param name        {@code base}, {@code Q8_0}, {@code laser+Q4_0}, {@code laser-factored+Q8_0}, ...
 * @param laser       how the LASER matrices are stored
 * @param format      {@code dtype} (the matrices stay in their own dtype), {@code Q8_0} or {@code Q4_0}
 * @param description what the variant is, in words
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StudyVariant(String name, LaserForm laser, String format, String description) {

    /** The format of matrices left in their dtype. */
    public static final String DTYPE = "dtype";

    /** The scheme, or empty when the matrices stay in their dtype. */
    @JsonIgnore
    public Optional<QuantScheme> scheme() {
        return DTYPE.equals(format) ? Optional.empty() : Optional.of(QuantScheme.valueOf(format));
    }
}
