package dev.lasermesh.contracts.job;

import dev.lasermesh.core.eval.perplexity.ProtocolSpec;

/**
 * The calibration text of a job whose {@code method} needs one (DESIGN §7.4): the statistics XᵀX and
 * the output covariance of every selected linear are taken on the first {@code tokens} tokens of the
 * text, in non-overlapping laserrmt windows of {@code window} tokens ([BOS] + ids), as
 * {@code lasermesh reduce --calibration FILE --calibration-tokens N} does.
 *
 * @param text   a UTF-8 text file, relative to a configured data root or absolute inside one (required);
 *               resolved: its absolute real path
 * @param tokens how many tokens of the text to calibrate on, ≥ 1; default 2048
 * @param window calibration window length in tokens, ≥ 2; default 128
 */
public record CalibrationSpec(String text, Integer tokens, Integer window) {

    public static final int DEFAULT_TOKENS = 2048;
    public static final int DEFAULT_WINDOW = 128;

    /**
     * The windows of a resolved calibration: laserrmt's non-overlapping windows of {@code window} tokens over
     * the first {@code tokens} tokens, as {@code lasermesh reduce --calibration} cuts them, so the gateway
     * counts and the evaluators calibrate the same windows.
     */
    public ProtocolSpec windowProtocol() {
        return ProtocolSpec.laserRmt(window).withMaxTokens(tokens);
    }
}
