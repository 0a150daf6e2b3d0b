package dev.lasermesh.core.spectrum;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lasermesh.core.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads fixture references written by Python's {@code json}, which spells +∞ as {@code Infinity}. */
final class ReferenceJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private ReferenceJson() {
    }

    static JsonNode read(String relative) {
        try {
            return MAPPER.readTree(Fixtures.path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }
}
