package dev.lasermesh.testkit;

import dev.lasermesh.testkit.broker.BrokerLauncher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath of the Kafka broker's JVM: the launcher's own jar (or classes folder) plus the broker's jars.
 *
 * <p>Module lasermesh-testkit-broker resolves {@code kafka_2.13} and its dependencies with Maven and writes their
 * paths in the local repository to the resource {@value #RESOURCE} at build time
 * ({@code dependency:build-classpath}); this class reads that list back. The jars stay where Maven put them, so
 * nothing is copied and the list is valid in a reactor build as well as from an installed testkit.
 */
final class BrokerClasspath {

    static final String RESOURCE = "kafka-broker.classpath";

    private BrokerClasspath() {
    }

    /** @return the classpath string for {@code java -cp}, every entry checked to exist */
    static String resolve() {
        List<String> entries = new ArrayList<>();
        entries.add(launcherLocation().toString());
        for (String jar : brokerJars()) {
            if (!Files.exists(Path.of(jar))) {
                throw new IllegalStateException("Kafka broker jar " + jar + " listed in " + RESOURCE
                        + " is missing from the local Maven repository; rebuild with ./mvnw -pl testkit-broker install");
            }
            entries.add(jar);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static List<String> brokerJars() {
        try (InputStream in = BrokerLauncher.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing beside " + BrokerLauncher.class.getName()
                        + "; build module testkit-broker with Maven so that it is generated");
            }
            String listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (listed.isEmpty()) {
                throw new IllegalStateException("resource " + RESOURCE + " lists no Kafka broker jars");
            }
            return List.of(listed.split(java.io.File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
    }

    private static Path launcherLocation() {
        try {
            return Path.of(BrokerLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + BrokerLauncher.class.getName(), e);
        }
    }
}
