// Import mappings: how an application that also provisions turns its accounts into portal
// users on import (settings.import_mappings, else the template's). An LDAP directory's
// mappings are its import mappings, edited in the card above.
import { useEffect, useState } from 'react';
import { api, type Application, type Mapping, type Template } from '../../api';
import { ErrorMessage, Notice } from '../../components/ui';
import { describeError } from '../../errors';
import { useLoad } from '../../hooks';
import { canWrite, useSession } from '../../session';
import { mappingErrorRow } from './Mappings';

export function ImportMappingsCard({ app }: { app: Application }) {
  const { role } = useSession();
  const ro = !canWrite(role);
  const catalog = useLoad(() => api<{ items: Template[] }>('GET', '/catalog'), []);
  const defaults = catalog.data?.items.find((t) => t.id === app.template)?.default_import_mappings ?? [];
  const [own, setOwn] = useState<Mapping[] | undefined>(app.settings.import_mappings);
  const [rows, setRows] = useState<Mapping[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [badRow, setBadRow] = useState<number | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (catalog.data) setRows(own ?? defaults);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalog.data, own]);

  const set = (i: number, patch: Partial<Mapping>) => {
    setNotice(null);
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };

  const save = async (list: Mapping[], done: string) => {
    setError(null);
    setBadRow(undefined);
    setNotice(null);
    try {
      const saved = await api<Application>('PATCH', `/applications/${app.id}`, {
        settings: { import_mappings: list.map(({ target, source }) => ({ target, source })) },
      });
      setOwn(saved.settings.import_mappings);
      setNotice(done);
    } catch (e) {
      setBadRow(mappingErrorRow(e));
      setError(describeError(e));
    }
  };

  return (
    <div className="card" data-testid="import-mappings">
      <h2>Import mappings</h2>
      <p className="muted">
        On import, each account read from {app.name} becomes a portal user through these
        expressions over the account (see docs/import.md).{' '}
        {own ? 'They replace the template’s.' : defaults.length > 0
          ? 'These are the template’s.'
          : 'Without any, a SCIM resource passes straight through.'}
      </p>
      <ErrorMessage error={catalog.error ?? error} />
      {notice && <Notice>{notice}</Notice>}
      <table className="mappings">
        <thead>
          <tr><th scope="col">Portal attribute</th><th scope="col">Source expression</th>{!ro && <th scope="col"><span className="sr-only">Actions</span></th>}</tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className={badRow === i ? 'row-invalid' : undefined}>
              <td><input aria-label={`Portal attribute, import row ${i + 1}`} value={r.target} readOnly={ro}
                onChange={(e) => set(i, { target: e.target.value })} /></td>
              <td><input className="mono" aria-label={`Source expression, import row ${i + 1}`} value={r.source} readOnly={ro}
                aria-invalid={badRow === i || undefined} onChange={(e) => set(i, { source: e.target.value })} /></td>
              {!ro && <td><button type="button" className="danger" aria-label={`Remove import row ${i + 1}`}
                onClick={() => setRows(rows.filter((_, j) => j !== i))}>Remove</button></td>}
            </tr>
          ))}
        </tbody>
      </table>
      {!ro && (
        <div className="actions">
          <button type="button" onClick={() => setRows([...rows, { target: '', source: '', strength: 'normal' }])}>Add import mapping</button>
          <button type="button" className="primary" onClick={() => void save(rows, 'Import mappings saved.')}>Save import mappings</button>
          {own && <button type="button" onClick={() => void save([], 'The template’s import mappings are used again.')}>Use the template’s</button>}
        </div>
      )}
    </div>
  );
}
