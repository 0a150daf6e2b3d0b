package dev.lasermesh.core.study;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How one factor of a factored LASER matrix is stored in a variant.
 *
 * @param rows   rows
 * @param cols   row length (blocks of 32 run along it)
 * @param format the dtype, or the ggml scheme when its rows split into blocks of 32
 * @param bytes  bytes as stored
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StoredFactor(int rows, int cols, String format, long bytes) {
}
