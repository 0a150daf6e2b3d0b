// The jobs page: every job with its status, strategy, model, progress, start and duration, kept current
// by the gateway's job-event stream, and the submit form.

import { api, followEvents } from './api.js';
import {
  baseName, duration, escapeHtml, fixed, isRunning, jobSeconds, strategyText, taskTotals, time,
} from './format.js';
import { initSubmitForm } from './submit-form.js';
import { jobMetric } from './metric.js';

const jobs = new Map();
const body = document.getElementById('jobs-body');

function progressCell(job) {
  const { total, finished, failed } = taskTotals(job.progress);
  const done = job.status === 'SUCCEEDED';
  const share = done ? 1 : total > 0 ? finished / total : 0;
  const stages = ['analysis', 'reduction', 'evaluation']
    .map((s) => [s, job.progress && job.progress[s]])
    .filter(([, p]) => p && p.total > 0)
    .map(([s, p]) => `${s} ${p.done}/${p.total}`)
    .join(' · ');
  return `<div class="bar${done ? ' done' : ''}" role="progressbar" aria-label="tasks of ${escapeHtml(job.id)}"
      aria-valuemin="0" aria-valuemax="100" aria-valuenow="${Math.round(share * 100)}">
      <span style="width:${(share * 100).toFixed(1)}%"></span></div>
    <div class="bar-label">${stages || 'no tasks yet'}${failed > 0 ? ` · ${failed} failed` : ''}</div>`;
}

function metricCell(job) {
  if (job.baselinePerplexity === undefined || job.baselinePerplexity === null) {
    return '<span class="muted">—</span>';
  }
  const metric = jobMetric(job.spec);
  const digits = metric.name === 'perplexity' ? 2 : 4;
  const final = job.finalPerplexity !== undefined && job.finalPerplexity !== null ? ` → ${fixed(job.finalPerplexity, digits)}` : '';
  return `<span title="${metric.name}">${metric.short} ${fixed(job.baselinePerplexity, digits)}${final}</span>`;
}

function rowHtml(job) {
  return `<td class="id"><a href="job.html?id=${encodeURIComponent(job.id)}">${escapeHtml(job.id)}</a></td>
    <td><span class="badge ${job.status}" data-status="${job.status}">${job.status}</span></td>
    <td title="${escapeHtml(strategyText(job.spec.strategy))}">${escapeHtml(job.spec.strategy.strategy)}</td>
    <td title="${escapeHtml(job.spec.model)}">${escapeHtml(baseName(job.spec.model))}</td>
    <td class="progress">${progressCell(job)}</td>
    <td class="nowrap">${time(job.timings.started || job.timings.submitted)}</td>
    <td class="duration nowrap">${duration(jobSeconds(job))}</td>
    <td class="nowrap">${metricCell(job)}</td>`;
}

/** Puts a job's row in place: replaces its row, or adds a new one in submission order (newest first). */
function show(job, fresh) {
  jobs.set(job.id, job);
  let row = document.getElementById(`job-${job.id}`);
  if (!row) {
    row = document.createElement('tr');
    row.id = `job-${job.id}`;
    const submitted = new Date(job.timings.submitted);
    const newer = [...body.children].find((r) => new Date(jobs.get(r.dataset.id).timings.submitted) < submitted);
    body.insertBefore(row, newer || null);
    row.dataset.id = job.id;
    if (fresh) {
      row.classList.add('fresh');
    }
  }
  row.innerHTML = rowHtml(job);
  document.getElementById('jobs-title').textContent = `Jobs (${jobs.size})`;
}

// One request per job at a time; an event that arrives meanwhile asks for one more read after it.
const refreshing = new Map();
async function refresh(id) {
  if (refreshing.has(id)) {
    refreshing.set(id, true);
    return;
  }
  refreshing.set(id, false);
  try {
    show(await api.job(id), !jobs.has(id));
  } finally {
    const again = refreshing.get(id);
    refreshing.delete(id);
    if (again) {
      refresh(id);
    }
  }
}

function onEvent(event) {
  const job = jobs.get(event.jobId);
  const payload = event.payload;
  if (!job || payload.type === 'status-changed') {
    refresh(event.jobId);
  } else if (payload.type === 'progress') {
    show({ ...job, progress: payload.progress }, false);
  }
}

async function reloadAll() {
  for (const job of (await api.jobs()).reverse()) {
    show(job, false);
  }
}

function setLive(open, resumed) {
  const live = document.getElementById('live');
  live.textContent = open ? 'live' : 'reconnecting…';
  live.classList.toggle('on', open);
  if (resumed) {
    reloadAll();
  }
}

async function start() {
  followEvents('/jobs/events', onEvent, setLive);
  try {
    await reloadAll();
  } catch (e) {
    document.getElementById('jobs-note').textContent = `The jobs could not be listed: ${e.message}`;
  }
  setInterval(() => {
    for (const job of jobs.values()) {
      if (isRunning(job.status)) {
        const cell = document.querySelector(`#job-${CSS.escape(job.id)} .duration`);
        if (cell) {
          cell.textContent = duration(jobSeconds(job));
        }
      }
    }
  }, 1000);
  await initSubmitForm((job) => show(job, true));
}

start();
