package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The README's table of commands says what the commands do: their options, which repeat, the dtypes eval reads. */
class ReadmeCommandsTest {

    private static final Path README = Path.of("..", "README.md");
    /** A row of the commands table: its synopsis in backquotes, then what it does. */
    private static final Pattern ROW = Pattern.compile("^\\| `lasermesh ((?:bench |study |lora )?[a-z]+(?:-[a-z]+)*) ([^`]*)` \\|(.*)\\|$");
    /** An option in a synopsis, with the word after it. */
    private static final Pattern OPTION = Pattern.compile("(--[a-z-]+)(?: ([^\\s\\[\\]|]+))?( …)?");

    private record Row(String command, String synopsis, String text) {
    }

    private static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(README)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(new Row(m.group(1), m.group(2), m.group(3)));
            }
        }
        return rows;
    }

    private static CommandLine command(String name) {
        CommandLine cli = LasermeshCli.commandLine();
        for (String part : name.split(" ")) {
            cli = cli.getSubcommands().get(part);
        }
        return cli;
    }

    @Test
    void everyOptionInTheTableExistsAndOnlyRepeatableOnesAreShownRepeated() throws IOException {
        List<Row> rows = rows();
        assertTrue(rows.stream().map(Row::command).toList().containsAll(List.of("analyze", "reduce", "eval", "run",
                "serve", "bench spectrum")), "the table's rows are read: " + rows);
        for (Row row : rows) {
            CommandLine cli = command(row.command());
            List<String> seen = new ArrayList<>();
            Matcher m = OPTION.matcher(row.synopsis());
            while (m.find()) {
                OptionSpec option = cli.getCommandSpec().findOption(m.group(1));
                String where = row.command() + " " + m.group(1);
                assertTrue(option != null, where + " is not an option");
                boolean shownRepeated = m.group(3) != null || seen.contains(m.group(1));
                assertFalse(shownRepeated && !option.isMultiValue(), where + " is shown repeated but cannot be");
                seen.add(m.group(1));
            }
        }
    }

    @Test
    void evalNamesEveryDtypeItReads() throws IOException {
        Row eval = rows().stream().filter(r -> r.command().equals("eval")).findFirst().orElseThrow();
        for (DType dtype : DType.values()) {
            assertTrue(eval.text().contains(dtype.headerName()), dtype + " in: " + eval.text());
        }
    }
}
