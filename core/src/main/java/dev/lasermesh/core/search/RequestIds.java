package dev.lasermesh.core.search;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Derives request ids from the model state they evaluate, so that an id names what is evaluated and
 * nothing else: the same state asked for twice (a duplicate delivery, a re-issue after a restart, a
 * different number of evaluators) gets the same id, and different states get different ids.
 *
 * <p>Format: {@code <split>-<number of replacements>-<24 hex digits>}, the digits being the first 96
 * bits of SHA-256 over the split, the validation fraction and the replacements sorted as
 * {@code matrix:rank} lines. Order of the replacements does not matter.
 */
final class RequestIds {

    private static final HexFormat HEX = HexFormat.of();

    private RequestIds() {
    }

    static String of(Split split, double validationFraction, List<Replacement> replacements) {
        List<String> lines = replacements.stream().map(r -> r.matrix() + ":" + r.rank()).sorted().toList();
        String canonical = split.label() + "\n" + Double.toString(validationFraction) + "\n" + String.join("\n", lines);
        byte[] digest = sha256().digest(canonical.getBytes(StandardCharsets.UTF_8));
        return split.label() + "-" + replacements.size() + "-" + HEX.formatHex(digest, 0, 12);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
