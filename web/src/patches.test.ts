import { describe, expect, it } from 'vitest';
import type { AuthKind, Connection } from './api';
import {
  connectionPatch, draftOf, editOf, emptyUser, memberOps, newUserBody, userPatch, validateConnectionEdit,
  validateUser,
} from './patches';

const alice = draftOf({
  id: '1', userName: 'alice@example.com', displayName: 'Alice', name: { givenName: 'Alice', familyName: 'Liddell' },
  emails: [{ value: 'old@example.com' }, { value: 'alice@example.com', primary: true }], active: true,
});

describe('users', () => {
  it('reads the primary email', () => {
    expect(alice.email).toBe('alice@example.com');
  });
  it('checks the form', () => {
    expect(validateUser(emptyUser)).toEqual({ userName: 'Enter a user name.' });
    expect(validateUser({ ...alice, email: 'nope' }).email).toMatch(/email address/);
    expect(validateUser(alice)).toEqual({});
  });
  it('creates with only the fields given', () => {
    expect(newUserBody({ ...emptyUser, userName: ' carol ', familyName: 'D' })).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'carol', active: true,
      name: { familyName: 'D' },
    });
  });
  it('patches only what changed', () => {
    expect(userPatch(alice, alice)).toEqual([]);
    expect(userPatch(alice, { ...alice, displayName: 'Alice L.', title: 'CTO', active: false })).toEqual([
      { op: 'replace', path: 'displayName', value: 'Alice L.' },
      { op: 'replace', path: 'title', value: 'CTO' },
      { op: 'replace', path: 'active', value: false },
    ]);
    expect(userPatch(alice, { ...alice, givenName: ' ', email: 'a@b.example' })).toEqual([
      { op: 'remove', path: 'name.givenName' },
      { op: 'replace', path: 'emails', value: [{ value: 'a@b.example', type: 'work', primary: true }] },
    ]);
  });
});

describe('group members', () => {
  it('adds in one operation and removes each by filter', () => {
    expect(memberOps([], [])).toEqual([]);
    expect(memberOps(['a', 'b', 'a'], ['c'])).toEqual([
      { op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'b' }] },
      { op: 'remove', path: 'members[value eq "c"]' },
    ]);
  });
  it('cancels an add and a remove of the same member', () => {
    expect(memberOps(['a'], ['a'])).toEqual([]);
  });
});

const kinds: AuthKind[] = [
  { kind: 'bearer', label: 'Bearer', fields: [{ name: 'token', secret: true, required: true, max_length: 100 }] },
  { kind: 'basic', label: 'Basic', fields: [
    { name: 'username', secret: false, required: true, max_length: 100 },
    { name: 'password', secret: true, required: true, max_length: 100 }] },
];
const conn: Connection = {
  id: 'c1', name: 'Acme', type: 'scim2', base_url: 'https://acme.example.com/scim/v2',
  auth: { kind: 'basic', username: 'svc', password: { set: true } },
};

describe('connection editing', () => {
  it('prefills non-secret fields and never a secret', () => {
    const e = editOf(conn);
    expect(e.fields).toEqual({ username: 'svc' });
    expect(e.secrets).toEqual({});
  });
  it('sends nothing when nothing changed, and keeps a set secret', () => {
    const e = editOf(conn);
    expect(connectionPatch(conn, e, kinds)).toEqual({});
    expect(validateConnectionEdit(conn, e, kinds, ['https'], [])).toEqual({});
  });
  it('sends the changed fields and a replaced secret', () => {
    const e = { ...editOf(conn), name: 'Acme prod', secrets: { password: 'new' } };
    expect(connectionPatch(conn, e, kinds)).toEqual({
      name: 'Acme prod', auth: { kind: 'basic', username: 'svc', password: 'new' },
    });
    const u = { ...editOf(conn), fields: { username: 'svc2' } };
    expect(connectionPatch(conn, u, kinds)).toEqual({ auth: { kind: 'basic', username: 'svc2' } });
  });
  it('needs every secret again when the kind changes', () => {
    const e = { ...editOf(conn), kind: 'bearer', fields: {} };
    expect(validateConnectionEdit(conn, e, kinds, ['https'], [])).toEqual({ 'auth.token': 'Required.' });
    expect(connectionPatch(conn, { ...e, secrets: { token: 't' } }, kinds)).toEqual({ auth: { kind: 'bearer', token: 't' } });
  });
  it('checks the URL scheme and required settings', () => {
    const e = { ...editOf(conn), base_url: 'ldap://x' };
    const baseDn = { name: 'base_dn', required: true, description: '' };
    expect(Object.keys(validateConnectionEdit(conn, e, kinds, ['https'], [baseDn]))).toEqual(['base_url', 'settings.base_dn']);
  });
  it('edits typed settings as text and sends them typed, an emptied one as null', () => {
    const fields = [
      { name: 'collection_size', required: false, description: '', type: 'integer' as const, min: 1, max: 200 },
      { name: 'bulk', required: false, description: '', type: 'boolean' as const },
      { name: 'deprovision', required: false, description: '', type: 'choice' as const, choices: ['deactivate', 'freeze'] },
    ];
    const c = { ...conn, settings: { collection_size: 50, bulk: true } };
    expect(editOf(c).settings).toEqual({ collection_size: '50', bulk: 'true' });
    expect(connectionPatch(c, editOf(c), kinds, fields)).toEqual({});
    const changed = { ...editOf(c), settings: { collection_size: '', bulk: 'false', deprovision: 'freeze' } };
    expect(connectionPatch(c, changed, kinds, fields)).toEqual({
      settings: { collection_size: null, bulk: false, deprovision: 'freeze' },
    });
    const bad = { ...editOf(c), settings: { collection_size: '500', deprovision: 'delete' } };
    expect(Object.keys(validateConnectionEdit(c, bad, kinds, ['https'], fields)).sort()).toEqual(
      ['settings.collection_size', 'settings.deprovision']);
  });
  it('takes http:// only to loopback where the template says so', () => {
    const local = { ...editOf(conn), base_url: 'http://127.0.0.1:8081' };
    expect(validateConnectionEdit(conn, local, kinds, ['https'], [], true).base_url).toBeUndefined();
    const remote = { ...editOf(conn), base_url: 'http://login.salesforce.com' };
    expect(validateConnectionEdit(conn, remote, kinds, ['https'], [], true).base_url).toMatch(/local emulator/);
    expect(validateConnectionEdit(conn, local, kinds, ['https'], []).base_url).toMatch(/https:\/\//);
  });
  it('sends settings only when one changed', () => {
    const c = { ...conn, settings: { base_dn: 'dc=x' } };
    expect(connectionPatch(c, editOf(c), kinds)).toEqual({});
    expect(connectionPatch(c, { ...editOf(c), settings: { base_dn: 'dc=y' } }, kinds)).toEqual({ settings: { base_dn: 'dc=y' } });
  });
});
