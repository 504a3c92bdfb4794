// Previous / Next paging for SCIM lists (startIndex, count), with the range shown and a
// page size choice.
import type { PageInfo } from '../search';

export function Pager(props: {
  info: PageInfo;
  total: number;
  count: number;
  label: string;
  onPage: (page: number) => void;
  onCount: (count: number) => void;
}) {
  const { info } = props;
  return (
    <nav className="pager" aria-label={`${props.label} pages`}>
      <span role="status" data-testid="pager-range">
        {props.total === 0 ? 'None' : `${info.from}–${info.to} of ${props.total}`}
      </span>
      <button type="button" disabled={!info.hasPrev} onClick={() => props.onPage(info.page - 1)}>Previous</button>
      <span className="muted">Page {info.page} of {info.pages}</span>
      <button type="button" disabled={!info.hasNext} onClick={() => props.onPage(info.page + 1)}>Next</button>
      <label className="inline">
        Per page{' '}
        <select value={props.count} onChange={(e) => props.onCount(Number(e.target.value))}>
          {[10, 20, 50, 100].map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
    </nav>
  );
}
