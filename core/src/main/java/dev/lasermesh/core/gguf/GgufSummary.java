package dev.lasermesh.core.gguf;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * What a GGUF export wrote, for reports.
 *
 * @param file          the GGUF file
 * @param bytes         its size
 * @param architecture  {@code general.architecture}
 * @param tokenizer     {@code tokenizer.ggml.model}
 * @param tensors       number of tensors
 * @param keys          number of key–value pairs
 * @param tensorsByType ggml type → number of tensors
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GgufSummary(String file, long bytes, String architecture, String tokenizer, int tensors, int keys,
                          Map<String, Integer> tensorsByType) {
}
