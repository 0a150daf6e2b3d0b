package dev.lasermesh.cli;

import static dev.lasermesh.cli.CliRun.FIXTURES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval} and {@code run} on the all-MiniLM-L6-v2 fixture with its task folder (knn-accuracy,
 * numbers from {@code minilm/reference.json} and {@code search-reference.json}), and the task options'
 * bad input.
 */
class EncoderCliTest {

    private static final Path MINILM = FIXTURES.resolve("minilm");
    private static final Path TASK = MINILM.resolve("task");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void evalReportsTheTestAccuracyAsJson() throws IOException {
        CliRun r = CliRun.of("eval", MINILM.toString(), "--task", TASK.toString(), "--format", "json", "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = JSON.readTree(r.out());
        assertEquals("knn-accuracy", json.get("metric").asText());
        assertEquals("test", json.get("split").asText());
        assertEquals(0.795, json.get("value").asDouble(), "reference.json: base test 318/400");
        assertEquals(400, json.get("examples").asInt());
    }

    @Test
    void runSearchesOnTrainLooAndReportsTestToo() throws IOException {
        Path out = temp.resolve("reduced");
        CliRun r = CliRun.of("run", MINILM.toString(), "--task", TASK.toString(), "--layers", "5", "--max-accepted",
                "1", "--out", out.toString(), "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("5.q=72"), r.out());
        JsonNode report = JSON.readTree(out.resolve("lasermesh-report.json").toFile());
        JsonNode evaluation = report.get("perplexity");
        assertEquals("knn-accuracy", evaluation.get("metric").asText());
        assertEquals("train-loo", evaluation.get("search_split").asText());
        assertEquals(0.755, evaluation.get("before").asDouble(), "search-reference.json: base train-LOO 302/400");
        assertEquals(0.76, evaluation.get("after").asDouble(), "its first candidate, 5.q k72: 304/400, accepted");
        assertEquals(318, evaluation.get("test_before").get("correct").asInt());
        assertEquals(318, evaluation.get("test_after").get("correct").asInt(), "reference.json: 5.q k72 on test");
        for (String file : List.of("modules.json", "1_Pooling/config.json", "sentence_bert_config.json",
                "tokenizer.json", "config.json", "model.safetensors")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
    }

    @Test
    void taskOptionsRejectBadInputNamingIt() throws IOException {
        CliRun split = CliRun.of("eval", MINILM.toString(), "--task", TASK.toString(), "--split", "validation");
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, split.exit(), split.err());
        split.assertBadInputNaming("unknown split \"validation\"", "train-loo");

        Path bad = Files.createDirectories(temp.resolve("bad"));
        Files.writeString(bad.resolve("train.jsonl"), "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"b\"}\n");
        Files.writeString(bad.resolve("test.jsonl"), "{\"text\":\"c\",\"label\":\"x\"}\n");
        CliRun label = CliRun.of("eval", MINILM.toString(), "--task", bad.toString());
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, label.exit(), label.err());
        label.assertBadInputNaming("train.jsonl line 2", "\"label\"");

        Path text = Files.writeString(temp.resolve("t.txt"), "some text");
        CliRun both = CliRun.of("eval", MINILM.toString(), "--task", TASK.toString(), "--text", text.toString());
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, both.exit(), both.err());
        both.assertBadInputNaming("--task and --text exclude each other");

        CliRun decoder = CliRun.of("eval", FIXTURES.resolve("tiny-llama").toString(), "--task", TASK.toString());
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, decoder.exit(), decoder.err());
        decoder.assertBadInputNaming("--task scores encoders");
    }
}
