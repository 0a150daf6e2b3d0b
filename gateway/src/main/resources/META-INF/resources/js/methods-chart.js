// The methods study of the job page (issue 14, DESIGN §7.4), drawn with Apache ECharts like charts.js: from
// /methods (the table the gateway built with core's MethodStudy from the evaluators' perplexities) perplexity
// against parameter budget, one line per method (svd = LASER, whitened = SVD-LLM, feature = SFSD), the base
// model's perplexity as a dashed reference line, and the table with the mean activation and weight errors.

import { api } from './api.js';
import { BASE, prepare, showEmpty } from './charts.js';
import { escapeHtml, fixed, num } from './format.js';

const METHOD_COLORS = { svd: '#1f5fbf', whitened: '#c2255c', feature: '#2b8a3e' };
const $ = (id) => document.getElementById(id);

/** Perplexity against budget r, one line per method in table order, the base as a horizontal line. */
export function renderMethods(el, chart) {
  const base = num(chart.basePerplexity);
  const tip = (p) => `${p.seriesName} at r = ${p.data[0]}<br>ppl ${fixed(p.data[1], 6)}`;
  prepare(el).setOption({
    ...BASE,
    title: { text: 'Perplexity against parameter budget', left: 8, top: 4, textStyle: { fontSize: 13 },
      subtext: `calibration ${chart.calibration.split('/').pop()}; r = parameters kept by the factored form`,
      subtextStyle: { fontSize: 11 } },
    tooltip: { trigger: 'item', formatter: tip },
    legend: { top: 4, right: 12, textStyle: { fontSize: 11 } },
    grid: { left: 66, right: 24, top: 60, bottom: 44 },
    xAxis: { type: 'value', name: 'parameter budget r', nameLocation: 'middle', nameGap: 26, inverse: true,
      min: 0, max: 1 },
    // The axis reaches down to the base perplexity, so that its reference line is always in view.
    yAxis: { type: 'value', name: 'perplexity', nameLocation: 'middle', nameGap: 50, scale: true,
      min: (v) => { const low = Math.min(v.min, base); return low - 0.05 * (Math.max(v.max, base) - low); },
      axisLabel: { formatter: (v) => v.toFixed(1), hideOverlap: true } },
    series: chart.methods.map((m, i) => {
      const color = METHOD_COLORS[m.method] || '#495057';
      return {
        name: m.method, type: 'line', data: m.points.map((p) => [p.budget, num(p.perplexity)]), symbolSize: 8,
        lineStyle: { width: 2, color }, itemStyle: { color },
        ...(i === 0 ? { markLine: { symbol: 'none', silent: true, data: [{ yAxis: base,
          lineStyle: { color: '#495057', type: 'dashed' },
          label: { formatter: `base ${fixed(chart.basePerplexity, 4)}`, position: 'insideEndTop', color: '#495057' } }] } } : {}),
      };
    }),
  }, true);
}

function methodsTable(chart) {
  const head = `<thead><tr><th scope="col">method</th><th scope="col" class="num">budget r</th>
    <th scope="col" class="num">perplexity</th><th scope="col" class="num">vs base</th>
    <th scope="col" class="num">mean act. error</th><th scope="col" class="num">mean rel. weight error</th>
    <th scope="col">rank from</th></tr></thead>`;
  const rows = chart.methods.flatMap((m) => m.points.map((p) => `<tr><th scope="row">${escapeHtml(m.method)}</th>
    <td class="num">${fixed(p.budget, 2)}</td><td class="num">${fixed(p.perplexity, 6)}</td>
    <td class="num">${fixed(100 * (p.perplexity / chart.basePerplexity - 1), 2)}%</td>
    <td class="num">${fixed(p.meanActivationError, 4)}</td><td class="num">${fixed(p.meanRelativeWeightError, 4)}</td>
    <td>${escapeHtml(m.spectrum)}</td></tr>`)).join('');
  return `${head}<tbody><tr><th scope="row">base</th><td class="num">1.00</td><td class="num">${fixed(chart.basePerplexity, 6)}</td>
    <td class="num"></td><td class="num"></td><td class="num"></td><td></td></tr>${rows}</tbody>`;
}

/** The methods section of a job whose spec runs the methods study, once every cell is scored. */
export async function loadMethods(jobId, job) {
  if (!job.spec || !job.spec.study || job.spec.study.kind !== 'methods') {
    return;
  }
  $('methods').hidden = false;
  try {
    const chart = await api.methods(jobId);
    renderMethods($('chart-methods'), chart);
    $('methods-table').innerHTML = methodsTable(chart);
  } catch (e) {
    showEmpty($('chart-methods'), 'Shown once every method and budget of the study is scored.');
  }
}
