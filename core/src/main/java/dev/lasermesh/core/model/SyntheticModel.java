package dev.lasermesh.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.model.family.Dimensions;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.model.family.ModelFamily;
import dev.lasermesh.core.model.family.ModuleSpec;
import dev.lasermesh.core.model.family.TensorSpec;
import dev.lasermesh.core.tensor.AtomicFiles;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.core.tensor.ShardIndex;
import dev.lasermesh.core.tensor.TensorSources;
import dev.lasermesh.core.tensor.TensorValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Llama-shaped model folder with random weights, for benchmarks and memory tests at real model
 * sizes without downloading one: {@code config.json} plus safetensors (sharded when larger than a
 * limit), every matrix N(0, {@value #WEIGHT_STD}²) as at initialisation (transformers'
 * {@code initializer_range}), every RMSNorm weight 1. Tensors are generated block by block while they
 * are written, so a multi-gigabyte model needs only a few megabytes of heap.
 *
 * <p>Each tensor draws from its own stream ({@link SplittableRandom#split()} of the seed, in tensor
 * order), so {@link #values(String)} regenerates any one tensor exactly, e.g. to check what a reader
 * decodes.
 *
 * @param vocabSize         vocabulary size
 * @param hiddenSize        model width
 * @param intermediateSize  MLP width
 * @param numHiddenLayers   decoder layers
 * @param numAttentionHeads query heads
 * @param numKeyValueHeads  key/value heads (grouped-query attention)
 * @param tieWordEmbeddings whether lm_head is the embedding matrix (then not stored)
 * @param dtype             storage type
 * @param seed              random seed
 */
public record SyntheticModel(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                             int numAttentionHeads, int numKeyValueHeads, boolean tieWordEmbeddings, DType dtype,
                             long seed) {

    /** Standard deviation of the matrix entries (transformers' default {@code initializer_range}). */
    public static final double WEIGHT_STD = 0.02;

    private static final int BLOCK = 1 << 16;

    public SyntheticModel {
        for (int v : new int[] {vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                numKeyValueHeads}) {
            if (v <= 0) {
                throw new IllegalArgumentException("model dimensions must be positive");
            }
        }
        if (numAttentionHeads % numKeyValueHeads != 0 || hiddenSize % numAttentionHeads != 0
                || (hiddenSize / numAttentionHeads) % 2 != 0) {
            throw new IllegalArgumentException("heads " + numAttentionHeads + " / KV heads " + numKeyValueHeads
                    + " / hidden " + hiddenSize + " do not give an even head_dim shared by whole KV groups");
        }
    }

    /**
     * The shape of SmolLM2-135M (HuggingFaceTB/SmolLM2-135M config.json: hidden 576, intermediate
     * 1536, 30 layers, 9 heads, 3 KV heads, vocab 49152, tied embeddings).
     */
    public static SyntheticModel smolLm2_135M(DType dtype, long seed) {
        return new SyntheticModel(49152, 576, 1536, 30, 9, 3, true, dtype, seed);
    }

    /**
     * The shape of Mistral-7B (mistralai/Mistral-7B-v0.1 config.json: hidden 4096, intermediate 14336,
     * 32 layers, 32 heads, 8 KV heads, vocab 32000, untied embeddings): 7.24e9 parameters, 14.5 GB in BF16.
     */
    public static SyntheticModel mistral7B(DType dtype, long seed) {
        return new SyntheticModel(32000, 4096, 14336, 32, 32, 8, false, dtype, seed);
    }

    /** This shape with {@code layers} decoder layers (e.g. a cut-down model for a quick run). */
    public SyntheticModel withLayers(int layers) {
        return new SyntheticModel(vocabSize, hiddenSize, intermediateSize, layers, numAttentionHeads, numKeyValueHeads,
                tieWordEmbeddings, dtype, seed);
    }

    /** hidden / heads. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Every tensor's name and shape, in the order they are written (names and shapes of the llama family). */
    public Map<String, long[]> shapes() {
        ModelFamily llama = ModelFamilies.LLAMA;
        Dimensions d = config(Path.of(ModelSource.CONFIG_FILE)).dimensions();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        put(shapes, llama.tensor("embed"), -1, d);
        for (int layer = 0; layer < numHiddenLayers; layer++) {
            put(shapes, llama.tensor("input_layernorm"), layer, d);
            for (ModuleSpec module : llama.modules()) {
                if (module.perLayer()) {
                    put(shapes, module.tensor(), layer, d);
                }
            }
            put(shapes, llama.tensor("post_attention_layernorm"), layer, d);
        }
        put(shapes, llama.tensor("norm"), -1, d);
        if (!tieWordEmbeddings) {
            put(shapes, llama.tensor("lm_head"), -1, d);
        }
        return shapes;
    }

    private static void put(Map<String, long[]> shapes, TensorSpec tensor, int layer, Dimensions d) {
        shapes.put(tensor.name(layer), tensor.shape(d));
    }

    /** Number of stored parameters. */
    public long parameterCount() {
        return shapes().values().stream().mapToLong(SyntheticModel::elements).sum();
    }

    /** Bytes of tensor data. */
    public long dataBytes() {
        return parameterCount() * dtype.byteSize();
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The config this model's folder gets, as read back from {@code source}. */
    public ModelConfig config(Path source) {
        return ModelConfig.parse(new ConfigFile(source, configJson()));
    }

    private ObjectNode configJson() {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("vocab_size", vocabSize);
        c.put("hidden_size", hiddenSize);
        c.put("intermediate_size", intermediateSize);
        c.put("num_hidden_layers", numHiddenLayers);
        c.put("num_attention_heads", numAttentionHeads);
        c.put("num_key_value_heads", numKeyValueHeads);
        c.put("head_dim", headDim());
        c.put("hidden_act", "silu");
        c.put("max_position_embeddings", 2048);
        c.put("rope_theta", 10000.0);
        c.put("rms_norm_eps", 1e-5);
        c.put("initializer_range", WEIGHT_STD);
        c.put("tie_word_embeddings", tieWordEmbeddings);
        c.put("attention_bias", false);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("torch_dtype", switch (dtype) {
            case F64 -> "float64";
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
        });
        return c;
    }

    /**
     * The values of one tensor (before encoding to {@link #dtype()}): Gaussian for matrices, ones for
     * norm weights.
     *
     * @throws IllegalArgumentException when the model has no such tensor
     */
    public TensorValues values(String tensorName) {
        Map<String, long[]> shapes = shapes();
        long[] shape = shapes.get(tensorName);
        if (shape == null) {
            throw new IllegalArgumentException("the synthetic model has no tensor \"" + tensorName + "\"");
        }
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom stream = null;
        for (String name : shapes.keySet()) {
            SplittableRandom next = root.split();
            if (name.equals(tensorName)) {
                stream = next;
                break;
            }
        }
        return blocks(elements(shape), shape.length == 1 ? null : stream);
    }

    /** Values in blocks: Gaussian from {@code random}, or all ones when it is null. */
    private static TensorValues blocks(long count, SplittableRandom random) {
        return sink -> {
            float[] block = new float[(int) Math.min(BLOCK, count)];
            if (random == null) {
                Arrays.fill(block, 1f);
            }
            for (long done = 0; done < count; done += block.length) {
                int n = (int) Math.min(block.length, count - done);
                if (random != null) {
                    for (int i = 0; i < n; i++) {
                        block[i] = (float) (random.nextGaussian() * WEIGHT_STD);
                    }
                }
                sink.floats(block, 0, n);
            }
        };
    }

    /**
     * Writes the model folder: {@code config.json} and {@code model.safetensors}, or, when the data
     * exceed {@code maxShardBytes}, consecutive shards {@code model-0000i-of-0000n.safetensors} of at
     * most that size (a larger tensor gets a shard of its own) plus {@code model.safetensors.index.json}.
     *
     * @return {@code folder}
     */
    public Path write(Path folder, long maxShardBytes) {
        List<List<String>> shards = new ArrayList<>();
        long shardBytes = 0;
        for (Map.Entry<String, long[]> t : shapes().entrySet()) {
            long bytes = elements(t.getValue()) * dtype.byteSize();
            if (shards.isEmpty() || (shardBytes + bytes > maxShardBytes && shardBytes > 0)) {
                shards.add(new ArrayList<>());
                shardBytes = 0;
            }
            shards.getLast().add(t.getKey());
            shardBytes += bytes;
        }
        Map<String, long[]> shapes = shapes();
        SplittableRandom root = new SplittableRandom(seed);
        Map<String, String> weightMap = new LinkedHashMap<>();
        long total = 0;
        for (int s = 0; s < shards.size(); s++) {
            String fileName = shards.size() == 1 ? TensorSources.SINGLE_FILE_NAME
                    : String.format("model-%05d-of-%05d.safetensors", s + 1, shards.size());
            SafetensorsWriter writer = new SafetensorsWriter(folder.resolve(fileName)).metadata(Map.of("format", "pt"));
            for (String name : shards.get(s)) {
                long[] shape = shapes.get(name);
                SplittableRandom stream = root.split();
                writer.put(name, dtype, shape, blocks(elements(shape), shape.length == 1 ? null : stream));
                weightMap.put(name, fileName);
            }
            total += writer.write();
        }
        if (shards.size() > 1) {
            Path index = folder.resolve(ShardIndex.FILE_NAME);
            ShardIndex.create(index, weightMap).write(index, total);
        }
        try {
            AtomicFiles.write(folder.resolve(ModelSource.CONFIG_FILE),
                    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(configJson()));
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot write config.json (" + e.getMessage() + ")", e);
        }
        return folder;
    }
}
