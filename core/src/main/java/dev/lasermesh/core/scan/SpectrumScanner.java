package dev.lasermesh.core.scan;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.ConfigFile;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectralStatistics;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Spectrum's scan (Hartford, Atkins, Fernandes Neto, Ghosh et al., "Spectrum: Targeted Training on
 * Signal to Noise Ratio", arXiv 2406.06623; {@code spectrum.py} at commit 0ed1756b), by the rules
 * written at the top of {@code fixtures/tools/spectrum_reference.py} (DESIGN §7.3):
 * <ul>
 *   <li>weight types: for every module with a weight (or the rotary buffer), the part of its name
 *       after the first all-digit component, or the whole name when there is none; ordered by the text
 *       before the first '.', then by name;</li>
 *   <li>scan: for each type in that order, every module with a weight whose name contains the type
 *       (Spectrum's own substring rule, reproduced because its files are what is compared), in
 *       {@code named_modules()} order; a module met again keeps its first place;</li>
 *   <li>score: 1-D weights as 1 × n; S in float64 from the stored weights; laserRMT's threshold;
 *       Spectrum's SNR (noise 1.0 when none is at or below the threshold); SNR/S[0].</li>
 * </ul>
 */
public final class SpectrumScanner {

    /** Receives progress: modules scored so far, of how many, and the one just done. */
    @FunctionalInterface
    public interface Progress {
        void scored(int done, int total, String module);
    }

    private final LinearAlgebra linearAlgebra;

    public SpectrumScanner(LinearAlgebra linearAlgebra) {
        this.linearAlgebra = linearAlgebra;
    }

    /**
     * Scans a model folder.
     *
     * @param modelName the name Spectrum would be given ({@code --model-name}); it names the output files
     * @throws InvalidInputException when the model has no config.json or lacks a tensor of the module tree
     */
    public SpectrumScan scan(ModelSource model, String modelName, Progress progress) {
        ConfigFile file = model.config().orElseThrow(() -> new InvalidInputException(model.path()
                + ": no config.json; Spectrum's scan needs a model folder of a known architecture"));
        if (model.catalogue().family().filter(f -> f == ModelFamilies.LLAMA).isEmpty()) {
            throw new InvalidInputException(file.source() + ": Spectrum's scan walks the module tree of the llama "
                    + "family (model_type " + String.join(", ", ModelFamilies.LLAMA.modelTypes()) + "); model_type "
                    + file.modelType().orElse("(none)") + " is not one");
        }
        ModelConfig config = ModelConfig.parse(file);
        List<LlamaModuleTree.Module> modules = LlamaModuleTree.of(config);
        Map<String, String> typeOf = new LinkedHashMap<>();
        for (String type : typeOrder(modules)) {
            for (LlamaModuleTree.Module m : modules) {
                if (m.hasWeight() && m.name().contains(type)) {
                    typeOf.put(m.name(), type);
                }
            }
        }
        List<ScanEntry> entries = new ArrayList<>();
        Map<String, LlamaModuleTree.Module> byName = new HashMap<>();
        modules.forEach(m -> byName.put(m.name(), m));
        for (Map.Entry<String, String> e : typeOf.entrySet()) {
            String tensor = LlamaModuleTree.weightTensor(byName.get(e.getKey()), config);
            entries.add(new ScanEntry(e.getKey(), e.getValue(), score(model, tensor)));
            progress.scored(entries.size(), typeOf.size(), e.getKey());
        }
        return new SpectrumScan(modelName, entries);
    }

    /** Spectrum's weight type of a module name. */
    static String weightType(String name) {
        String[] parts = name.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].isEmpty() && parts[i].chars().allMatch(Character::isDigit)) {
                return String.join(".", java.util.Arrays.copyOfRange(parts, i + 1, parts.length));
            }
        }
        return name;
    }

    /** The types of the typed modules, grouped by the text before the first '.', groups and types sorted. */
    static List<String> typeOrder(List<LlamaModuleTree.Module> modules) {
        Map<String, TreeSet<String>> categories = new TreeMap<>();
        for (LlamaModuleTree.Module m : modules) {
            if (LlamaModuleTree.typed(m)) {
                String type = weightType(m.name());
                categories.computeIfAbsent(type.split("\\.", -1)[0], c -> new TreeSet<>()).add(type);
            }
        }
        List<String> ordered = new ArrayList<>();
        categories.values().forEach(ordered::addAll);
        return ordered;
    }

    private double score(ModelSource model, String tensor) {
        if (!model.tensors().contains(tensor)) {
            throw new TensorFormatException(model.tensors().description() + ": tensor " + tensor
                    + " is missing (Spectrum scans every module of the model)");
        }
        TensorInfo info = model.tensors().info(tensor);
        double[] values = model.tensors().readDoubles(tensor);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new TensorFormatException(model.tensors().description() + ": tensor " + tensor
                        + " holds a NaN or infinite value at element " + i);
            }
        }
        long[] shape = info.shape();
        if (shape.length < 1 || shape.length > 2) {
            throw new TensorFormatException(model.tensors().description() + ": tensor " + tensor + " has "
                    + shape.length + " dimensions; Spectrum scores vectors and matrices");
        }
        int rows = shape.length == 1 ? 1 : Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[shape.length - 1]);
        SingularSpectrum spectrum = new SingularSpectrum(linearAlgebra.singularValues(new DenseMatrix(rows, cols, values)),
                rows, cols);
        double[] s = spectrum.values();
        double snr = SpectralStatistics.spectrumSnr(s, new LaserRmtPolicy().decide(spectrum).threshold());
        return SpectralStatistics.snrOverLargest(snr, s);
    }
}
