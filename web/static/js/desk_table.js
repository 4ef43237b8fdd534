// A table of the finance desk, a page at a time: the first page for the filter given, then "more"
// (before_id = the last page's next_before_id; for a list read oldest first, after_id and
// next_after_id) until the server says there is none. A search
// started while an older one is in flight wins; the older answer is dropped.
import { api } from './api.js';

export class PagedTable {
  // path: '/api/finance/pledges'; key: the rows' name in the answer; row(r) -> a <tr>.
  constructor({ path, key, table, none, more, row, onError, cursor = 'before_id' }) {
    Object.assign(this, { path, key, table, none, more, row, onError, cursor });
    this.query = new URLSearchParams();
    this.next = null;
    this.generation = 0;
    more.addEventListener('click', () => this.load(false));
  }

  // filter: {name: value}; empty values are left out.
  search(filter) {
    this.query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== ''));
    return this.load(true);
  }

  async load(fresh) {
    const generation = fresh ? ++this.generation : this.generation;
    const query = new URLSearchParams(this.query);
    if (!fresh && this.next !== null) query.set(this.cursor, this.next);
    this.more.disabled = true;
    try {
      const page = await api(`${this.path}?${query}`);
      if (generation !== this.generation) return;
      const body = this.table.tBodies[0];
      if (fresh) body.replaceChildren();
      body.append(...page[this.key].map(this.row));
      this.next = page[`next_${this.cursor}`] ?? null;
      this.none.hidden = body.rows.length > 0;
      this.more.hidden = this.next === null;
    } catch (err) {
      if (generation === this.generation) this.onError(err);
    } finally {
      this.more.disabled = false;
    }
  }
}
