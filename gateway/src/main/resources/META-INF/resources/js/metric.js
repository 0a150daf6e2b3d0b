// The metric a job's search compares (DESIGN §7.1): knn-accuracy for an encoder's task evaluation
// (higher is better), perplexity otherwise (lower is better). The job view's baseline/final and each
// candidate's value are in this metric, whatever the fields are called.

/** The metric of a job spec: its name, the short label of log lines, and which way is better. */
export function jobMetric(spec) {
  return spec && spec.evaluation && spec.evaluation.task
    ? { name: 'knn-accuracy', short: 'acc', better: 'higher' }
    : { name: 'perplexity', short: 'ppl', better: 'lower' };
}
