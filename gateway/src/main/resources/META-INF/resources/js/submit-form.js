// The submit form: builds a job spec (docs/contracts.md, "Job spec") from the fields, checks it as the
// server's JobSpecValidator would where the browser can, and shows every message next to its field,
// the server's too (its error body names the field).

import { api, ApiError, storedKey, storeKey } from './api.js';
import { escapeHtml } from './format.js';

const MODULES = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];
/** The strategies that choose on the first validationFraction of the windows and report on the rest. */
const SPLIT_STRATEGIES = ['laser-grid', 'sfsd-surgical'];
const POLICY_PARAMETERS = {
  fraction: { name: 'fraction', label: 'Fraction ρ of the rank kept, in (0, 1]', value: '0.1' },
  energy: { name: 'energy', label: 'Energy kept e, in (0, 1]', value: '0.9' },
  fixed: { name: 'rank', label: 'Rank k kept, ≥ 1', value: '32' },
  params: { name: 'paramsRatio', label: 'Parameter ratio r of the factored form, in (0, 1]', value: '0.5' },
};
const LAYERS = /^(all|\d+(-\d+)?(,\d+(-\d+)?)*)$/;
const INTEGER = /^-?\d+$/;

const $ = (id) => document.getElementById(id);
const value = (id) => $(id).value.trim();

function list(text) {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function integer(text) {
  return INTEGER.test(text) ? Number(text) : NaN;
}

function inUnitInterval(v, closedAtOne) {
  return Number.isFinite(v) && v > 0 && (closedAtOne ? v <= 1 : v < 1);
}

/** The spec the fields describe and the problems found, each [field, message]. */
export function readSpec() {
  const errors = [];
  const fail = (field, message) => errors.push([field, message]);
  const spec = { version: 1 };

  spec.model = value('f-model');
  if (!spec.model) {
    fail('model', 'model is required: a model folder under the model roots');
  }
  const layers = value('f-layers').replace(/\s+/g, '') || 'all';
  if (!LAYERS.test(layers)) {
    fail('matrices.layers', 'layers must be "all" or a list of layers and ranges such as 0-5 or 0,2,4-5');
  } else if (layers !== 'all' && layers.split(',').some((r) => { const [a, b] = r.split('-').map(Number); return b !== undefined && b < a; })) {
    fail('matrices.layers', 'a range must go up, as in 2-5');
  }
  const modules = MODULES.filter((m) => $(`f-module-${m}`).checked);
  if (modules.length === 0) {
    fail('matrices.modules', 'select at least one module');
  }
  spec.matrices = { layers, modules: modules.join(',') };

  const strategy = value('f-strategy');
  if (strategy !== 'laser-grid') {
    const policy = value('f-policy');
    spec.policy = { policy };
    const parameter = POLICY_PARAMETERS[policy];
    if (parameter) {
      const text = value('f-policy-param');
      const field = `policy.${parameter.name}`;
      if (parameter.name === 'rank') {
        const k = integer(text);
        if (!(k >= 1)) {
          fail(field, 'rank must be a whole number ≥ 1');
        }
        spec.policy.rank = k;
      } else {
        const v = Number(text);
        if (text === '' || !inUnitInterval(v, true)) {
          fail(field, `${parameter.name} must be a number in (0, 1]`);
        }
        spec.policy[parameter.name] = v;
      }
    }
  }

  spec.strategy = { strategy };
  if (strategy === 'laserrmt-greedy') {
    const maxAccepted = integer(value('f-max-accepted'));
    if (!(maxAccepted >= -1)) {
      fail('strategy.maxAccepted', 'maxAccepted must be a whole number ≥ 0, or −1 for no cap');
    }
    const types = list(value('f-types'));
    const unknown = types.filter((t) => !MODULES.includes(t));
    if (types.length === 0) {
      fail('strategy.types', 'give the module types to scan, e.g. down,up,q,k,v,o');
    } else if (unknown.length > 0) {
      fail('strategy.types', `unknown module type ${unknown[0]} (valid: ${MODULES.join(', ')})`);
    } else if (new Set(types).size !== types.length) {
      fail('strategy.types', 'a module type is listed twice');
    } else if (!types.some((t) => modules.includes(t))) {
      fail('strategy.types', 'none of these types is among the selected modules');
    }
    Object.assign(spec.strategy, { maxAccepted, acceptTies: $('f-accept-ties').checked, types });
  } else if (strategy === 'snr-greedy') {
    const count = integer(value('f-count'));
    if (!(count >= 1)) {
      fail('strategy.count', 'count must be a whole number ≥ 1');
    }
    spec.strategy.count = count;
  } else if (strategy === 'laser-grid') {
    const rhos = list(value('f-rhos')).map(Number);
    if (rhos.length === 0) {
      fail('strategy.rhos', 'give at least one ρ');
    } else if (rhos.some((r) => !inUnitInterval(r, true))) {
      fail('strategy.rhos', 'each ρ must be a number in (0, 1]');
    } else if (new Set(rhos).size !== rhos.length) {
      fail('strategy.rhos', 'a ρ is listed twice');
    }
    spec.strategy.rhos = rhos;
  } else if (strategy === 'sfsd-surgical') {
    const tolerance = Number(value('f-tolerance'));
    if (value('f-tolerance') === '' || !(tolerance >= 1) || !Number.isFinite(tolerance)) {
      fail('strategy.tolerance', 'tolerance must be a number ≥ 1');
    }
    spec.strategy.tolerance = tolerance;
  }
  if (SPLIT_STRATEGIES.includes(strategy)) {
    const validationFraction = Number(value('f-validation-fraction'));
    if (!inUnitInterval(validationFraction, false)) {
      fail('strategy.validationFraction', 'validationFraction must be a number in (0, 1)');
    }
    spec.strategy.validationFraction = validationFraction;
  }

  if ($('f-evaluate').checked) {
    const texts = list(value('f-texts'));
    if (texts.length === 0) {
      fail('evaluation.texts', 'give at least one text file under the data roots');
    } else if (new Set(texts).size !== texts.length) {
      fail('evaluation.texts', 'a text is listed twice');
    }
    const protocol = value('f-protocol');
    const evaluation = { texts, protocol };
    const window = integer(value('f-window'));
    if (!(window >= 2)) {
      fail('evaluation.window', 'window must be a whole number of at least 2 tokens');
    }
    evaluation.window = window;
    if (protocol === 'sliding' && value('f-stride') !== '') {
      const stride = integer(value('f-stride'));
      if (!(stride >= 1 && (!(window >= 2) || stride <= window))) {
        fail('evaluation.stride', 'stride must be a whole number from 1 to the window');
      }
      evaluation.stride = stride;
    }
    if (value('f-max-tokens') !== '') {
      const maxTokens = integer(value('f-max-tokens'));
      if (!(maxTokens >= 1)) {
        fail('evaluation.maxTokens', 'maxTokens must be a whole number ≥ 1 (or empty for the whole text)');
      }
      evaluation.maxTokens = maxTokens;
    }
    spec.evaluation = evaluation;
  } else if (strategy !== 'one-shot') {
    fail('evaluation', `${strategy} compares perplexities: it needs an evaluation`);
  }
  spec.output = value('f-output');
  return { spec, errors };
}

/** The input a field of an error body belongs to: the field itself, else its list, else its parent. */
function target(field) {
  let name = field;
  while (name) {
    const input = document.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (input) {
      return { name, input };
    }
    const stripped = name.replace(/\[\d+\]$/, '');
    name = stripped !== name ? stripped : name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
  }
  return null;
}

function clearErrors() {
  document.querySelectorAll('#submit-form [data-error-for]').forEach((e) => { e.textContent = ''; });
  document.querySelectorAll('#submit-form [aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  $('form-error').textContent = '';
  $('form-ok').innerHTML = '';
}

/** Shows each message next to its field; returns the first input at fault (or null). */
function showErrors(errors) {
  let first = null;
  for (const [field, message] of errors) {
    const found = field ? target(field) : null;
    if (!found) {
      $('form-error').textContent = message;
      continue;
    }
    const box = document.querySelector(`[data-error-for="${CSS.escape(found.name)}"]`);
    if (box && !box.textContent) {
      box.textContent = message;
    }
    found.input.setAttribute('aria-invalid', 'true');
    first = first || found.input;
  }
  return first;
}

function updateVisibility() {
  const strategy = value('f-strategy');
  const policy = value('f-policy');
  const parameter = POLICY_PARAMETERS[policy];
  $('policy-group').hidden = strategy === 'laser-grid';
  $('policy-param-field').hidden = !parameter;
  if (parameter) {
    const input = $('f-policy-param');
    const field = `policy.${parameter.name}`;
    if (input.dataset.field !== field) {
      input.dataset.field = field;
      input.value = parameter.value;
      $('policy-param-error').dataset.errorFor = field;
    }
    $('f-policy-param-label').textContent = parameter.label;
  }
  for (const name of ['laserrmt-greedy', 'snr-greedy', 'laser-grid', 'sfsd-surgical']) {
    $(`strategy-${name}`).hidden = strategy !== name;
  }
  $('split-group').hidden = !SPLIT_STRATEGIES.includes(strategy);
  const evaluate = $('f-evaluate');
  if (strategy !== 'one-shot') {
    evaluate.checked = true;
  }
  evaluate.disabled = strategy !== 'one-shot';
  $('evaluation-fields').hidden = !evaluate.checked;
  $('stride-field').hidden = value('f-protocol') !== 'sliding';
  $('spec-preview').textContent = JSON.stringify(readSpec().spec, null, 2);
}

function fillList(id, items) {
  $(id).innerHTML = items.map((i) => `<option value="${escapeHtml(i)}"></option>`).join('');
}

/** Wires the form; onSubmitted(jobView) is called for each job the server accepted. */
export async function initSubmitForm(onSubmitted) {
  const form = $('submit-form');
  $('f-key').value = storedKey();
  $('f-key').addEventListener('change', () => storeKey(value('f-key')));
  form.addEventListener('input', updateVisibility);
  form.addEventListener('change', updateVisibility);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const { spec, errors } = readSpec();
    const key = value('f-key');
    if (!key) {
      errors.push(['apiKey', 'submitting needs the API key (X-API-Key)']);
    }
    if (errors.length > 0) {
      (showErrors(errors) || $('form-error')).focus();
      return;
    }
    storeKey(key);
    const button = $('f-submit');
    button.disabled = true;
    try {
      const job = await api.submit(spec, key);
      $('form-ok').innerHTML = `Job <a href="job.html?id=${encodeURIComponent(job.id)}">${escapeHtml(job.id)}</a> submitted.`;
      onSubmitted(job);
    } catch (e) {
      const field = e instanceof ApiError ? (e.status === 401 ? 'apiKey' : e.field) : null;
      const first = showErrors([[field, e.message]]);
      (first || $('form-error')).focus();
    } finally {
      button.disabled = false;
    }
  });
  try {
    const inputs = await api.inputs();
    fillList('models-list', inputs.models);
    fillList('texts-list', inputs.texts);
    if (!value('f-model') && inputs.models.length > 0) {
      $('f-model').value = inputs.models.includes('demo-llama') ? 'demo-llama' : inputs.models[0];
    }
    if (!value('f-texts') && inputs.texts.length > 0) {
      $('f-texts').value = inputs.texts.find((t) => t.startsWith('sotu')) || inputs.texts[0];
    }
  } catch (e) {
    $('form-error').textContent = `the models and texts could not be listed: ${e.message}`;
  }
  updateVisibility();
}
