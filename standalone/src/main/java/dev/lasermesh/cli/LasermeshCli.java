package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lasermesh} command line. Exit codes: 0 success, 2 bad input (a one-line message that
 * names the file and the problem), 1 any other failure.
 *
 * <p>Also the main class of the packaged Quarkus application: Quarkus calls {@link #main} without starting
 * its runtime, so every command runs as plain Java, fast and without a database; only {@code serve} starts
 * the runtime ({@link dev.lasermesh.cli.serve.Server}).
 */
@QuarkusMain
@Command(name = "lasermesh",
        mixinStandardHelpOptions = true,
        versionProvider = LasermeshCli.Version.class,
        description = "Spectral analysis and rank reduction (LASER / laserRMT) of transformer language models.",
        subcommands = {
                AnalyzeCommand.class,
                ReduceCommand.class,
                EvalCommand.class,
                RunCommand.class,
                QuantizeCommand.class,
                LoraCommand.class,
                StudyCommand.class,
                ScanCommand.class,
                BenchCommand.class,
                ServeCommand.class,
                CommandLine.HelpCommand.class
        })
public final class LasermeshCli {

    /** Exit code for input the user must fix. */
    public static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (used by tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line, with the error handling the exit codes promise. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LasermeshCli());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof InvalidInputException) {
                err.println("lasermesh: " + ex.getMessage());
                err.flush();
                return EXIT_BAD_INPUT;
            }
            err.println("lasermesh: internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return 1;
        });
        cli.setParameterExceptionHandler((ex, argv) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("lasermesh: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        return cli;
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LasermeshCli.class.getPackage().getImplementationVersion();
            return new String[] {"lasermesh " + (v == null ? "development build" : v)};
        }
    }
}
