package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.core.spectrum.RankPolicySpec;

/**
 * A job as a user submits it ({@code POST /api/v1/jobs}) and as the gateway stores it once
 * {@link JobSpecValidator#resolve resolved}. Apart from the version, the constructor accepts anything:
 * the validator checks the fields against the configured roots and the model, naming the field at
 * fault, and fills in the defaults.
 *
 * @param version    contract version, {@link ContractVersion#CURRENT} (required)
 * @param model      the model folder (Hugging Face layout with {@code config.json}), relative to a
 *                   configured model root or absolute inside one (required); resolved: its absolute
 *                   real path
 * @param matrices   which matrices to work on; default every layer × q,k,v,o,gate,up,down
 * @param policy     the rank policy and its parameter, core's JSON
 *                   ({@code {"policy":"fraction","fraction":0.1}}); default {@code laserrmt}; must be
 *                   left out for {@code laser-grid}, whose ranks come from its ρ list
 * @param strategy   the search strategy; default {@code one-shot}
 * @param evaluation how to measure perplexity; null for a job that only analyses and reduces, which
 *                   only {@code one-shot} allows
 * @param output     how reduced matrices are stored: {@code dense} (default) or {@code factored}
 * @param study      a study to run on the search's outcome before the output ({@link StudySpec}); null for
 *                   none. It needs an evaluation.
 * @param method     how matrices are brought to rank k (DESIGN §7.4): {@code svd} (default, LASER),
 *                   {@code whitened} (SVD-LLM) or {@code feature} (SFSD); the last two need a calibration
 * @param calibration the calibration text ({@link CalibrationSpec}); null for none
 */
public record JobSpec(int version, String model, MatrixSelection matrices, RankPolicySpec policy,
                      StrategySpec strategy, EvaluationSpec evaluation, OutputForm output, StudySpec study,
                      String method, CalibrationSpec calibration) {

    public JobSpec {
        ContractVersion.require(version, "job spec");
    }

    /** A job by W's own SVD, without calibration. */
    public JobSpec(int version, String model, MatrixSelection matrices, RankPolicySpec policy, StrategySpec strategy,
                   EvaluationSpec evaluation, OutputForm output, StudySpec study) {
        this(version, model, matrices, policy, strategy, evaluation, output, study, null, null);
    }

    /** A job without a study. */
    public JobSpec(int version, String model, MatrixSelection matrices, RankPolicySpec policy, StrategySpec strategy,
                   EvaluationSpec evaluation, OutputForm output) {
        this(version, model, matrices, policy, strategy, evaluation, output, null);
    }
}
