package dev.lasermesh.core.reduce;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.model.FactoredModelType;
import dev.lasermesh.core.model.MatrixCatalogue;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.tensor.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files beside the tensors of a reduced folder that say what it is, written the same by the
 * standalone's writer and the mesh's assembly: for the factored form {@value RankMap#FILE} and, when
 * a matrix is factored, what transformers needs to load it the way custom architectures are published
 * — {@code config.json} with the family's {@code lasermesh_} model_type, {@code auto_map} and the
 * ranks, and the code ({@code modeling_lasermesh.py}, {@code lasermesh_low_rank.py}) — and the model
 * card with a note of what changed ({@link ModelCard}). Files of an earlier, factored output in the
 * same folder that no longer apply are removed.
 */
public final class ReducedFolderFiles {

    /** The transformers code of a factored folder (resources beside this class). */
    static final List<String> TRANSFORMERS_CODE = List.of("modeling_lasermesh.py", "lasermesh_low_rank.py");

    private static final String MODELING_MODULE = "modeling_lasermesh";

    private ReducedFolderFiles() {
    }

    /**
     * Refuses a factored output transformers could not load: a factored embedding matrix of a model
     * whose output projection is tied to it (the tied head would have no matrix to share).
     *
     * @throws InvalidInputException naming the matrix
     */
    public static void requireLoadable(MatrixCatalogue catalogue, StorageForm form, Collection<MatrixRef> replaced) {
        if (form != StorageForm.FACTORED || catalogue.lmHeadTiedTo().isEmpty()) {
            return;
        }
        String embedding = catalogue.lmHeadTiedTo().orElseThrow().name();
        for (MatrixRef m : replaced) {
            if (m.name().equals(embedding)) {
                throw new InvalidInputException(m.name() + ": cannot be stored factored, the output projection is "
                        + "tied to it (tie_word_embeddings); reduce it dense or leave embed out of the selection");
            }
        }
    }

    /**
     * Writes the files after the tensors and companion files are in {@code outDir}.
     *
     * @param input    the input model (a folder, or a single safetensors file that has no companion files)
     * @param form     how replaced matrices are stored
     * @param matrices the report's entries
     */
    public static void write(Path input, Path outDir, StorageForm form, List<ReducedMatrix> matrices) {
        try {
            RankMap ranks = rankMap(matrices);
            Path config = outDir.resolve(ModelSource.CONFIG_FILE);
            boolean loadableFactored = form == StorageForm.FACTORED && !ranks.isEmpty() && Files.isRegularFile(config);
            if (form == StorageForm.FACTORED) {
                AtomicFiles.write(outDir.resolve(RankMap.FILE), ReportJson.bytes(ranks.entries()));
            } else {
                Files.deleteIfExists(outDir.resolve(RankMap.FILE));
            }
            for (String code : TRANSFORMERS_CODE) {
                if (loadableFactored) {
                    AtomicFiles.write(outDir.resolve(code), resource(code));
                } else {
                    Files.deleteIfExists(outDir.resolve(code));
                }
            }
            if (loadableFactored) {
                AtomicFiles.write(config, factoredConfig(config, ranks));
            }
            int replaced = (int) matrices.stream().filter(m -> m.writtenAs() != null).count();
            ModelCard.write(input, outDir, new ModelCard.Changes(replaced, loadableFactored));
        } catch (IOException e) {
            throw new UncheckedIOException(outDir + ": cannot write the folder's description (" + e.getMessage() + ")", e);
        }
    }

    /** The rank map of the factored entries of a report. */
    static RankMap rankMap(List<ReducedMatrix> matrices) {
        Map<String, RankMap.Entry> entries = new LinkedHashMap<>();
        for (ReducedMatrix m : matrices) {
            if (m.writtenAs() != null && m.reduction().form() == StorageForm.FACTORED) {
                entries.put(m.analysis().name(), new RankMap.Entry(m.reduction().rank(), m.writtenAs()));
            }
        }
        return new RankMap(entries);
    }

    /**
     * The copied config.json made the factored folder's: model_type {@code lasermesh_<family>}, the
     * architecture and {@code auto_map} naming the classes of modeling_lasermesh.py, and
     * {@code lasermesh_ranks} (module path → k) from which that code builds the low-rank modules (the
     * config is all transformers hands a model when it builds it). Every other field is kept in place,
     * numbers as written (read as decimals, trailing zeros kept: 0.0 stays a float for Python).
     */
    private static byte[] factoredConfig(Path config, RankMap ranks) throws IOException {
        ObjectNode root = (ObjectNode) JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build().readTree(config.toFile());
        String family = FactoredModelType.familyOf(root.path("model_type").asText());
        ObjectNode autoMap = root.objectNode();
        autoMap.put("AutoConfig", MODELING_MODULE + "." + FactoredModelType.configClass(family));
        autoMap.put("AutoModelForCausalLM", MODELING_MODULE + "." + FactoredModelType.modelClass(family));
        ObjectNode moduleRanks = root.objectNode();
        ranks.moduleRanks().forEach(moduleRanks::put);
        root.putArray("architectures").add(FactoredModelType.modelClass(family));
        root.put("model_type", FactoredModelType.of(family));
        root.set("auto_map", autoMap);
        root.set("lasermesh_ranks", moduleRanks);
        return ReportJson.bytes((JsonNode) root);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ReducedFolderFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }
}
