// A table of the official layout from a server grid (rows of head/value cells with spans):
// the report page, the compare page and the authoring form differ only in what a value cell
// shows, which `fill(el, cell)` decides; head cells and cells without a path show their text.
export function gridTable(h, g, fill, extraClass = '') {
  const tbody = h('tbody');
  for (const row of g.rows) {
    const tr = h('tr');
    for (const c of row) {
      const el = h(c.kind === 'head' ? 'th' : 'td', { class: c.kind });
      if (c.colspan > 1) el.colSpan = c.colspan;
      if (c.rowspan > 1) el.rowSpan = c.rowspan;
      if (!c.path || fill(el, c) === false) el.textContent = c.text;
      tr.append(el);
    }
    tbody.append(tr);
  }
  return h('div', { class: 'tablewrap' }, h('table', { class: `grid gk-${g.name}${extraClass ? ` ${extraClass}` : ''}` }, tbody));
}
