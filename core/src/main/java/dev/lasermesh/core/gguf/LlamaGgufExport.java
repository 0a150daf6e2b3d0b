package dev.lasermesh.core.gguf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.quant.QuantScheme;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A Llama-family Hugging Face folder as a GGUF file that llama.cpp loads (architecture {@code llama}),
 * laid out as llama.cpp's {@code convert_hf_to_gguf.py} ({@code LlamaModel}) writes it:
 * <ul>
 * <li>hyper-parameters {@code llama.*} from {@code config.json}; the tokenizer from {@code tokenizer.json}
 * ({@link GgufVocabulary});</li>
 * <li>tensor names {@code token_embd}, {@code blk.N.attn_norm|attn_q|attn_k|attn_v|attn_output|ffn_norm|
 * ffn_gate|ffn_up|ffn_down}, {@code output_norm}, {@code output} (absent with tied embeddings: llama.cpp
 * then uses {@code token_embd});</li>
 * <li>the rows of q_proj and k_proj permuted for ggml's RoPE, which rotates adjacent pairs where
 * transformers' {@code rotate_half} rotates the two halves of a head: per head, row 2j + a of the GGUF
 * tensor is row a·d/2 + j of the HF one ({@code permute(W, n_head, n_head_kv)}: reshape to
 * (heads, 2, d/2, in), swap axes 1 and 2; k uses the KV heads);</li>
 * <li>the chosen matrices in a ggml block format when their rows split into blocks of 32; every other
 * tensor F32, or F16 when stored as F16 (BF16 widens exactly to F32).</li>
 * </ul>
 * Everything that can be refused is checked by {@link #prepare} before a byte is written.
 */
public final class LlamaGgufExport {

    /** {@code model_type} values exported as architecture {@code llama}. */
    public static final List<String> MODEL_TYPES = List.of("llama", "mistral");

    private static final int FILE_TYPE_ALL_F32 = 0;
    private static final int FILE_TYPE_MOSTLY_F16 = 1;
    private static final int FILE_TYPE_MOSTLY_Q4_0 = 2;
    private static final int FILE_TYPE_MOSTLY_Q8_0 = 7;
    /** ggml's {@code GGML_QUANT_VERSION}, which convert_hf_to_gguf.py writes. */
    private static final int QUANTIZATION_VERSION = 2;

    private final ModelSource source;
    private final ModelConfig config;
    private final Set<String> quantized;
    private final Optional<QuantScheme> scheme;
    private final GgufMetadata metadata;

    private LlamaGgufExport(ModelSource source, ModelConfig config, Set<String> quantized,
                            Optional<QuantScheme> scheme, GgufMetadata metadata) {
        this.source = source;
        this.config = config;
        this.quantized = quantized;
        this.scheme = scheme;
        this.metadata = metadata;
    }

    /**
     * Checks the model and builds the header.
     *
     * @param matrices the matrices to store in {@code scheme} (those whose rows split into blocks of 32)
     * @param scheme   the block format, or empty for an unquantized export
     * @throws InvalidInputException naming the file and field when the model cannot be exported
     */
    public static LlamaGgufExport prepare(ModelSource source, List<MatrixRef> matrices, Optional<QuantScheme> scheme) {
        Path folder = source.path();
        if (source.config().isEmpty()) {
            throw new InvalidInputException(folder + ": no config.json; the GGUF export needs a Hugging Face model folder");
        }
        ModelConfig config = source.decoderConfig();
        if (!MODEL_TYPES.contains(config.modelType())) {
            throw new InvalidInputException(config.source() + ": model_type \"" + config.modelType()
                    + "\" is not exported to GGUF (supported: " + String.join(", ", MODEL_TYPES) + ")");
        }
        if (config.ropeScaling().isPresent()) {
            throw new InvalidInputException(config.source() + ": rope_scaling (" + config.ropeScaling().get().type()
                    + ") is not exported to GGUF");
        }
        if (config.attentionBias()) {
            throw new InvalidInputException(config.source() + ": attention_bias is true; the GGUF export writes "
                    + "Llama blocks without biases");
        }
        JsonNode raw = readConfig(config.source());
        JsonNode context = raw.path("max_position_embeddings");
        if (!context.canConvertToInt() || context.intValue() <= 0) {
            throw new InvalidInputException(config.source() + ": field \"max_position_embeddings\" (llama.context_length) "
                    + "is missing or not a positive integer");
        }
        Set<String> quantized = scheme.isEmpty() ? Set.of() : matrices.stream()
                .filter(m -> QuantScheme.fits(m.cols())).map(MatrixRef::name).collect(Collectors.toSet());
        GgufMetadata metadata = new GgufMetadata()
                .putString("general.architecture", "llama")
                .putString("general.name", folder.toAbsolutePath().normalize().getFileName().toString())
                .putUInt32("general.file_type", fileType(source, scheme))
                .putUInt32("general.quantization_version", QUANTIZATION_VERSION)
                .putUInt32("llama.block_count", config.numHiddenLayers())
                .putUInt32("llama.context_length", context.intValue())
                .putUInt32("llama.embedding_length", config.hiddenSize())
                .putUInt32("llama.feed_forward_length", config.intermediateSize())
                .putUInt32("llama.attention.head_count", config.numAttentionHeads())
                .putUInt32("llama.attention.head_count_kv", config.numKeyValueHeads())
                .putFloat32("llama.rope.freq_base", config.ropeTheta())
                .putFloat32("llama.attention.layer_norm_rms_epsilon", config.rmsNormEps())
                .putUInt32("llama.attention.key_length", config.headDim())
                .putUInt32("llama.attention.value_length", config.headDim())
                .putUInt32("llama.rope.dimension_count", config.headDim())
                .putUInt32("llama.vocab_size", config.vocabSize());
        GgufVocabulary.put(metadata, folder, config.vocabSize(), config.bosTokenId().orElse(null),
                config.eosTokenId().orElse(null));
        return new LlamaGgufExport(source, config, quantized, scheme, metadata);
    }

    /** The header's key–value pairs. */
    public GgufMetadata metadata() {
        return metadata;
    }

    /** Writes the file; returns what was written. */
    public GgufSummary write(Path target) {
        List<GgufTensor> tensors = tensors();
        long bytes = GgufWriter.write(target, metadata, tensors);
        Map<String, Integer> byType = new TreeMap<>();
        tensors.forEach(t -> byType.merge(t.type().name(), 1, Integer::sum));
        return new GgufSummary(target.toString(), bytes, "llama",
                String.valueOf(metadata.asMap().get("tokenizer.ggml.model")), tensors.size(), metadata.keys().size(),
                byType);
    }

    /** The tensors in file order. */
    public List<GgufTensor> tensors() {
        List<GgufTensor> tensors = new ArrayList<>();
        tensors.add(matrix("token_embd.weight", "model.embed_tokens.weight", 0));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String hf = "model.layers." + i + ".";
            String blk = "blk." + i + ".";
            tensors.add(vector(blk + "attn_norm.weight", hf + "input_layernorm.weight"));
            tensors.add(matrix(blk + "attn_q.weight", hf + "self_attn.q_proj.weight", config.numAttentionHeads()));
            tensors.add(matrix(blk + "attn_k.weight", hf + "self_attn.k_proj.weight", config.numKeyValueHeads()));
            tensors.add(matrix(blk + "attn_v.weight", hf + "self_attn.v_proj.weight", 0));
            tensors.add(matrix(blk + "attn_output.weight", hf + "self_attn.o_proj.weight", 0));
            tensors.add(vector(blk + "ffn_norm.weight", hf + "post_attention_layernorm.weight"));
            tensors.add(matrix(blk + "ffn_gate.weight", hf + "mlp.gate_proj.weight", 0));
            tensors.add(matrix(blk + "ffn_up.weight", hf + "mlp.up_proj.weight", 0));
            tensors.add(matrix(blk + "ffn_down.weight", hf + "mlp.down_proj.weight", 0));
        }
        tensors.add(vector("output_norm.weight", "model.norm.weight"));
        if (!config.tieWordEmbeddings()) {
            tensors.add(matrix("output.weight", "lm_head.weight", 0));
        }
        return tensors;
    }

    /**
     * The rows of an HF q or k projection in llama.cpp's order: GGUF row h·d + 2j + a = HF row
     * h·d + a·d/2 + j, for each of {@code heads} heads of d = rows/heads rows.
     */
    static float[] permuteForRope(float[] w, int rows, int cols, int heads) {
        int d = rows / heads;
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < d / 2; j++) {
                for (int a = 0; a < 2; a++) {
                    System.arraycopy(w, (h * d + a * d / 2 + j) * cols, out, (h * d + 2 * j + a) * cols, cols);
                }
            }
        }
        return out;
    }

    private GgufTensor matrix(String name, String hfName, int ropeHeads) {
        var info = source.tensors().info(hfName);
        int rows = info.rows();
        int cols = info.cols();
        boolean blocks = quantized.contains(hfName);
        GgmlType type = blocks ? GgmlType.of(scheme.orElseThrow()) : plainType(info.dtype());
        return new GgufTensor(name, type, new long[] {cols, rows}, () -> {
            float[] w = source.tensors().readFloats(hfName);
            if (ropeHeads > 0) {
                w = permuteForRope(w, rows, cols, ropeHeads);
            }
            return blocks ? scheme.orElseThrow().quantize(w, rows, cols).blocks() : plainBytes(w, type);
        });
    }

    private GgufTensor vector(String name, String hfName) {
        long n = source.tensors().info(hfName).elementCount();
        return new GgufTensor(name, GgmlType.F32, new long[] {n},
                () -> plainBytes(source.tensors().readFloats(hfName), GgmlType.F32));
    }

    private static GgmlType plainType(DType dtype) {
        return dtype == DType.F16 ? GgmlType.F16 : GgmlType.F32;
    }

    private static byte[] plainBytes(float[] values, GgmlType type) {
        ByteBuffer out = ByteBuffer.allocate(values.length * (type == GgmlType.F16 ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (type == GgmlType.F16) {
                out.putShort(TensorCodec.floatToF16(v));
            } else {
                out.putFloat(v);
            }
        }
        return out.array();
    }

    private static int fileType(ModelSource source, Optional<QuantScheme> scheme) {
        if (scheme.isPresent()) {
            return scheme.get() == QuantScheme.Q8_0 ? FILE_TYPE_MOSTLY_Q8_0 : FILE_TYPE_MOSTLY_Q4_0;
        }
        boolean f16 = source.catalogue().matrices().stream().anyMatch(m -> m.dtype() == DType.F16);
        return f16 ? FILE_TYPE_MOSTLY_F16 : FILE_TYPE_ALL_F32;
    }

    private static JsonNode readConfig(Path file) {
        try {
            return new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
