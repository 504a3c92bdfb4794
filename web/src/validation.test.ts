import { describe, expect, it } from 'vitest';
import type { AuthKind } from './api';
import {
  effectiveCapabilities, groupSearchFilter, toCsv, userSearchFilter, validateConnection,
  settingError, typedSettings, validateGeneral, validateNewAdmin, validateSettings, validateUrl,
} from './validation';

const kinds: AuthKind[] = [
  { kind: 'bearer', label: 'Bearer token', fields: [{ name: 'token', secret: true, required: true, max_length: 10 }] },
  { kind: 'google_service_account', label: 'Google', fields: [
    { name: 'service_account_json', secret: true, required: true, max_length: 100000 },
    { name: 'admin_email', secret: false, required: true, max_length: 100 }] },
];
const draft = { name: 'c', base_url: 'https://x.example.com/scim/v2', kind: 'bearer', auth: { token: 't' }, settings: {} };

describe('form validation', () => {
  it('needs a name', () => {
    expect(validateGeneral('  ', '')).toEqual({ name: 'Enter a name.' });
    expect(validateGeneral('Acme', '')).toEqual({});
  });
  it('checks URLs and their scheme', () => {
    expect(validateUrl('', ['https'])).toMatch(/Enter the base URL/);
    expect(validateUrl('not a url', ['https'])).toMatch(/full URL/);
    expect(validateUrl('ldap://h:389', ['https', 'http'])).toMatch(/https:\/\/ or http:\/\//);
    expect(validateUrl('http://127.0.0.1:1/scim/v2', ['https', 'http'])).toBeUndefined();
  });
  it('checks required and over-long auth fields per kind', () => {
    expect(validateConnection(draft, kinds, [], ['https'])).toEqual({});
    expect(validateConnection({ ...draft, auth: {} }, kinds, [], ['https'])).toEqual({ 'auth.token': 'Required.' });
    expect(validateConnection({ ...draft, auth: { token: 'x'.repeat(11) } }, kinds, [], ['https'])['auth.token']).toMatch(/at most 10/);
    expect(validateConnection({ ...draft, kind: 'nope' }, kinds, [], ['https']).kind).toBeDefined();
  });
  it('recognises a service account key file', () => {
    const g = { ...draft, kind: 'google_service_account', auth: { admin_email: 'a@b.c', service_account_json: '{"x":1}' } };
    expect(validateConnection(g, kinds, [], ['https'])['auth.service_account_json']).toMatch(/not a service account/);
    g.auth.service_account_json = '{';
    expect(validateConnection(g, kinds, [], ['https'])['auth.service_account_json']).toMatch(/not JSON/);
    g.auth.service_account_json = '{"private_key":"k","client_email":"e"}';
    expect(validateConnection(g, kinds, [], ['https'])).toEqual({});
  });
  it('requires template settings', () => {
    const s = [{ name: 'base_dn', required: true, description: '' }];
    expect(validateConnection(draft, kinds, s, ['https'])).toEqual({ 'settings.base_dn': 'Required.' });
  });
  it('types settings as the catalog says', () => {
    const fields = [
      { name: 'page_size', required: false, description: '', type: 'integer' as const, min: 200, max: 2000 },
      { name: 'start_tls', required: false, description: '', type: 'boolean' as const },
      { name: 'base_dn', required: true, description: '' },
    ];
    expect(typedSettings(fields, { page_size: '500', start_tls: 'false', base_dn: 'dc=x' }))
      .toEqual({ page_size: 500, start_tls: false, base_dn: 'dc=x' });
    expect(typedSettings(fields, { page_size: '' })).toEqual({});
    expect(settingError(fields[0], '100')).toMatch(/200 to 2000/);
    expect(settingError(fields[0], '1.5')).toMatch(/whole number/);
    expect(settingError(fields[0], '')).toBeUndefined();
    expect(settingError(fields[2], ' ')).toBe('Required.');
  });
  it('provisioning brings import/sync', () => {
    expect(effectiveCapabilities(true, false)).toEqual(['provisioning', 'import_sync']);
    expect(effectiveCapabilities(false, true)).toEqual(['import_sync']);
    expect(effectiveCapabilities(false, false)).toEqual([]);
  });
  it('checks settings', () => {
    expect(validateSettings({ deletion_threshold: '500', sync_schedule: '15m' })).toEqual({});
    expect(Object.keys(validateSettings({ deletion_threshold: '-1', sync_schedule: 'hourly' }))).toEqual(['deletion_threshold', 'sync_schedule']);
    const ok = { deletion_threshold: '500', sync_schedule: 'manual' };
    expect(validateSettings({ ...ok, rate_limit_per_second: '2.5', concurrency: '8' })).toEqual({});
    expect(validateSettings({ ...ok, rate_limit_per_second: '0', concurrency: '0' })).toEqual({});
    expect(Object.keys(validateSettings({ ...ok, rate_limit_per_second: '-1', concurrency: '513' }))).toEqual([
      'rate_limit_per_second',
      'concurrency',
    ]);
    expect(Object.keys(validateSettings({ ...ok, rate_limit_per_second: 'fast', concurrency: '1.5' }))).toEqual([
      'rate_limit_per_second',
      'concurrency',
    ]);
    expect(validateSettings({ ...ok, rate_limit_burst: '20', group_email_domain: 'groups.example.com' })).toEqual({});
    expect(validateSettings({ ...ok, rate_limit_burst: '0', group_email_domain: '' })).toEqual({});
    for (const bad of ['-1', '2.5', '100001', 'lots']) {
      expect(Object.keys(validateSettings({ ...ok, rate_limit_burst: bad }))).toEqual(['rate_limit_burst']);
    }
    for (const bad of ['example', 'ex ample.com', '@example.com', 'example..com', '-x.com', 'x.com.']) {
      expect(Object.keys(validateSettings({ ...ok, group_email_domain: bad }))).toEqual(['group_email_domain']);
    }
  });
  it('builds SCIM search filters with quotes escaped', () => {
    expect(userSearchFilter('')).toBe('');
    expect(userSearchFilter('a"b')).toBe('userName co "a\\"b" or displayName co "a\\"b" or emails.value co "a\\"b"');
    expect(groupSearchFilter(' eng ')).toBe('displayName co "eng"');
  });
  it('checks a new admin before sending', () => {
    expect(validateNewAdmin('ada@example.com', 'a long passphrase')).toEqual({});
    expect(Object.keys(validateNewAdmin('ada', 'short'))).toEqual(['email', 'password']);
  });
  it('writes RFC 4180 CSV', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1, 'z']])).toBe('a,b\r\n"x,y","say ""hi"""\r\n1,z\r\n');
  });
});
