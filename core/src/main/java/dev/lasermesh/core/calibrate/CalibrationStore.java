package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of calibration statistics, one safetensors file per decoder layer
 * ({@code layer-007.safetensors}) holding, per input site, {@code <site>.gram_upper} (the upper triangle of
 * XᵀX packed row by row, width·(width+1)/2 values) and {@code <site>.sum} (float64) with their low parts
 * ({@code .gram_upper_low}, {@code .sum_low}, see {@link InputStatistics}) and the row count in the
 * metadata. One layer at a time is in memory: a 7B model's down_proj Gram alone is 1.6 GB square, half
 * that packed.
 */
public final class CalibrationStore {

    private static final String GRAM = ".gram_upper";
    private static final String GRAM_LOW = GRAM + "_low";

    /** The tensor of the square Grams the first calibration folders held, before they were packed. */
    private static final String SQUARE_GRAM = ".gram";

    private static final Pattern LAYER_FILE = Pattern.compile("layer-(\\d+)\\.safetensors");

    private final Path folder;

    public CalibrationStore(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** Writes the statistics of one layer (replacing an earlier file of that layer). */
    public void write(int layer, Map<LinearInput, InputStatistics> sites) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot create the calibration folder (" + e.getMessage() + ")", e);
        }
        SafetensorsWriter writer = new SafetensorsWriter(file(layer));
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        for (Map.Entry<LinearInput, InputStatistics> e : sites.entrySet()) {
            String key = e.getKey().key();
            InputStatistics s = e.getValue();
            long w = s.width();
            long[] packed = {InputStatistics.packedLength(s.width())};
            writer.put(key + GRAM, DType.F64, packed, s.gramHigh());
            writer.put(key + GRAM_LOW, DType.F64, packed, s.gramLow());
            writer.put(key + ".sum", DType.F64, new long[] {w}, s.sumHigh());
            writer.put(key + ".sum_low", DType.F64, new long[] {w}, s.sumLow());
            metadata.put(key + ".rows", Long.toString(s.rows()));
        }
        writer.metadata(metadata).write();
    }

    /**
     * The statistics of {@code site} in {@code layer}.
     *
     * @throws InvalidInputException naming the folder when they were not collected
     */
    public InputStatistics read(int layer, LinearInput site) {
        Path file = file(layer);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("calibration " + folder + " has no statistics for layer " + layer
                    + " (calibrate with a matrix selection that includes it)");
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String key = site.key();
            if (!f.contains(key + GRAM)) {
                throw new InvalidInputException(f.contains(key + SQUARE_GRAM)
                        ? "calibration " + folder + " holds square Grams of an earlier Lasermesh in layer " + layer
                                + "; calibrate again"
                        : "calibration " + folder + " has no " + key + " statistics for layer " + layer
                                + " (calibrate with a matrix selection that includes it)");
            }
            double[] sum = f.readDoubles(key + ".sum");
            return new InputStatistics(sum.length, f.readDoubles(key + GRAM), f.readDoubles(key + GRAM_LOW), sum,
                    f.readDoubles(key + ".sum_low"), Long.parseLong(f.metadata().get(key + ".rows")));
        }
    }

    /** The sites stored for {@code layer}. */
    public List<LinearInput> sites(int layer) {
        Path file = file(layer);
        List<LinearInput> sites = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                for (LinearInput site : LinearInput.values()) {
                    if (f.contains(site.key() + GRAM) || f.contains(site.key() + SQUARE_GRAM)) {
                        sites.add(site);
                    }
                }
            }
        }
        return sites;
    }

    /** The layers with a statistics file, ascending. */
    public List<Integer> layers() {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException("calibration folder " + folder + " does not exist");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> LAYER_FILE.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Merges the statistics of shards (disjoint sets of windows) into {@code target}, layer by layer;
     * the result equals one pass over all their windows.
     */
    public static CalibrationStore merge(List<CalibrationStore> shards, Path target) {
        if (shards.isEmpty()) {
            throw new InvalidInputException("no calibration shards to merge");
        }
        CalibrationStore out = new CalibrationStore(target);
        for (int layer : shards.getFirst().layers()) {
            Map<LinearInput, InputStatistics> merged = new EnumMap<>(LinearInput.class);
            for (LinearInput site : shards.getFirst().sites(layer)) {
                InputStatistics total = shards.getFirst().read(layer, site);
                for (CalibrationStore shard : shards.subList(1, shards.size())) {
                    total.merge(shard.read(layer, site));
                }
                merged.put(site, total);
            }
            out.write(layer, merged);
        }
        return out;
    }

    private Path file(int layer) {
        return folder.resolve(String.format(Locale.ROOT, "layer-%03d.safetensors", layer));
    }
}
