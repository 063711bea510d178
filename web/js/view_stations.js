// Station choice: one large button per station, with what is done there.
import { h, fill } from './dom.js';
import { NetworkError } from './gql.js';

const STATIONS = '{ stations { id name processes { id name } } }';

export function stationsView(main, ctx) {
  ctx.setPlace('Choose a station');
  const list = h('div', { class: 'station-list' }, h('p', { class: 'help', text: 'Loading…' }));
  main.append(h('section', { class: 'panel' }, h('h1', { text: 'Which station is this?' }), list));
  let alive = true;
  const load = async () => {
    try {
      const { stations } = await ctx.query(STATIONS);
      if (!alive) return;
      if (!stations.length) {
        fill(list, h('p', { class: 'help', text: 'No station is deployed yet: an admin deploys them with stationCreate.' }));
        return;
      }
      fill(list, stations.map((s) => h('a', { class: 'station-choice', href: `/station/${s.id}`, 'data-link': true,
        dataset: { stationId: s.id } },
      h('span', { class: 'station-name', text: s.name }),
      h('span', { class: 'station-does', text: s.processes.map((p) => p.name).join(' · ') || 'no process yet' }))));
    } catch (e) {
      if (!alive) return;
      fill(list, h('p', { class: 'field-error', text: e instanceof NetworkError ? 'mesd cannot be reached: retrying…' : e.message }));
      if (e instanceof NetworkError) setTimeout(load, 2000);
    }
  };
  load();
  const off = ctx.ws.onReconnect(load);
  return () => { alive = false; off(); };
}
