package dev.lasermesh.core.model.family;

/**
 * What Lasermesh can run for a family: the forward pass that scores a model and the metric searches
 * compare by default. A family without it is analysed and reduced only.
 *
 * @param forwardPass   which forward pass runs the family
 * @param defaultMetric what it is scored by unless told otherwise
 */
public record EvaluationSupport(ForwardPass forwardPass, Metric defaultMetric) {

    /** The forward passes Lasermesh implements. */
    public enum ForwardPass {
        /** Pre-norm decoder with RoPE and grouped-query attention: {@code core.eval.forward.DecoderForward}. */
        DECODER,
        /** Post-LN BERT encoder with sentence pooling: {@code core.eval.forward.EncoderForward}. */
        ENCODER
    }

    /** The metrics a model is scored by, with the direction that is better. */
    public enum Metric {
        /** Perplexity of next-token prediction on texts (DESIGN §3.2): lower is better. */
        PERPLEXITY("perplexity", true),
        /** Cosine k-NN classification accuracy of sentence embeddings on a task folder (DESIGN §7.1): higher is better. */
        KNN_ACCURACY("knn-accuracy", false);

        private final String cliName;
        private final boolean lowerIsBetter;

        Metric(String cliName, boolean lowerIsBetter) {
            this.cliName = cliName;
            this.lowerIsBetter = lowerIsBetter;
        }

        /** The name reports and options use. */
        public String cliName() {
            return cliName;
        }

        /** Whether a smaller value is a better model. */
        public boolean lowerIsBetter() {
            return lowerIsBetter;
        }
    }
}
