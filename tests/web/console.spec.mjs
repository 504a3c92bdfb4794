// The admin console end to end in real headless Chromium against the real server and the
// SCIM 2.0 emulator: sign in, create a connection and an application through the wizard,
// assign a user and a group, watch their accounts appear in the emulator, the Accounts tab
// and the provisioning log, and check that Operator and Admin see no actions beyond their role.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, check, eventually, startProcess, stop } from './harness.mjs';

const SUPER = { email: 'root@example.com', password: 'a long admin password' };
const ADMIN = { email: 'admin@example.com', password: 'an admin long password' };
const OPERATOR = { email: 'operator@example.com', password: 'an operator long password' };
const EMULATOR_TOKEN = 'emulator-bearer-secret-7f3a';

export async function runConsoleTests({ root, binDir, chromium }) {
  const require = createRequire(join(root, 'web', 'package.json'));
  const { chromium: pw } = require('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'provisio-web-'));
  const shots = join(dir, 'screenshots');
  console.log(`artifacts (screenshots) in ${shots}`);
  let server, emulator, context;
  const consoleErrors = [];
  let keep = false;
  try {
    server = await startProcess(join(binDir, 'provisio'),
      ['serve', '--listen', '127.0.0.1:0', '--data-dir', join(dir, 'data')], {
        PROVISIO_BOOTSTRAP_ADMIN_EMAIL: SUPER.email,
        PROVISIO_BOOTSTRAP_ADMIN_PASSWORD: SUPER.password,
        PROVISIO_WEB_DIR: join(root, 'web', 'dist'),
      });
    emulator = await startProcess(join(binDir, 'provisio-emulator'),
      ['scim2', '--listen', '127.0.0.1:0', '--token', EMULATOR_TOKEN]);
    const base = server.url;
    const target = new Client(emulator.url).bearer(EMULATOR_TOKEN);

    // Setup through the API: other admins, and users and a group arriving over SCIM.
    const api = await new Client(base).signIn(SUPER.email, SUPER.password);
    await api.call('POST', '/api/v1/admins', { ...ADMIN, role: 'admin' });
    await api.call('POST', '/api/v1/admins', { ...OPERATOR, role: 'operator' });
    const { token } = await api.call('POST', '/api/v1/scim-tokens', { name: 'hr', role: 'super-admin' }).catch(
      () => api.call('POST', '/api/v1/scim-tokens', { name: 'hr' }));
    const scim = new Client(base).bearer(token);
    const mkUser = (userName, given, family) => scim.call('POST', '/scim/v2/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName,
      name: { givenName: given, familyName: family }, displayName: `${given} ${family}`,
      emails: [{ value: userName, type: 'work', primary: true }], active: true,
    });
    const alice = await mkUser('alice@example.com', 'Alice', 'Liddell');
    const bob = await mkUser('bob@example.com', 'Bob', 'Builder');
    await scim.call('POST', '/scim/v2/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering',
      members: [{ value: bob.id }],
    });

    context = await pw.launchPersistentContext(join(dir, 'profile'), {
      executablePath: chromium,
      headless: true,
      viewport: { width: 1280, height: 860 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15000);
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    let n = 0;
    const shot = async (name) => page.screenshot({ path: join(shots, `${String(++n).padStart(2, '0')}-${name}.png`), fullPage: true });
    const signIn = async (who) => {
      await page.goto(`${base}/`);
      await page.getByLabel('Email').fill(who.email);
      await page.getByLabel('Password').fill(who.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Application Integration' }).waitFor();
    };
    const signOut = async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to Provisio' }).waitFor();
    };

    // --- Sign-in, with a wrong password first.
    await page.goto(`${base}/`);
    await page.getByLabel('Email').fill(SUPER.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'email or password is not right' }).waitFor();
    await shot('sign-in-error');
    await signIn(SUPER);
    check((await page.getByTestId('role').textContent()) === 'Super Admin', 'role shown');

    // --- The wizard.
    await page.getByRole('link', { name: 'Create New Application' }).click();
    await page.getByRole('heading', { name: 'Choose from the catalog' }).waitFor();
    await page.locator('.tile-name').first().waitFor();
    for (const name of ['SCIM 2.0', 'Salesforce', 'Google Workspace', 'LDAP']) {
      check(await page.locator('.tile-name', { hasText: name }).count() === 1, `catalog offers ${name}`);
    }
    await page.getByRole('radio', { name: /SCIM 2\.0/ }).check();
    await shot('wizard-1-catalog');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'General Settings' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Enter a name.').waitFor();  // form validation beside the field
    await page.getByLabel('Name', { exact: true }).fill('Acme SCIM');
    await page.getByLabel('Description (optional)').fill('Acme’s SCIM 2.0 endpoint');
    await shot('wizard-2-general');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Choose Capabilities' }).waitFor();
    const prov = page.getByRole('checkbox', { name: /Provisioning/ });
    const imp = page.getByRole('checkbox', { name: /Import\/Sync/ });
    check(await prov.isChecked(), 'Provisioning checked by default');
    check(await imp.isChecked() && await imp.isDisabled(), 'Provisioning locks Import/Sync (checked, disabled)');
    await page.getByText('Provisioning needs Import/Sync').waitFor();
    await prov.uncheck();
    check(await imp.isEnabled(), 'Import/Sync unlocked without Provisioning');
    check(await page.getByText('Provisioning needs Import/Sync').count() === 0, 'reason hidden when unlocked');
    await imp.uncheck();
    await prov.check();
    check(await imp.isChecked() && await imp.isDisabled(), 'checking Provisioning checks and locks Import/Sync again');
    await shot('wizard-3-capabilities');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Integration Settings' }).waitFor();
    const form = page.getByRole('form', { name: 'Create Connection' });
    await form.getByLabel('Connection name').fill('Acme emulator');
    await form.getByLabel('Base URL').fill(`${emulator.url}/scim/v2`);
    await form.getByLabel('Authentication').selectOption('bearer');
    await form.getByLabel('Bearer token').fill(EMULATOR_TOKEN);
    await shot('wizard-4-create-connection');
    await form.getByRole('button', { name: 'Create connection' }).click();
    const summary = page.getByTestId('secret-summary');
    await summary.waitFor();
    const summaryText = await summary.textContent();
    check(summaryText.includes('Bearer token: set'), `secret shown as set: ${summaryText}`);
    check(!(await page.content()).includes(EMULATOR_TOKEN), 'the secret is never displayed');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('test-result').filter({ hasText: 'Connection works' }).waitFor();
    await shot('wizard-4-tested');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Acme SCIM' }).waitFor();
    await page.locator('.badge', { hasText: 'active' }).first().waitFor();
    const appId = new URL(page.url()).pathname.split('/')[2];
    await shot('application-settings');

    // --- Assign a user and a group.
    await page.getByRole('link', { name: 'Assignments' }).click();
    await page.getByRole('searchbox', { name: 'Search users or groups' }).fill('alice');
    await page.getByRole('button', { name: 'Assign Alice Liddell' }).click();
    await page.getByRole('status').filter({ hasText: 'Assigned Alice Liddell' }).waitFor();
    await page.getByLabel('Search in').selectOption('group');
    await page.getByRole('searchbox', { name: 'Search users or groups' }).fill('Eng');
    await page.getByRole('button', { name: 'Assign Engineering' }).click();
    await page.getByRole('status').filter({ hasText: 'Assigned Engineering' }).waitFor();
    await page.getByRole('cell', { name: 'Engineering', exact: true }).waitFor();
    await shot('assignments');

    // --- The engine provisions both users into the emulator.
    await eventually('alice and bob in the emulator', async () => {
      const r = await target.call('GET', '/scim/v2/Users');
      const names = r.Resources.map((u) => u.userName);
      return names.includes('alice@example.com') && names.includes('bob@example.com');
    }, 30000);

    // --- Provision on demand shows steps; Sync now (dry run) shows a plan.
    await page.getByRole('link', { name: 'Provisioning', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search users' }).fill('bob');
    await page.getByRole('button', { name: 'Provision Bob Builder' }).click();
    await page.getByTestId('provision-steps').locator('li').first().waitFor();
    await page.getByLabel('Full (every assigned user)').check();
    await page.getByLabel(/Dry run: plan only/).check();
    await page.getByRole('button', { name: 'Plan sync (dry run)' }).click();
    await page.getByTestId('sync-report').waitFor();
    await shot('provisioning');

    // --- Accounts and the provisioning log.
    await page.getByRole('link', { name: 'Accounts' }).click();
    await eventually('accounts listed', async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      const t = await page.getByTestId('accounts').textContent({ timeout: 2000 });
      return t.includes('Alice Liddell') && t.includes('Bob Builder');
    });
    await shot('accounts');
    await page.getByRole('link', { name: 'Provisioning log' }).click();
    await page.getByTestId('provisioning-log').getByText('Alice Liddell').first().waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = await (await download).path();
    check(csv, 'CSV downloaded');
    await shot('provisioning-log');

    // --- A deep link reloads into the same page (index.html fallback).
    await page.goto(`${base}/applications/${appId}/accounts`);
    await page.getByTestId('accounts').waitFor();

    // --- Quarantine banner with Resume (state set through the API, as the engine would).
    await api.call('PATCH', `/api/v1/applications/${appId}`, { state: 'quarantined' });
    await page.goto(`${base}/applications/${appId}`);
    await page.getByRole('alert').filter({ hasText: 'Quarantined' }).waitFor();
    await shot('quarantined');
    await page.getByRole('button', { name: 'Resume' }).click();
    await eventually('resumed', async () => (await api.call('GET', `/api/v1/applications/${appId}`)).state === 'active');

    // --- Operator: reads everything, is offered no write action.
    await signOut();
    await signIn(OPERATOR);
    check((await page.getByTestId('role').textContent()) === 'Operator', 'operator role shown');
    check(await page.getByRole('link', { name: 'Create New Application' }).count() === 0, 'operator: no Create');
    check(await page.getByRole('link', { name: 'Admins' }).count() === 0, 'operator: no Admins');
    await page.getByRole('link', { name: 'Acme SCIM' }).click();
    await page.getByRole('heading', { name: 'Provisioning settings' }).waitFor();
    check(await page.getByRole('button', { name: 'Save settings' }).count() === 0, 'operator: no Save settings');
    await page.getByRole('link', { name: 'Assignments' }).click();
    await page.getByRole('cell', { name: 'Alice Liddell', exact: true }).waitFor();
    check(await page.getByRole('button', { name: /Unassign|Assign/ }).count() === 0, 'operator: no assign/unassign');
    await page.getByRole('link', { name: 'Mappings' }).click();
    await page.getByRole('heading', { name: 'Attribute mappings' }).waitFor();
    check(await page.getByRole('button', { name: /Save mappings|Add mapping|Remove/ }).count() === 0, 'operator: read-only mappings');
    await page.getByRole('link', { name: 'Provisioning', exact: true }).click();
    await page.getByRole('heading', { name: 'Engine status' }).waitFor();
    check(await page.getByRole('button', { name: /Sync now|Plan sync|Provision/ }).count() === 0, 'operator: no Sync/Provision');
    await shot('operator-provisioning');
    await page.goto(`${base}/applications/new`);
    await page.getByText('Your role cannot create applications.').waitFor();

    // --- Admin: everything but the Admins page.
    await page.goto(`${base}/applications`);
    await signOut();
    await signIn(ADMIN);
    check(await page.getByRole('link', { name: 'Create New Application' }).count() === 1, 'admin: Create offered');
    check(await page.getByRole('link', { name: 'Admins' }).count() === 0, 'admin: no Admins link');
    await page.goto(`${base}/admins`);
    await page.getByText('Only a Super Admin can manage administrators.').waitFor();
    await shot('admin-no-admins-page');

    check(consoleErrors.length === 0, `no page errors: ${consoleErrors.join('; ')}`);
  } catch (e) {
    keep = true;
    try {
      const p = context?.pages()[0];
      if (p) await p.screenshot({ path: join(shots, 'failure.png'), fullPage: true });
    } catch { /* best effort */ }
    if (consoleErrors.length) console.error(`--- page errors ---\n${consoleErrors.join('\n')}`);
    if (server) console.error(`--- provisio stderr (tail) ---\n${server.stderr().slice(-4000)}`);
    throw e;
  } finally {
    await context?.close().catch(() => {});
    await stop(emulator);
    await stop(server);
    if (!keep && process.env.PROVISIO_KEEP_ARTIFACTS !== '1') {
      rmSync(join(dir, 'data'), { recursive: true, force: true });
      rmSync(join(dir, 'profile'), { recursive: true, force: true });
    }
  }
}
