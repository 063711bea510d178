// The build form of one work order: the process's steps and actions as a
// checklist, one field per consumed-serial attribute and the produced
// serial (prefilled from the order's reservation), and a note.
//
// Made for barcode scanners, which type like keyboards and end with Enter:
// Enter moves to the next field and the last one submits. A refusal is
// shown beside the field it concerns (mesd's extensions.field and
// attributeId say which), in operator's words (messages.js), and the field
// is selected so the next scan replaces it; nothing typed is lost, also
// across a failed submit, a lost connection or a reload (the draft is kept
// in sessionStorage until the order is completed).
//
// The checklist helps the operator and is kept in the draft, but mesd has
// no field for it, so it does not hold back a completion (docs/decisions.md).
import { h, fill, clock } from './dom.js';
import { session } from './session.js';
import { NetworkError } from './gql.js';
import { refusalText, NETWORK_TEXT } from './messages.js';
import { ANCESTORS, rootOperation, orderLabel, partLabel } from './orders.js';

const ORDER = `query Build($id: ID) { operationOrders(where: { id: { _eq: $id } }) {
  id status externalOrderId orderIndex reservedSerialNumber station { id }
  operation { id name externalId producesSerial consumedSerials { id name externalId }
    steps { id name instructionText actions { id description } } }
  ${ANCESTORS} } }`;
const COMPLETE = `mutation Complete($input: WorkOrderCompleteInput!) {
  workOrderComplete(input: $input) { id status completedAt } }`;
const NOTE = 'mutation Note($input: NoteCreateInput!) { noteCreate(input: $input) { id at text } }';
const PRODUCED = '__produced';

export function buildForm(panel, { orderId, stationId, ctx, operator, onClose }) {
  let alive = true;
  let order = null;
  let fields = [];            // { key, label, input, error }
  let formError = null;
  let submitButton = null;
  let lastWasNetwork = false;
  const draft = session.draft(orderId) ?? { serials: {}, produced: null, checks: [], note: '' };
  const saveDraft = () => session.saveDraft(orderId, draft);

  fill(panel, h('p', { class: 'help', text: 'Loading the order…' }));
  load();

  // A scanner types wherever the focus is: after a tick in the checklist
  // that would be a checkbox. A character typed outside a text field goes
  // to the first empty serial field instead (focus moved during keydown
  // takes the character with it).
  const redirect = (e) => {
    if (!fields.length || e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof HTMLTextAreaElement || (t instanceof HTMLInputElement && t.type !== 'checkbox')) return;
    if (e.key === ' ' && (t instanceof HTMLInputElement || t instanceof HTMLButtonElement)) return;   // ticks and presses
    (fields.find((f) => !f.input.value) ?? fields[0]).input.focus();
  };
  document.addEventListener('keydown', redirect, true);

  async function load() {
    try {
      const { operationOrders } = await ctx.query(ORDER, { id: orderId });
      if (!alive) return;
      order = operationOrders[0];
      if (!order) return onClose('That order does not exist any more.');
      if (order.status !== 'IN_PROGRESS' && order.status !== 'READY') {
        session.dropDraft(orderId);
        return onClose(`${order.operation.name} for ${orderLabel(order)} is ${order.status.toLowerCase().replace('_', ' ')}.`);
      }
      render();
    } catch (e) {
      if (!alive) return;
      fill(panel, h('p', { class: 'field-error', text: e instanceof NetworkError ? 'mesd cannot be reached: retrying…' : e.message }));
      if (e instanceof NetworkError) setTimeout(load, 2000);
    }
  }

  function render() {
    const op = order.operation;
    const root = rootOperation(order);
    formError = h('p', { class: 'form-error', role: 'alert' });
    submitButton = h('button', { type: 'submit', class: 'primary', id: 'complete' }, 'Complete');
    fields = op.consumedSerials.map((a) => field(a.id, a.name ?? a.id, a.externalId, draft.serials[a.id] ?? ''));
    if (op.producesSerial) {
      const value = draft.produced ?? order.reservedSerialNumber ?? '';
      fields.push(field(PRODUCED, 'Serial of this unit', op.externalId ? `${op.externalId}, produced here` : 'produced here', value));
    }
    const form = h('form', { class: 'serials', novalidate: true, 'aria-labelledby': 'serials-title' },
      h('h2', { id: 'serials-title', text: fields.length ? 'Scan the serials' : 'No serial to scan' }),
      fields.map((f) => f.wrap),
      formError,
      h('div', { class: 'form-actions' }, submitButton,
        h('button', { type: 'button', class: 'secondary', onclick: () => onClose() }, 'Back to queue')));
    form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
    fill(panel,
      h('header', { class: 'build-head' },
        h('h1', { text: op.name }),
        h('p', { class: 'order-line', text: [orderLabel(order), root ? `for ${partLabel(root)}` : null].filter(Boolean).join(' · ') })),
      h('div', { class: 'build-grid' }, checklist(op.steps), h('div', { class: 'build-side' }, form, notes())));
    const first = fields.find((f) => !f.input.value) ?? fields[0];
    (first ? first.input : submitButton).focus();
  }

  function field(key, label, part, value) {
    const id = `serial-${key}`;
    const input = h('input', {
      id, name: key, value, autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', enterkeyhint: 'next',
      'aria-describedby': `${id}-error`, dataset: { key },
    });
    const error = h('p', { id: `${id}-error`, class: 'field-error', role: 'alert' });
    const f = { key, label, input, error,
      wrap: h('div', { class: 'field' },
        h('label', { for: id }, h('span', { text: label }), part ? h('span', { class: 'part', text: part }) : null),
        input, error) };
    input.addEventListener('input', () => {
      if (key === PRODUCED) draft.produced = input.value;
      else draft.serials[key] = input.value;
      saveDraft();
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    });
    input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (!input.value.trim()) return showError(f, refusalText({ code: 'MISSING_SERIAL' }, { label }));
      const i = fields.indexOf(f);
      if (i + 1 < fields.length) {
        fields[i + 1].input.focus();
        fields[i + 1].input.select();
      } else {
        submit();
      }
    });
    return f;
  }

  function showError(f, text) {
    f.error.textContent = text;
    f.input.setAttribute('aria-invalid', 'true');
    f.input.focus();
    f.input.select();   // the next scan replaces it; the value stays on screen meanwhile
  }

  function checklist(steps) {
    if (!steps.length) return h('section', { class: 'instructions' }, h('h2', { text: 'Work instructions' }),
      h('p', { class: 'help', text: 'This process has no written instructions.' }));
    return h('section', { class: 'instructions', 'aria-labelledby': 'steps-title' },
      h('h2', { id: 'steps-title', text: 'Work instructions' }),
      h('ol', { class: 'steps' }, steps.map((s) => h('li', { class: 'step' },
        h('h3', { text: s.name }),
        s.instructionText ? h('p', { class: 'instruction', text: s.instructionText }) : null,
        h('ul', { class: 'actions' }, s.actions.map((a) => {
          const box = h('input', { type: 'checkbox', dataset: { action: a.id }, checked: draft.checks.includes(a.id) });
          box.addEventListener('change', () => {
            draft.checks = box.checked ? [...new Set([...draft.checks, a.id])] : draft.checks.filter((x) => x !== a.id);
            saveDraft();
          });
          return h('li', null, h('label', { class: 'check' }, box, h('span', { text: a.description ?? a.id })));
        }))))));
  }

  function notes() {
    const text = h('textarea', { id: 'note-text', rows: 3, value: draft.note ?? '' });
    text.value = draft.note ?? '';
    const status = h('p', { class: 'help', role: 'status' });
    const saved = h('ul', { class: 'notes' });
    const button = h('button', { type: 'button', class: 'secondary' }, 'Save note');
    text.addEventListener('input', () => { draft.note = text.value; saveDraft(); });
    button.addEventListener('click', async () => {
      const t = text.value.trim();
      if (!t) { status.textContent = 'Write the note first.'; text.focus(); return; }
      button.disabled = true;
      try {
        const body = await ctx.request(NOTE, { input: { operationOrderId: orderId, text: t } });
        if (body.errors?.length) {
          const e = body.errors[0];
          status.textContent = refusalText({ code: e.extensions?.code, message: e.message, extensions: e.extensions });
          return;
        }
        const n = body.data.noteCreate;
        saved.prepend(h('li', { text: `${clock(n.at)}: ${n.text}` }));
        status.textContent = 'Note saved.';
        text.value = '';
        draft.note = '';
        saveDraft();
      } catch (e) {
        status.textContent = e instanceof NetworkError ? NETWORK_TEXT : e.message;
      } finally {
        button.disabled = false;
      }
    });
    return h('section', { class: 'note', 'aria-labelledby': 'note-title' },
      h('h2', { id: 'note-title', text: 'Note' }),
      h('label', { for: 'note-text' }, 'Anything the next station or the supervisor should know'),
      text, h('div', { class: 'form-actions' }, button), status, saved);
  }

  async function submit() {
    if (!order || submitButton.disabled) return;
    formError.textContent = '';
    lastWasNetwork = false;
    for (const f of fields) {
      f.error.textContent = '';
      f.input.removeAttribute('aria-invalid');
    }
    const empty = fields.find((f) => !f.input.value.trim());
    if (empty) return showError(empty, refusalText({ code: 'MISSING_SERIAL' }, { label: empty.label }));
    const input = {
      operationOrderId: orderId, stationId, operatorName: operator(),
      consumedSerials: fields.filter((f) => f.key !== PRODUCED).map((f) => ({ attributeId: f.key, value: f.input.value.trim() })),
    };
    const produced = fields.find((f) => f.key === PRODUCED);
    if (produced) input.producedSerial = produced.input.value.trim();
    submitButton.disabled = true;
    submitButton.textContent = 'Sending…';
    let body;
    try {
      body = await ctx.request(COMPLETE, { input });
    } catch (e) {
      if (!alive) return;
      lastWasNetwork = e instanceof NetworkError;
      formError.textContent = lastWasNetwork ? NETWORK_TEXT : e.message;
      return;
    } finally {
      if (alive) {
        submitButton.disabled = false;
        submitButton.textContent = 'Complete';
      }
    }
    if (!alive) return;
    if (body.errors?.length) return refused(body.errors[0]);
    session.dropDraft(orderId);
    onClose(`Done: ${order.operation.name} for ${orderLabel(order)}.`);
  }

  function refused(e) {
    const ext = e.extensions ?? {};
    const target = ext.field === 'producedSerial' ? fields.find((f) => f.key === PRODUCED)
      : ext.attributeId ? fields.find((f) => f.key === ext.attributeId) : null;
    const text = refusalText({ code: ext.code, message: e.message, extensions: ext }, { label: target?.label });
    if (target) showError(target, text);
    else formError.textContent = text;
  }

  return {
    unmount() {
      alive = false;
      document.removeEventListener('keydown', redirect, true);
    },
    // a change of this order seen on the work-order stream
    orderEvent(ev) {
      if (!formError || ev.workOrder?.id !== orderId) return;
      if (ev.status === 'CANCELED') formError.textContent = 'The ERP canceled this order: do not build it. Go back to the queue.';
    },
    reconnected() {
      if (lastWasNetwork && formError) formError.textContent = 'The connection is back: press Complete again.';
    },
  };
}
