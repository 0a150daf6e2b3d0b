// Formatting of the numbers, times and names the pages show.

export const RUNNING = ['QUEUED', 'CALIBRATING', 'ANALYZING', 'REDUCING', 'EVALUATING', 'SEARCHING', 'STUDYING', 'ASSEMBLING'];

export function isRunning(status) {
  return RUNNING.includes(status);
}

/** A JSON number that may be written as "NaN" / "Infinity" (docs/contracts.md, JSON rules). */
export function num(value) {
  return typeof value === 'string' ? Number(value) : value;
}

export function fixed(value, digits = 3) {
  const v = num(value);
  if (v === null || v === undefined || Number.isNaN(v)) {
    return '—';
  }
  if (!Number.isFinite(v)) {
    return v > 0 ? '∞' : '−∞';
  }
  return v.toFixed(digits);
}

export function time(iso) {
  if (!iso) {
    return '—';
  }
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}

export function dateTime(iso) {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  return `${d.toLocaleDateString()} ${time(iso)}`;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return '—';
  }
  if (seconds < 60) {
    return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  }
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) {
    return `${m} min ${s} s`;
  }
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Seconds a job has run: until it finished, or until now while it runs. */
export function jobSeconds(job) {
  const t = job.timings || {};
  const start = t.started || t.submitted;
  if (!start) {
    return null;
  }
  const end = t.finished ? new Date(t.finished) : (isRunning(job.status) ? new Date() : null);
  return end ? (end - new Date(start)) / 1000 : null;
}

export function bytes(n) {
  if (n === null || n === undefined) {
    return '—';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

export function count(n) {
  return n === null || n === undefined ? '—' : n.toLocaleString();
}

/** The last path element: the model's folder name. */
export function baseName(path) {
  if (!path) {
    return '—';
  }
  const parts = path.split('/').filter(Boolean);
  return parts[parts.length - 1] || path;
}

/** Tasks done (or failed) over all stages, and their total. */
export function taskTotals(progress) {
  const stages = progress ? [progress.analysis, progress.reduction, progress.evaluation] : [];
  let total = 0;
  let finished = 0;
  let failed = 0;
  for (const s of stages) {
    if (s) {
      total += s.total;
      finished += s.done + s.failed;
      failed += s.failed;
    }
  }
  return { total, finished, failed };
}

export function strategyText(strategy) {
  if (!strategy) {
    return '—';
  }
  switch (strategy.strategy) {
    case 'laserrmt-greedy':
      return `laserrmt-greedy (max ${strategy.maxAccepted === -1 ? 'all' : strategy.maxAccepted})`;
    case 'snr-greedy':
      return `snr-greedy (${strategy.count})`;
    case 'laser-grid':
      return `laser-grid (${(strategy.rhos || []).length} ρ)`;
    case 'sfsd-surgical':
      return `sfsd-surgical (tolerance ${strategy.tolerance}, search on ${strategy.validationFraction})`;
    default:
      return strategy.strategy;
  }
}

export function policyText(policy) {
  if (!policy) {
    return '— (ρ grid)';
  }
  const parameter = ['fraction', 'energy', 'rank', 'paramsRatio'].find((p) => policy[p] !== undefined && policy[p] !== null);
  return parameter ? `${policy.policy} ${parameter}=${policy[parameter]}` : policy.policy;
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
