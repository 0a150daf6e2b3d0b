package dev.lasermesh.core.study;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A LASER matrix of a factored variant: W ≈ second·first, the layout of
 * {@code nn.Sequential(Linear(in, k), Linear(k, out))} that {@code reduce --factored} writes.
 *
 * @param name   the matrix
 * @param rank   k
 * @param first  √S·Vᵀ, k × in ({@code <module>.0.weight}); rows of length in
 * @param second U·√S, out × k ({@code <module>.1.weight}); rows of length k, quantized only when k is a
 *               multiple of 32
 * @param bytes  bytes of both factors
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FactoredLaserMatrix(String name, int rank, StoredFactor first, StoredFactor second, long bytes) {
}
