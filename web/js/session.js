// What the station keeps between page loads: the token and the operator
// of the current shift in localStorage (a tablet stays signed in), and the
// values typed into an open build form in sessionStorage (a reload or a
// lost connection never loses a scan; a closed tab forgets them).
const TOKEN = 'mesd.token';
const OPERATOR = 'mesd.operator';
const DRAFT = 'mesd.draft.';

// Shifts start at 06:00, 14:00 and 22:00 local time: the operator's name
// is asked once per shift.
const SHIFT_STARTS = [6, 14, 22];

export function shiftOf(now = new Date()) {
  const start = new Date(now);
  start.setMinutes(0, 0, 0);
  const hour = now.getHours();
  const h = [...SHIFT_STARTS].reverse().find((s) => s <= hour);
  if (h === undefined) {          // before 06:00: the night shift that began yesterday at 22:00
    start.setDate(start.getDate() - 1);
    start.setHours(SHIFT_STARTS[SHIFT_STARTS.length - 1]);
  } else {
    start.setHours(h);
  }
  const end = new Date(start.getTime() + 8 * 3600 * 1000);
  return { start: start.getTime(), end: end.getTime() };
}

function read(storage, key) {
  try { return JSON.parse(storage.getItem(key)); } catch { return null; }
}
function write(storage, key, value) {
  try { storage.setItem(key, JSON.stringify(value)); } catch { /* storage full or off: keep going */ }
}

export const session = {
  token: () => read(localStorage, TOKEN),
  setToken: (t) => write(localStorage, TOKEN, t),
  signOut() {
    localStorage.removeItem(TOKEN);
    localStorage.removeItem(OPERATOR);
    for (const k of Object.keys(sessionStorage)) if (k.startsWith(DRAFT)) sessionStorage.removeItem(k);
  },
  // The operator's name while the shift it was typed in lasts; else null.
  operator() {
    const o = read(localStorage, OPERATOR);
    const now = Date.now();
    return o && typeof o.name === 'string' && now >= o.start && now < o.end ? o.name : null;
  },
  setOperator(name) {
    write(localStorage, OPERATOR, { name, ...shiftOf() });
  },
  clearOperator: () => localStorage.removeItem(OPERATOR),
  draft: (orderId) => read(sessionStorage, DRAFT + orderId),
  saveDraft: (orderId, d) => write(sessionStorage, DRAFT + orderId, d),
  dropDraft: (orderId) => sessionStorage.removeItem(DRAFT + orderId),
};
