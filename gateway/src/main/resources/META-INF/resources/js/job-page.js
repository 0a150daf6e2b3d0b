// The job page: live progress (tasks per stage, current candidate, ETA), the event log, and the charts
// of the job's spectra, search and compression. Fed by the job's server-sent events; reads the REST API.

import { api, followEvents, storedKey } from './api.js';
import { initLoraCharts, loadLora } from './lora-charts.js';
import { loadMethods } from './methods-chart.js';
import {
  baseName, bytes, count, dateTime, duration, escapeHtml, fixed, isRunning, jobSeconds, policyText, strategyText,
  taskTotals, time,
} from './format.js';
import {
  renderCandidates, renderCompression, renderEsd, renderHeatmap, renderSingularValues, renderStudy, showEmpty,
} from './charts.js';
import { jobMetric } from './metric.js';

const $ = (id) => document.getElementById(id);
const id = new URLSearchParams(location.search).get('id');
const BINS = 60;
const state = {
  job: null, matrices: [], candidates: [], compression: null, selected: null, heatmapMetricChosen: false,
};
const spectra = new Map();

// ---- event log -----------------------------------------------------------------------------------------

function log(when, level, text, kind) {
  const list = $('log');
  const last = list.lastElementChild;
  const line = `<span class="t">${when ? time(when) : '········'}</span>${escapeHtml(text)}`;
  if (kind === 'progress' && last && last.dataset.kind === 'progress') {
    last.innerHTML = line;
  } else {
    const item = document.createElement('li');
    item.className = level;
    item.dataset.kind = kind || '';
    item.innerHTML = line;
    list.appendChild(item);
  }
  list.scrollTop = list.scrollHeight;
}

function candidateText(c) {
  return `candidate #${c.order}: layer ${c.layer} ${c.module} k=${c.rank}${c.rho ? ` ρ=${c.rho}` : ''}`
    + ` ${jobMetric(state.job && state.job.spec).short} ${fixed(c.perplexity, 4)} vs ${fixed(c.comparedWith, 4)}: ${c.accepted ? 'accepted' : 'rejected'}`;
}

function progressText(p) {
  return 'progress: ' + ['analysis', 'reduction', 'evaluation']
    .filter((s) => p[s] && p[s].total > 0).map((s) => `${s} ${p[s].done}/${p[s].total}${p[s].failed ? ` (${p[s].failed} failed)` : ''}`)
    .join(' · ');
}

/** The log of what happened before this page opened, from the job view and the trace. */
function seedLog(job, candidates) {
  const t = job.timings;
  log(t.submitted, 'INFO', `submitted: ${baseName(job.spec.model)}, ${strategyText(job.spec.strategy)}`);
  if (t.started) {
    log(t.started, 'INFO', 'started');
  }
  for (const e of job.errors || []) {
    log(t.finished || t.started, 'WARN', `${e.taskId ? `${e.taskId}: ` : ''}${e.message}`);
  }
  for (const c of candidates) {
    log(null, c.accepted ? 'INFO' : 'INFO', candidateText(c));
  }
  if (!isRunning(job.status)) {
    log(t.finished, job.status === 'SUCCEEDED' ? 'INFO' : 'ERROR', `status ${job.status}`);
  } else {
    log(new Date().toISOString(), 'INFO', `status ${job.status} (watching live)`);
  }
}

// ---- job summary and progress ------------------------------------------------------------------------------

function renderJob() {
  const job = state.job;
  document.title = `Lasermesh · ${job.id}`;
  $('job-title').textContent = job.id;
  const badge = $('job-status');
  badge.className = `badge ${job.status}`;
  badge.textContent = job.status;
  badge.dataset.status = job.status;
  const spec = job.spec;
  const ev = spec.evaluation;
  const meta = [
    ['Model', baseName(spec.model)],
    ['Strategy', strategyText(spec.strategy)],
    ['Rank policy', policyText(spec.policy)],
    ['Matrices', `layers ${spec.matrices.layers}; ${spec.matrices.modules}`],
    ['Evaluation', !ev ? 'none' : ev.task ? `task ${baseName(ev.task)}; knn-accuracy (search: train-loo, report: test)`
      : `${ev.texts.map(baseName).join(', ')}; ${ev.protocol} w=${ev.window}${ev.maxTokens ? `, ${count(ev.maxTokens)} tokens` : ''}`],
    ['Output', spec.output],
    ['Submitted', dateTime(job.timings.submitted)],
    ['Started', time(job.timings.started)],
    ['Finished', time(job.timings.finished)],
    ['Duration', duration(jobSeconds(job))],
    [`Baseline ${jobMetric(spec).name}`, fixed(job.baselinePerplexity, 4)],
    [`Final ${jobMetric(spec).name}`, fixed(job.finalPerplexity, 4)],
  ];
  $('job-meta').innerHTML = meta.map(([k, v]) => `<div><dt>${k}</dt><dd${k === 'Duration' ? ' id="job-duration"' : ''}>${escapeHtml(v)}</dd></div>`).join('');
  const failure = (job.errors || []).find((e) => !e.taskId);
  $('job-reason').textContent = failure ? failure.message : '';
  const done = job.status === 'SUCCEEDED';
  $('job-links').innerHTML = done
    ? `<a href="${api.reportUrl(job.id)}" download="lasermesh-report-${encodeURIComponent(job.id)}.json" id="report-link">Download the report (lasermesh-report.json)</a>
       <a href="${api.outputUrl(job.id)}" id="output-link">Output model folder listing (JSON)</a>
       <span class="muted small">Output folder: <code>${escapeHtml(job.output || '')}</code> in the artifact store</span>`
    : '<span class="muted small">The report and the output model are written when the job succeeds.</span>';
  $('cancel').hidden = !isRunning(job.status);
  renderProgress();
}

function stageRow(name, p) {
  const finished = p.done + p.failed;
  const share = p.total > 0 ? finished / p.total : 0;
  return `<span>${name}</span>
    <div class="bar${p.total > 0 && finished === p.total && p.failed === 0 ? ' done' : ''}" role="progressbar" aria-label="${name} tasks"
      aria-valuemin="0" aria-valuemax="${p.total}" aria-valuenow="${finished}">
      <span style="width:${(share * 100).toFixed(1)}%"></span>
      <span class="failed" style="left:${((p.done / Math.max(1, p.total)) * 100).toFixed(1)}%;width:${((p.failed / Math.max(1, p.total)) * 100).toFixed(1)}%"></span>
    </div>
    <span class="small">${p.done}/${p.total} done${p.failed ? `, ${p.failed} failed` : ''}</span>`;
}

function eta(job) {
  if (!isRunning(job.status)) {
    return '—';
  }
  const { total, finished } = taskTotals(job.progress);
  const elapsed = jobSeconds(job);
  if (!finished || !elapsed || total <= finished) {
    return 'estimating…';
  }
  const searching = job.spec.strategy.strategy !== 'one-shot';
  return `≈ ${duration((elapsed * (total - finished)) / finished)}${searching ? ' (the search adds tasks as it goes)' : ''}`;
}

function renderProgress() {
  const job = state.job;
  const p = job.progress;
  $('stages').innerHTML = stageRow('analysis', p.analysis) + stageRow('reduction', p.reduction) + stageRow('evaluation', p.evaluation);
  const last = state.candidates[state.candidates.length - 1];
  const accepted = state.candidates.filter((c) => c.accepted).length;
  const t = job.timings;
  const facts = [
    ['Current candidate', last ? candidateText(last) : (job.spec.strategy.strategy === 'one-shot' ? 'none: one-shot' : 'none yet')],
    ['Candidates decided', state.candidates.length ? `${state.candidates.length} (${accepted} accepted)` : '—'],
    ['ETA', eta(job)],
    ['Elapsed', duration(jobSeconds(job))],
    ['Worker seconds', `analysis ${fixed(t.analysisSeconds, 1)} · reduction ${fixed(t.reductionSeconds, 1)} · evaluation ${fixed(t.evaluationSeconds, 1)}`],
    ['Tasks', `${taskTotals(p).finished} of ${taskTotals(p).total} finished`],
  ];
  $('facts').innerHTML = facts.map(([k, v]) => `<div><dt>${k}</dt><dd id="fact-${k.toLowerCase().replace(/\s+/g, '-')}">${escapeHtml(v)}</dd></div>`).join('');
}

// ---- charts -------------------------------------------------------------------------------------------------

function keptRankOf(m) {
  if (m.reduction) {
    return m.reduction.rank;
  }
  if (state.job.status === 'SUCCEEDED' && m.spectrum) {
    return m.spectrum.decision.maxRank;
  }
  return null;
}

// A calibrated method's errors (DESIGN §7.4): the activation error on the calibration inputs next to the weight error.
function methodErrors(reduction) {
  const e = reduction.methodErrors;
  return e ? ` · activation error ${fixed(e.activation_error, 4)} · weight error ${fixed(e.relative_weight_error, 4)}` : '';
}

function option(m) {
  const s = m.spectrum;
  const shape = s ? ` (${s.rows}×${s.cols})` : '';
  const mark = m.reduction ? ` · kept k=${m.reduction.rank}` : '';
  return `layer ${m.matrix.layer} · ${m.matrix.module}${shape}${mark}`;
}

function renderMatrixChoice() {
  const analysed = state.matrices.filter((m) => m.spectrum);
  const select = $('matrix');
  if (!state.selected && analysed.length) {
    state.selected = (analysed.find((m) => m.reduction) || analysed[0]).matrix.tensor;
  }
  select.innerHTML = analysed.map((m) => `<option value="${escapeHtml(m.matrix.tensor)}"${m.matrix.tensor === state.selected ? ' selected' : ''}>${escapeHtml(option(m))}</option>`).join('');
  select.disabled = analysed.length === 0;
}

function scale() {
  return document.querySelector('input[name=scale]:checked').value;
}

function logY() {
  return document.querySelector('input[name=yscale]:checked').value === 'log';
}

async function renderSpectrumCharts() {
  const m = state.matrices.find((x) => x.matrix.tensor === state.selected && x.spectrum);
  if (!m) {
    showEmpty($('chart-esd'), 'No matrix analysed yet.');
    showEmpty($('chart-sv'), 'No matrix analysed yet.');
    return;
  }
  const key = `${m.matrix.tensor}|${scale()}`;
  if (!spectra.has(key)) {
    spectra.set(key, await api.spectrum(id, m.matrix.tensor, BINS, scale()));
  }
  renderEsd($('chart-esd'), spectra.get(key), { logY: logY() });
  const kept = keptRankOf(m);
  const decision = m.spectrum.decision;
  const note = m.reduction ? `${m.matrix.tensor}: rank ${m.reduction.rank} of ${decision.maxRank} kept in the output${methodErrors(m.reduction)}`
    : kept !== null ? `${m.matrix.tensor}: kept whole in the output (the search did not take it)`
      : `${m.matrix.tensor}: the policy's rank (the output is not written yet)`;
  renderSingularValues($('chart-sv'), m, {
    logY: logY(), keptRank: kept === null ? decision.k : kept, keptNote: note,
    threshold: decision.threshold === undefined ? null : Number(decision.threshold),
  });
}

function renderHeatmapChart() {
  if (!state.matrices.some((m) => m.spectrum)) {
    showEmpty($('chart-heatmap'), 'No matrix analysed yet.');
    return;
  }
  renderHeatmap($('chart-heatmap'), state.matrices, {
    metric: $('heatmap-metric').value,
    keptRankOf,
    onPick: (tensor) => {
      state.selected = tensor;
      renderMatrixChoice();
      renderSpectrumCharts();
    },
  });
}

function renderCandidatesChart() {
  const strategy = state.job.spec.strategy.strategy;
  if (strategy === 'one-shot') {
    $('candidates-note').textContent = 'A one-shot job searches nothing: every matrix is reduced by the policy.';
    showEmpty($('chart-candidates'), 'No search for a one-shot job.');
    return;
  }
  const metric = jobMetric(state.job.spec);
  const surgical = strategy === 'sfsd-surgical';
  $('candidates-note').textContent = `${strategy}: each point one model state; baseline = the base model's ${metric.name}`
    + ` (${metric.better} is better).`
    + (surgical ? ` Matrices from the last to the first, each grid rank probed on the first ${state.job.spec.strategy.validationFraction}`
      + ` of the windows against the bound base·${state.job.spec.strategy.tolerance}^(N − i); the baseline line is the`
      + ' report split\'s.' : '');
  if (state.candidates.length === 0) {
    showEmpty($('chart-candidates'), 'No candidate evaluated yet.');
    return;
  }
  renderCandidates($('chart-candidates'), state.candidates, state.job.baselinePerplexity ?? null, metric,
    surgical ? 'compared with (bound base·T^(N − i))' : 'compared with (best so far)');
}

function renderCompressionPart() {
  const table = state.compression;
  if (!table || table.modules.length === 0) {
    showEmpty($('chart-compression'), 'No matrices.');
    return;
  }
  renderCompression($('chart-compression'), table, { metric: $('compression-metric').value });
  const row = (r, head) => `<tr${head ? ' class="total"' : ''}><th scope="row">${escapeHtml(r.module)}</th><td class="num">${r.reduced}/${r.matrices}</td>
    <td class="num">${count(r.parametersBefore)}</td><td class="num">${count(r.parametersFactored)}</td>
    <td class="num">${bytes(r.bytesBefore)}</td><td class="num">${bytes(r.bytesWritten)}</td><td class="num">${bytes(r.bytesFactored)}</td></tr>`;
  $('compression-table').innerHTML = `<thead><tr><th scope="col">module</th><th scope="col" class="num">reduced</th>
      <th scope="col" class="num">params before</th><th scope="col" class="num">params factored</th>
      <th scope="col" class="num">bytes before</th><th scope="col" class="num">bytes written</th><th scope="col" class="num">bytes factored</th></tr></thead>
    <tbody>${table.modules.map((r) => row(r, false)).join('')}${row(table.total, true)}</tbody>`;
}

async function renderOutput() {
  if (state.job.status !== 'SUCCEEDED') {
    return;
  }
  if (!state.job.output) {
    $('output-listing').textContent = 'This job writes no model folder: its product is the study table.';
    return;
  }
  const listing = await api.output(id);
  $('output-listing').classList.remove('muted');
  $('output-listing').innerHTML = `<table class="data small" id="output-table"><thead><tr><th scope="col">file in ${escapeHtml(listing.folder)}</th>
    <th scope="col" class="num">size</th></tr></thead><tbody>${listing.files.map((f) => `<tr><td>${escapeHtml(f.name)}</td>
    <td class="num">${bytes(f.bytes)}</td></tr>`).join('')}</tbody></table>`;
}

// ---- loading -----------------------------------------------------------------------------------------------

async function loadMatrices() {
  state.matrices = await api.matrices(id);
  if (!state.heatmapMetricChosen) {
    $('heatmap-metric').value = state.job.status === 'SUCCEEDED' ? 'kept' : 'decided';
  }
  renderMatrixChoice();
  renderHeatmapChart();
  await renderSpectrumCharts();
}

/** Reads the trace, keeping any candidate an event brought while the request was under way. */
async function loadCandidates() {
  const fetched = await api.candidates(id);
  const known = new Set(fetched.map((c) => c.order));
  state.candidates = [...fetched, ...state.candidates.filter((c) => !known.has(c.order))].sort((a, b) => a.order - b.order);
  renderCandidatesChart();
  renderProgress();
}

async function loadCompression() {
  state.compression = await api.compression(id);
  renderCompressionPart();
}

/** The study's chart, for a job whose spec asks for a quantization study, once every variant is scored. */
async function loadStudy() {
  if (!state.job.spec || !state.job.spec.study || state.job.spec.study.kind !== 'quantization') {
    return;
  }
  $('study').hidden = false;
  try {
    renderStudy($('chart-study'), await api.study(id));
  } catch (e) {
    showEmpty($('chart-study'), 'Shown once every variant of the study is scored.');
  }
}

async function loadAll() {
  state.job = await api.job(id);
  renderJob();
  await Promise.all([loadMatrices(), loadCandidates(), loadCompression(), renderOutput(), loadStudy(),
    loadLora(id, state.job), loadMethods(id, state.job)]);
}

let matricesTimer = null;
function reloadMatricesSoon() {
  if (!matricesTimer) {
    matricesTimer = setTimeout(async () => {
      matricesTimer = null;
      await loadMatrices();
    }, 1500);
  }
}

// One job reload at a time; a status change that arrives meanwhile asks for one more.
let reloading = null;
let reloadAgain = false;
async function reloadJob() {
  if (reloading) {
    reloadAgain = true;
    return;
  }
  reloading = (async () => {
    state.job = await api.job(id);
    renderJob();
    if (isRunning(state.job.status)) {
      await Promise.all([loadMatrices(), loadCompression()]);
    } else {
      spectra.clear();
      await Promise.all([loadMatrices(), loadCandidates(), loadCompression(), renderOutput(), loadStudy(),
        loadLora(id, state.job), loadMethods(id, state.job)]);
    }
  })();
  try {
    await reloading;
  } finally {
    reloading = null;
    if (reloadAgain) {
      reloadAgain = false;
      reloadJob();
    }
  }
}

function onEvent(event) {
  const p = event.payload;
  switch (p.type) {
    case 'status-changed':
      log(event.timestamp, p.status === 'FAILED' ? 'ERROR' : 'INFO', `status ${p.status}${p.reason ? `: ${p.reason}` : ''}`);
      reloadJob();
      break;
    case 'progress': {
      const before = state.job.progress.analysis.done + state.job.progress.analysis.failed;
      state.job = { ...state.job, progress: p.progress };
      renderProgress();
      log(event.timestamp, 'INFO', progressText(p.progress), 'progress');
      if (p.progress.analysis.done + p.progress.analysis.failed !== before) {
        reloadMatricesSoon();
      }
      break;
    }
    case 'candidate-evaluated':
      if (!state.candidates.some((c) => c.order === p.candidate.order)) {
        state.candidates = [...state.candidates, p.candidate].sort((a, b) => a.order - b.order);
        log(event.timestamp, 'INFO', candidateText(p.candidate));
        renderCandidatesChart();
        renderProgress();
      }
      break;
    case 'log':
      log(event.timestamp, p.level, p.message);
      break;
    default:
      break;
  }
}

function setLive(open, resumed) {
  $('live').textContent = open ? 'live' : 'reconnecting…';
  $('live').classList.toggle('on', open);
  if (resumed && state.job) {
    log(new Date().toISOString(), 'WARN', 'event stream reconnected: state read again');
    reloadJob();
    loadCandidates();
  }
}

async function cancel() {
  const key = storedKey();
  $('cancel-error').textContent = '';
  if (!key) {
    $('cancel-error').textContent = 'Cancelling needs the API key: enter it in the form on the Jobs page.';
    return;
  }
  try {
    state.job = await api.cancel(id, key);
    renderJob();
  } catch (e) {
    $('cancel-error').textContent = e.message;
  }
}

async function start() {
  if (!id) {
    $('job-title').textContent = 'No job given (job.html?id=…)';
    return;
  }
  followEvents(`/jobs/${encodeURIComponent(id)}/events`, onEvent, setLive);
  initLoraCharts(id);
  await loadAll();
  seedLog(state.job, state.candidates);
  $('matrix').addEventListener('change', () => { state.selected = $('matrix').value; renderSpectrumCharts(); });
  document.querySelectorAll('input[name=scale], input[name=yscale]').forEach((r) => r.addEventListener('change', renderSpectrumCharts));
  $('heatmap-metric').addEventListener('change', () => { state.heatmapMetricChosen = true; renderHeatmapChart(); });
  $('compression-metric').addEventListener('change', renderCompressionPart);
  $('cancel').addEventListener('click', cancel);
  setInterval(() => {
    if (isRunning(state.job.status)) {
      $('job-duration').textContent = duration(jobSeconds(state.job));
      renderProgress();
    }
  }, 1000);
}

start().catch((e) => {
  $('job-title').textContent = `Job ${id}: ${e.message}`;
});
