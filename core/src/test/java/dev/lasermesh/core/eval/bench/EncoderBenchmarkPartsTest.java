package dev.lasermesh.core.eval.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.task.TaskFolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure-logic parts of {@code bench eval --encoder}: which texts, which batches, the embedding comparison. */
class EncoderBenchmarkPartsTest {

    @TempDir
    Path dir;

    @Test
    void textsAreTakenFromTrainThenTestAndTooManyIsAnErrorNamingTexts() throws IOException {
        Files.writeString(dir.resolve("train.jsonl"), """
                {"text": "a", "label": "x"}
                {"text": "b", "label": "y"}
                {"text": "c", "label": "x"}
                """);
        Files.writeString(dir.resolve("test.jsonl"), """
                {"text": "d", "label": "y"}
                {"text": "e", "label": "x"}
                """);
        TaskFolder task = TaskFolder.read(dir);
        assertEquals(List.of("a", "b", "c", "d"), EncoderBenchBatches.firstTexts(task, 4));
        assertEquals(List.of("a"), EncoderBenchBatches.firstTexts(task, 1));
        String message = assertThrows(InvalidInputException.class, () -> EncoderBenchBatches.firstTexts(task, 6)).getMessage();
        assertTrue(message.contains("--texts 6") && message.contains("has 5 texts") && message.contains("1..5"), message);
    }

    @Test
    void batchesAreConsecutiveGroupsInOrderWithASmallerLastOne() {
        List<int[]> tokenized = IntStream.range(0, 35).mapToObj(i -> new int[] {101, i, 102}).toList();
        List<List<int[]>> batches = EncoderBenchBatches.batches(tokenized, 16);
        assertEquals(List.of(16, 16, 3), batches.stream().map(List::size).toList());
        List<int[]> flat = new ArrayList<>();
        batches.forEach(flat::addAll);
        for (int i = 0; i < tokenized.size(); i++) {
            assertArrayEquals(tokenized.get(i), flat.get(i), "text " + i);
        }
        assertEquals(List.of(2), EncoderBenchBatches.batches(tokenized.subList(0, 2), 16).stream().map(List::size).toList());
        assertThrows(IllegalArgumentException.class, () -> EncoderBenchBatches.batches(tokenized, 0));
    }

    @Test
    void theBatchFileHoldsEveryIdOfEveryTextInItsBatch() throws IOException {
        List<List<int[]>> batches = List.of(List.of(new int[] {101, 7, 102}, new int[] {101, 102}), List.of(new int[] {101, 9, 9, 102}));
        JsonNode json = new ObjectMapper().readTree(EncoderBenchBatches.json(batches));
        assertEquals("[[[101,7,102],[101,102]],[[101,9,9,102]]]", json.get("batches").toString());
    }

    @Test
    void theLargestDifferenceIsFoundAnywhereAndShapesMustAgree() {
        double[][] a = {{1, 2, 3}, {4, 5, 6}};
        double[][] b = {{1, 2, 3}, {4, 5.25, 6}};
        assertEquals(0.25, EmbeddingDifference.maxAbs(a, b));
        assertEquals(0.25, EmbeddingDifference.maxAbs(b, a));
        assertEquals(0.0, EmbeddingDifference.maxAbs(a, a));
        assertTrue(Double.isNaN(EmbeddingDifference.maxAbs(a, new double[][] {{1, Double.NaN, 3}, {4, 5, 6}})));
        String rows = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingDifference.maxAbs(a, new double[][] {{1, 2, 3}})).getMessage();
        assertTrue(rows.contains("2 embeddings") && rows.contains("1"), rows);
        String columns = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingDifference.maxAbs(a, new double[][] {{1, 2, 3}, {4, 5}})).getMessage();
        assertTrue(columns.contains("text 1") && columns.contains("3 and 2"), columns);
    }

    @Test
    void pytorchsEmbeddingFileIsReadRowByRowAndItsSizeChecked() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(6 * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : new double[] {0.5, -1, 2, 3, 1e-7, -0.25}) {
            bytes.putDouble(v);
        }
        Path file = dir.resolve("e.f64");
        Files.write(file, bytes.array());
        double[][] rows = EmbeddingDifference.readRows(file, 2, 3);
        assertArrayEquals(new double[] {0.5, -1, 2}, rows[0]);
        assertArrayEquals(new double[] {3, 1e-7, -0.25}, rows[1]);
        String message = assertThrows(IOException.class, () -> EmbeddingDifference.readRows(file, 3, 3)).getMessage();
        assertTrue(message.contains("48 bytes") && message.contains("3 x 3"), message);
    }
}
