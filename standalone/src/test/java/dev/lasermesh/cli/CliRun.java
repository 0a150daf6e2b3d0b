package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One run of the CLI in the test's JVM with its standard output and error captured, as a user sees
 * them; and the check of the promise for bad input (exit 2, one line naming what is wrong, no stack trace).
 *
 * @param exit the exit code
 * @param out  standard output
 * @param err  standard error
 */
record CliRun(int exit, String out, String err) {

    /** The shared reference fixtures (../shared/fixtures beside the repository). */
    static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"));

    /** Runs {@code lasermesh ARGS}; runs are serialised, as they swap System.out and System.err. */
    static synchronized CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = LasermeshCli.commandLine()
                    .setOut(new PrintWriter(System.out, true))
                    .setErr(new PrintWriter(System.err, true))
                    .execute(args);
            return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Exit 2, the last line of stderr starts with "lasermesh: " and names every fragment, no stack trace. */
    CliRun assertBadInputNaming(String... fragments) {
        assertTrue(exit == LasermeshCli.EXIT_BAD_INPUT, "exit " + exit + ", stderr: " + err);
        String[] lines = err.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("lasermesh: "), "message: " + err);
        for (String fragment : fragments) {
            assertTrue(last.contains(fragment), "message names " + fragment + ": " + err);
        }
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
        return this;
    }

    /**
     * A value refused while parsing: exit 2, the first line "lasermesh: Invalid value for option 'OPTION'…"
     * naming {@code why}, then the hint to ask for help; no stack trace.
     */
    CliRun assertInvalidValue(String option, String why) {
        assertTrue(exit == LasermeshCli.EXIT_BAD_INPUT, "exit " + exit + ", stderr: " + err);
        String first = err.lines().findFirst().orElse("");
        assertTrue(first.startsWith("lasermesh: Invalid value for option '" + option + "'") && first.contains(why),
                "message: " + err);
        assertTrue(err.contains("--help'"), "the hint: " + err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
        return this;
    }
}
