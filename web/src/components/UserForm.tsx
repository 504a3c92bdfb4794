// The fields of a portal user, checked beside each field before anything is sent.
import { useState, type FormEvent } from 'react';
import { errorField } from '../errors';
import { emptyUser, validateUser, type UserDraft } from '../patches';
import type { FieldErrors } from '../validation';
import { Field } from './ui';

const FIELD_OF_PATH: Record<string, keyof UserDraft> = {
  userName: 'userName', displayName: 'displayName', 'name.givenName': 'givenName',
  'name.familyName': 'familyName', emails: 'email', title: 'title',
};

export function UserForm(props: {
  initial?: UserDraft;
  submitLabel: string;
  readOnly?: boolean;
  onSubmit: (d: UserDraft, e: FormEvent) => Promise<void>;
}) {
  const [d, setD] = useState<UserDraft>(props.initial ?? emptyUser);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const text = (key: keyof UserDraft, label: string, hint?: string, type = 'text') => (
    <Field label={label} error={errors[key]} hint={hint}>
      {(id, desc) => <input id={id} aria-describedby={desc} type={type} value={d[key] as string}
        readOnly={props.readOnly} aria-invalid={errors[key] ? true : undefined}
        onChange={(e) => setD({ ...d, [key]: e.target.value })} />}
    </Field>
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = validateUser(d);
    setErrors(v);
    if (Object.keys(v).length) return;
    setBusy(true);
    try {
      await props.onSubmit(d, e);
    } catch (err) {
      const f = errorField(err);
      const key = f ? FIELD_OF_PATH[f] ?? f : undefined;
      if (key) setErrors({ [key]: 'The server refused this field.' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-label="User">
      <fieldset disabled={props.readOnly}>
        {text('userName', 'User name', 'Unique; often the work email.')}
        {text('displayName', 'Display name (optional)')}
        {text('givenName', 'Given name (optional)')}
        {text('familyName', 'Family name (optional)')}
        {text('email', 'Work email (optional)', undefined, 'email')}
        {text('title', 'Title (optional)')}
        <label className="check">
          <input type="checkbox" checked={d.active} onChange={(e) => setD({ ...d, active: e.target.checked })} />
          <span>Active (the default mappings carry this to the user's accounts: unchecked, they are deactivated)</span>
        </label>
      </fieldset>
      {!props.readOnly && (
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : props.submitLabel}</button>
        </div>
      )}
    </form>
  );
}
