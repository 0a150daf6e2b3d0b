package dev.lasermesh.core.model.family;

import java.util.List;
import java.util.Locale;

/**
 * A weight matrix of a family that users select by short name ({@code --modules q,down}): its tensor
 * and the other names users may type for it.
 *
 * @param tensor   the tensor; its key is the short name
 * @param aliases  other accepted names, e.g. the Hugging Face module names {@code q_proj}, {@code query}
 * @param optional whether a checkpoint may lack it (e.g. BERT's pooler); when present it is checked and listed
 */
public record ModuleSpec(TensorSpec tensor, List<String> aliases, boolean optional) {

    public ModuleSpec {
        aliases = List.copyOf(aliases);
    }

    /** A module every checkpoint of the family has. */
    public static ModuleSpec of(TensorSpec tensor, String... aliases) {
        return new ModuleSpec(tensor, List.of(aliases), false);
    }

    /** A module a checkpoint may lack. */
    public static ModuleSpec optional(TensorSpec tensor, String... aliases) {
        return new ModuleSpec(tensor, List.of(aliases), true);
    }

    /** The name users type and reports show ({@code q}, {@code down}, {@code w1}, {@code embed}). */
    public String shortName() {
        return tensor.key();
    }

    public Scope scope() {
        return tensor.scope();
    }

    /** Whether each layer has one (or one per expert); false for model-wide matrices. */
    public boolean perLayer() {
        return tensor.scope() != Scope.MODEL;
    }

    /** Whether a user's name (any case, surrounding blanks ignored) means this module. */
    public boolean matches(String typed) {
        String n = typed.trim().toLowerCase(Locale.ROOT);
        return shortName().equals(n) || aliases.contains(n);
    }
}
