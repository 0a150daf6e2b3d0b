package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in this JVM with stdout and stderr captured, and checks its one-line errors. */
final class CliRunner {

    private CliRunner() {
    }

    /** What a command printed and its exit code. */
    record Run(int exit, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = LasermeshCli.commandLine()
                    .setOut(new java.io.PrintWriter(System.out, true))
                    .setErr(new java.io.PrintWriter(System.err, true))
                    .execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The last line of stderr is {@code lasermesh: …} naming {@code what}, and there is no stack trace. */
    static void assertOneLineNaming(String err, String what) {
        String[] lines = err.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("lasermesh: ") && last.contains(what), "message names " + what + ": " + err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
    }
}
