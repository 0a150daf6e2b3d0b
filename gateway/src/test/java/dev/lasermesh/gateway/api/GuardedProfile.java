package dev.lasermesh.gateway.api;

import dev.lasermesh.gateway.Fixtures;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The gateway with a read key, on a model root ({@code target/guarded-models}, built here) whose folders
 * reach out of it through symbolic links to the fixtures: {@code tiny} (its own config.json, the one
 * model a job may name), {@code linked} (its weights a link out), {@code secret-config} (its config.json
 * a link to a text elsewhere) and {@code escape} (the folder itself a link out).
 */
public class GuardedProfile implements QuarkusTestProfile {

    static final String READ_KEY = "r3ad-key";
    static final Path MODELS = Path.of("target/guarded-models").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + MODELS, e);
        }
        return Map.of("lasermesh.read-key", READ_KEY, "lasermesh.model-roots", MODELS.toString());
    }

    private static void build() throws IOException {
        if (Files.exists(MODELS)) {
            try (Stream<Path> old = Files.walk(MODELS)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Path tiny = Fixtures.path("tiny-llama");
        Files.copy(tiny.resolve("config.json"), Files.createDirectories(MODELS.resolve("tiny")).resolve("config.json"));
        Path linked = Files.createDirectories(MODELS.resolve("linked"));
        Files.copy(tiny.resolve("config.json"), linked.resolve("config.json"));
        Files.createSymbolicLink(linked.resolve("model.safetensors"), tiny.resolve("model.safetensors"));
        Files.createSymbolicLink(Files.createDirectories(MODELS.resolve("secret-config")).resolve("config.json"),
                Fixtures.path("text/moby-dick.txt"));
        Files.createSymbolicLink(MODELS.resolve("escape"), tiny);
    }
}
