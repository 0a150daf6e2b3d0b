/**
 * Perplexity evaluation of Llama-family decoders (DESIGN §3.2, §4).
 *
 * <ul>
 *   <li>{@link dev.lasermesh.core.eval.Evaluation#run} — the {@code lasermesh eval} entry: {@link
 *       dev.lasermesh.core.eval.EvalOptions} in, {@link dev.lasermesh.core.eval.perplexity.PerplexityResult}
 *       out, {@link dev.lasermesh.core.eval.EvalProgress} per window.</li>
 *   <li>{@code tokenize} — Hugging Face {@code tokenizer.json} through the Rust tokenizers library.</li>
 *   <li>{@code forward} — weights bound to a config ({@code DecoderWeights}), model states with overlays
 *       ({@code ModelState}), the batched forward pass ({@code DecoderForward}).</li>
 *   <li>{@code perplexity} — protocols as window plans, exact partial sums, the evaluator with its
 *       hidden-state cache for incremental evaluation.</li>
 *   <li>{@code kernel} — OpenBLAS sgemm through the FFM API and deterministic Vector API kernels.</li>
 *   <li>{@code bench} — {@code lasermesh bench eval}, against PyTorch.</li>
 * </ul>
 */
package dev.lasermesh.core.eval;
