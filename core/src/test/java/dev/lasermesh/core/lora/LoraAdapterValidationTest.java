package dev.lasermesh.core.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad adapters get one clear error naming the field or tensor (DESIGN §5). */
class LoraAdapterValidationTest {

    private static final String Q0_A = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
    private static final String Q0_B = "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight";

    @TempDir
    Path temp;

    private static String resolveError(Path baseModel, Path adapterFolder) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> {
            try (ModelSource base = ModelSource.open(baseModel); LoraAdapter adapter = LoraAdapter.open(adapterFolder)) {
                adapter.resolve(base);
            }
        });
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private String resolveError(Path adapterFolder) {
        return resolveError(Fixtures.path("tiny-llama"), adapterFolder);
    }

    private String openError(Path adapterFolder) {
        return assertThrows(InvalidInputException.class, () -> LoraAdapter.open(adapterFolder).close()).getMessage();
    }

    @Test
    void anAdapterForAnotherBaseIsRejectedNamingTheTensorAndBothShapes() {
        String message = resolveError(Fixtures.path("stories260K"), Fixtures.path("tiny-llama-lora"));
        assertTrue(message.contains("tensor base_model.model.model.layers.0.mlp.down_proj.lora_A.weight has shape [8, 704] "
                + "but must be [8, 172]"), message);
        assertTrue(message.contains("model.layers.0.mlp.down_proj.weight 64x172"), message);
    }

    @Test
    void anUnknownTargetModuleIsRejectedNamingIt() {
        String message = resolveError(AdapterFolders.withConfig(temp.resolve("a"),
                c -> c.withArray("target_modules").add("qkv_proj")));
        assertTrue(message.contains("field \"target_modules\": \"qkv_proj\" is not a module of the base model"), message);
        assertTrue(message.contains("q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj"), message);
    }

    @Test
    void doraIa3AndOtherNonLoraAdaptersAreRejectedNamingTheField() {
        assertTrue(openError(AdapterFolders.withConfig(temp.resolve("dora"), c -> c.put("use_dora", true)))
                .contains("field \"use_dora\" is true: DoRA"));
        assertTrue(openError(AdapterFolders.withConfig(temp.resolve("ia3"), c -> c.put("peft_type", "IA3")))
                .contains("field \"peft_type\" is \"IA3\"; only LORA adapters are supported"));
        assertTrue(openError(AdapterFolders.withConfig(temp.resolve("bias"), c -> c.put("bias", "all")))
                .contains("field \"bias\""));
        assertTrue(openError(AdapterFolders.withConfig(temp.resolve("rank"), c -> c.putObject("rank_pattern").put("q_proj", 4)))
                .contains("field \"rank_pattern\" is set"));
        assertTrue(openError(AdapterFolders.withConfig(temp.resolve("regex"), c -> c.put("target_modules", ".*proj")))
                .contains("field \"target_modules\" is a regular expression"));
        assertTrue(openError(AdapterFolders.withConfig(temp.resolve("r"), c -> c.remove("r"))).contains("field \"r\" is missing"));
    }

    @Test
    void aMissingLoraBIsRejectedNamingIt() {
        String message = resolveError(AdapterFolders.edited(temp.resolve("a"), c -> { }, name -> !name.equals(Q0_B)));
        assertTrue(message.contains("tensor " + Q0_B + " is missing (its partner " + Q0_A + " is present)"), message);
    }

    @Test
    void tensorsOutsideTargetModulesOrLayersToTransformAreRejected() {
        String modules = resolveError(AdapterFolders.withConfig(temp.resolve("m"),
                c -> c.putArray("target_modules").add("q_proj").add("k_proj")));
        assertTrue(modules.contains("model.layers.0.mlp.down_proj, which target_modules [q_proj, k_proj]"), modules);
        String layers = resolveError(AdapterFolders.withConfig(temp.resolve("l"), c -> c.putArray("layers_to_transform").add(0)));
        assertTrue(layers.contains("adapts layer 1, which layers_to_transform [0]"), layers);
    }

    @Test
    void aTensorThatIsNoLoraFactorOrAdaptsNoMatrixIsRejected() {
        Path stray = AdapterFolders.edited(temp.resolve("s"), c -> { }, name -> false);
        new SafetensorsWriter(stray.resolve(LoraAdapter.WEIGHTS_FILE))
                .put("base_model.model.model.layers.0.mlp.q_proj.lora_A.weight", DType.F32, new long[] {8, 256}, new float[8 * 256])
                .put("base_model.model.model.layers.0.mlp.q_proj.lora_B.weight", DType.F32, new long[] {256, 8}, new float[8 * 256])
                .write();
        String message = resolveError(stray);
        assertTrue(message.contains("adapts \"model.layers.0.mlp.q_proj\", which is not a weight matrix of the base model"), message);
        new SafetensorsWriter(stray.resolve(LoraAdapter.WEIGHTS_FILE))
                .put("base_model.model.model.embed_tokens.lora_embedding_A", DType.F32, new long[] {8, 1026}, new float[8 * 1026])
                .write();
        assertTrue(resolveError(stray).contains("tensor base_model.model.model.embed_tokens.lora_embedding_A is not a LoRA factor"));
    }

    @Test
    void aGoodAdapterWithLayersToTransformResolvesOnlyThoseLayers() {
        Path folder = AdapterFolders.edited(temp.resolve("g"), c -> c.putArray("layers_to_transform").add(5),
                name -> name.contains(".layers.5."));
        try (ModelSource base = ModelSource.open(Fixtures.path("tiny-llama")); LoraAdapter adapter = LoraAdapter.open(folder)) {
            List<AdaptedMatrix> adapted = adapter.resolve(base);
            assertEquals(7, adapted.size());
            assertTrue(adapted.stream().allMatch(a -> a.matrix().layer() == 5));
        }
    }

    @Test
    void rsLoraScalesByTheSquareRootOfTheRank() {
        try (LoraAdapter adapter = LoraAdapter.open(AdapterFolders.withConfig(temp.resolve("rs"), c -> c.put("use_rslora", true)))) {
            assertEquals(16 / Math.sqrt(8), adapter.config().scaling());
        }
    }

    @Test
    void aConfigThatIsNotJsonIsNamedWithoutQuotingIt() throws java.io.IOException {
        Path folder = AdapterFolders.withConfig(temp.resolve("j"), c -> { });
        java.nio.file.Files.writeString(folder.resolve(LoraConfig.FILE_NAME), "{\"r\": 8,\n hunter2secret }");
        String message = openError(folder);
        assertTrue(message.contains(LoraConfig.FILE_NAME + ": not valid JSON"), message);
        assertTrue(!message.contains("hunter2secret"), message);
    }
}
