package dev.lasermesh.core.reduce;

import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.tensor.AtomicFiles;
import dev.lasermesh.core.tensor.ShardIndex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@value #FILE} of a reduced folder: the input's model card, which describes the original weights,
 * with a note of what the output changed, inserted after the card's YAML front matter (Hugging Face
 * keeps the card's metadata there): how many matrices were replaced, in which form and how to load
 * them, and the SHA-256 of every weights file of the output. A checksum in the card that is the
 * SHA-256 of one of the input's weights files is replaced by the checksum of the output file of the
 * same name, so the card never vouches for bytes the folder does not hold.
 */
final class ModelCard {

    /** The model card's file name. */
    static final String FILE = "README.md";

    private static final Pattern SHA256 = Pattern.compile("(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])");
    private static final Pattern FRONT_MATTER = Pattern.compile("\\A---\\r?\\n(?:.*?\\r?\\n)?---\\r?\\n", Pattern.DOTALL);

    /**
     * What the note says about the output.
     *
     * @param replaced matrices replaced by truncations
     * @param factored whether they are stored as factors that need the folder's transformers code
     */
    record Changes(int replaced, boolean factored) {
    }

    private ModelCard() {
    }

    /**
     * Writes {@code outDir}/README.md from the input folder's card; does nothing when the input has no
     * card (or is a single file).
     */
    static void write(Path input, Path outDir, Changes changes) throws IOException {
        Path card = input.resolve(FILE);
        if (!Files.isDirectory(input) || !Files.isRegularFile(card)) {
            return;
        }
        String text = Files.readString(card, StandardCharsets.UTF_8);
        Map<String, String> written = new LinkedHashMap<>();
        for (String name : weightsFiles(outDir)) {
            written.put(name, sha256(outDir.resolve(name)));
        }
        boolean updated = false;
        if (SHA256.matcher(text).find()) {
            Map<String, String> stale = new LinkedHashMap<>();
            for (String name : weightsFiles(input)) {
                String now = written.get(name);
                if (now != null) {
                    stale.put(sha256(input.resolve(name)), now);
                }
            }
            String replaced = replace(text, stale);
            updated = !replaced.equals(text);
            text = replaced;
        }
        AtomicFiles.write(outDir.resolve(FILE), insert(text, note(changes, written, updated))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String replace(String text, Map<String, String> stale) {
        Matcher m = SHA256.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String now = stale.get(m.group().toLowerCase(Locale.ROOT));
            m.appendReplacement(out, Matcher.quoteReplacement(now == null ? m.group() : now));
        }
        return m.appendTail(out).toString();
    }

    private static String note(Changes changes, Map<String, String> written, boolean updated) {
        StringBuilder note = new StringBuilder("<!-- written by Lasermesh -->\n> **Rank-reduced by Lasermesh.** ");
        if (changes.replaced() == 0) {
            note.append("No weight matrix was replaced: the weights are the original's.\n");
        } else {
            note.append("This folder is not the model the card below describes: ").append(changes.replaced())
                    .append(changes.replaced() == 1 ? " weight matrix was" : " weight matrices were")
                    .append(" replaced by rank-k truncations; `lasermesh-report.json` lists each with its rank and error.\n");
            note.append(changes.factored()
                    ? "> They are stored as two low-rank factors each (`" + RankMap.FILE + "`), which the original "
                    + "architecture's code cannot load: load the folder with transformers' "
                    + "`AutoModelForCausalLM.from_pretrained(folder, trust_remote_code=True)`, which runs "
                    + "`modeling_lasermesh.py` of this folder.\n"
                    : "> They are stored dense, with their original names and shapes.\n");
        }
        note.append(">\n> SHA-256 of the weights files here")
                .append(updated ? " (the card's checksums of the original files are replaced by these)" : "")
                .append(":\n");
        written.forEach((name, sha) -> note.append("> - `").append(name).append("`: `").append(sha).append("`\n"));
        return note.append('\n').toString();
    }

    /** {@code note} after the card's YAML front matter, or first when it has none. */
    private static String insert(String text, String note) {
        Matcher m = FRONT_MATTER.matcher(text);
        if (m.find()) {
            return text.substring(0, m.end()) + "\n" + note + text.substring(m.end());
        }
        return note + text;
    }

    /** The weights files of a folder: its safetensors files and shard index, by name. */
    private static List<String> weightsFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".safetensors") || n.equals(ShardIndex.FILE_NAME)).sorted().toList();
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
