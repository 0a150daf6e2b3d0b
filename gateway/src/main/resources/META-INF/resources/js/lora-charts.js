// The LoRA part of the job page (issue 10, DESIGN §7.3), drawn with Apache ECharts like charts.js:
// for a LoRA study job, from /lora (core's lora analyze: spectra of W and W' with both policy thresholds,
// k before and after, ΔW's singular values, |ΔW|/|W|, the subspace overlap) the order study's table and
// the W/W' spectra of the chosen matrix overlaid; for any job, on request (it runs SVDs of every module),
// Spectrum's scan from /scan as a bar chart of SNR/σmax per module of the chosen weight type.

import { api } from './api.js';
import { BASE, prepare, showEmpty, tick } from './charts.js';
import { escapeHtml, fixed, num } from './format.js';

const W_COLOR = '#1f5fbf';
const MERGED_COLOR = '#c2255c';
const $ = (id) => document.getElementById(id);
const lora = { chart: null };
const scan = { chart: null };

/** The W and W' spectra of one adapted matrix, descending, with each side's threshold and kept rank k. */
export function renderLoraSpectra(el, matrix) {
  const a = matrix.analysis;
  const series = (name, values, color, side) => ({
    name, type: 'line', data: values.map((v, i) => [i + 1, num(v)]), showSymbol: false,
    lineStyle: { width: 2, color }, itemStyle: { color },
    markLine: {
      symbol: 'none', silent: true, data: [
        ...(side.threshold === null || side.threshold === undefined ? [] : [{ yAxis: num(side.threshold),
          lineStyle: { color, type: 'dashed' }, label: { formatter: `${name} threshold ${fixed(side.threshold, 4)}`,
            position: 'insideEndTop', color } }]),
        { xAxis: side.k + 0.5, lineStyle: { color, type: 'dotted', width: 1.5 },
          label: { formatter: `${name} k=${side.k}`, color, position: name === 'W' ? 'insideEndTop' : 'insideEndBottom' } },
      ],
    },
  });
  prepare(el).setOption({
    ...BASE,
    title: { text: `${a.label}: singular values of W and W' = W + ΔW`, left: 8, top: 4, textStyle: { fontSize: 13 },
      subtext: `k ${a.base.k} → ${a.merged.k}, ‖ΔW‖/‖W‖ ${fixed(a.deltaFroOverWFro, 3)}`, subtextStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => fixed(v, 5) },
    legend: { top: 4, right: 12, textStyle: { fontSize: 11 } },
    grid: { left: 62, right: 24, top: 60, bottom: 44 },
    xAxis: { type: 'value', name: 'index i', nameLocation: 'middle', nameGap: 26, min: 1, max: matrix.base.length, minInterval: 1 },
    yAxis: { type: 'value', name: 'σᵢ', nameLocation: 'middle', nameGap: 44, axisLabel: { formatter: tick, hideOverlap: true } },
    series: [series('W', matrix.base, W_COLOR, a.base), series("W'", matrix.merged, MERGED_COLOR, a.merged)],
  }, true);
}

/** Spectrum's scores of one weight type: one bar per module, in scan order. */
export function renderScan(el, type) {
  prepare(el).setOption({
    ...BASE,
    title: { text: `Spectrum: SNR/σmax of ${type.type}`, left: 8, top: 4, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fixed(v, 6) },
    grid: { left: 62, right: 20, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: type.modules.map((m) => m.module), axisLabel: { rotate: 30, fontSize: 10, hideOverlap: true } },
    yAxis: { type: 'value', name: 'SNR/σmax', nameLocation: 'middle', nameGap: 44, axisLabel: { formatter: tick } },
    series: [{ name: type.type, type: 'bar', data: type.modules.map((m) => num(m.score)), barMaxWidth: 28,
      itemStyle: { color: '#2b8a3e' } }],
  }, true);
}

function studyTable(study) {
  const texts = study.texts;
  const head = `<thead><tr><th scope="col">variant</th>${texts.map((t) => `<th scope="col" class="num">${escapeHtml(t)}</th>`).join('')}
    <th scope="col">what</th></tr></thead>`;
  const rows = study.variants.map((v) => `<tr><th scope="row">${escapeHtml(v.name)}</th>${texts.map((t) =>
    `<td class="num">${fixed(v.perplexity[t], 6)}</td>`).join('')}<td>${escapeHtml(v.description)}</td></tr>`).join('');
  return head + `<tbody>${rows}</tbody>`;
}

function matrixTable(matrices) {
  const head = `<thead><tr><th scope="col">matrix</th><th scope="col" class="num">k W→W'</th>
    <th scope="col" class="num">threshold W→W'</th><th scope="col" class="num">SNR/σmax W→W'</th>
    <th scope="col" class="num">σ₁, σ₂ of ΔW</th><th scope="col" class="num">‖ΔW‖/‖W‖</th>
    <th scope="col" class="num">ΔW in W's top-k: left/right/both</th></tr></thead>`;
  const rows = matrices.map(({ analysis: a }) => `<tr><th scope="row">${escapeHtml(a.label)}</th>
    <td class="num">${a.base.k}→${a.merged.k}</td><td class="num">${fixed(a.base.threshold, 4)}→${fixed(a.merged.threshold, 4)}</td>
    <td class="num">${fixed(a.base.snrOverSigmaMax, 4)}→${fixed(a.merged.snrOverSigmaMax, 4)}</td>
    <td class="num">${fixed(a.deltaSingularValues[0], 4)}, ${fixed(a.deltaSingularValues[1], 4)}</td>
    <td class="num">${fixed(a.deltaFroOverWFro, 3)}</td>
    <td class="num">${fixed(a.overlap.energyLeft, 3)}/${fixed(a.overlap.energyRight, 3)}/${fixed(a.overlap.energyBoth, 3)}</td></tr>`).join('');
  return head + `<tbody>${rows}</tbody>`;
}

function drawLoraMatrix() {
  const matrix = lora.chart.matrices.find((m) => m.analysis.name === $('lora-matrix').value);
  if (matrix) {
    renderLoraSpectra($('chart-lora'), matrix);
  }
}

/** The LoRA section of a job whose spec runs the LoRA study (its table once every variant is scored). */
export async function loadLora(jobId, job) {
  if (!job.spec || !job.spec.study || job.spec.study.kind !== 'lora') {
    return;
  }
  $('lora').hidden = false;
  const chosen = $('lora-matrix').value;
  try {
    lora.chart = await api.lora(jobId);
  } catch (e) {
    $('lora-adapter').textContent = e.message;
    return;
  }
  const matrices = lora.chart.matrices;
  $('lora-adapter').textContent = `adapter ${lora.chart.adapter}, base quantization ${lora.chart.baseQuant}`;
  $('lora-study').innerHTML = lora.chart.study ? studyTable(lora.chart.study)
    : '<tbody><tr><td class="muted">Shown once every variant of the study is scored.</td></tr></tbody>';
  $('lora-matrix').innerHTML = matrices.map((m) => `<option value="${escapeHtml(m.analysis.name)}">${escapeHtml(m.analysis.label)}</option>`).join('');
  if (matrices.some((m) => m.analysis.name === chosen)) {
    $('lora-matrix').value = chosen;
  }
  $('lora-matrices').innerHTML = matrixTable(matrices);
  if (matrices.length === 0) {
    showEmpty($('chart-lora'), 'The adapter changes none of the selected matrices.');
  } else {
    drawLoraMatrix();
  }
}

function drawScanType() {
  const type = scan.chart.types.find((t) => t.type === $('scan-type').value);
  if (type) {
    renderScan($('chart-scan'), type);
  }
}

async function runScan(jobId) {
  $('scan-run').disabled = true;
  $('scan-note').textContent = 'Scanning every module of the model…';
  try {
    scan.chart = await api.scan(jobId);
    $('scan-type').innerHTML = scan.chart.types.map((t) => `<option value="${escapeHtml(t.type)}">${escapeHtml(t.type)}</option>`).join('');
    $('scan-type').value = scan.chart.types.find((t) => t.modules.length > 1 && t.type.includes('proj'))?.type
      || scan.chart.types[0].type;
    $('scan-type').disabled = false;
    $('scan-note').textContent = `${scan.chart.types.length} weight types of ${scan.chart.model}`;
    drawScanType();
  } catch (e) {
    $('scan-note').textContent = e.message;
    $('scan-run').disabled = false;
  }
}

/** Wires the LoRA section's matrix choice and the Spectrum scan's button and type choice. */
export function initLoraCharts(jobId) {
  $('lora-matrix').addEventListener('change', drawLoraMatrix);
  $('scan-type').addEventListener('change', drawScanType);
  $('scan-run').addEventListener('click', () => runScan(jobId));
}
