package dev.lasermesh.core.study;

/**
 * One matrix LASER reduces in a study, and the rank it keeps.
 *
 * @param name the tensor name
 * @param rank k
 */
public record LaserMatrix(String name, int rank) {

    public LaserMatrix {
        if (rank < 0) {
            throw new IllegalArgumentException(name + ": rank " + rank + " is negative");
        }
    }
}
