import { useState, type FormEvent } from 'react';
import { api, type Application, type Connection } from '../../api';
import { secretSummary } from '../../components/ConnectionForm';
import { ErrorMessage, Field, Notice } from '../../components/ui';
import { describeError, errorField } from '../../errors';
import { useLoad } from '../../hooks';
import { canWrite, useSession } from '../../session';
import { validateSettings, type FieldErrors } from '../../validation';

export function OverviewTab({ app, onSaved }: { app: Application; onSaved: (a: Application) => void }) {
  const { role } = useSession();
  const ro = !canWrite(role);
  const conn = useLoad(
    () => (app.connection_id ? api<Connection>('GET', `/connections/${app.connection_id}`) : Promise.resolve(null)),
    [app.connection_id],
  );
  const [s, setS] = useState({
    deprovisioning_action: app.settings.deprovisioning_action,
    scoping_filter: app.settings.scoping_filter ?? '',
    deletion_threshold: String(app.settings.deletion_threshold ?? 500),
    sync_schedule: app.settings.sync_schedule ?? 'manual',
    matching_attribute: app.settings.matching_attribute ?? '',
    rate_limit_per_second: String(app.settings.rate_limit_per_second ?? 0),
    rate_limit_burst: String(app.settings.rate_limit_burst ?? 0),
    concurrency: String(app.settings.concurrency ?? 0),
    push_groups: app.settings.push_groups ?? true,
    group_member_role: app.settings.group_member_role ?? '',
    group_email_domain: app.settings.group_email_domain ?? '',
  });
  const google = app.template === 'google-workspace';
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    setError(null);
    const v = validateSettings(s);
    setErrors(v);
    if (Object.keys(v).length) return;
    try {
      const { group_member_role, group_email_domain, ...common } = s;
      const a = await api<Application>('PATCH', `/applications/${app.id}`, {
        settings: {
          ...common,
          deletion_threshold: Number(s.deletion_threshold),
          rate_limit_per_second: Number(s.rate_limit_per_second),
          rate_limit_burst: Number(s.rate_limit_burst),
          concurrency: Number(s.concurrency),
          // Google Workspace's own settings, only where they mean something.
          ...(google ? { group_member_role, group_email_domain } : {}),
        },
      });
      onSaved(a);
      setSaved(true);
    } catch (err) {
      const f = errorField(err)?.replace(/^settings\./, '');
      if (f) setErrors({ [f]: describeError(err) });
      else setError(describeError(err));
    }
  };

  return (
    <div className="grid2">
      <div className="card">
        <h2>About</h2>
        <dl>
          <dt>Type</dt><dd>{app.template}</dd>
          <dt>Description</dt><dd>{app.description || '—'}</dd>
          <dt>Capabilities</dt>
          <dd>{app.capabilities.map((c) => (c === 'import_sync' ? 'Import/Sync' : 'Provisioning')).join(', ') || '—'}</dd>
          <dt>Connection</dt>
          <dd>{conn.data ? <>{conn.data.name} <span className="muted">({secretSummary(conn.data)})</span></> : 'none'}</dd>
        </dl>
      </div>
      <form className="card" onSubmit={save} noValidate aria-label="Provisioning settings">
        <h2>Provisioning settings</h2>
        <ErrorMessage error={error} />
        {saved && <Notice>Settings saved.</Notice>}
        <fieldset disabled={ro}>
          <Field label="When a user is unassigned or leaves" error={errors.deprovisioning_action}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={s.deprovisioning_action}
                onChange={(e) => setS({ ...s, deprovisioning_action: e.target.value as typeof s.deprovisioning_action })}>
                <option value="disable">Disable the account</option>
                <option value="delete">Delete the account</option>
                <option value="none">Do nothing</option>
              </select>
            )}
          </Field>
          <Field label="Scoping filter (SCIM filter, optional)" error={errors.scoping_filter}
            hint='Only assigned users matching it are provisioned, e.g. title eq "Engineer".'>
            {(id, d) => <input id={id} aria-describedby={d} value={s.scoping_filter}
              onChange={(e) => setS({ ...s, scoping_filter: e.target.value })} />}
          </Field>
          <Field label="Deletion threshold" error={errors.deletion_threshold}
            hint="A sync that would deprovision more accounts than this stops and waits for an admin. 0 turns the guard off.">
            {(id, d) => <input id={id} aria-describedby={d} inputMode="numeric" value={s.deletion_threshold}
              onChange={(e) => setS({ ...s, deletion_threshold: e.target.value })} />}
          </Field>
          <Field label="Sync schedule" error={errors.sync_schedule} hint='"manual" or an interval: 15m, 1h, 1d.'>
            {(id, d) => <input id={id} aria-describedby={d} value={s.sync_schedule}
              onChange={(e) => setS({ ...s, sync_schedule: e.target.value })} />}
          </Field>
          <Field label="Matching attribute" error={errors.matching_attribute}
            hint="How an existing account in the application is matched to a user.">
            {(id, d) => <input id={id} aria-describedby={d} value={s.matching_attribute}
              onChange={(e) => setS({ ...s, matching_attribute: e.target.value })} />}
          </Field>
          <Field label="Requests a second to the application" error={errors.rate_limit_per_second}
            hint="The most this server sends to the application's API each second; 0 is no limit.">
            {(id, d) => <input id={id} aria-describedby={d} inputMode="decimal" value={s.rate_limit_per_second}
              onChange={(e) => setS({ ...s, rate_limit_per_second: e.target.value })} />}
          </Field>
          <Field label="Burst after a quiet spell" error={errors.rate_limit_burst}
            hint="Requests that may go at once when the application has been idle; 0 is one second's worth of the rate.">
            {(id, d) => <input id={id} aria-describedby={d} inputMode="numeric" value={s.rate_limit_burst}
              onChange={(e) => setS({ ...s, rate_limit_burst: e.target.value })} />}
          </Field>
          <Field label="Requests at once" error={errors.concurrency}
            hint="The most requests in flight to the application at a time; 0 is no cap.">
            {(id, d) => <input id={id} aria-describedby={d} inputMode="numeric" value={s.concurrency}
              onChange={(e) => setS({ ...s, concurrency: e.target.value })} />}
          </Field>
          <Field label="Push assigned groups" error={errors.push_groups}
            hint="Create assigned groups in the application and keep their members in step (where it has groups).">
            {(id, d) => <input id={id} aria-describedby={d} type="checkbox" checked={s.push_groups}
              onChange={(e) => setS({ ...s, push_groups: e.target.checked })} />}
          </Field>
          {google && (
            <>
              <Field label="Role of pushed group members" error={errors.group_member_role}
                hint="The Google Workspace group role given to the members Provisio adds.">
                {(id, d) => (
                  <select id={id} aria-describedby={d} value={s.group_member_role}
                    onChange={(e) => setS({ ...s, group_member_role: e.target.value as typeof s.group_member_role })}>
                    <option value="">The connection's default (Member)</option>
                    <option value="MEMBER">Member</option>
                    <option value="MANAGER">Manager</option>
                    <option value="OWNER">Owner</option>
                  </select>
                )}
              </Field>
              <Field label="Domain of new groups' addresses" error={errors.group_email_domain}
                hint="Pushed groups get an address in this domain; empty: the admin e-mail's domain.">
                {(id, d) => <input id={id} aria-describedby={d} value={s.group_email_domain}
                  onChange={(e) => setS({ ...s, group_email_domain: e.target.value })} />}
              </Field>
            </>
          )}
        </fieldset>
        {!ro && <div className="actions"><button type="submit" className="primary">Save settings</button></div>}
      </form>
    </div>
  );
}
