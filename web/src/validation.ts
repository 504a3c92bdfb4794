// Form checks done before a request, mirroring what the API refuses, so people see the
// problem beside the field. The API stays the authority.
import type { AuthKind, SettingField } from './api';
import { groupFilter, userFilter } from './search';

export type FieldErrors = Record<string, string>;

export function validateGeneral(name: string, description: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!name.trim()) errors.name = 'Enter a name.';
  else if (name.length > 200) errors.name = 'Use at most 200 characters.';
  if (description.length > 2000) errors.description = 'Use at most 2000 characters.';
  return errors;
}

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

// `httpLoopback`: the template takes http:// only to a loopback host (a local emulator).
export function validateUrl(value: string, schemes: string[], httpLoopback = false): string | undefined {
  if (!value.trim()) return 'Enter the base URL.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL, such as https://example.com/scim/v2.';
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (httpLoopback && scheme === 'http') {
    if (LOOPBACK.test(url.hostname)) return undefined;
    return 'Use https://; http:// is accepted only for a local emulator (127.0.0.1, ::1, localhost).';
  }
  if (schemes.length && !schemes.includes(scheme)) {
    return `The URL must start with ${schemes.map((s) => `${s}://`).join(' or ')}.`;
  }
  return undefined;
}

// The problem with a connection setting's text, as the API would refuse it.
export function settingError(f: SettingField, text: string): string | undefined {
  const v = text.trim();
  if (!v) return f.required ? 'Required.' : undefined;
  if (f.type === 'integer') {
    const range = `${f.min ?? 0} to ${f.max ?? Number.MAX_SAFE_INTEGER}`;
    if (!/^\d+$/.test(v)) return `Enter a whole number from ${range}.`;
    const n = Number(v);
    if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) {
      return `Enter a whole number from ${range}.`;
    }
  }
  if (f.type === 'boolean' && v !== 'true' && v !== 'false') return 'Choose true or false.';
  if (f.type === 'choice' && !(f.choices ?? []).includes(v)) return `Choose one of ${(f.choices ?? []).join(', ')}.`;
  return undefined;
}

// Settings as the API stores them: integers as numbers, booleans as booleans. An empty text
// is left out, or (`clear`, when editing) sent as null to go back to the default.
export function typedSettings(
  fields: SettingField[], values: Record<string, string>, clear = false,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const f of fields) {
    const v = (values[f.name] ?? '').trim();
    if (!v) {
      if (clear && f.name in values) out[f.name] = null;
      continue;
    }
    if (f.type === 'integer' && /^\d+$/.test(v)) out[f.name] = Number(v);
    else if (f.type === 'boolean' && (v === 'true' || v === 'false')) out[f.name] = v === 'true';
    else out[f.name] = v;
  }
  return out;
}

export interface ConnectionDraft {
  name: string;
  base_url: string;
  kind: string;
  auth: Record<string, string>;
  settings: Record<string, string>;
}

export function validateConnection(
  d: ConnectionDraft,
  kinds: AuthKind[],
  settings: SettingField[],
  schemes: string[],
  httpLoopback = false,
): FieldErrors {
  const errors: FieldErrors = {};
  if (!d.name.trim()) errors.name = 'Enter a name for the connection.';
  const urlError = validateUrl(d.base_url, schemes, httpLoopback);
  if (urlError) errors.base_url = urlError;
  const kind = kinds.find((k) => k.kind === d.kind);
  if (!kind) {
    errors.kind = 'Choose how Provisio authenticates.';
  } else {
    for (const f of kind.fields) {
      const v = d.auth[f.name] ?? '';
      if (f.required && !v.trim()) errors[`auth.${f.name}`] = 'Required.';
      else if (f.max_length && v.length > f.max_length) {
        errors[`auth.${f.name}`] = `Use at most ${f.max_length} characters.`;
      }
    }
    if (d.kind === 'google_service_account' && d.auth.service_account_json) {
      try {
        const sa = JSON.parse(d.auth.service_account_json);
        if (!sa.private_key || !sa.client_email) {
          errors['auth.service_account_json'] =
            'This is not a service account key file (no private_key or client_email).';
        }
      } catch {
        errors['auth.service_account_json'] = 'This file is not JSON.';
      }
    }
    if (d.kind === 'salesforce_jwt_bearer' && d.auth.private_key &&
        !d.auth.private_key.includes('PRIVATE KEY-----')) {
      errors['auth.private_key'] = 'This file is not a PEM private key.';
    }
  }
  for (const s of settings) {
    const e = settingError(s, d.settings[s.name] ?? '');
    if (e) errors[`settings.${s.name}`] = e;
  }
  return errors;
}

// Asking for provisioning always brings import/sync: Provisio must read the target's
// accounts to match and update them.
export function effectiveCapabilities(provisioning: boolean, importSync: boolean): string[] {
  const caps: string[] = [];
  if (provisioning) caps.push('provisioning');
  if (provisioning || importSync) caps.push('import_sync');
  return caps;
}

export function validateSettings(s: {
  deletion_threshold: string;
  sync_schedule: string;
  rate_limit_per_second?: string;
  rate_limit_burst?: string;
  concurrency?: string;
  group_email_domain?: string;
}): FieldErrors {
  const errors: FieldErrors = {};
  const rate = s.rate_limit_per_second ?? '0';
  if (!/^\d+(\.\d+)?$/.test(rate) || Number(rate) > 100_000) {
    errors.rate_limit_per_second = 'Enter a number of requests a second from 0 to 100000 (0: no limit).';
  }
  const burst = s.rate_limit_burst ?? '0';
  if (!/^\d+$/.test(burst) || Number(burst) > 100_000) {
    errors.rate_limit_burst = 'Enter a whole number from 0 to 100000 (0: one second\'s worth of the rate).';
  }
  const domain = s.group_email_domain ?? '';
  if (domain !== '' && !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(domain)) {
    errors.group_email_domain = 'Enter a domain name such as example.com, or leave it empty.';
  }
  const concurrency = s.concurrency ?? '0';
  if (!/^\d+$/.test(concurrency) || Number(concurrency) > 512) {
    errors.concurrency = 'Enter a whole number from 0 to 512 (0: no cap).';
  }
  if (!/^\d+$/.test(s.deletion_threshold) || Number(s.deletion_threshold) > 10_000_000) {
    errors.deletion_threshold = 'Enter a whole number from 0 to 10000000 (0 turns the guard off).';
  }
  if (s.sync_schedule !== 'manual' && !/^\d+[smhd]$/.test(s.sync_schedule)) {
    errors.sync_schedule = 'Enter "manual" or an interval such as 15m, 1h or 1d.';
  }
  return errors;
}

// A SCIM filter for a free-text search over users: userName, name and email.
export function userSearchFilter(text: string): string {
  return userFilter('any', text);
}

export function groupSearchFilter(text: string): string {
  return groupFilter(text);
}

// RFC 4180 CSV: quote fields with commas, quotes or line breaks; double inner quotes.
export function toCsv(header: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export const MIN_PASSWORD_CHARS = 12;

export function validateNewAdmin(email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) errors.email = 'Enter an email address such as ada@example.com.';
  if ([...password].length < MIN_PASSWORD_CHARS) errors.password = `Use at least ${MIN_PASSWORD_CHARS} characters; a passphrase is best.`;
  return errors;
}
