package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.bench.AnalyzeBenchmark;
import dev.lasermesh.core.bench.MatrixShape;
import dev.lasermesh.core.eval.bench.EncoderBenchmark;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values are checked as the command line is parsed: a bad one is reported at once, naming the
 * option, before any model is opened; and every command's help says what each option defaults to.
 */
class OptionParsingTest {

    private static final String TINY_LLAMA = CliRun.FIXTURES.resolve("tiny-llama").toString();
    private static final String TEXT = CliRun.FIXTURES.resolve("text/sotu-2009-2021.txt").toString();

    @TempDir
    Path temp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "--rho|2|'2' is not a rank fraction in (0, 1]",
            "--rho|0.1,0|'0' is not a rank fraction in (0, 1]",
            "--strategy|nope|'nope' is not a strategy; valid: laserrmt-greedy, snr-greedy, laser-grid, one-shot, sfsd-surgical",
            "--tolerance|0.99|'0.99' must be a finite number >= 1",
            "--eval-cache-mb|-5|'-5' must be at least 0",
            "--modules|\"\"|the list is empty",
            "--layers|\" \"|the list is empty",
            "--threads|0|'0' must be at least 1",
            "--count|-1|'-1' must be at least 1",
            "--max-accepted|-7|'-7' must be at least 0, or -1 for no cap",
            "--validation-fraction|1|'1' is not in (0, 1)"})
    void runRejectsABadValueAtParseTimeNamingTheOption(String option, String value, String why) {
        CliRun r = CliRun.of("run", TINY_LLAMA, "--text", TEXT, "--out", temp.resolve("out").toString(), option,
                value).assertInvalidValue(option, why);
        assertFalse(r.err().contains("analyze ["), "reported before any analysis: " + r.err());
    }

    @Test
    void analyzeRejectsAnEmptyModuleList() {
        CliRun.of("analyze", TINY_LLAMA, "--modules", "").assertInvalidValue("--modules", "the list is empty");
    }

    @Test
    void everyOptionWithAValueSaysItsDefaultOrThatItIsRequired() {
        List<String> silent = new ArrayList<>();
        for (CommandSpec command : commands(LasermeshCli.commandLine().getCommandSpec())) {
            if (command.name().equals("serve")) {
                continue;
            }
            for (OptionSpec o : command.options()) {
                String description = String.join(" ", o.description()).toLowerCase(Locale.ROOT);
                boolean takesValue = o.arity().max() > 0;
                if (takesValue && !o.usageHelp() && !o.versionHelp()
                        && !description.contains("default") && !description.contains("required")) {
                    silent.add(command.qualifiedName() + " " + o.longestName());
                }
            }
        }
        assertEquals(List.of(), silent, "options whose help says neither their default nor that they are required");
    }

    @Test
    void evalHelpShowsTheDefaults() {
        String help = LasermeshCli.commandLine().getSubcommands().get("eval").getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");
        for (String shown : List.of("(default: laserrmt)", "(default: 128)", "(default: half the window)",
                "(default: all of them)", "(default: available processors)", "(default: table)")) {
            assertTrue(help.contains(shown), shown + " in:\n" + help);
        }
    }

    @Test
    void benchSpectrumHelpListsItsOptionsAndTheyParse() {
        String help = LasermeshCli.commandLine().getSubcommands().get("bench").getSubcommands().get("spectrum")
                .getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (String option : List.of("--sizes=ROWSxCOLS", "--spectra=SPECTRUM", "--repetitions=N", "--java", "--java-threads=N",
                "--seed=N", "--python=PATH")) {
            assertTrue(help.contains(option), option + " in:\n" + help);
        }
        BenchCommand.Spectrum parsed = new BenchCommand.Spectrum();
        new CommandLine(parsed).parseArgs("--sizes", "300x700,640X256", "--repetitions", "3", "--java", "--seed",
                "7", "--spectra", "gaussian,1e5");
        assertEquals(List.of(new MatrixShape(300, 700), new MatrixShape(640, 256)), parsed.sizes);
        assertEquals(3, parsed.repetitions);
        assertTrue(parsed.java);
        assertEquals(List.of("gaussian", "1e5"), parsed.spectra);
        assertEquals(7, parsed.seed);
        assertEquals("python3", parsed.python);
        CliRun.of("bench", "spectrum", "--sizes", "300by700").assertInvalidValue("--sizes",
                "'300by700' is not of the form ROWSxCOLS");
        CliRun.of("bench", "spectrum", "--repetitions", "0").assertInvalidValue("--repetitions", "must be at least 1");
    }

    @Test
    void benchAnalyzeParsesItsOptionsAndRejectsLayersOutsideTheModel() {
        BenchCommand.Analyze parsed = new BenchCommand.Analyze();
        new CommandLine(parsed).parseArgs("--layers", "2", "--work-dir", "/data/tmp", "--skip-python");
        assertEquals(2, parsed.layers);
        assertEquals(Path.of("/data/tmp"), parsed.workDir);
        assertTrue(parsed.skipPython);
        assertEquals("python3", parsed.python);
        CliRun.of("bench", "analyze", "--layers", "0").assertInvalidValue("--layers", "must be at least 1");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new AnalyzeBenchmark.Options(33, Path.of("/tmp"), "python3", false)).getMessage()
                .contains("--layers must be 1..32, got 33"));
    }

    @Test
    void benchEvalEncoderDefaultsToTheMiniLmFixtureAndItsTaskAndOwnsTasksAndTexts() {
        BenchCommand.Eval alone = new BenchCommand.Eval();
        new CommandLine(alone).parseArgs("--encoder");
        EncoderBenchmark.Options defaults = alone.encoderOptions();
        assertEquals(Path.of("..", "shared", "fixtures", "minilm"), defaults.model());
        assertEquals(Path.of("..", "shared", "fixtures", "minilm", "task"), defaults.task());
        assertEquals(192, defaults.texts());
        assertEquals(2, defaults.threads());
        assertEquals(3, defaults.repeats());
        assertTrue(defaults.torchPath().isEmpty());

        BenchCommand.Eval given = new BenchCommand.Eval();
        new CommandLine(given).parseArgs("--encoder", "/m/enc", "--task", "/t/task", "--texts", "64", "--repeats", "5",
                "--threads", "1", "--torch-path", "/opt/torch");
        EncoderBenchmark.Options o = given.encoderOptions();
        assertEquals(Path.of("/m/enc"), o.model());
        assertEquals(Path.of("/t/task"), o.task());
        assertEquals(64, o.texts());
        assertEquals(5, o.repeats());
        assertEquals(1, o.threads());
        assertEquals(Path.of("/opt/torch"), o.torchPath().orElseThrow());

        BenchCommand.Eval flagThenOption = new BenchCommand.Eval();
        new CommandLine(flagThenOption).parseArgs("--encoder", "--texts", "32");
        assertEquals(Path.of("..", "shared", "fixtures", "minilm"), flagThenOption.encoder);
        assertEquals(32, flagThenOption.encoderOptions().texts());

        CliRun.of("bench", "eval", "--encoder", "--texts", "0").assertInvalidValue("--texts", "must be at least 1");
        CliRun.of("bench", "eval", "--texts", "64").assertBadInputNaming("--texts", "--encoder");
        CliRun.of("bench", "eval", "--task", "/t/task").assertBadInputNaming("--task", "--encoder");
    }

    @Test
    void benchSyntheticModelWritesTheShapeItIsAskedForAndRefusesAFullFolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("smol");
        CliRun run = CliRun.of("bench", "synthetic-model", "--out", out.toString(), "--shape", "SMOLLM2_135M",
                "--layers", "1", "--dtype", "BF16", "--tokenizer-from", CliRun.FIXTURES.resolve("tiny-llama").toString());
        assertEquals(0, run.exit(), run.err());
        ModelConfig config = ModelConfig.read(out.resolve("config.json"));
        assertEquals(1, config.numHiddenLayers());
        assertEquals(576, config.hiddenSize());
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
        try (TensorSource tensors = TensorSources.open(out)) {
            assertEquals(DType.BF16, tensors.info("model.layers.0.mlp.down_proj.weight").dtype());
            assertArrayEquals(new long[] {576, 1536}, tensors.info("model.layers.0.mlp.down_proj.weight").shape());
        }
        CliRun again = CliRun.of("bench", "synthetic-model", "--out", out.toString());
        assertEquals(2, again.exit(), again.err());
        assertTrue(again.err().contains("exists and is not an empty folder"), again.err());
    }

    private static List<CommandSpec> commands(CommandSpec root) {
        List<CommandSpec> all = new ArrayList<>();
        for (CommandLine sub : root.subcommands().values()) {
            all.add(sub.getCommandSpec());
            all.addAll(commands(sub.getCommandSpec()));
        }
        return all;
    }

    @Test
    void benchWhitenCalibrateAndTruncateParseTheirOptionsAndRefuseImpossibleOnes() {
        BenchCommand.Whiten whiten = new BenchCommand.Whiten();
        new CommandLine(whiten).parseArgs();
        assertEquals(new MatrixShape(4096, 11008), whiten.size);
        assertEquals(1024, whiten.rank);
        new CommandLine(whiten).parseArgs("--size", "512x1408", "--rank", "64", "--repetitions", "2", "--seed", "3");
        assertEquals(new MatrixShape(512, 1408), whiten.size);
        assertEquals(64, whiten.rank);
        assertEquals(2, whiten.repetitions);
        assertEquals(3, whiten.seed);
        CliRun.of("bench", "whiten", "--size", "512x1408", "--rank", "600").assertBadInputNaming("--rank 600", "512x1408");
        CliRun.of("bench", "whiten", "--rank", "0").assertInvalidValue("--rank", "must be at least 1");

        BenchCommand.Calibrate calibrate = new BenchCommand.Calibrate();
        new CommandLine(calibrate).parseArgs();
        assertEquals(16, calibrate.windows);
        assertEquals(2, calibrate.threads);
        assertEquals(2, calibrate.repeats);
        CliRun.of("bench", "calibrate", "--windows", "0").assertInvalidValue("--windows", "must be at least 1");
        CliRun.of("bench", "calibrate", "--torch-path", "/no/such/torch").assertBadInputNaming("--torch-path",
                "folder not found");

        BenchCommand.Truncate truncate = new BenchCommand.Truncate();
        new CommandLine(truncate).parseArgs();
        assertEquals(new MatrixShape(4096, 4096), truncate.size);
        assertEquals(1001, truncate.rank);
        assertEquals(3, truncate.repeats);
        CliRun.of("bench", "truncate", "--size", "300x200", "--rank", "250").assertBadInputNaming("--rank 250", "300x200");
        CliRun.of("bench", "truncate", "--repeats", "0").assertInvalidValue("--repeats", "must be at least 1");
    }
}
