package dev.lasermesh.core.lora;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PEFT LoRA adapter folder ({@value LoraConfig#FILE_NAME} + {@value #WEIGHTS_FILE}) and the
 * matrices of a base model it adapts.
 *
 * <p>PEFT saves each adapted linear {@code <module>} as two tensors,
 * {@code base_model.model.<module>.lora_A.weight} [r, in] and {@code ...lora_B.weight} [out, r]
 * (PEFT {@code get_peft_model_state_dict}, adapter name removed). {@link #resolve} checks every
 * tensor against the base model before anything is computed: each pair complete, each module a
 * matrix of the base (by {@link PeftModulePaths}), named by {@code target_modules} and
 * {@code layers_to_transform}, each shape that of the base matrix with rank r.
 */
public final class LoraAdapter implements AutoCloseable {

    /** The weights file's name in an adapter folder. */
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    private static final String PREFIX = "base_model.model.";
    private static final String A_SUFFIX = ".lora_A.weight";
    private static final String B_SUFFIX = ".lora_B.weight";

    private final Path folder;
    private final LoraConfig config;
    private final SafetensorsFile tensors;

    private LoraAdapter(Path folder, LoraConfig config, SafetensorsFile tensors) {
        this.folder = folder;
        this.config = config;
        this.tensors = tensors;
    }

    /**
     * Opens an adapter folder.
     *
     * @throws InvalidInputException naming the file and field or tensor when the folder, its config or
     *                               its weights are missing or malformed, or the adapter is not plain LoRA
     */
    public static LoraAdapter open(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(folder + ": not an adapter folder (expected a folder with "
                    + LoraConfig.FILE_NAME + " and " + WEIGHTS_FILE + ")");
        }
        LoraConfig config = LoraConfig.read(folder.resolve(LoraConfig.FILE_NAME));
        Path weights = folder.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            throw new InvalidInputException(folder + ": " + WEIGHTS_FILE + " not found"
                    + (Files.exists(folder.resolve("adapter_model.bin"))
                    ? " (adapter_model.bin is a pickle; save the adapter with safe_serialization)" : ""));
        }
        return new LoraAdapter(folder, config, SafetensorsFile.open(weights));
    }

    /** The folder it was opened from. */
    public Path folder() {
        return folder;
    }

    public LoraConfig config() {
        return config;
    }

    /**
     * The base matrices this adapter changes, in the catalogue's order.
     *
     * @throws InvalidInputException naming the field or tensor: a target module that names no matrix of
     *                               the base, a tensor that is not a LoRA factor or adapts no base matrix,
     *                               an incomplete pair, a module outside target_modules or
     *                               layers_to_transform, a shape that does not fit the base matrix
     */
    public List<AdaptedMatrix> resolve(ModelSource base) {
        if (!base.catalogue().architectureKnown()) {
            throw new InvalidInputException(base.path() + ": the base model must be a model folder with "
                    + ModelSource.CONFIG_FILE + ", so that adapter tensors can be matched to its matrices");
        }
        PeftModulePaths paths = new PeftModulePaths(base.catalogue());
        requireKnownTargets(paths);
        Map<String, String[]> pairs = factorPairs();
        if (pairs.isEmpty()) {
            throw new TensorFormatException(tensors.description() + ": holds no LoRA factors (*" + A_SUFFIX + ")");
        }
        List<AdaptedMatrix> adapted = new ArrayList<>();
        pairs.forEach((modulePath, pair) -> {
            String a = PREFIX + modulePath + A_SUFFIX;
            String b = PREFIX + modulePath + B_SUFFIX;
            if (pair[0] == null || pair[1] == null) {
                throw new TensorFormatException(tensors.description() + ": tensor " + (pair[0] == null ? a : b)
                        + " is missing (its partner " + (pair[0] == null ? b : a) + " is present)");
            }
            MatrixRef matrix = paths.matrixOf(modulePath).orElseThrow(() -> new TensorFormatException(
                    tensors.description() + ": tensor " + a + " adapts \"" + modulePath
                            + "\", which is not a weight matrix of the base model " + base.path()));
            requireTargeted(a, modulePath, matrix);
            requireShapes(matrix, a, b);
            adapted.add(new AdaptedMatrix(matrix, a, b));
        });
        List<String> order = paths.allPaths();
        adapted.sort(Comparator.comparingInt(m -> order.indexOf(PeftModulePaths.pathOf(m.matrix()))));
        return adapted;
    }

    /**
     * ΔW of one adapted matrix: s·B·A, or its transpose with {@code fan_in_fan_out}, as factors in
     * float64 (decoded exactly from the stored dtype).
     */
    public LowRankDelta delta(AdaptedMatrix m) {
        TensorInfo a = tensors.info(m.loraA());
        TensorInfo b = tensors.info(m.loraB());
        DenseMatrix factorA = new DenseMatrix(a.rows(), a.cols(), requireFinite(m.loraA()));
        DenseMatrix factorB = new DenseMatrix(b.rows(), b.cols(), requireFinite(m.loraB()));
        return config.fanInFanOut()
                ? new LowRankDelta(factorA.transpose(), factorB.transpose(), config.scaling())
                : new LowRankDelta(factorB, factorA, config.scaling());
    }

    private double[] requireFinite(String name) {
        double[] values = tensors.readDoubles(name);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new TensorFormatException(tensors.description() + ": tensor " + name
                        + " holds a NaN or infinite value at element " + i);
            }
        }
        return values;
    }

    /** PEFT's rule: a module is targeted when its path equals a target or ends with "." + target. */
    private static boolean targets(String target, String modulePath) {
        return modulePath.equals(target) || modulePath.endsWith("." + target);
    }

    private void requireKnownTargets(PeftModulePaths paths) {
        List<String> all = paths.allPaths();
        for (String target : config.targetModules()) {
            if (all.stream().noneMatch(p -> targets(target, p))) {
                throw new InvalidInputException(config.file() + ": field \"target_modules\": \"" + target
                        + "\" is not a module of the base model (its matrices: " + moduleNames(all) + ")");
            }
        }
    }

    private static String moduleNames(List<String> paths) {
        return String.join(", ", paths.stream().map(p -> p.substring(p.lastIndexOf('.') + 1)).distinct().toList());
    }

    /** Module path → {lora_A name, lora_B name}, in file order; any other tensor is an error. */
    private Map<String, String[]> factorPairs() {
        Map<String, String[]> pairs = new LinkedHashMap<>();
        for (TensorInfo t : tensors.tensors()) {
            String name = t.name();
            boolean isA = name.endsWith(A_SUFFIX);
            if (!name.startsWith(PREFIX) || !(isA || name.endsWith(B_SUFFIX))) {
                throw new TensorFormatException(tensors.description() + ": tensor " + name + " is not a LoRA factor"
                        + " (expected " + PREFIX + "<module>" + A_SUFFIX + " or " + B_SUFFIX.substring(1)
                        + "; embedding LoRA, DoRA magnitudes and saved modules are not supported)");
            }
            String path = name.substring(PREFIX.length(), name.length() - A_SUFFIX.length());
            pairs.computeIfAbsent(path, p -> new String[2])[isA ? 0 : 1] = name;
        }
        return pairs;
    }

    private void requireTargeted(String tensor, String modulePath, MatrixRef matrix) {
        if (config.targetModules().stream().noneMatch(t -> targets(t, modulePath))) {
            throw new TensorFormatException(tensors.description() + ": tensor " + tensor + " adapts " + modulePath
                    + ", which target_modules " + config.targetModules() + " of " + config.file() + " does not name");
        }
        config.layersToTransform().ifPresent(layers -> {
            if (!layers.contains(matrix.layer())) {
                throw new TensorFormatException(tensors.description() + ": tensor " + tensor + " adapts layer "
                        + matrix.layer() + ", which layers_to_transform " + layers + " of " + config.file()
                        + " excludes");
            }
        });
    }

    /** lora_A must be [r, in] and lora_B [out, r] for the base matrix [out, in] ([in, out] with fan_in_fan_out). */
    private void requireShapes(MatrixRef matrix, String a, String b) {
        int out = config.fanInFanOut() ? matrix.cols() : matrix.rows();
        int in = config.fanInFanOut() ? matrix.rows() : matrix.cols();
        int r = config.rank();
        if (r > Math.min(out, in)) {
            throw new InvalidInputException(config.file() + ": field \"r\" is " + r + ", more than the smaller side of "
                    + matrix.name() + " " + matrix.rows() + "x" + matrix.cols() + "; such an update is not low-rank");
        }
        requireShape(a, new long[] {r, in}, matrix, "[r, in_features]");
        requireShape(b, new long[] {out, r}, matrix, "[out_features, r]");
    }

    private void requireShape(String tensor, long[] expected, MatrixRef matrix, String rule) {
        long[] shape = tensors.info(tensor).shape();
        if (!Arrays.equals(shape, expected)) {
            throw new TensorFormatException(tensors.description() + ": tensor " + tensor + " has shape "
                    + Arrays.toString(shape) + " but must be " + Arrays.toString(expected) + " " + rule + " for r="
                    + config.rank() + " and the base matrix " + matrix.name() + " " + matrix.rows() + "x"
                    + matrix.cols() + (config.fanInFanOut() ? " (fan_in_fan_out)" : "")
                    + " (an adapter for another base model?)");
        }
    }

    @Override
    public void close() {
        tensors.close();
    }
}
