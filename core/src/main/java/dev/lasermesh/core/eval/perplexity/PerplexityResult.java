package dev.lasermesh.core.eval.perplexity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A perplexity with what it was computed from.
 *
 * <p>The perplexity is +∞ (JSON {@code "Infinity"}) when the mean NLL exceeds ln(Double.MAX_VALUE) ≈
 * 709.78 nats: the mean is then an ordinary finite number, reported exactly, and its exponential is
 * a legitimate value beyond the double range. A forward pass that overflows float32 gives no
 * perplexity at all; the evaluator refuses it instead.
 *
 * @param perplexity e^meanNll
 * @param meanNll    mean NLL in nats: over windows of their means (laserrmt), else over tokens
 * @param tokens     tokens scored
 * @param windows    forward passes (windows or chunks)
 * @param protocol   protocol and parameters
 */
public record PerplexityResult(double perplexity, double meanNll, long tokens, int windows, ProtocolSpec protocol) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The result of complete sums under {@code protocol}. */
    public static PerplexityResult of(PartialSums sums, ProtocolSpec protocol) {
        if (sums.windows() == 0) {
            throw new IllegalStateException("no windows were scored");
        }
        double mean = protocol.protocol().windowWeighted()
                ? sums.windowMeanSum().doubleValue() / sums.windows()
                : sums.nllSum().doubleValue() / sums.tokens();
        return new PerplexityResult(Math.exp(mean), mean, sums.tokens(), sums.windows(), protocol);
    }

    /**
     * {@code {"perplexity":…, "mean_nll":…, "tokens":…, "windows":…, "protocol":{"name":…, "window":…,
     * "stride":…, "max_tokens":…, "aggregation":…}}}; doubles are written round-trip exact.
     */
    public String toJson() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", protocol.protocol().cliName());
        p.put("window", protocol.window());
        p.put("stride", protocol.stride());
        p.put("max_tokens", protocol.maxTokens().isPresent() ? protocol.maxTokens().getAsInt() : null);
        p.put("aggregation", protocol.protocol().windowWeighted() ? "window-mean" : "token-weighted");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("perplexity", perplexity);
        root.put("mean_nll", meanNll);
        root.put("tokens", tokens);
        root.put("windows", windows);
        root.put("protocol", p);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A two-column text table of the same fields. */
    public String toTable() {
        return String.format(Locale.ROOT, "%-12s %.6f%n%-12s %.8f%n%-12s %d%n%-12s %d%n%-12s %s (window %d, stride %d%s)%n",
                "perplexity", perplexity, "mean_nll", meanNll, "tokens", tokens, "windows", windows,
                "protocol", protocol.protocol().cliName(), protocol.window(), protocol.stride(),
                protocol.maxTokens().isPresent() ? ", first " + protocol.maxTokens().getAsInt() + " tokens per text" : "");
    }
}
