package dev.lasermesh.core.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@value #FILE} of a factored model folder ({@code lasermesh reduce --factored}): which weight
 * matrices are stored as two low-rank factors, at which rank and under which tensor names. A matrix
 * {@code <module>.weight} (out × in) of rank k is stored in the layout of
 * {@code nn.Sequential(nn.Linear(in, k), nn.Linear(k, out))}: {@code <module>.0.weight} = √S_k·V_kᵀ
 * (k × in), applied first, then {@code <module>.1.weight} = U_k·√S_k (out × k).
 *
 * @param entries replaced tensor name → its rank and factor names, in model order
 */
public record RankMap(Map<String, Entry> entries) {

    /** The rank map's file name in a factored model folder. */
    public static final String FILE = "lasermesh-ranks.json";

    /** A folder without factored matrices. */
    public static final RankMap NONE = new RankMap(Map.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One factored matrix.
     *
     * @param rank    k
     * @param factors [{@code <module>.0.weight} (k × in), {@code <module>.1.weight} (out × k)]
     */
    public record Entry(int rank, List<String> factors) {

        public Entry {
            factors = List.copyOf(factors);
        }

        /** √S_k·V_kᵀ, k × in: the factor applied first. */
        public String first() {
            return factors.get(0);
        }

        /** U_k·√S_k, out × k: the factor applied second. */
        public String second() {
            return factors.get(1);
        }
    }

    public RankMap {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The factor names of a matrix: {@code <module>.0.weight} and {@code <module>.1.weight}. */
    public static List<String> factorNames(String matrixName) {
        String module = moduleOf(matrixName);
        return List.of(module + ".0.weight", module + ".1.weight");
    }

    /** The module a weight belongs to: the name without its {@code .weight} suffix. */
    public static String moduleOf(String matrixName) {
        return matrixName.endsWith(".weight") ? matrixName.substring(0, matrixName.length() - ".weight".length())
                : matrixName;
    }

    /**
     * The rank map that applies to a model given as a folder, or as the weights file of its folder
     * ({@code model.safetensors} or the shard index); {@link #NONE} when there is none.
     *
     * @throws InvalidInputException naming the file when it is not a valid rank map
     */
    public static RankMap of(Path model) {
        Path folder = Files.isDirectory(model) ? model : folderWhoseWeightsAre(model);
        if (folder == null || !Files.isRegularFile(folder.resolve(FILE))) {
            return NONE;
        }
        return read(folder.resolve(FILE));
    }

    private static Path folderWhoseWeightsAre(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            return parent != null && Files.isSameFile(TensorSources.weightsFileOf(parent), file) ? parent : null;
        } catch (TensorFormatException | IOException e) {
            return null;
        }
    }

    /**
     * Reads a rank map. Messages name the file and the entry, never quote the file's content.
     *
     * @throws InvalidInputException when the file is not a JSON object of entries
     *                               {@code {"rank": k ≥ 1, "factors": [first, second]}}
     */
    public static RankMap read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidInputException(file + ": not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file + ": not a JSON object of factored tensors");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode rank = e.getValue().path("rank");
            JsonNode factors = e.getValue().path("factors");
            String where = file + ": entry " + (entries.size() + 1);
            if (!rank.isIntegralNumber() || !rank.canConvertToInt() || rank.asInt() < 1) {
                throw new InvalidInputException(where + ": \"rank\" is missing or not a positive integer");
            }
            if (!factors.isArray() || factors.size() != 2 || !factors.get(0).isTextual() || !factors.get(1).isTextual()) {
                throw new InvalidInputException(where + ": \"factors\" is not a list of two tensor names");
            }
            entries.put(e.getKey(), new Entry(rank.asInt(), List.of(factors.get(0).asText(), factors.get(1).asText())));
        }
        return new RankMap(entries);
    }

    /** Whether {@code name} is stored factored. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The entry of a factored tensor, or null. */
    public Entry get(String name) {
        return entries.get(name);
    }

    /** Every factor tensor name. */
    public Set<String> factorTensors() {
        Set<String> names = new HashSet<>();
        entries.values().forEach(e -> names.addAll(e.factors()));
        return names;
    }

    /** Whether no matrix is stored factored. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Module path (the tensor name without {@code .weight}) → rank, as transformers code takes it. */
    public Map<String, Integer> moduleRanks() {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        entries.forEach((name, e) -> ranks.put(moduleOf(name), e.rank()));
        return ranks;
    }
}
