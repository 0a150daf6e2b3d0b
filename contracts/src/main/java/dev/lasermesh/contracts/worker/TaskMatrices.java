package dev.lasermesh.contracts.worker;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;

/**
 * Finds a task's matrix in the model it names. The task addresses the matrix both by tensor name and
 * by (layer, module); a worker checks they agree with the model's own catalogue, so a task planned for
 * another model (or a stale plan) fails with a clear reason instead of truncating the wrong matrix.
 */
public final class TaskMatrices {

    private TaskMatrices() {
    }

    /**
     * The catalogue entry of {@code id} in {@code model}.
     *
     * @throws dev.lasermesh.core.InvalidInputException naming the model when it has no such matrix
     * @throws ContractException                         naming the field when layer or module disagree
     */
    public static MatrixRef resolve(ModelSource model, MatrixId id) {
        MatrixRef ref = model.catalogue().byName(id.tensor());
        if (ref.layer() != id.layer()) {
            throw new ContractException(model.path() + ": matrix " + id.tensor() + " is in layer " + ref.layer()
                    + ", the task says layer " + id.layer(), "matrix.layer");
        }
        if (!ref.module().equals(id.module())) {
            throw new ContractException(model.path() + ": matrix " + id.tensor() + " is module "
                    + ref.module() + ", the task says " + id.module(), "matrix.module");
        }
        return ref;
    }
}
