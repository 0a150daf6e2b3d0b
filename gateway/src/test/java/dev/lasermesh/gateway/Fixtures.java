package dev.lasermesh.gateway;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixtures (../shared/fixtures), located by the build's {@code gateway.fixtures} property. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A file or folder of the fixtures. */
    public static Path path(String relative) {
        String root = System.getProperty("gateway.fixtures");
        if (root == null) {
            throw new IllegalStateException("system property gateway.fixtures is not set (run the tests with Maven)");
        }
        Path path = Path.of(root).resolve(relative).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException("fixture " + path + " does not exist");
        }
        return path;
    }
}
