package dev.lasermesh.core.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.quant.QuantScheme;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GGUF files of tiny-llama read back by an independent reader ({@link GgufReader}): every key and its
 * value (hyper-parameters from config.json, the byte-level BPE vocabulary of tokenizer.json), every
 * tensor's name, type, dimensions fastest-first and aligned offset, the data of the quantized
 * matrices equal to the bit-exact blocks of the HF rows in the order of convert_hf_to_gguf.py's
 * RoPE permutation, and unquantized tensors byte for byte.
 */
class LlamaGgufExportTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"F32", "Q8_0", "Q4_0"})
    void tinyLlamaGgufHoldsEveryKeyAndTensor(String format) throws IOException {
        Optional<QuantScheme> scheme = format.equals("F32") ? Optional.empty() : Optional.of(QuantScheme.valueOf(format));
        Path file = temp.resolve("tiny-" + format + ".gguf");
        try (ModelSource source = ModelSource.open(Fixtures.path("tiny-llama"))) {
            GgufSummary summary = LlamaGgufExport.prepare(source, source.catalogue().defaultSelection(), scheme)
                    .write(file);
            GgufReader gguf = new GgufReader(file);
            assertEquals(3, gguf.version);
            assertEquals(Files.size(file), summary.bytes());
            assertMetadata(gguf.metadata, format);
            assertTensors(gguf, source, scheme);
        }
    }

    private static void assertMetadata(Map<String, Object> m, String format) {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("general.architecture", "llama");
        expected.put("general.name", "tiny-llama");
        expected.put("general.file_type", switch (format) {
            case "Q8_0" -> 7L;
            case "Q4_0" -> 2L;
            default -> 0L;
        });
        expected.put("general.quantization_version", 2L);
        expected.put("llama.block_count", 6L);
        expected.put("llama.context_length", 512L);
        expected.put("llama.embedding_length", 256L);
        expected.put("llama.feed_forward_length", 704L);
        expected.put("llama.attention.head_count", 8L);
        expected.put("llama.attention.head_count_kv", 4L);
        expected.put("llama.rope.freq_base", 10000f);
        expected.put("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        expected.put("llama.attention.key_length", 32L);
        expected.put("llama.attention.value_length", 32L);
        expected.put("llama.rope.dimension_count", 32L);
        expected.put("llama.vocab_size", 1026L);
        expected.put("tokenizer.ggml.model", "gpt2");
        expected.put("tokenizer.ggml.pre", "gpt-2");
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            assertEquals(e.getValue(), m.get(e.getKey()), e.getKey());
        }
        List<?> tokens = (List<?>) m.get("tokenizer.ggml.tokens");
        List<?> types = (List<?>) m.get("tokenizer.ggml.token_type");
        List<?> merges = (List<?>) m.get("tokenizer.ggml.merges");
        assertEquals(1026, tokens.size());
        assertEquals(1026, types.size());
        assertEquals("<|bos|>", tokens.get(1024));
        assertEquals("<|eos|>", tokens.get(1025));
        assertEquals("Ġt", tokens.get(256 + 0), "the first merge's token follows the 256 byte tokens");
        assertEquals(3, types.get(1024), "special added tokens are control tokens");
        assertEquals(1, types.get(65));
        assertEquals(768, merges.size());
        assertEquals("Ġ t", merges.get(0));
        assertEquals(1024L, m.get("tokenizer.ggml.bos_token_id"));
        assertEquals(1025L, m.get("tokenizer.ggml.eos_token_id"));
        assertEquals(false, m.get("tokenizer.ggml.add_bos_token"));
        assertEquals(false, m.get("tokenizer.ggml.add_eos_token"));
        List<String> keys = new ArrayList<>(expected.keySet());
        keys.addAll(List.of("tokenizer.ggml.tokens", "tokenizer.ggml.token_type", "tokenizer.ggml.merges",
                "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.add_bos_token",
                "tokenizer.ggml.add_eos_token"));
        assertEquals(keys.stream().sorted().toList(), m.keySet().stream().sorted().toList(), "no other key is written");
    }

    private static void assertTensors(GgufReader gguf, ModelSource source, Optional<QuantScheme> scheme) {
        List<String> names = new ArrayList<>(List.of("token_embd.weight"));
        for (int i = 0; i < 6; i++) {
            for (String t : List.of("attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate",
                    "ffn_up", "ffn_down")) {
                names.add("blk." + i + "." + t + ".weight");
            }
        }
        names.addAll(List.of("output_norm.weight", "output.weight"));
        assertEquals(names, new ArrayList<>(gguf.tensors.keySet()));
        int linearType = scheme.map(s -> GgmlType.of(s).id()).orElse(0);
        long end = 0;
        for (GgufReader.Tensor t : gguf.tensors.values()) {
            boolean linear = t.name().startsWith("blk.") && !t.name().endsWith("norm.weight");
            assertEquals(linear ? linearType : 0, t.type(), t.name());
            assertEquals(0, t.offset() % 32, t.name() + " offset aligned to 32");
            assertTrue(t.offset() >= end, t.name() + " does not overlap the previous tensor");
            long rows = t.ne().length == 2 ? t.ne()[1] : 1;
            end = t.offset() + GgmlType.values()[indexOf(t.type())].bytes(rows, t.ne()[0]);
        }
        assertTrue(gguf.dataStart + end <= gguf.fileSize());
        assertArrayEquals(new long[] {256, 1026}, gguf.tensors.get("token_embd.weight").ne());
        assertArrayEquals(new long[] {256, 128}, gguf.tensors.get("blk.3.attn_k.weight").ne());
        assertArrayEquals(new long[] {704, 256}, gguf.tensors.get("blk.3.ffn_down.weight").ne());
        assertArrayEquals(new long[] {256}, gguf.tensors.get("output_norm.weight").ne());

        assertPermutedRows(gguf, source, scheme, "blk.2.attn_q.weight", "model.layers.2.self_attn.q_proj.weight", 8);
        assertPermutedRows(gguf, source, scheme, "blk.2.attn_k.weight", "model.layers.2.self_attn.k_proj.weight", 4);
        assertPermutedRows(gguf, source, scheme, "blk.2.attn_v.weight", "model.layers.2.self_attn.v_proj.weight", 128);
        assertArrayEquals(littleEndian(source.tensors().readFloats("lm_head.weight")),
                gguf.data("output.weight", 1026L * 256 * 4));
        assertArrayEquals(littleEndian(source.tensors().readFloats("model.layers.4.post_attention_layernorm.weight")),
                gguf.data("blk.4.ffn_norm.weight", 256 * 4));
    }

    /**
     * GGUF row h·d + 2j + a holds the stored row (blocks or F32 values) of HF row h·d + a·d/2 + j;
     * {@code heads} = rows gives the identity (v_proj is not permuted).
     */
    private static void assertPermutedRows(GgufReader gguf, ModelSource source, Optional<QuantScheme> scheme,
                                           String name, String hfName, int heads) {
        var ref = source.catalogue().byName(hfName);
        float[] w = source.tensors().readFloats(hfName);
        byte[] hfRows = scheme.map(s -> s.quantize(w, ref.rows(), ref.cols()).blocks()).orElse(littleEndian(w));
        int rowBytes = hfRows.length / ref.rows();
        byte[] stored = gguf.data(name, hfRows.length);
        int d = ref.rows() / heads;
        for (int h = 0; h < heads; h++) {
            for (int r = 0; r < d; r++) {
                int hfRow = h * d + (heads == ref.rows() ? 0 : (r % 2) * d / 2 + r / 2);
                int ggufRow = h * d + r;
                assertArrayEquals(Arrays.copyOfRange(hfRows, hfRow * rowBytes, (hfRow + 1) * rowBytes),
                        Arrays.copyOfRange(stored, ggufRow * rowBytes, (ggufRow + 1) * rowBytes),
                        name + " row " + ggufRow);
            }
        }
    }

    @Test
    void tiedEmbeddingsWriteNoOutputTensorAndAMissingTokenizerIsRefused() throws IOException {
        Path model = temp.resolve("stories");
        Files.createDirectories(model);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(Fixtures.path("stories260K/" + f), model.resolve(f));
        }
        try (ModelSource source = ModelSource.open(model)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> LlamaGgufExport.prepare(source,
                    source.catalogue().defaultSelection(), Optional.of(QuantScheme.Q8_0)));
            assertTrue(e.getMessage().endsWith("tokenizer.json: missing; a GGUF carries the tokenizer, so the export "
                    + "needs it"), e.getMessage());
            Files.copy(Fixtures.path("tiny-llama/tokenizer.json"), model.resolve("tokenizer.json"));
            InvalidInputException vocab = assertThrows(InvalidInputException.class, () -> LlamaGgufExport.prepare(source,
                    source.catalogue().defaultSelection(), Optional.empty()));
            assertTrue(vocab.getMessage().endsWith("the tokenizer has ids beyond the config's vocab_size 512"),
                    vocab.getMessage());
        }
    }

    @Test
    void ropePermutationOfOneHeadSwapsHalvesIntoPairs() {
        float[] w = {0, 1, 2, 3, 4, 5, 6, 7};
        assertArrayEquals(new float[] {0, 4, 1, 5, 2, 6, 3, 7}, LlamaGgufExport.permuteForRope(w, 8, 1, 1));
        assertArrayEquals(new float[] {0, 2, 1, 3, 4, 6, 5, 7}, LlamaGgufExport.permuteForRope(w, 8, 1, 2));
    }

    private static int indexOf(int ggmlId) {
        for (GgmlType t : GgmlType.values()) {
            if (t.id() == ggmlId) {
                return t.ordinal();
            }
        }
        throw new IllegalStateException("unexpected ggml type " + ggmlId);
    }

    static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
