package dev.lasermesh.contracts.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.core.model.SyntheticCheckpoint;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job-spec validator on the tiny-llama fixture (a real Hugging Face folder, 6 layers) and the
 * public-domain texts of the fixtures: each bad value is reported with its field, defaults are filled
 * in, and nothing outside the configured roots is reachable.
 */
class JobSpecValidatorTest {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .toAbsolutePath().normalize();
    private static final Path TEXTS = FIXTURES.resolve("text");

    @TempDir
    Path temp;
    private Path models;
    private JobSpecValidator validator;

    @BeforeEach
    void roots() throws IOException {
        models = Files.createDirectory(temp.resolve("models"));
        validator = new JobSpecValidator(List.of(models, FIXTURES), List.of(TEXTS));
    }

    private JobSpec resolve(String json) {
        return validator.resolve(Json.read(json, JobSpec.class));
    }

    private static String spec(String fields) {
        return "{\"version\":1,\"model\":\"tiny-llama\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    private void assertField(String field, String messagePart, String json) {
        assertField(validator, field, messagePart, json);
    }

    private static void assertField(JobSpecValidator validator, String field, String messagePart, String json) {
        ContractException e = assertThrows(ContractException.class,
                () -> validator.resolve(Json.read(json, JobSpec.class)), json);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void aMinimalSpecIsAOneShotLaserRmtReductionOfEveryPerLayerMatrixWithoutEvaluation() throws IOException {
        JobSpec resolved = resolve(spec(""));
        assertEquals(FIXTURES.resolve("tiny-llama").toRealPath().toString(), resolved.model());
        assertEquals(new MatrixSelection("all", "q,k,v,o,gate,up,down"), resolved.matrices());
        assertEquals(RankPolicySpec.named("laserrmt"), resolved.policy());
        assertEquals(new StrategySpec.OneShot(), resolved.strategy());
        assertNull(resolved.evaluation());
        assertEquals(OutputForm.DENSE, resolved.output());
        assertEquals("svd", resolved.method());
        assertNull(resolved.calibration());
        assertEquals(resolved, validator.resolve(resolved), "resolving twice changes nothing");
    }

    @Test
    void aCalibratedMethodTakesItsCalibrationTextFromTheDataRoots() throws IOException {
        JobSpec resolved = resolve(spec("\"method\":\"whitened\",\"calibration\":{\"text\":\"moby-dick.txt\"}"));
        assertEquals("whitened", resolved.method());
        assertEquals(new CalibrationSpec(TEXTS.resolve("moby-dick.txt").toRealPath().toString(), 2048, 128),
                resolved.calibration());
        assertEquals(resolved, validator.resolve(resolved), "resolving twice changes nothing");
        assertEquals(new CalibrationSpec(resolved.calibration().text(), 512, 64), resolve(spec(
                "\"method\":\"feature\",\"calibration\":{\"text\":\"moby-dick.txt\",\"tokens\":512,\"window\":64}"))
                .calibration());
        assertEquals("svd", resolve(spec("\"calibration\":{\"text\":\"moby-dick.txt\"}")).method(),
                "plain SVD may be calibrated too (its report then gives activation errors)");
    }

    @Test
    void aMethodsStudyTakesTheCliBudgetsByDefault() {
        String evaluation = "\"evaluation\":{\"texts\":[\"sotu-2009-2021.txt\"]},\"calibration\":{\"text\":"
                + "\"moby-dick.txt\"},";
        JobSpec resolved = resolve(spec(evaluation + "\"study\":{\"kind\":\"methods\"}"));
        assertEquals(List.of(0.8, 0.6, 0.4), resolved.study().budgets());
        assertTrue(resolved.study().methods() && resolved.study().withoutSearch());
        assertEquals("svd", resolved.method());
        assertEquals(resolved, validator.resolve(resolved), "resolving twice changes nothing");
        assertEquals(List.of(0.5), resolve(spec(evaluation + "\"study\":{\"kind\":\"methods\",\"budgets\":[0.5]}"))
                .study().budgets());
    }

    @Test
    void methodsStudyProblemsNameTheField() {
        String texts = "\"evaluation\":{\"texts\":[\"sotu-2009-2021.txt\"]},";
        String calibrated = texts + "\"calibration\":{\"text\":\"moby-dick.txt\"},";
        assertField("calibration", "need a calibration text", spec(texts + "\"study\":{\"kind\":\"methods\"}"));
        assertField("study.budgets[1]", "must lie in (0, 1], got 1.5",
                spec(calibrated + "\"study\":{\"kind\":\"methods\",\"budgets\":[0.8,1.5]}"));
        assertField("study.budgets[0]", "must lie in (0, 1], got 0.0",
                spec(calibrated + "\"study\":{\"kind\":\"methods\",\"budgets\":[0.0]}"));
        assertField("study.budgets[1]", "listed twice",
                spec(calibrated + "\"study\":{\"kind\":\"methods\",\"budgets\":[0.4,0.4]}"));
        assertField("study.budgets", "1 to 64 budgets, got 0",
                spec(calibrated + "\"study\":{\"kind\":\"methods\",\"budgets\":[]}"));
        assertField("study.budgets", "belongs to study methods",
                spec(calibrated + "\"study\":{\"kind\":\"quantization\",\"budgets\":[0.4]}"));
        assertField("strategy", "strategy snr-greedy searches", spec(calibrated
                + "\"strategy\":{\"strategy\":\"snr-greedy\"},\"study\":{\"kind\":\"methods\"}"));
        assertField("method", "leave method whitened out",
                spec(calibrated + "\"method\":\"whitened\",\"study\":{\"kind\":\"methods\"}"));
        assertField("study.laser", "leave study.laser out", spec(calibrated
                + "\"study\":{\"kind\":\"methods\",\"laser\":[{\"tensor\":\"model.layers.0.mlp.down_proj.weight\","
                + "\"rank\":4}]}"));
        assertField("evaluation", "needs an evaluation", spec("\"calibration\":{\"text\":\"moby-dick.txt\"},"
                + "\"study\":{\"kind\":\"methods\"}"));
    }

    @Test
    void methodAndCalibrationProblemsNameTheField() {
        assertField("method", "unknown method \"qr\"", spec("\"method\":\"qr\""));
        assertField("calibration", "method whitened needs a calibration text", spec("\"method\":\"whitened\""));
        assertField("calibration", "method feature needs a calibration text", spec("\"method\":\"feature\""));
        assertField("calibration.text", "must name a text file",
                spec("\"method\":\"feature\",\"calibration\":{\"tokens\":64}"));
        assertField("calibration.text", "\"hamlet.txt\" does not exist under the configured data roots",
                spec("\"method\":\"whitened\",\"calibration\":{\"text\":\"hamlet.txt\"}"));
        assertField("calibration.text", "is outside the configured data roots",
                spec("\"method\":\"whitened\",\"calibration\":{\"text\":\"../tiny-llama/config.json\"}"));
        assertField("calibration.tokens", "must be >= 1, got 0",
                spec("\"method\":\"whitened\",\"calibration\":{\"text\":\"moby-dick.txt\",\"tokens\":0}"));
        assertField("calibration.window", "at least 2 tokens, got 1",
                spec("\"method\":\"whitened\",\"calibration\":{\"text\":\"moby-dick.txt\",\"window\":1}"));
        assertField("method", "at most 64", spec("\"method\":\"" + "w".repeat(65) + "\""));
    }

    @Test
    void anEncoderFolderTakesItsFamilysModulesAndCannotBeEvaluatedYet() {
        JobSpec minilm = resolve("{\"version\":1,\"model\":\"minilm\"}");
        assertEquals(new MatrixSelection("all", "q,k,v,o,up,down"), minilm.matrices());
        assertEquals("o,down", resolve("{\"version\":1,\"model\":\"minilm\",\"matrices\":{\"modules\":"
                + "\"output.dense,attention.output.dense\"}}").matrices().modules(), "aliases, in the family's order");
        assertField("matrices.modules", "unknown module \"gate\" for family bert",
                "{\"version\":1,\"model\":\"minilm\",\"matrices\":{\"modules\":\"gate\"}}");
        assertField("model", "model_type \"bert\" (family bert) has no forward pass",
                "{\"version\":1,\"model\":\"minilm\",\"evaluation\":{\"texts\":[\"moby-dick.txt\"]}}");
        assertField("model", "has no forward pass",
                "{\"version\":1,\"model\":\"minilm\",\"strategy\":{\"strategy\":\"snr-greedy\"}}");
    }

    @Test
    void modelsOfAnUnknownFamilyOrWithExpertsAreNotJobs() {
        new SyntheticCheckpoint().config("model_type", "gpt2").tensor("wte.weight", 20, 8)
                .write(models.resolve("gpt2"));
        assertField("model", "model_type \"gpt2\" is not a family", "{\"version\":1,\"model\":\"gpt2\"}");
        new SyntheticCheckpoint().config("model_type", "mixtral").tensor("model.embed_tokens.weight", 20, 8)
                .write(models.resolve("mixtral"));
        assertField("model", "family mixtral addresses matrices by expert", "{\"version\":1,\"model\":\"mixtral\"}");
    }

    @Test
    void searchAndEvaluationDefaultsAreCoresAndLasersOnes() throws IOException {
        JobSpec greedy = resolve(spec("\"matrices\":{\"modules\":\"down_proj,Q\"},\"strategy\":{\"strategy\":"
                + "\"laserrmt-greedy\"},\"evaluation\":{\"texts\":[\"sotu-2009-2021.txt\"]}"));
        assertEquals("q,down", greedy.matrices().modules());
        assertEquals(new StrategySpec.LaserRmtGreedy(5, false, LaserRmtGreedySpec.DEFAULT_TYPES), greedy.strategy());
        assertEquals(new EvaluationSpec(List.of(TEXTS.resolve("sotu-2009-2021.txt").toRealPath().toString()),
                "laserrmt", 128, 128, null), greedy.evaluation());
        assertEquals(greedy, validator.resolve(greedy));

        JobSpec snr = resolve(spec("\"strategy\":{\"strategy\":\"snr-greedy\"},\"evaluation\":{\"texts\":"
                + "[\"moby-dick.txt\"],\"protocol\":\"sliding\",\"window\":100,\"maxTokens\":2000}"));
        assertEquals(new StrategySpec.SnrGreedy(15), snr.strategy());
        assertEquals(50, snr.evaluation().stride(), "sliding windows overlap by half by default");
        assertEquals(2000, snr.evaluation().maxTokens());

        JobSpec grid = resolve(spec("\"strategy\":{\"strategy\":\"laser-grid\"},\"evaluation\":{\"texts\":"
                + "[\"moby-dick.txt\"],\"protocol\":\"chunked-bos\"}"));
        assertEquals(new StrategySpec.LaserGrid(List.of(0.9, 0.8, 0.6, 0.4, 0.2, 0.1, 0.05, 0.01, 0.005), 0.2),
                grid.strategy());
        assertNull(grid.policy(), "a grid's ranks come from its rhos");
        assertEquals(128, grid.evaluation().stride());

        JobSpec surgical = resolve(spec("\"strategy\":{\"strategy\":\"sfsd-surgical\"},\"evaluation\":{\"texts\":"
                + "[\"moby-dick.txt\"]}"));
        assertEquals(new StrategySpec.SfsdSurgical(1.005, 0.2), surgical.strategy(), "SFSD's tolerance and split");
        assertEquals(RankPolicySpec.named("laserrmt"), surgical.policy(), "the policy still decides SNR and spectrum");
        assertEquals(surgical, validator.resolve(surgical));
        assertEquals(new StrategySpec.SfsdSurgical(1.0, 0.5), resolve(spec("\"strategy\":{\"strategy\":"
                + "\"sfsd-surgical\",\"tolerance\":1.0,\"validationFraction\":0.5},\"evaluation\":{\"texts\":"
                + "[\"moby-dick.txt\"]}")).strategy());
    }

    @Test
    void policyProblemsNameThePolicyOrItsParameter() {
        assertField("policy", "unknown rank policy \"svd\"", spec("\"policy\":{\"policy\":\"svd\"}"));
        assertField("policy", "must name a rank policy", spec("\"policy\":{\"fraction\":0.1}"));
        assertField("policy.fraction", "needs fraction", spec("\"policy\":{\"policy\":\"fraction\"}"));
        assertField("policy.fraction", "must be in (0, 1], got 1.5",
                spec("\"policy\":{\"policy\":\"fraction\",\"fraction\":1.5}"));
        assertField("policy.rank", "must be >= 1, got 0", spec("\"policy\":{\"policy\":\"fixed\",\"rank\":0}"));
        assertField("policy.energy", "does not use energy",
                spec("\"policy\":{\"policy\":\"laserrmt\",\"energy\":0.9}"));
        assertField("policy.fraction", "does not use fraction",
                spec("\"policy\":{\"policy\":\"params\",\"paramsRatio\":0.5,\"fraction\":0.1}"));
        assertField("policy", "leave policy out", spec("\"policy\":{\"policy\":\"laserrmt\"},\"strategy\":"
                + "{\"strategy\":\"laser-grid\"},\"evaluation\":{\"texts\":[\"moby-dick.txt\"]}"));
    }

    @Test
    void modelProblemsNameTheModel() throws IOException {
        assertField("model", "does not exist", "{\"version\":1,\"model\":\"no-such-model\"}");
        assertField("model", "is required", "{\"version\":1}");
        assertField("model", "is required", "{\"version\":1,\"model\":\" \"}");
        assertField("model", "is outside the configured model roots", "{\"version\":1,\"model\":\"../../etc\"}");
        assertField("model", "is outside the configured model roots", "{\"version\":1,\"model\":\"/etc\"}");
        assertField("model", "is outside the configured model roots",
                "{\"version\":1,\"model\":\"../../../../../../../../no-such-dir\"}");
        Files.writeString(models.resolve("weights.bin"), "x");
        assertField("model", "is not a folder", "{\"version\":1,\"model\":\"weights.bin\"}");
        Files.createDirectory(models.resolve("empty"));
        assertField("model", "config.json not found", "{\"version\":1,\"model\":\"empty\"}");
        Path noWeights = Files.createDirectory(models.resolve("no-weights"));
        Files.copy(FIXTURES.resolve("tiny-llama/config.json"), noWeights.resolve("config.json"));
        assertField("model", "neither model.safetensors.index.json nor model.safetensors",
                "{\"version\":1,\"model\":\"no-weights\"}");
        Path broken = Files.createDirectory(models.resolve("broken"));
        Files.writeString(broken.resolve("config.json"), "{\"model_type\":\"llama\"");
        assertField("model", "not valid JSON", "{\"version\":1,\"model\":\"broken\"}");
    }

    @Test
    void aSymbolicLinkInsideARootThatPointsOutsideIsRejected() throws IOException {
        Files.createSymbolicLink(models.resolve("escape"), FIXTURES.resolve("tiny-llama"));
        Path data = Files.createDirectory(temp.resolve("data"));
        Files.createSymbolicLink(data.resolve("leak.txt"), TEXTS.resolve("moby-dick.txt"));
        JobSpecValidator confined = new JobSpecValidator(List.of(models), List.of(data));
        assertField(confined, "model", "is outside the configured model roots",
                "{\"version\":1,\"model\":\"escape\"}");
        assertField(confined, "model", "is outside the configured model roots",
                "{\"version\":1,\"model\":\"" + models.resolve("escape") + "\"}");
        assertEquals(FIXTURES.resolve("tiny-llama").toRealPath().toString(),
                resolve("{\"version\":1,\"model\":\"escape\"}").model(),
                "the same link is fine where its target lies in a root too");
        Files.copy(TEXTS.resolve("moby-dick.txt"), data.resolve("moby.txt"));
        Path model = Files.createDirectory(models.resolve("tiny"));
        Files.copy(FIXTURES.resolve("tiny-llama/config.json"), model.resolve("config.json"));
        Files.copy(FIXTURES.resolve("tiny-llama/model.safetensors"), model.resolve("model.safetensors"));
        assertEquals(model.toRealPath().toString(), confined.resolve(Json.read(
                "{\"version\":1,\"model\":\"tiny\",\"evaluation\":{\"texts\":[\"moby.txt\"]}}", JobSpec.class)).model());
        assertField(confined, "evaluation.texts[0]", "is outside the configured data roots",
                "{\"version\":1,\"model\":\"tiny\",\"evaluation\":{\"texts\":[\"leak.txt\"]}}");
        for (Path link : List.of(models.resolve("escape"), data.resolve("leak.txt"))) {
            Files.delete(link);
        }
    }

    /**
     * A folder inside the roots whose config, weights or tokenizer is a link to a file elsewhere is refused,
     * naming the file; an extra file that links out is no reason to refuse (it is never read, and an output
     * does not copy it).
     */
    @Test
    void aModelWhoseFilesLinkOutOfTheRootsIsRejectedNamingTheFile() throws IOException {
        Path outside = Files.createDirectory(temp.resolve("outside"));
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Files.copy(FIXTURES.resolve("tiny-llama").resolve(file), outside.resolve(file));
        }
        Path secret = Files.writeString(outside.resolve("secret"), "root:s3cret:19000:0:99999:7:::\n");
        JobSpecValidator confined = new JobSpecValidator(List.of(models), List.of(TEXTS));
        for (String linked : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Path model = Files.createDirectory(models.resolve("linked-" + linked));
            for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
                if (file.equals(linked)) {
                    Files.createSymbolicLink(model.resolve(file), outside.resolve(file));
                } else {
                    Files.copy(outside.resolve(file), model.resolve(file));
                }
            }
            assertField(confined, "model", linked + " is outside the configured model roots",
                    "{\"version\":1,\"model\":\"linked-" + linked + "\"}");
        }
        Path secretConfig = Files.createDirectory(models.resolve("secret-config"));
        Files.createSymbolicLink(secretConfig.resolve("config.json"), secret);
        assertField(confined, "model", "config.json is outside the configured model roots",
                "{\"version\":1,\"model\":\"secret-config\"}");
        Path notes = Files.createDirectory(models.resolve("with-notes"));
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Files.copy(outside.resolve(file), notes.resolve(file));
        }
        Files.createSymbolicLink(notes.resolve("notes.txt"), secret);
        assertEquals(notes.toRealPath().toString(), confined.resolve(Json.read(
                "{\"version\":1,\"model\":\"with-notes\"}", JobSpec.class)).model());
    }

    /** A config.json that is some other file is refused without quoting a word of it. */
    @Test
    void aConfigThatIsNotJsonIsRejectedWithoutQuotingIt() throws IOException {
        Path model = Files.createDirectory(models.resolve("odd"));
        Files.writeString(model.resolve("config.json"), "root:s3cret:19000:0:99999:7:::\n");
        ContractException e = assertThrows(ContractException.class,
                () -> resolve("{\"version\":1,\"model\":\"odd\"}"));
        assertEquals("model", e.field());
        assertTrue(e.getMessage().contains("not valid JSON (syntax error at line 1, column 1)"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret") || e.getMessage().contains("root"), e.getMessage());
    }

    /** Values far beyond any real use are refused before anything parses them, naming the field. */
    @Test
    void oversizeValuesAreRejectedFirstNamingTheField() {
        String layers = "0,".repeat(2_000_000) + "0";
        assertField("matrices.layers", "matrices.layers is 4000001 characters long; at most 512 are accepted",
                spec("\"matrices\":{\"layers\":\"" + layers + "\"}"));
        assertField("model", "at most 1024", "{\"version\":1,\"model\":\"" + "m/".repeat(600) + "\"}");
        assertField("evaluation.texts", "lists 17 entries; at most 16", spec("\"evaluation\":{\"texts\":["
                + String.join(",", java.util.Collections.nCopies(17, "\"moby-dick.txt\"")) + "]}"));
        assertField("strategy.rhos", "at most 64", spec("\"strategy\":{\"strategy\":\"laser-grid\",\"rhos\":["
                + String.join(",", java.util.Collections.nCopies(65, "0.5")) + "]},\"evaluation\":{\"texts\":"
                + "[\"moby-dick.txt\"]}"));
        assertField("policy", "at most 64", spec("\"policy\":{\"policy\":\"" + "p".repeat(65) + "\"}"));
    }

    /** Messages quote the value at fault shortened: a long one does not come back whole. */
    @Test
    void longValuesAreQuotedShortened() {
        ContractException e = assertThrows(ContractException.class,
                () -> resolve("{\"version\":1,\"model\":\"" + "x".repeat(1000) + "\"}"));
        assertTrue(e.getMessage().length() < 200 && e.getMessage().contains("(1000 characters) does not exist"),
                e.getMessage());
    }

    @Test
    void matrixSelectionProblemsNameLayersOrModules() {
        assertField("matrices.layers", "layer 9 is out of range: the model has 6 layers",
                spec("\"matrices\":{\"layers\":\"0-9\"}"));
        assertField("matrices.layers", "is not a layer number", spec("\"matrices\":{\"layers\":\"first\"}"));
        assertField("matrices.modules", "unknown module \"attn\"", spec("\"matrices\":{\"modules\":\"q,attn\"}"));
        assertField("matrices.modules", "embed is not a per-layer matrix", spec("\"matrices\":{\"modules\":\"q,embed\"}"));
    }

    @Test
    void strategyProblemsNameTheParameter() {
        String texts = ",\"evaluation\":{\"texts\":[\"moby-dick.txt\"]}";
        assertField("strategy.count", "count must be >= 1, got 0", spec("\"strategy\":{\"strategy\":\"snr-greedy\","
                + "\"count\":0}" + texts));
        assertField("strategy.maxAccepted", "got -2", spec("\"strategy\":{\"strategy\":\"laserrmt-greedy\","
                + "\"maxAccepted\":-2}" + texts));
        assertField("strategy.types[1]", "lists q more than once", spec("\"strategy\":{\"strategy\":"
                + "\"laserrmt-greedy\",\"types\":[\"q\",\"q_proj\"]}" + texts));
        assertField("strategy.types[0]", "not a per-layer matrix", spec("\"strategy\":{\"strategy\":"
                + "\"laserrmt-greedy\",\"types\":[\"lm_head\"]}" + texts));
        assertField("strategy.types", "none of types [gate] is among the selected modules q,k",
                spec("\"matrices\":{\"modules\":\"q,k\"},\"strategy\":{\"strategy\":\"laserrmt-greedy\","
                        + "\"types\":[\"gate\"]}" + texts));
        assertField("strategy.rhos[1]", "rho must be in (0, 1], got 0.0", spec("\"strategy\":{\"strategy\":"
                + "\"laser-grid\",\"rhos\":[0.5,0.0]}" + texts));
        assertField("strategy.rhos[2]", "lists 0.5 more than once", spec("\"strategy\":{\"strategy\":"
                + "\"laser-grid\",\"rhos\":[0.5,0.1,0.5]}" + texts));
        assertField("strategy.rhos", "at least one", spec("\"strategy\":{\"strategy\":\"laser-grid\",\"rhos\":[]}"
                + texts));
        assertField("strategy.validationFraction", "got 1.0", spec("\"strategy\":{\"strategy\":\"laser-grid\","
                + "\"validationFraction\":1.0}" + texts));
        assertField("strategy.tolerance", "tolerance must be a finite number >= 1, got 0.99", spec("\"strategy\":"
                + "{\"strategy\":\"sfsd-surgical\",\"tolerance\":0.99}" + texts));
        assertField("strategy.validationFraction", "got 0.0", spec("\"strategy\":{\"strategy\":\"sfsd-surgical\","
                + "\"validationFraction\":0.0}" + texts));
        assertField("strategy.validationFraction", "got 1.0", spec("\"strategy\":{\"strategy\":\"sfsd-surgical\","
                + "\"validationFraction\":1.0}" + texts));
        assertField("evaluation", "sfsd-surgical compares perplexities, so it needs an evaluation",
                spec("\"strategy\":{\"strategy\":\"sfsd-surgical\"}"));
    }

    @Test
    void onlyOneShotMayGoWithoutEvaluation() {
        assertField("evaluation", "snr-greedy compares perplexities, so it needs an evaluation",
                spec("\"strategy\":{\"strategy\":\"snr-greedy\"}"));
        assertField("evaluation", "laser-grid", spec("\"strategy\":{\"strategy\":\"laser-grid\"},\"evaluation\":null"));
    }

    @Test
    void evaluationProblemsNameTheField() throws IOException {
        assertField("evaluation.texts", "at least one text", spec("\"evaluation\":{\"texts\":[]}"));
        assertField("evaluation.texts", "at least one text", spec("\"evaluation\":{\"window\":64}"));
        assertField("evaluation.texts[1]", "\"hamlet.txt\" does not exist under the configured data roots",
                spec("\"evaluation\":{\"texts\":[\"moby-dick.txt\",\"hamlet.txt\"]}"));
        assertField("evaluation.texts[0]", "is outside the configured data roots",
                spec("\"evaluation\":{\"texts\":[\"../tiny-llama/config.json\"]}"));
        assertField("evaluation.texts[1]", "is listed twice",
                spec("\"evaluation\":{\"texts\":[\"moby-dick.txt\",\"" + TEXTS.resolve("moby-dick.txt") + "\"]}"));
        assertField("evaluation.texts[0]", "is not a file", spec("\"evaluation\":{\"texts\":[\".\"]}"));
        String text = "\"texts\":[\"moby-dick.txt\"]";
        assertField("evaluation.protocol", "unknown protocol \"wikitext\" (valid: laserrmt, sliding, chunked-bos)",
                spec("\"evaluation\":{" + text + ",\"protocol\":\"wikitext\"}"));
        for (int window : new int[] {0, -5, 1}) {
            assertField("evaluation.window", "window must be at least 2 tokens, got " + window,
                    spec("\"evaluation\":{" + text + ",\"window\":" + window + "}"));
        }
        assertField("evaluation.stride", "stride applies to the sliding protocol only",
                spec("\"evaluation\":{" + text + ",\"stride\":64}"));
        assertField("evaluation.stride", "between 1 and the window 128, got 0",
                spec("\"evaluation\":{" + text + ",\"protocol\":\"sliding\",\"stride\":0}"));
        assertField("evaluation.stride", "between 1 and the window 128, got 200",
                spec("\"evaluation\":{" + text + ",\"protocol\":\"sliding\",\"stride\":200}"));
        assertField("evaluation.maxTokens", "maxTokens must be >= 1", spec("\"evaluation\":{" + text
                + ",\"maxTokens\":0}"));
        assertEquals(128, resolve(spec("\"evaluation\":{" + text + ",\"stride\":128}")).evaluation().stride(),
                "a stride equal to the window is what non-sliding protocols mean anyway");
    }

    @Test
    void rootsMustBeFolders() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JobSpecValidator(List.of(temp.resolve("nope")), List.of(TEXTS)));
        assertTrue(e.getMessage().contains("model root"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JobSpecValidator(List.of(models), List.of()));
    }
    @Test
    void anEncoderJobTakesATaskFolderFromTheDataRootsInPlaceOfTexts() throws IOException {
        JobSpecValidator encoders = new JobSpecValidator(List.of(FIXTURES), List.of(TEXTS, FIXTURES.resolve("minilm")));
        String encoder = "{\"version\":1,\"model\":\"minilm\",\"strategy\":{\"strategy\":\"laserrmt-greedy\"},"
                + "\"evaluation\":%s}";
        JobSpec resolved = encoders.resolve(Json.read(encoder.formatted("{\"task\":\"task\"}"), JobSpec.class));
        assertEquals(EvaluationSpec.ofTask(FIXTURES.resolve("minilm/task").toRealPath().toString()),
                resolved.evaluation());
        assertEquals(resolved, encoders.resolve(resolved), "resolving twice changes nothing");
        assertField(encoders, "evaluation.task", "not both",
                encoder.formatted("{\"task\":\"task\",\"texts\":[\"moby-dick.txt\"]}"));
        assertField(encoders, "evaluation.window", "applies to perplexity",
                encoder.formatted("{\"task\":\"task\",\"window\":64}"));
        assertField(encoders, "evaluation.task", "does not exist", encoder.formatted("{\"task\":\"no-such-task\"}"));
        assertField(encoders, "model", "encoder", encoder.formatted("{\"texts\":[\"moby-dick.txt\"]}"));
        assertField(encoders, "strategy", "sfsd-surgical bounds a perplexity", "{\"version\":1,\"model\":\"minilm\","
                + "\"strategy\":{\"strategy\":\"sfsd-surgical\"},\"evaluation\":{\"task\":\"task\"}}");
        assertField(new JobSpecValidator(List.of(FIXTURES), List.of(FIXTURES.resolve("minilm"))), "evaluation.task",
                "family llama", spec("\"evaluation\":{\"task\":\"task\"}"));
    }

    @Test
    void aBadTaskFolderIsRefusedNamingTheFieldTheFileAndTheLine() throws IOException {
        Path tasks = Files.createDirectory(temp.resolve("tasks"));
        JobSpecValidator encoders = new JobSpecValidator(List.of(FIXTURES), List.of(tasks));
        String good = "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"b\",\"label\":\"y\"}\n";
        String[][] cases = {
            {"no-label", good + "{\"text\":\"c\"}\n", good, "no-label/train.jsonl line 3: field \"label\""},
            {"empty-split", good, "", "empty-split/test.jsonl: the split is empty"},
            {"test-only-label", good, "{\"text\":\"c\",\"label\":\"z\"}\n", "test-only-label/test.jsonl line 1: its label"},
        };
        for (String[] c : cases) {
            Path task = Files.createDirectory(tasks.resolve(c[0]));
            Files.writeString(task.resolve("train.jsonl"), c[1]);
            Files.writeString(task.resolve("test.jsonl"), c[2]);
            assertField(encoders, "evaluation.task", c[3], "{\"version\":1,\"model\":\"minilm\",\"evaluation\":"
                    + "{\"task\":\"" + c[0] + "\"}}");
        }
        Path outside = Files.createDirectory(temp.resolve("outside"));
        Files.writeString(outside.resolve("train.jsonl"), good);
        Path linked = Files.createDirectory(tasks.resolve("linked"));
        Files.writeString(linked.resolve("test.jsonl"), good);
        Files.createSymbolicLink(linked.resolve("train.jsonl"), outside.resolve("train.jsonl"));
        assertField(encoders, "evaluation.task", "outside the configured data roots",
                "{\"version\":1,\"model\":\"minilm\",\"evaluation\":{\"task\":\"linked\"}}");
    }
}
