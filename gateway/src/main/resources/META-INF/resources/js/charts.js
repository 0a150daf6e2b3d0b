// The job page's five charts, drawn with Apache ECharts (served from the gateway's webjar, global `echarts`).
// Every number comes from the API: the ESD, MP density and policy thresholds from /spectrum (computed by
// core), singular values and decisions from /matrices, the search from /candidates, sizes from /compression,
// the quantization study's frontier from /study (the table core built from the evaluators' perplexities).

import { bytes, count, fixed, num } from './format.js';

const POLICY_COLORS = {
  laserrmt: '#c2255c', 'mp-edge': '#2b8a3e', 'gavish-donoho': '#5f3dc4', fraction: '#e67700',
  energy: '#0b7285', fixed: '#495057', params: '#a61e4d',
};
const MODULE_ORDER = ['q', 'k', 'v', 'o', 'gate', 'up', 'down', 'embed', 'lm_head', 'other'];
export const BASE = {
  animation: false,
  aria: { enabled: true },
  textStyle: { fontFamily: 'system-ui, "DejaVu Sans", sans-serif' },
};

function instance(el) {
  return echarts.getInstanceByDom(el) || echarts.init(el);
}

window.addEventListener('resize', () => {
  document.querySelectorAll('.chart').forEach((el) => {
    const chart = echarts.getInstanceByDom(el);
    if (chart) {
      chart.resize();
    }
  });
});

/** Shows a message in place of a chart (no data yet, or none for this job). */
export function showEmpty(el, message) {
  const chart = echarts.getInstanceByDom(el);
  if (chart) {
    chart.dispose();
  }
  el.innerHTML = `<div class="empty-chart">${message}</div>`;
}

export function prepare(el) {
  if (!echarts.getInstanceByDom(el)) {
    el.innerHTML = '';
  }
  return instance(el);
}

function policyLabel(p) {
  const s = p.spec;
  const parameter = ['fraction', 'energy', 'rank', 'paramsRatio'].find((x) => s[x] !== undefined && s[x] !== null);
  const name = parameter ? `${s.policy} ${s[parameter]}` : s.policy;
  return `${name}: k=${p.k}${p.ofJob ? ' (job)' : ''}`;
}

/** An axis label: three significant digits, no float noise. */
export function tick(v) {
  if (v === 0) {
    return '0';
  }
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

const AXIS_LABEL = { formatter: tick, hideOverlap: true };

/**
 * 1. The empirical spectral density: the histogram as a density (bars), the fitted Marchenko–Pastur
 * density (curve, its support shaded) and each policy's threshold as a vertical line.
 */
export function renderEsd(el, spectrum, { logY }) {
  const squared = spectrum.scale === 'SQUARED';
  const variable = squared ? 'σ²' : 'σ';
  const edges = spectrum.edges;
  const bins = spectrum.density.map((d, i) => [edges[i], edges[i + 1], d, spectrum.counts[i],
    spectrum.mpExpectedCounts.length ? spectrum.mpExpectedCounts[i] : null]);
  const positive = [...spectrum.density, ...spectrum.mpCurve.map((p) => p[1])].filter((v) => v > 0);
  const yMax = Math.max(...positive) * 1.08;
  const yMin = logY ? Math.min(...positive) / 2 : 0;
  const xMax = Math.max(edges[edges.length - 1], ...spectrum.policies.map((p) => p.line));
  const mpName = `Marchenko–Pastur, σ̂=${fixed(spectrum.mpSigma, 4)}`;
  const series = [{
    name: 'ESD (histogram)',
    type: 'custom',
    data: bins,
    encode: { x: [0, 1], y: 2 },
    itemStyle: { color: '#8fb3e0', borderColor: '#5a87c2' },
    renderItem: (params, api) => {
      const y = api.value(2);
      if (!(y > 0)) {
        return null;
      }
      const top = api.coord([api.value(0), y]);
      const right = api.coord([api.value(1), y]);
      const bottom = params.coordSys.y + params.coordSys.height;
      return {
        type: 'rect',
        shape: { x: top[0], y: top[1], width: Math.max(1, right[0] - top[0] - 0.6), height: bottom - top[1] },
        style: api.style(),
      };
    },
    tooltip: {
      formatter: (p) => `${variable} ∈ [${fixed(p.value[0], 4)}, ${fixed(p.value[1], 4)})<br>`
        + `${count(p.value[3])} values, density ${fixed(p.value[2], 4)}`
        + (p.value[4] !== null ? `<br>MP expects ${fixed(p.value[4], 1)}` : ''),
    },
  }];
  if (spectrum.mpCurve.length) {
    series.push({
      name: mpName,
      type: 'line',
      data: spectrum.mpCurve.filter((p) => !logY || p[1] > 0),
      showSymbol: false,
      smooth: false,
      lineStyle: { width: 2.5, color: '#e8590c' },
      itemStyle: { color: '#e8590c' },
      markArea: spectrum.bulk ? {
        silent: true,
        itemStyle: { color: 'rgba(232, 89, 12, 0.06)' },
        data: [[{ xAxis: spectrum.bulk.lower }, { xAxis: spectrum.bulk.upper }]],
      } : undefined,
      tooltip: { formatter: (p) => `MP density at ${variable}=${fixed(p.value[0], 4)}: ${fixed(p.value[1], 4)}` },
    });
  }
  for (const p of spectrum.policies) {
    const color = POLICY_COLORS[p.spec.policy] || '#333';
    series.push({
      name: policyLabel(p),
      type: 'line',
      data: [[p.line, yMin || 0], [p.line, yMax]],
      showSymbol: false,
      lineStyle: { color, width: p.ofJob ? 3 : 1.6, type: p.ofJob ? 'solid' : (p.cut ? 'dotted' : 'dashed') },
      itemStyle: { color },
      z: p.ofJob ? 5 : 3,
      tooltip: {
        formatter: () => `${policyLabel(p)}<br>${p.cut ? 'cut between kept and dropped' : 'threshold'} `
          + `${variable} = ${fixed(p.line, 4)}`,
      },
    });
  }
  prepare(el).setOption({
    ...BASE,
    title: { text: `ESD of ${variable} with the MP fit and each policy's threshold`, left: 8, top: 4, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'item', confine: true },
    legend: { bottom: 0, left: 8, right: 8, itemWidth: 18, itemGap: 8, textStyle: { fontSize: 11 } },
    grid: { left: 62, right: 18, top: 34, bottom: 112 },
    xAxis: { type: 'value', name: variable, nameLocation: 'middle', nameGap: 24, min: edges[0], max: xMax * 1.02,
      axisLabel: { ...AXIS_LABEL, showMinLabel: false, showMaxLabel: false } },
    yAxis: { type: logY ? 'log' : 'value', name: 'density', nameLocation: 'middle', nameGap: 44, min: logY ? yMin : 0, max: yMax,
      axisLabel: { ...AXIS_LABEL, showMaxLabel: false, showMinLabel: !logY } },
    series,
  }, true);
}

/**
 * 2. The singular values in descending order, the kept rank marked (and the policy's rank when a search
 * kept the matrix whole), the job policy's threshold drawn across.
 */
export function renderSingularValues(el, matrix, { logY, keptRank, keptNote, threshold }) {
  const s = matrix.spectrum.singularValues.map(num);
  const decided = matrix.spectrum.decision.k;
  const lines = [{ xAxis: keptRank + 0.5, name: `kept k=${keptRank}`, lineStyle: { color: '#2b8a3e', width: 2.5, type: 'solid' },
    label: { formatter: `kept k=${keptRank}`, color: '#2b8a3e', fontWeight: 'bold' } }];
  if (decided !== keptRank) {
    lines.push({ xAxis: decided + 0.5, lineStyle: { color: '#c2255c', type: 'dashed', width: 1.5 },
      label: { formatter: `policy k=${decided}`, color: '#c2255c', position: 'insideEndBottom' } });
  }
  if (threshold !== null && threshold !== undefined && threshold > 0) {
    lines.push({ yAxis: threshold, lineStyle: { color: '#868e96', type: 'dashed' },
      label: { formatter: `threshold ${fixed(threshold, 3)}`, position: 'insideEndTop', color: '#495057' } });
  }
  prepare(el).setOption({
    ...BASE,
    title: { text: 'Singular values, descending', subtext: keptNote, left: 8, top: 4, textStyle: { fontSize: 13 },
      subtextStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => fixed(v, 5) },
    grid: { left: 62, right: 24, top: 56, bottom: 44 },
    xAxis: { type: 'value', name: 'index i', nameLocation: 'middle', nameGap: 26, min: 1, max: s.length, minInterval: 1 },
    yAxis: { type: logY ? 'log' : 'value', name: 'σᵢ', nameLocation: 'middle', nameGap: 44, scale: logY, axisLabel: AXIS_LABEL },
    series: [{
      name: 'σᵢ',
      type: 'line',
      data: s.map((v, i) => [i + 1, logY && !(v > 0) ? null : v]),
      showSymbol: s.length <= 64,
      symbolSize: 4,
      lineStyle: { width: 2, color: '#1f5fbf' },
      itemStyle: { color: '#1f5fbf' },
      markArea: { silent: true, itemStyle: { color: 'rgba(43, 138, 62, 0.08)' }, data: [[{ xAxis: 0.5 }, { xAxis: keptRank + 0.5 }]] },
      markLine: { symbol: 'none', silent: true, label: { position: 'insideEndTop' }, data: lines },
    }],
  }, true);
}

/** The value a heatmap cell shows for a matrix, or null when there is none (yet). */
export function heatmapValue(matrix, metric, kept) {
  const s = matrix.spectrum;
  if (!s) {
    return null;
  }
  if (metric === 'snr') {
    const v = num(s.snr);
    return Number.isFinite(v) ? v : null;
  }
  if (metric === 'decided') {
    return s.decision.k / s.decision.maxRank;
  }
  return kept === null ? null : kept / s.decision.maxRank;
}

/**
 * 3. Layers × modules: kept fraction of rank (in the output, or as the policy decided) or laserRMT's SNR.
 * onPick(tensor) is called when a cell is clicked.
 */
export function renderHeatmap(el, matrices, { metric, keptRankOf, onPick }) {
  const modules = MODULE_ORDER.filter((m) => matrices.some((x) => x.matrix.module === m));
  const layers = [...new Set(matrices.map((x) => x.matrix.layer))].sort((a, b) => a - b);
  const data = matrices.map((x) => {
    const v = heatmapValue(x, metric, keptRankOf(x));
    return { value: [modules.indexOf(x.matrix.module), layers.indexOf(x.matrix.layer), v === null ? '-' : v], tensor: x.matrix.tensor };
  });
  const values = data.map((d) => d.value[2]).filter((v) => v !== '-');
  const fraction = metric !== 'snr';
  const max = fraction ? 1 : Math.max(1, ...values);
  const titles = { kept: 'Kept fraction of rank in the output (k/m)', decided: 'Fraction of rank the policy keeps (k/m)', snr: 'laserRMT SNR per matrix' };
  const chart = prepare(el);
  chart.setOption({
    ...BASE,
    title: { text: titles[metric], left: 8, top: 4, textStyle: { fontSize: 13 } },
    tooltip: {
      formatter: (p) => `layer ${layers[p.value[1]]} ${modules[p.value[0]]}<br>${p.data.tensor}<br>`
        + `${fraction ? 'k/m' : 'SNR'} = ${p.value[2] === '-' ? '—' : fixed(p.value[2], 3)}`,
    },
    grid: { left: 64, right: 86, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: modules, name: 'module', nameLocation: 'middle', nameGap: 26, splitArea: { show: true } },
    yAxis: { type: 'category', data: layers.map(String), name: 'layer', nameLocation: 'middle', nameGap: 36, splitArea: { show: true } },
    visualMap: {
      min: 0, max, calculable: true, orient: 'vertical', right: 6, top: 'center', itemHeight: 180,
      precision: 2, inRange: { color: fraction ? ['#f03e3e', '#ffd43b', '#e9f5e1', '#2b8a3e'] : ['#e7f5ff', '#4dabf7', '#1864ab'] },
    },
    series: [{
      name: titles[metric],
      type: 'heatmap',
      data,
      label: { show: data.length <= 140, formatter: (p) => (p.value[2] === '-' ? '' : fixed(p.value[2], 2)), fontSize: 10 },
      emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } },
    }],
  }, true);
  chart.off('click');
  chart.on('click', (p) => onPick(p.data.tensor));
}

/**
 * 4. The metric (perplexity, or an encoder's knn-accuracy) of each candidate in evaluation order,
 * accepted or rejected, and the base model's; {@code comparedLabel} names what each was compared with.
 */
export function renderCandidates(el, candidates, baseline, metric, comparedLabel) {
  const point = (c) => ({
    value: [c.order, num(c.perplexity)],
    candidate: c,
  });
  const accepted = candidates.filter((c) => c.accepted).map(point);
  const rejected = candidates.filter((c) => !c.accepted).map(point);
  const best = candidates.map((c) => [c.order, num(c.comparedWith)]);
  const all = candidates.map((c) => num(c.perplexity)).concat(baseline !== null && baseline !== undefined ? [baseline] : []);
  const tip = (p) => {
    const c = p.data.candidate;
    return `#${c.order} layer ${c.layer} ${c.module}, k=${c.rank}${c.rho !== undefined && c.rho !== null ? `, ρ=${c.rho}` : ''}<br>`
      + `${metric.short} ${fixed(c.perplexity, 4)} vs ${fixed(c.comparedWith, 4)} (${c.split})<br>${c.accepted ? 'accepted' : 'rejected'}`;
  };
  const pad = metric.name === 'perplexity' ? 0.02 : 0.002;
  prepare(el).setOption({
    ...BASE,
    title: { text: `${metric.name[0].toUpperCase()}${metric.name.slice(1)} per candidate`, left: 8, top: 4, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'item' },
    legend: { top: 4, right: 8, itemWidth: 14, textStyle: { fontSize: 11 } },
    grid: { left: 66, right: 24, top: 40, bottom: 44 },
    xAxis: { type: 'value', name: 'evaluation order', nameLocation: 'middle', nameGap: 26, minInterval: 1,
      min: 0, max: Math.max(1, candidates.length) + 1 },
    yAxis: { type: 'value', name: metric.name, nameLocation: 'middle', nameGap: 50, scale: true,
      min: (v) => Math.min(v.min, ...all) - pad, max: (v) => Math.max(v.max, ...all) + pad,
      axisLabel: { formatter: (v) => v.toFixed(pad < 0.01 ? 3 : 2), hideOverlap: true, showMinLabel: false, showMaxLabel: false } },
    series: [
      { name: 'accepted', type: 'scatter', data: accepted, symbolSize: 11, itemStyle: { color: '#2b8a3e' }, tooltip: { formatter: tip } },
      { name: 'rejected', type: 'scatter', data: rejected, symbol: 'diamond', symbolSize: 11, itemStyle: { color: '#e03131' }, tooltip: { formatter: tip } },
      {
        name: comparedLabel, type: 'line', step: 'end', data: best, showSymbol: false,
        lineStyle: { color: '#868e96', type: 'dashed', width: 1.5 }, itemStyle: { color: '#868e96' }, tooltip: { show: false },
        markLine: baseline === null || baseline === undefined ? undefined : {
          symbol: 'none', silent: true, lineStyle: { color: '#1f5fbf', width: 2 },
          label: { formatter: `baseline ${fixed(baseline, 3)}`, position: 'insideEndTop', color: '#1f5fbf' },
          data: [{ yAxis: baseline }],
        },
      },
    ],
  }, true);
}

/** 6. The quantization study's frontier: one labelled point per variant, linear bytes against perplexity. */
export function renderStudy(el, chart) {
  const data = chart.points.map((p) => ({ value: [p.linearBytes, p.perplexity], point: p }));
  const tip = (p) => {
    const v = p.data.point;
    return `${v.variant}<br>${bytes(v.linearBytes)} linear (${fixed(v.compression, 3)}×), model ${bytes(v.modelBytes)}<br>ppl ${fixed(v.perplexity, 6)}`;
  };
  prepare(el).setOption({
    ...BASE,
    title: { text: 'Quantization study: bytes vs perplexity', left: 8, top: 4, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'item', formatter: tip },
    grid: { left: 66, right: 24, top: 40, bottom: 44 },
    xAxis: { type: 'value', name: 'bytes of the linear matrices', nameLocation: 'middle', nameGap: 26, scale: true,
      axisLabel: { formatter: (v) => bytes(v), hideOverlap: true } },
    yAxis: { type: 'value', name: 'perplexity', nameLocation: 'middle', nameGap: 50, scale: true,
      axisLabel: { formatter: (v) => v.toFixed(2), hideOverlap: true } },
    series: [{
      name: 'variants', type: 'scatter', data, symbolSize: 10, itemStyle: { color: '#1f5fbf' },
      label: { show: true, position: 'right', fontSize: 10, formatter: (p) => p.data.point.variant },
      labelLayout: { hideOverlap: false, moveOverlap: 'shiftY' },
    }],
  }, true);
}

/** 5. Parameters or bytes per module type: before, after as a dense reconstruction, after as factors. */
export function renderCompression(el, table, { metric }) {
  const rows = table.modules;
  const pick = metric === 'bytes'
    ? [['before', 'bytesBefore'], ['after, dense form', 'bytesDense'], ['after, factored form', 'bytesFactored']]
    : [['before', 'parametersBefore'], ['after, dense form', 'parametersDense'], ['after, factored form', 'parametersFactored']];
  const colors = ['#adb5bd', '#4dabf7', '#2b8a3e'];
  const format = metric === 'bytes' ? bytes : count;
  prepare(el).setOption({
    ...BASE,
    title: { text: `${metric === 'bytes' ? 'Bytes' : 'Parameters'} per module type, before and after`, left: 8, top: 4, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: format },
    legend: { top: 26, left: 8, itemWidth: 14, textStyle: { fontSize: 11 } },
    grid: { left: 80, right: 20, top: 58, bottom: 40 },
    xAxis: { type: 'category', data: rows.map((r) => r.module), name: 'module', nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', axisLabel: { formatter: format } },
    series: pick.map(([name, key], i) => ({
      name, type: 'bar', data: rows.map((r) => r[key]), itemStyle: { color: colors[i] }, barMaxWidth: 28,
    })),
  }, true);
}
