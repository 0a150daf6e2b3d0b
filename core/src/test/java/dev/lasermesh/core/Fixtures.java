package dev.lasermesh.core;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.ModelSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the independent reference fixtures in {@code ../shared/fixtures} (see its README): the
 * build passes the folder as system property {@code lasermesh.fixtures}.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** The fixtures folder; fails loudly when it is missing, since every numeric check needs it. */
    public static Path root() {
        String configured = System.getProperty("lasermesh.fixtures", "../../shared/fixtures");
        Path root = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("fixtures folder " + root
                    + " not found: the repository expects shared/fixtures beside it (../shared/fixtures)");
        }
        return root;
    }

    /** A path inside the fixtures folder. */
    public static Path path(String relative) {
        return root().resolve(relative);
    }

    /** A JSON reference file parsed as a tree; Python's {@code Infinity} and {@code NaN} are accepted. */
    public static JsonNode json(String relative) {
        try {
            return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build()
                    .readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values of a JSON array of numbers, such as a reference's {@code singular_values}. */
    public static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }

    /**
     * A matrix of a fixture safetensors file, read by the project's reader ({@link ModelSource}) and
     * widened exactly to float64.
     */
    public static DenseMatrix matrix(String relativeFile, String tensor) {
        try (ModelSource model = ModelSource.open(path(relativeFile))) {
            return model.readMatrix(model.catalogue().byName(tensor));
        }
    }
}
