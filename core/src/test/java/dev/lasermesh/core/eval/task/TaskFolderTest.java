package dev.lasermesh.core.eval.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task folders with bad input get errors naming the file and line, never quoting it; k-NN's tie rules. */
class TaskFolderTest {

    @TempDir
    Path dir;

    private Path task(String train, String test) throws IOException {
        Files.writeString(dir.resolve("train.jsonl"), train);
        Files.writeString(dir.resolve("test.jsonl"), test);
        return dir;
    }

    private static String line(String text, String label) {
        return "{\"text\":\"" + text + "\",\"label\":\"" + label + "\"}\n";
    }

    @Test
    void aWellFormedFolderIsReadInFileOrder() throws IOException {
        TaskFolder t = TaskFolder.read(task(line("a", "x") + line("b", "y"), line("c", "y")));
        assertEquals(List.of("a", "b"), t.train().texts());
        assertEquals(List.of("x", "y"), t.train().labels());
        assertEquals(List.of("y"), t.test().labels());
    }

    @Test
    void aMissingLabelNamesTheFileAndLine() throws IOException {
        Path d = task(line("a", "x") + "{\"text\":\"secret words\"}\n", line("c", "x"));
        String m = assertThrows(InvalidInputException.class, () -> TaskFolder.read(d)).getMessage();
        assertTrue(m.contains("train.jsonl line 2") && m.contains("\"label\""), m);
        assertFalse(m.contains("secret"), m);
    }

    @Test
    void anEmptySplitIsNamed() throws IOException {
        Path d = task(line("a", "x") + line("b", "x"), "");
        String m = assertThrows(InvalidInputException.class, () -> TaskFolder.read(d)).getMessage();
        assertTrue(m.contains("test.jsonl") && m.contains("empty"), m);
    }

    @Test
    void aLabelOnlyInTestIsNamedByLineWithoutQuotingIt() throws IOException {
        Path d = task(line("a", "x") + line("b", "x"), line("c", "x") + line("d", "hidden-label"));
        String m = assertThrows(InvalidInputException.class, () -> TaskFolder.read(d)).getMessage();
        assertTrue(m.contains("test.jsonl line 2") && m.contains("train.jsonl"), m);
        assertFalse(m.contains("hidden-label"), m);
    }

    @Test
    void aMissingFolderOrFileIsNamed() throws IOException {
        String m = assertThrows(InvalidInputException.class, () -> TaskFolder.read(dir.resolve("none"))).getMessage();
        assertTrue(m.contains("none") && m.contains("not found"), m);
        Files.writeString(dir.resolve("train.jsonl"), line("a", "x"));
        m = assertThrows(InvalidInputException.class, () -> TaskFolder.read(dir)).getMessage();
        assertTrue(m.contains("test.jsonl") && m.contains("not found"), m);
    }

    @Test
    void labelTiesGoToTheLargerSimilaritySumThenTheSmallerLabel() {
        double[][] train = {{1, 0}, {1, 0.1}, {0, 1}, {0.1, 1}, {-1, 0}, {-1, -1}};
        List<String> labels = List.of("b", "b", "a", "a", "c", "c");
        double[][] nearB = {{1, 0.05}};
        assertEquals(1, KnnAccuracy.score(train, labels, nearB, List.of("b"), false).correct(),
                "2 b and 2 a among the 5: b's neighbours are closer");
        double[][] even = {{1, 1}};
        assertEquals(1, KnnAccuracy.score(train, labels, even, List.of("a"), false).correct(),
                "a and b tie in votes and in summed similarity: the smaller label wins");
        assertTrue(KnnAccuracy.compareCodePoints("\uFFFF", "\uD83D\uDE00") < 0, "code points, not UTF-16 units");
    }
}
