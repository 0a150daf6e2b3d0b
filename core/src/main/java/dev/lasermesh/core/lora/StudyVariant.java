package dev.lasermesh.core.lora;

import java.util.List;

/**
 * One model of the LoRA/LASER order study: the base model with the listed matrices replaced.
 *
 * @param name        {@code base}, {@code merged}, {@code laser}, {@code lora-then-laser}, {@code laser-then-lora}
 * @param description one line for the table
 * @param recipes     the replaced matrices; every other tensor is the base model's
 */
public record StudyVariant(String name, String description, List<MatrixRecipe> recipes) {

    public StudyVariant {
        recipes = List.copyOf(recipes);
    }
}
