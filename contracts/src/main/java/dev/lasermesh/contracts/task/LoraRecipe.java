package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Quoted;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.lora.BaseQuantization;
import dev.lasermesh.core.lora.MatrixRecipe;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a reduction task builds one matrix of a LoRA order-study variant (DESIGN §7.3, issue 10): core's
 * {@link MatrixRecipe} from the base matrix W (its NF4 round trip with {@code baseQuant nf4}) and the
 * adapter's update ΔW = s·B·A — W, W' = round(W + ΔW), round(W_k), round(W'_k) or round(round(W_k) + ΔW),
 * each rounded to the base dtype. The rank k is the task's; {@link ReductionTransform#truncate} says
 * whether the recipe truncates.
 *
 * @param adapter   the PEFT adapter folder, an absolute real path under the model roots
 * @param baseQuant {@code none} or {@code nf4}
 * @param build     {@code base}, {@code merged}, {@code laser}, {@code merged-then-laser} or
 *                  {@code laser-then-merged} ({@link MatrixRecipe.Kind})
 */
public record LoraRecipe(String adapter, String baseQuant, String build) {

    public LoraRecipe {
        TaskChecks.absolutePath(adapter, "transform.lora.adapter");
        try {
            baseQuant = BaseQuantization.parse(baseQuant == null ? "none" : baseQuant).cliName();
        } catch (InvalidInputException e) {
            throw new ContractException(e.getMessage(), "transform.lora.baseQuant");
        }
        kindOf(build);
    }

    /** The recipe of {@code kind}. */
    public LoraRecipe(String adapter, BaseQuantization baseQuant, MatrixRecipe.Kind kind) {
        this(adapter, baseQuant.cliName(), nameOf(kind));
    }

    /** The construction. */
    public MatrixRecipe.Kind kind() {
        return kindOf(build);
    }

    /** The base quantization. */
    public BaseQuantization quantization() {
        return BaseQuantization.parse(baseQuant);
    }

    /** Whether the recipe truncates to the task's rank (the LASER constructions). */
    public boolean truncates() {
        return kind() != MatrixRecipe.Kind.BASE && kind() != MatrixRecipe.Kind.MERGED;
    }

    /** {@code merged-then-laser} for {@code MERGED_THEN_LASER}. */
    static String nameOf(MatrixRecipe.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static MatrixRecipe.Kind kindOf(String build) {
        for (MatrixRecipe.Kind kind : MatrixRecipe.Kind.values()) {
            if (nameOf(kind).equals(build)) {
                return kind;
            }
        }
        throw new ContractException("unknown recipe " + Quoted.of(build) + " (valid: " + Arrays.stream(
                MatrixRecipe.Kind.values()).map(LoraRecipe::nameOf).collect(Collectors.joining(", ")) + ")",
                "transform.lora.build");
    }

    /** How the recipe shows in task ids and file names: {@code -lora-merged}, {@code -lora-laser-nf4}. */
    String suffix() {
        return "-lora-" + build + (quantization() == BaseQuantization.NONE ? "" : "-" + baseQuant);
    }
}
