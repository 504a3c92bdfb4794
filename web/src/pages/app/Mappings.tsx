import { useEffect, useState } from 'react';
import { ApiError, api, type Application, type Mapping, type MappingPreview } from '../../api';
import { DirectoryPicker, principalName } from '../../components/DirectoryPicker';
import { ErrorMessage, Notice } from '../../components/ui';
import { describeError } from '../../errors';
import { useLoad } from '../../hooks';
import { previewRequest, previewScope, previewValue } from '../../preview';
import { canWrite, useSession } from '../../session';
import { ImportMappingsCard } from './ImportMappings';

// The row an invalid_mapping error is about: details.index or .mapping, or the field
// ("items[2].source" on save, "mappings[2].source" in a preview).
export function mappingErrorRow(e: unknown): number | undefined {
  if (!(e instanceof ApiError)) return undefined;
  for (const key of ['index', 'mapping']) {
    const idx = e.details[key];
    if (typeof idx === 'number') return idx;
  }
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
  const [picking, setPicking] = useState(false);
  const [preview, setPreview] = useState<MappingPreview | null>(null);
  const [previewing, setPreviewing] = useState<string | null>(null);

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

  // Evaluates the rows as they stand in the editor (unsaved ones included) for one user; the
  // server computes what the engine would, and nothing is sent to the application.
  const runPreview = async (userId: string, who: string) => {
    setError(null);
    setBadRow(undefined);
    setPreview(null);
    setPreviewing(who);
    try {
      setPreview(await api<MappingPreview>('POST', `/applications/${app.id}/mappings/preview`,
        previewRequest(userId, rows, loaded.data?.items ?? [])));
      setPicking(false);
    } catch (e) {
      setBadRow(mappingErrorRow(e));
      setError(describeError(e));
    } finally {
      setPreviewing(null);
    }
  };

  return (
    <>
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
    {app.template === 'ldap' ? (
      <div className="card">
        <h2>Preview</h2>
        <p className="muted">
          An LDAP directory's mappings turn directory entries into portal users on import, so there
          is no account in an application to preview; run an import as a dry run instead.
        </p>
      </div>
    ) : (
    <div className="card" data-testid="mapping-preview">
      <h2>Preview</h2>
      <p className="muted">
        Evaluate the mappings above — unsaved edits included — for one user and see each value
        the application would receive. Nothing is sent to the application.
      </p>
      {!picking && (
        <div className="actions">
          <button type="button" onClick={() => setPicking(true)}>Preview for user…</button>
        </div>
      )}
      {picking && (
        <>
          <DirectoryPicker kinds={['user']} label="Search users to preview" actionLabel="Preview"
            onPick={(p) => void runPreview(p.item.id, principalName(p))} />
          <div className="actions">
            <button type="button" onClick={() => setPicking(false)}>Close</button>
          </div>
        </>
      )}
      {previewing && <p className="loading" role="status">Evaluating for {previewing}…</p>}
      {preview && <PreviewResult preview={preview} />}
    </div>
    )}
    {app.template !== 'ldap' && app.capabilities.includes('import_sync') && <ImportMappingsCard app={app} />}
    </>
  );
}

function PreviewResult({ preview }: { preview: MappingPreview }) {
  const who = preview.user.displayName || preview.user.userName;
  return (
    <div role="status" data-testid="preview-result">
      <h3>
        {who} — {preview.mappings === 'unsaved' ? 'unsaved mappings' : 'saved mappings'}
        {preview.errors > 0 && <> <span className="badge badge-error">{preview.errors} {preview.errors === 1 ? 'error' : 'errors'}</span></>}
      </h3>
      <p className="muted">{previewScope(preview)}</p>
      {preview.manager && (
        <p className="muted" data-testid="preview-manager">
          {preview.manager.value
            ? <>The manager is sent as <code>{preview.manager.attribute}</code> = <code>{preview.manager.value}</code>, her account in this application.</>
            : <>The manager has no account in this application yet: the account is sent without one until she has.</>}
        </p>
      )}
      <table className="compact">
        <thead>
          <tr><th scope="col">Target attribute</th><th scope="col">Source expression</th><th scope="col">Value</th></tr>
        </thead>
        <tbody>
          {preview.attributes.map((r, i) => (
            <tr key={i} className={r.error ? 'row-invalid' : undefined}>
              <td><code>{r.target}</code>{r.apply === 'on_create_only' && <span className="muted"> (on create only)</span>}</td>
              <td><code>{r.expression}</code></td>
              <td className={r.error ? 'field-error' : 'mono'}>{previewValue(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="json">
        <summary>The account as created{preview.errors > 0 ? ' (without the attributes in error)' : ''}</summary>
        <pre data-testid="preview-on-create">{JSON.stringify(preview.on_create, null, 2)}</pre>
      </details>
    </div>
  );
}
