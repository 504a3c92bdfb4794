import { useEffect, useState } from 'react';
import { ApiError, api, type Application, type Mapping } from '../../api';
import { ErrorMessage, Notice } from '../../components/ui';
import { describeError } from '../../errors';
import { useLoad } from '../../hooks';
import { canWrite, useSession } from '../../session';

// The row an invalid_mapping error is about: "mappings[2].source" or details.index.
export function mappingErrorRow(e: unknown): number | undefined {
  if (!(e instanceof ApiError)) return undefined;
  const idx = e.details['index'];
  if (typeof idx === 'number') return idx;
  const field = e.details['field'];
  const m = typeof field === 'string' ? /\[(\d+)\]/.exec(field) : null;
  return m ? Number(m[1]) : undefined;
}

export function MappingsTab({ app }: { app: Application }) {
  const { role } = useSession();
  const ro = !canWrite(role);
  const loaded = useLoad(() => api<{ items: Mapping[] }>('GET', `/applications/${app.id}/mappings`), [app.id]);
  const [rows, setRows] = useState<Mapping[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [badRow, setBadRow] = useState<number | undefined>(undefined);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (loaded.data) setRows(loaded.data.items);
  }, [loaded.data]);

  const set = (i: number, patch: Partial<Mapping>) => {
    setSaved(false);
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };

  const save = async () => {
    setError(null);
    setBadRow(undefined);
    setSaved(false);
    try {
      const r = await api<{ items: Mapping[] }>('PUT', `/applications/${app.id}/mappings`, { items: rows });
      setRows(r.items);
      setSaved(true);
    } catch (e) {
      setBadRow(mappingErrorRow(e));
      setError(describeError(e));
    }
  };

  return (
    <div className="card">
      <h2>Attribute mappings</h2>
      <p className="muted">
        Each target attribute of the application is computed from an expression over the user
        (see docs/mappings.md). Strong mappings always win; weak ones are written only on create.
      </p>
      <ErrorMessage error={loaded.error ?? error} />
      {saved && <Notice>Mappings saved.</Notice>}
      <table className="mappings">
        <thead>
          <tr><th scope="col">Target attribute</th><th scope="col">Source expression</th><th scope="col">Strength</th>{!ro && <th scope="col"><span className="sr-only">Actions</span></th>}</tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className={badRow === i ? 'row-invalid' : undefined}>
              <td><input aria-label={`Target attribute, row ${i + 1}`} value={r.target} readOnly={ro}
                onChange={(e) => set(i, { target: e.target.value })} /></td>
              <td><input className="mono" aria-label={`Source expression, row ${i + 1}`} value={r.source} readOnly={ro}
                aria-invalid={badRow === i || undefined} onChange={(e) => set(i, { source: e.target.value })} /></td>
              <td>
                <select aria-label={`Strength, row ${i + 1}`} value={r.strength} disabled={ro}
                  onChange={(e) => set(i, { strength: e.target.value as Mapping['strength'] })}>
                  <option value="strong">strong</option>
                  <option value="normal">normal</option>
                  <option value="weak">weak</option>
                </select>
              </td>
              {!ro && <td><button type="button" className="danger" aria-label={`Remove row ${i + 1}`}
                onClick={() => setRows(rows.filter((_, j) => j !== i))}>Remove</button></td>}
            </tr>
          ))}
        </tbody>
      </table>
      {!ro && (
        <div className="actions">
          <button type="button" onClick={() => setRows([...rows, { target: '', source: '', strength: 'normal' }])}>Add mapping</button>
          <button type="button" className="primary" onClick={save}>Save mappings</button>
        </div>
      )}
    </div>
  );
}
