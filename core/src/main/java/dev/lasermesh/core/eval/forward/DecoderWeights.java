package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.eval.kernel.VectorMath;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelConfigException;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.MappedPages;
import dev.lasermesh.core.tensor.TensorCodec;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorSource;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of a Llama-family decoder (Llama, Mistral, Qwen2) bound to their roles and checked
 * against {@code config.json}: every shape must follow from the config, every value must be finite.
 *
 * <p>Float32 tensors stay in the memory-mapped file and are handed to the matrix products without a
 * copy. BF16 and F16 matrices are widened exactly to float32 once, here, and kept on the heap when the
 * widened matrices fit the memory budget: the reference semantics are float32 arithmetic on exactly
 * upcast weights, OpenBLAS has no product of a BF16 matrix with float32 activations ({@code sbgemm}
 * would round the activations to BF16), and widening per use costs a pass over every matrix for every
 * window (about 15% of the product time). The price is twice the file size on the heap. When that does
 * not fit the budget (a 7B model widens to 29 GB), the matrices stay in the mapped file and are widened
 * when a product needs them, into a cache bounded by the budget ({@link WidenedCache}): the same operand,
 * so bit-identical results; the heap then holds the budget plus one matrix per thread, not the model.
 *
 * <p>The source must stay open while this object (or any {@link ModelState} of it) is in use.
 */
public final class DecoderWeights {

    private static final String ROTARY_BUFFER_SUFFIX = ".rotary_emb.inv_freq";

    /**
     * The {@code hidden_act} names under which transformers builds SiLU, the activation of the SwiGLU MLP
     * {@link DecoderForward} computes ({@code ACT2CLS} in {@code transformers/activations.py}: {@code silu}
     * and {@code swish} are both {@code nn.SiLU}; names are matched exactly, as there).
     */
    private static final List<String> SILU_NAMES = List.of("silu", "swish");

    /** The longest config value a message quotes; longer ones are cut. */
    private static final int QUOTED_VALUE_LIMIT = 40;

    /** Elements widened per step when a matrix kept narrow is checked for non-finite values. */
    private static final int NON_FINITE_BLOCK = 1 << 16;

    private final ModelConfig config;
    private final TensorSource source;
    private final Map<String, BoundTensor> tensors;
    private final ModelState baseState;
    private final WidenedCache widenedCache;

    private DecoderWeights(ModelConfig config, TensorSource source, Map<String, BoundTensor> tensors,
                           long memoryBudget) {
        this.config = config;
        this.source = source;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.widenedCache = new WidenedCache(memoryBudget);
        this.baseState = new ModelState(this, Map.of());
    }

    /**
     * Binds and validates the tensors of {@code source} for {@code config}.
     *
     * @throws ModelConfigException naming config.json, the field and the tensor when the architecture is
     *                              not supported or a shape does not follow from the config
     * @throws TensorFormatException naming the tensor when one is missing, unexpected or not finite
     */
    public static DecoderWeights bind(ModelConfig config, TensorSource source) {
        return bind(config, source, RankMap.NONE);
    }

    /**
     * The default memory budget for widened weights: half the JVM's maximum heap, leaving the other
     * half to the workspaces, the hidden-state cache, overlays and the analysis a search runs.
     */
    public static long defaultMemoryBudget() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** {@link #bind(ModelConfig, TensorSource, RankMap, long)} under the {@linkplain #defaultMemoryBudget default budget}. */
    public static DecoderWeights bind(ModelConfig config, TensorSource source, RankMap factored) {
        return bind(config, source, factored, defaultMemoryBudget());
    }

    /**
     * Binds the tensors of a model whose matrices listed in {@code factored} are stored as two low-rank
     * factors (a {@code reduce --factored} output): each such matrix is multiplied out once, in float64
     * and rounded to float32 ({@link LowRankFactors#productAsFloats}), and then used like a dense one.
     * Multiplying out costs what the dense writer's reconstruction costs, once per load; the forward pass
     * then runs at the dense model's speed and scores what the dense output of the same truncation
     * scores, up to the rounding of the stored factors.
     *
     * <p>BF16/F16 matrices are widened onto the heap when all of them widened take at most {@code
     * memoryBudget} bytes, and otherwise stay in the mapped file, widened when used into a cache of at
     * most {@code memoryBudget} bytes.
     *
     * @throws TensorFormatException naming the tensor when a factor is missing or misshapen, or a rank
     *                               map entry names a tensor the decoder does not have
     */
    public static DecoderWeights bind(ModelConfig config, TensorSource source, RankMap factored, long memoryBudget) {
        requireSupported(config);
        ShapeRules rules = new ShapeRules(config);
        boolean widen = widenedBytes(source) <= memoryBudget;
        Map<String, BoundTensor> bound = new LinkedHashMap<>();
        for (TensorRole role : TensorRole.values()) {
            int layers = role.perLayer() ? config.numHiddenLayers() : 1;
            for (int layer = 0; layer < layers; layer++) {
                String name = role.name(layer);
                if (!rules.isUsed(role)) {
                    continue;
                }
                int at = role.perLayer() ? layer : -1;
                if (factored.contains(name) && !source.contains(name)) {
                    bound.put(name, loadFactored(source, factored, rules, role, at, name));
                    continue;
                }
                if (!source.contains(name)) {
                    if (rules.isRequired(role)) {
                        throw new TensorFormatException(source.description() + ": tensor " + name
                                + " is missing" + rules.whyRequired(role));
                    }
                    continue;
                }
                bound.put(name, load(source, rules, role, at, name, widen));
            }
        }
        rejectUnexpected(config, source, bound, factored);
        return new DecoderWeights(config, source, bound, Math.max(0, memoryBudget));
    }

    private static void requireSupported(ModelConfig config) {
        List<String> supported = ModelFamilies.LLAMA.modelTypes();
        if (!supported.contains(config.modelType())) {
            throw new ModelConfigException(config.source() + ": model_type \"" + config.modelType()
                    + "\" (architectures " + config.architectures() + ") is not supported by the evaluator;"
                    + " supported: " + supported);
        }
        if (!SILU_NAMES.contains(config.hiddenAct())) {
            throw new ModelConfigException(config.source() + ": hidden_act " + quoted(config.hiddenAct())
                    + " is not supported by the evaluator, whose MLP is SwiGLU with SiLU as in Llama, Mistral and"
                    + " Qwen2 (hidden_act " + String.join(" or ", SILU_NAMES) + ")");
        }
    }

    private static String quoted(String value) {
        return "\"" + (value.length() <= QUOTED_VALUE_LIMIT ? value : value.substring(0, QUOTED_VALUE_LIMIT) + "...")
                + "\"";
    }

    private static BoundTensor load(TensorSource source, ShapeRules rules, TensorRole role, int layer, String name,
                                    boolean widen) {
        TensorInfo info = source.info(name);
        long[] expected = rules.shape(role);
        if (!Arrays.equals(info.shape(), expected)) {
            throw new ModelConfigException(config(rules) + ": tensor " + name + " in " + source.description()
                    + " has shape " + Arrays.toString(info.shape()) + " but the config implies "
                    + Arrays.toString(expected) + " (" + rules.derivation(role) + ")");
        }
        if (expected.length == 1) {
            float[] v = source.readFloats(name);
            requireFinite(source, name, v);
            return new BoundTensor(name, role, layer, null, v);
        }
        WeightMatrix m = matrix(source, name, Math.toIntExact(expected[0]), Math.toIntExact(expected[1]), widen);
        return new BoundTensor(name, role, layer, m, null);
    }

    /**
     * A checked matrix tensor as float32: mapped without a copy when it is stored as float32, widened
     * once otherwise (see the class comment); shared with {@link EncoderWeights}.
     *
     * @throws TensorFormatException naming the tensor when a value is not finite
     */
    static WeightMatrix matrix(TensorSource source, String name, int rows, int cols) {
        return matrix(source, name, rows, cols, true);
    }

    /**
     * A checked matrix tensor: float32 ones mapped without a copy; BF16/F16 ones widened once when
     * {@code widen}, else left narrow in the mapped file and checked block by block (see the class comment).
     */
    private static WeightMatrix matrix(TensorSource source, String name, int rows, int cols, boolean widen) {
        TensorInfo info = source.info(name);
        if (info.dtype() == DType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            MemorySegment mapped = source.bytes(name);
            long bad = VectorMath.indexOfNonFinite(mapped, info.elementCount());
            if (bad >= 0) {
                throw nonFinite(source, name, bad);
            }
            return new WeightMatrix(name, rows, cols, mapped, DType.F32);
        }
        if (!widen) {
            MemorySegment stored = source.bytes(name);
            long bad = indexOfNonFinite(stored, info.dtype(), info.elementCount());
            MappedPages.release(stored);
            if (bad >= 0) {
                throw nonFinite(source, name, bad);
            }
            return new WeightMatrix(name, rows, cols, stored, info.dtype());
        }
        float[] widened = source.readFloats(name);
        requireFinite(source, name, widened);
        return WeightMatrix.ofArray(name, rows, cols, widened);
    }

    /** Heap bytes the matrices the decoder uses would take widened to float32 (float32 ones stay mapped). */
    private static long widenedBytes(TensorSource source) {
        long bytes = 0;
        for (TensorInfo t : source.tensors()) {
            if (t.dtype() != DType.F32 && t.shape().length == 2) {
                bytes += t.elementCount() * Float.BYTES;
            }
        }
        return bytes;
    }

    /** The first element of a stored tensor that widens to a NaN or an infinity, or −1; decoded in blocks. */
    private static long indexOfNonFinite(MemorySegment stored, DType dtype, long count) {
        float[] block = new float[(int) Math.min(count, NON_FINITE_BLOCK)];
        MemorySegment widened = MemorySegment.ofArray(block);
        for (long done = 0; done < count; done += block.length) {
            int n = (int) Math.min(block.length, count - done);
            TensorCodec.decode(stored.asSlice(done * dtype.byteSize(), (long) n * dtype.byteSize()), dtype, block, 0, n);
            long bad = VectorMath.indexOfNonFinite(widened, n);
            if (bad >= 0) {
                return done + bad;
            }
        }
        return -1;
    }

    private static BoundTensor loadFactored(TensorSource source, RankMap factored, ShapeRules rules, TensorRole role,
                                            int layer, String name) {
        long[] expected = rules.shape(role);
        LowRankFactors factors = LowRankFactors.read(source, name, factored.get(name));
        long[] shape = {factors.a().rows(), factors.b().cols()};
        if (!Arrays.equals(shape, expected)) {
            throw new ModelConfigException(config(rules) + ": the factors of " + name + " in " + source.description()
                    + " multiply to shape " + Arrays.toString(shape) + " but the config implies "
                    + Arrays.toString(expected) + " (" + rules.derivation(role) + ")");
        }
        float[] values = factors.productAsFloats();
        requireFinite(source, name, values);
        return new BoundTensor(name, role, layer, WeightMatrix.ofArray(name, (int) shape[0], (int) shape[1], values), null);
    }

    private static String config(ShapeRules rules) {
        return String.valueOf(rules.config().source());
    }

    static void requireFinite(TensorSource source, String name, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw nonFinite(source, name, i);
            }
        }
    }

    private static TensorFormatException nonFinite(TensorSource source, String name, long index) {
        return new TensorFormatException(source.description() + ": tensor " + name
                + " holds a NaN or infinite value at element " + index);
    }

    private static void rejectUnexpected(ModelConfig config, TensorSource source, Map<String, BoundTensor> bound,
                                         RankMap factored) {
        for (String name : factored.entries().keySet()) {
            if (!bound.containsKey(name) || source.contains(name)) {
                throw new TensorFormatException(source.description() + ": " + RankMap.FILE + " lists " + name
                        + (source.contains(name) ? ", which is also stored dense" : ", which is not a matrix of a "
                        + config.modelType() + " decoder with num_hidden_layers=" + config.numHiddenLayers()));
            }
        }
        Set<String> factors = factored.factorTensors();
        for (TensorInfo t : source.tensors()) {
            String n = t.name();
            boolean tiedHeadCopy = config.tieWordEmbeddings() && n.equals(TensorRole.LM_HEAD.name(0));
            if (!bound.containsKey(n) && !factors.contains(n) && !tiedHeadCopy && !n.endsWith(ROTARY_BUFFER_SUFFIX)) {
                throw new TensorFormatException(source.description() + ": tensor " + n
                        + " is not part of a " + config.modelType() + " decoder with num_hidden_layers="
                        + config.numHiddenLayers() + (config.attentionBias() ? "" : " and no attention biases")
                        + "; the evaluator would ignore it, so it refuses the model");
            }
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** The unmodified model, the state every overlay starts from. */
    public ModelState baseState() {
        return baseState;
    }

    /** Names of the tensors the forward pass uses (the names an overlay may replace). */
    public Set<String> tensorNames() {
        return tensors.keySet();
    }

    /**
     * Whether some matrices stay narrow (BF16/F16) in the mapped file and are widened when used,
     * because the widened model did not fit the memory budget.
     */
    public boolean keepsWeightsNarrow() {
        return tensors.values().stream().anyMatch(t -> t.matrix() != null && !t.matrix().isFloat32());
    }

    /** Where the tensors come from, for messages. */
    public String description() {
        return source.description();
    }

    BoundTensor tensor(String name) {
        BoundTensor t = tensors.get(name);
        if (t == null) {
            throw new TensorFormatException(source.description() + ": no tensor " + name
                    + " in this " + config.modelType() + " decoder"
                    + (config.tieWordEmbeddings() && name.equals(TensorRole.LM_HEAD.name(0))
                    ? " (embeddings are tied: replace model.embed_tokens.weight)" : ""));
        }
        return t;
    }

    /** The float32 values of a matrix kept narrow, from the bounded cache. */
    float[] widened(WeightMatrix narrow) {
        return widenedCache.widened(narrow);
    }

    BoundTensor tensorOrNull(TensorRole role, int layer) {
        return tensors.get(role.name(layer));
    }
}
