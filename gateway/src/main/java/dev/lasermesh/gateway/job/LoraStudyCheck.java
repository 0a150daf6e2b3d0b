package dev.lasermesh.gateway.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.StrategySpec;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.lora.LoraAdapter;
import dev.lasermesh.core.model.ModelSource;
import java.nio.file.Path;

/**
 * What a LoRA study job (issue 10) needs beyond the contract's fields, checked at submission so that a
 * bad adapter is a 400 naming the field, not a failed job: the adapter must fit the base — core's own
 * checks ({@link LoraAdapter#open}, {@link LoraAdapter#resolve}): {@code peft_type} LORA and plain LoRA
 * fields, every factor pair complete, every module a targeted matrix of the base, every shape that of
 * the base matrix — and LASER on each side is one-shot, as {@code study lora} runs it.
 */
final class LoraStudyCheck {

    private LoraStudyCheck() {
    }

    /**
     * @throws ContractException naming {@code strategy} or {@code study.adapter}; the message names the
     *                           adapter's field or tensor at fault
     */
    static void require(JobSpec spec) {
        if (spec.study() == null || !spec.study().lora()) {
            return;
        }
        if (!(spec.strategy() instanceof StrategySpec.OneShot)) {
            throw new ContractException("study lora runs one-shot LASER on each side (the policy's rank of every "
                    + "selected matrix); strategy " + spec.strategy().name() + " is not supported", "strategy");
        }
        Path adapter = Path.of(spec.study().adapter());
        Path model = Path.of(spec.model());
        try (ModelSource base = ModelSource.open(model); LoraAdapter lora = LoraAdapter.open(adapter)) {
            lora.resolve(base);
        } catch (InvalidInputException e) {
            throw new ContractException("study.adapter: " + relative(e.getMessage(), adapter, model), "study.adapter");
        }
    }

    /** Core names files by absolute path; the user knows the adapter and the model by the names they gave. */
    private static String relative(String message, Path adapter, Path model) {
        String shorter = message;
        for (Path path : new Path[] {adapter, model}) {
            if (path.getParent() != null) {
                shorter = shorter.replace(path.getParent() + "/", "");
            }
        }
        return shorter;
    }
}
