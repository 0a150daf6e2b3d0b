package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.eval.bench.TorchInstall;
import dev.lasermesh.core.spectrum.FixedRankPolicy;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.RankPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python a factored folder ships for transformers. Its syntax is checked with the interpreter
 * ({@code python3 -m py_compile}); its low-rank modules are checked with real PyTorch (the CPU wheel of
 * the project machines, installed once as {@code lasermesh bench eval} installs it): put in place of
 * dense layers and loaded from the folder's factor tensors, they compute what the dense output's
 * weights compute. Loading through transformers itself needs transformers, which these machines do
 * not have: {@code docs/transformers/score_factored.py} does that where it is installed.
 */
class TransformersCodeTest {

    /** float32 factors applied one after the other against float64 products with the dense float32 weights. */
    private static final double LAYER_TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    /** The shipped files, and the transformers check of docs/ that loads them. */
    @Test
    void pythonCompiles() throws IOException, InterruptedException {
        assumeTrue(python3Runs(), "python3 is not on PATH: the shipped Python cannot be syntax-checked here");
        List<Path> files = new ArrayList<>();
        for (String code : ReducedFolderFiles.TRANSFORMERS_CODE) {
            Path file = dir.resolve(code);
            try (InputStream in = ReducedFolderFiles.class.getResourceAsStream(code)) {
                Files.write(file, in.readAllBytes());
            }
            files.add(file);
        }
        Path docs = Path.of("..", "docs", "transformers", "score_factored.py");
        assertTrue(Files.isRegularFile(docs), docs.toAbsolutePath() + " is missing");
        Path copy = dir.resolve(docs.getFileName());
        Files.copy(docs, copy);
        files.add(copy);
        for (Path file : files) {
            Process p = new ProcessBuilder("python3", "-m", "py_compile", file.toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), file.getFileName() + " does not compile: " + output);
        }
    }

    @Test
    void lowRankModulesLoadTheFactorsAndComputeTheDenseReduction() throws IOException, InterruptedException {
        assumeTrue(python3Runs(), "python3 is not on PATH: the low-rank modules cannot be run here");
        Optional<Path> torch = TorchInstall.locate(TorchInstall.CACHE, TorchInstall.WHEELS);
        assumeTrue(torch.isPresent(), "no PyTorch: neither installed in " + TorchInstall.CACHE + " nor a torch-*.whl in "
                + TorchInstall.WHEELS + " to install it from");
        Map<String, RankPolicy> policies = new LinkedHashMap<>();
        policies.put("model.embed_tokens.weight", new FixedRankPolicy(96));
        policies.put(TinyLlamaOutputs.Q_2, new LaserRmtPolicy());
        policies.put(TinyLlamaOutputs.DOWN_5, new LaserRmtPolicy());
        Path model = Fixtures.path("tiny-llama");
        TinyLlamaOutputs.write(model, dir.resolve("dense"), StorageForm.DENSE, policies);
        TinyLlamaOutputs.write(model, dir.resolve("factored"), StorageForm.FACTORED, policies);
        Path script = dir.resolve("check_low_rank.py");
        try (InputStream in = TransformersCodeTest.class.getResourceAsStream("check_low_rank.py");
             InputStream reader = TorchInstall.class.getResourceAsStream("torch_eval.py")) {
            Files.write(script, in.readAllBytes());
            Files.write(dir.resolve("torch_eval.py"), reader.readAllBytes());
        }
        ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), dir.resolve("factored").toString(),
                dir.resolve("dense").toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PYTHONPATH", torch.get().toString());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), "check_low_rank.py failed: " + out);
        JsonNode result = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
        System.out.println("[low-rank modules, torch " + result.get("torch").asText() + "] " + result);
        JsonNode laser = Fixtures.json("tiny-llama/reference.json").at("/laser/matrices");
        assertEquals(List.of("model.embed_tokens", "model.layers.2.self_attn.q_proj", "model.layers.5.mlp.down_proj"),
                fieldNames(result.get("modules")));
        assertEquals("LowRankEmbedding", result.at("/modules/model.embed_tokens/type").asText());
        assertEquals(96, result.at("/modules/model.embed_tokens/rank").asInt());
        assertEquals("LowRankLinear", result.at("/modules/model.layers.5.mlp.down_proj/type").asText());
        assertEquals(laser.at("/" + TinyLlamaOutputs.DOWN_5 + "/k").asInt(),
                result.at("/modules/model.layers.5.mlp.down_proj/rank").asInt());
        assertEquals(laser.at("/" + TinyLlamaOutputs.Q_2 + "/k").asInt(),
                result.at("/modules/model.layers.2.self_attn.q_proj/rank").asInt());
        double error = result.get("max_relative_error").asDouble();
        assertTrue(error < LAYER_TOLERANCE, "low-rank modules against the dense weights: " + error);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static boolean python3Runs() throws InterruptedException {
        try {
            return new ProcessBuilder("python3", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
