// A tiny element builder, so views read as the markup they make:
//   h('button', { class: 'primary', onclick: go }, 'Start')
// props: class, text, dataset (object), on<event> handlers, any other
// attribute (false/null left out, true as an empty attribute). Children:
// strings, nodes, arrays of them; null and false are skipped. Text is
// always set as text, never parsed as HTML.
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

// Replaces an element's content.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// "06:42" in the screen's local time, for an RFC 3339 instant.
export function clock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
