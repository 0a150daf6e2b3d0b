package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./lasermesh} launcher keeps the JVM's incubator-module warning off the user's terminal and
 * passes everything else through unchanged: exit code, stdout, and stderr byte for byte, including a
 * progress bar's partial lines. Run against a stand-in {@code java} that prints what the JVM would, and
 * against the real JVM and the packaged application (hence an IT: it needs the package).
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "lasermesh").toAbsolutePath().normalize();
    private static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    Path temp;

    private record Result(int exit, String out, String err) {
    }

    private Result launch(String javaHome, Map<String, String> env, String... args) throws IOException,
            InterruptedException {
        Path out = temp.resolve("out");
        Path err = temp.resolve("err");
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().putAll(env);
        int exit = builder.start().waitFor();
        return new Result(exit, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A JAVA_HOME whose java says it is 25, then prints FIRST_LINE and a progress bar's redraws on stderr. */
    private String standInJdk() throws IOException {
        Path java = Files.createDirectories(temp.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, """
                #!/usr/bin/env bash
                if [ "$1" = "-XshowSettings:properties" ]; then echo "    java.specification.version = 25" >&2; exit 0; fi
                printf '%s\\n' "$FIRST_LINE" >&2
                printf 'bar 1/2\\r\\033[2Kbar 2/2' >&2
                printf 'args:'; printf ' %s' "${@: -2}"; echo
                exit 3
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return temp.resolve("jdk").toString();
    }

    @Test
    void dropsTheWarningAndPassesTheRestThroughByteForByte() throws Exception {
        Result r = launch(standInJdk(), Map.of("FIRST_LINE", WARNING), "analyze", "MODEL");
        assertEquals(3, r.exit(), r.err());
        assertEquals("args: analyze MODEL\n", r.out());
        assertEquals("bar 1/2\r\u001b[2Kbar 2/2", r.err(), "the partial last line arrives too");
    }

    @Test
    void keepsAnyOtherFirstLine() throws Exception {
        Result r = launch(standInJdk(), Map.of("FIRST_LINE", "WARNING: something else"), "x");
        assertEquals("WARNING: something else\nbar 1/2\r\u001b[2Kbar 2/2", r.err());
    }

    @Test
    void theRealCommandLinePrintsOnlyItsOwnMessage() throws Exception {
        Path missing = temp.resolve("nope");
        Result r = launch(System.getProperty("java.home"), Map.of(), "analyze", missing.toString());
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, r.exit(), r.err());
        assertEquals("lasermesh: " + missing + ": no such file or folder\n", r.err());
        Result help = launch(System.getProperty("java.home"), Map.of(), "bench", "spectrum", "--help");
        assertEquals(0, help.exit(), help.err());
        assertEquals("", help.err());
    }
}
