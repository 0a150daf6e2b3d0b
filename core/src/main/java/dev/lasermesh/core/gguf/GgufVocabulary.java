package dev.lasermesh.core.gguf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code tokenizer.ggml.*} keys of a GGUF from a Hugging Face {@code tokenizer.json} with a BPE
 * model, in the two forms llama.cpp's {@code convert_hf_to_gguf.py} writes for Llama checkpoints:
 * <ul>
 * <li>byte-level BPE (a {@code ByteLevel} pre-tokenizer, GPT-2's regex): model {@code gpt2}, pre-tokenizer
 * {@code gpt-2} (llama.cpp's name for GPT-2's split; it rejects {@code gpt2}), tokens, token types and the
 * merges as {@code "left right"} strings ({@code _set_vocab_gpt2});</li>
 * <li>SentencePiece-style BPE ({@code byte_fallback}, {@code ▁} for spaces — the HF form of Llama and
 * Mistral tokenizers): model {@code llama}, pre-tokenizer {@code default}, tokens, scores and token types
 * ({@code _set_vocab_llama_hf}). llama.cpp's SentencePiece tokenizer merges the adjacent pair whose merged
 * token has the highest score, so a token made by BPE merge number r (0-based, in {@code merges} order)
 * scores −r and every other token 0: the highest score is the earliest merge, BPE's own priority.</li>
 * </ul>
 * Token types (llama.cpp {@code llama_token_type}): 1 normal, 2 unknown, 3 control (special added
 * tokens), 4 user-defined (other added tokens), 5 unused (ids the config's vocabulary has beyond the
 * tokenizer's, written as {@code [PAD<id>]}), 6 byte ({@code <0x00>}..{@code <0xFF>}).
 */
public final class GgufVocabulary {

    private static final int NORMAL = 1;
    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;
    private static final int UNUSED = 5;
    private static final int BYTE = 6;
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-F]{2}>");

    private GgufVocabulary() {
    }

    /**
     * Puts the tokenizer keys for a model of {@code vocabSize} ids.
     *
     * @param folder the model folder ({@code tokenizer.json}, optionally {@code tokenizer_config.json})
     * @throws InvalidInputException naming the file when the tokenizer is missing, malformed or of a kind
     *                               the export does not write
     */
    public static void put(GgufMetadata metadata, Path folder, int vocabSize, Integer bosId, Integer eosId) {
        Path file = folder.resolve("tokenizer.json");
        JsonNode root = readJson(file, true);
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText())) {
            throw new InvalidInputException(file + ": the GGUF export writes BPE tokenizers; model.type is \""
                    + model.path("type").asText() + "\"");
        }
        Map<Integer, String> tokens = new HashMap<>();
        model.path("vocab").properties().forEach(e -> tokens.put(e.getValue().intValue(), e.getKey()));
        Map<Integer, Boolean> added = new HashMap<>();
        for (JsonNode a : root.path("added_tokens")) {
            tokens.put(a.path("id").intValue(), a.path("content").asText());
            added.put(a.path("id").intValue(), a.path("special").asBoolean(false));
        }
        List<String> merges = merges(model.path("merges"));
        List<String> texts = new ArrayList<>(vocabSize);
        List<Integer> types = new ArrayList<>(vocabSize);
        boolean sentencePiece = sentencePieceStyle(root);
        if (!sentencePiece && !byteLevel(root)) {
            throw new InvalidInputException(file + ": the GGUF export writes byte-level BPE tokenizers (a lone ByteLevel "
                    + "pre-tokenizer, GPT-2's split) and SentencePiece-style ones (byte_fallback, Metaspace); "
                    + "this pre-tokenizer is neither");
        }
        String unk = model.path("unk_token").isTextual() ? model.path("unk_token").textValue() : null;
        Integer unkId = null;
        for (int id = 0; id < vocabSize; id++) {
            String text = tokens.get(id);
            if (text == null) {
                texts.add("[PAD" + id + "]");
                types.add(UNUSED);
                continue;
            }
            texts.add(text);
            if (added.containsKey(id) && !text.equals(unk)) {
                types.add(added.get(id) ? CONTROL : USER_DEFINED);
            } else if (sentencePiece && text.equals(unk)) {
                types.add(UNKNOWN);
                unkId = id;
            } else if (sentencePiece && BYTE_TOKEN.matcher(text).matches()) {
                types.add(BYTE);
            } else {
                types.add(NORMAL);
            }
        }
        if (tokens.keySet().stream().anyMatch(id -> id >= vocabSize)) {
            throw new InvalidInputException(file + ": the tokenizer has ids beyond the config's vocab_size " + vocabSize);
        }
        metadata.putString("tokenizer.ggml.model", sentencePiece ? "llama" : "gpt2");
        metadata.putString("tokenizer.ggml.pre", sentencePiece ? "default" : "gpt-2");
        metadata.putStrings("tokenizer.ggml.tokens", texts);
        if (sentencePiece) {
            metadata.putFloat32s("tokenizer.ggml.scores", scores(texts, merges));
        }
        metadata.putInt32s("tokenizer.ggml.token_type", types);
        if (!sentencePiece) {
            metadata.putStrings("tokenizer.ggml.merges", merges);
        }
        if (bosId != null) {
            metadata.putUInt32("tokenizer.ggml.bos_token_id", bosId);
        }
        if (eosId != null) {
            metadata.putUInt32("tokenizer.ggml.eos_token_id", eosId);
        }
        if (unkId != null) {
            metadata.putUInt32("tokenizer.ggml.unknown_token_id", unkId);
        }
        JsonNode config = readJson(folder.resolve("tokenizer_config.json"), false);
        for (String flag : List.of("add_bos_token", "add_eos_token")) {
            if (config != null && config.path(flag).isBoolean()) {
                metadata.putBool("tokenizer.ggml." + flag, config.get(flag).booleanValue());
            }
        }
    }

    /** −(index of the merge that makes the token), 0 for tokens no merge makes. */
    private static List<Float> scores(List<String> texts, List<String> merges) {
        Map<String, Integer> rank = new HashMap<>();
        for (int r = 0; r < merges.size(); r++) {
            rank.putIfAbsent(merges.get(r).replace(" ", ""), r);
        }
        return texts.stream().map(t -> rank.containsKey(t) ? (float) -rank.get(t) : 0f).toList();
    }

    private static List<String> merges(JsonNode merges) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : merges) {
            out.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
        }
        return out;
    }

    private static boolean byteLevel(JsonNode root) {
        JsonNode pre = root.path("pre_tokenizer");
        return "ByteLevel".equals(pre.path("type").asText()) && pre.path("use_regex").asBoolean(true);
    }

    private static boolean sentencePieceStyle(JsonNode root) {
        Set<String> types = new HashSet<>();
        collectTypes(root.path("pre_tokenizer"), types);
        collectTypes(root.path("normalizer"), types);
        boolean replacesSpaces = root.path("normalizer").toString().contains("\u2581");
        return root.path("model").path("byte_fallback").asBoolean(false)
                && (types.contains("Metaspace") || replacesSpaces) && !types.contains("ByteLevel");
    }

    private static void collectTypes(JsonNode node, Set<String> types) {
        if (node.has("type")) {
            types.add(node.get("type").asText());
        }
        for (String list : List.of("pretokenizers", "normalizers")) {
            node.path(list).forEach(n -> collectTypes(n, types));
        }
    }

    private static JsonNode readJson(Path file, boolean required) {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new InvalidInputException(file + ": missing; a GGUF carries the tokenizer, so the export needs it");
            }
            return null;
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(file + ": not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
    }
}
