package dev.lasermesh.gateway.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobSpecValidator;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.gateway.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LoRA study job whose adapter does not fit its base is refused at submission (a 400 naming
 * {@code study.adapter}), with core's message naming the adapter's field or tensor: edited copies of the
 * {@code tiny-llama-lora} fixture in a second model root.
 */
class LoraStudyCheckTest {

    private static final String Q0_B = "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight";

    @TempDir
    Path root;

    private ContractException refused(String adapter, String strategy) {
        JobPlanner planner = new JobPlanner(new JobSpecValidator(List.of(Fixtures.path("tiny-llama").getParent(), root),
                List.of(Fixtures.path("text"))));
        return assertThrows(ContractException.class, () -> planner.plan(Json.read("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5"}, %s
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "maxTokens": 1024},
                 "study": {"kind": "lora", "adapter": "%s"}}""".formatted(strategy, adapter), JobSpec.class)));
    }

    /** A copy of the fixture adapter with its config text edited and the tensors {@code keep} accepts. */
    private Path adapter(String name, UnaryOperator<String> config, Predicate<String> keep) throws IOException {
        Path fixture = Fixtures.path("tiny-llama-lora");
        Path folder = Files.createDirectories(root.resolve(name));
        Files.writeString(folder.resolve("adapter_config.json"),
                config.apply(Files.readString(fixture.resolve("adapter_config.json"))));
        try (SafetensorsFile source = SafetensorsFile.open(fixture.resolve("adapter_model.safetensors"))) {
            SafetensorsWriter writer = new SafetensorsWriter(folder.resolve("adapter_model.safetensors"));
            for (TensorInfo t : source.tensors()) {
                if (keep.test(t.name())) {
                    writer.copy(source, t.name());
                }
            }
            writer.write();
        }
        return folder;
    }

    @Test
    void anUnknownTargetModuleIsNamed() throws IOException {
        adapter("qkv", c -> c.replace("\"q_proj\"", "\"qkv_proj\""), n -> true);
        ContractException e = refused("qkv", "");
        assertEquals("study.adapter", e.field());
        assertTrue(e.getMessage().contains("\"qkv_proj\" is not a module of the base model"), e.getMessage());
    }

    @Test
    void anotherPeftTypeIsNamed() throws IOException {
        adapter("ia3", c -> c.replace("\"LORA\"", "\"IA3\""), n -> true);
        ContractException e = refused("ia3", "");
        assertEquals("study.adapter", e.field());
        assertTrue(e.getMessage().contains("field \"peft_type\" is \"IA3\""), e.getMessage());
    }

    @Test
    void aMissingLoraBIsNamed() throws IOException {
        adapter("no-b", c -> c, n -> !n.equals(Q0_B));
        ContractException e = refused("no-b", "");
        assertEquals("study.adapter", e.field());
        assertTrue(e.getMessage().contains("tensor " + Q0_B + " is missing"), e.getMessage());
    }

    @Test
    void aSearchingStrategyAndAMissingAdapterAreRefused() {
        assertEquals("strategy", refused("tiny-llama-lora", "\"strategy\": {\"strategy\": \"snr-greedy\"},").field());
        assertEquals("study.adapter", refused("no-such-adapter", "").field());
    }
}
