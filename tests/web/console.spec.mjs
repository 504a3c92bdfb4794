// The admin console end to end in real headless Chromium against the real server and the
// SCIM 2.0 emulator: sign in, create a connection and an application through the wizard,
// assign a user and a group, watch their accounts appear in the emulator, preview unsaved
// mappings for a user, the Accounts tab and the provisioning log; import from a second (seeded)
// emulator with Import now and review what a hold policy held; walk the
// Users, Groups, connection, Tokens, Admins, Audit log and Status pages; and check that Operator and
// Admin see no actions beyond their role.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, check, eventually, startProcess, stop } from './harness.mjs';

const SUPER = { email: 'root@example.com', password: 'a long admin password' };
const ADMIN = { email: 'admin@example.com', password: 'an admin long password' };
const OPERATOR = { email: 'operator@example.com', password: 'an operator long password' };
const EMULATOR_TOKEN = 'emulator-bearer-secret-7f3a';
const SOURCE_TOKEN = 'source-bearer-secret-91c2';
const SEEDED = 25;  // users in the import source: with alice, bob and a new hire, more than a page of 20

export async function runConsoleTests({ root, binDir, chromium }) {
  const require = createRequire(join(root, 'web', 'package.json'));
  const { chromium: pw } = require('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'provisio-web-'));
  const shots = join(dir, 'screenshots');
  console.log(`artifacts (screenshots) in ${shots}`);
  let server, emulator, source, context;
  const consoleErrors = [];
  let keep = false;
  try {
    // A change gives up after two attempts here, so a dead letter appears in seconds.
    writeFileSync(join(dir, 'provisio.toml'), '[provisioning]\nmax_attempts = 2\n');
    server = await startProcess(join(binDir, 'provisio'),
      ['serve', '--listen', '127.0.0.1:0', '--data-dir', join(dir, 'data')], {
        PROVISIO_CONFIG: join(dir, 'provisio.toml'),
        PROVISIO_BOOTSTRAP_ADMIN_EMAIL: SUPER.email,
        PROVISIO_BOOTSTRAP_ADMIN_PASSWORD: SUPER.password,
        PROVISIO_WEB_DIR: join(root, 'web', 'dist'),
      });
    emulator = await startProcess(join(binDir, 'provisio-emulator'),
      ['scim2', '--listen', '127.0.0.1:0', '--token', EMULATOR_TOKEN]);
    source = await startProcess(join(binDir, 'provisio-emulator'),
      ['scim2', '--listen', '127.0.0.1:0', '--token', SOURCE_TOKEN, '--seed-users', String(SEEDED)]);
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

    // --- Mappings: preview unsaved edits for a chosen user; a failing row shows its error,
    // an invalid expression is refused with its row marked; nothing is saved or sent.
    await page.getByRole('link', { name: 'Mappings' }).click();
    await page.getByRole('heading', { name: 'Attribute mappings' }).waitFor();
    const displayRow = await eventually('mapping rows', async () => {
      const n = await page.locator('table.mappings tbody tr').count();
      for (let i = 1; i <= n; i++) {
        if (await page.getByLabel(`Target attribute, row ${i}`).inputValue() === 'displayName') return i;
      }
      return 0;
    });
    await page.getByLabel(`Source expression, row ${displayRow}`).fill('ToUpper([displayName])');
    await page.getByRole('button', { name: 'Add mapping' }).click();
    const rowCount = await page.locator('table.mappings tbody tr').count();
    await page.getByLabel(`Target attribute, row ${rowCount}`).fill('nickName');
    await page.getByLabel(`Source expression, row ${rowCount}`).fill('Left([active], 2)');
    await page.getByRole('button', { name: 'Preview for user…' }).click();
    await page.getByRole('searchbox', { name: 'Search users to preview' }).fill('alice');
    await page.getByRole('button', { name: 'Preview Alice Liddell' }).click();
    const previewResult = page.getByTestId('preview-result');
    await previewResult.filter({ hasText: 'unsaved mappings' }).waitFor();
    const previewText = await previewResult.textContent();
    check(previewText.includes('"ALICE LIDDELL"'), `preview evaluates the unsaved expression: ${previewText}`);
    check(previewText.includes('Assigned and in scope'), `alice is assigned and in scope: ${previewText}`);
    check(previewText.includes('1 error') && previewText.includes('Left: argument 1 (source) must be a string, got boolean'),
      `the failing row shows its error: ${previewText}`);
    check(previewText.includes('"alice@example.com"'), `other rows keep their values: ${previewText}`);
    await shot('mapping-preview');
    await page.getByLabel(`Source expression, row ${rowCount}`).fill('Left([userName] 8)');
    await page.getByRole('button', { name: 'Preview for user…' }).click();
    await page.getByRole('searchbox', { name: 'Search users to preview' }).fill('alice');
    await page.getByRole('button', { name: 'Preview Alice Liddell' }).click();
    await page.getByRole('alert').filter({ hasText: 'at position 17' }).waitFor();
    check(await page.locator('table.mappings tbody tr.row-invalid').count() === 1, 'the refused row is marked');
    const savedMappings = await api.call('GET', `/api/v1/applications/${appId}/mappings`);
    check(!JSON.stringify(savedMappings).includes('ToUpper'), 'a preview saves nothing');
    const aliceInTarget = (await target.call('GET', '/scim/v2/Users?filter=userName%20eq%20%22alice@example.com%22')).Resources[0];
    check(aliceInTarget.displayName === 'Alice Liddell', `a preview sends nothing: ${JSON.stringify(aliceInTarget)}`);

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

    // --- Provisioning settings: the rate budget and group push, checked before they are sent.
    await page.getByLabel('Requests at once').fill('600');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Enter a whole number from 0 to 512').waitFor();
    check((await api.call('GET', `/api/v1/applications/${appId}`)).settings.concurrency !== 600, 'a refused concurrency is not sent');
    await page.getByLabel('Requests at once').fill('4');
    await page.getByLabel('Requests a second to the application').fill('20');
    await page.getByLabel('Burst after a quiet spell').fill('50');
    await page.getByLabel('Push assigned groups').uncheck();
    check(await page.getByLabel('Role of pushed group members').count() === 0, 'Google-only settings hidden for a SCIM application');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const saved = (await api.call('GET', `/api/v1/applications/${appId}`)).settings;
    check(saved.concurrency === 4 && saved.rate_limit_per_second === 20 && saved.rate_limit_burst === 50 &&
      saved.push_groups === false && !('group_member_role' in saved),
      `settings saved typed: ${JSON.stringify(saved)}`);
    await page.getByLabel('Push assigned groups').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await eventually('push_groups back on', async () => (await api.call('GET', `/api/v1/applications/${appId}`)).settings.push_groups === true);

    // --- A Google Workspace application's own group settings: member role and group domain.
    const gws = await api.call('POST', '/api/v1/applications', {
      template: 'google-workspace', name: 'Workspace', capabilities: ['provisioning'],
    });
    await page.goto(`${base}/applications/${gws.id}`);
    await page.getByLabel("Domain of new groups' addresses").fill('not a domain');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Enter a domain name such as example.com').waitFor();
    check(!(await api.call('GET', `/api/v1/applications/${gws.id}`)).settings.group_email_domain, 'a refused domain is not sent');
    await page.getByLabel("Domain of new groups' addresses").fill('groups.example.com');
    await page.getByLabel('Role of pushed group members').selectOption('MANAGER');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const gsaved = (await api.call('GET', `/api/v1/applications/${gws.id}`)).settings;
    check(gsaved.group_member_role === 'MANAGER' && gsaved.group_email_domain === 'groups.example.com',
      `Google group settings saved: ${JSON.stringify(gsaved)}`);
    await page.reload();
    check(await page.getByLabel('Role of pushed group members').inputValue() === 'MANAGER', 'the saved role is shown again');

    // --- Dead letters: an application whose target never answers gives up on alice after
    // two attempts; its Provisioning tab lists her with the error, and Retry queues her again.
    const downConn = await api.call('POST', '/api/v1/connections', {
      name: 'Unreachable target', type: 'scim2', base_url: 'http://127.0.0.1:9/scim/v2',
      auth: { kind: 'bearer', token: 'unreachable-token' },
    });
    const down = await api.call('POST', '/api/v1/applications', {
      template: 'scim2', name: 'Unreachable', capabilities: ['provisioning'], connection_id: downConn.id,
    });
    await api.call('POST', `/api/v1/applications/${down.id}/assignments`, { user_id: alice.id });
    await eventually('alice dead-lettered', async () =>
      (await api.call('GET', `/api/v1/applications/${down.id}/dead-letters`)).items.length === 1, 30000);
    await page.goto(`${base}/applications/${down.id}/provisioning`);
    const dead = page.getByTestId('dead-letters');
    await dead.getByRole('cell', { name: 'alice@example.com' }).waitFor();
    check(await dead.getByRole('cell', { name: '2', exact: true }).count() === 1, 'dead letter shows its 2 attempts');
    await shot('dead-letters');
    await dead.getByRole('button', { name: 'Retry dead letters' }).click();
    await dead.getByRole('status').filter({ hasText: 'Queued 1 again.' }).waitFor();
    await api.call('DELETE', `/api/v1/applications/${down.id}`);

    // --- Import now from an application's page: a SCIM source seeded with users.
    const srcConn = await api.call('POST', '/api/v1/connections', {
      name: 'HR source', type: 'scim2', base_url: `${source.url}/scim/v2`,
      auth: { kind: 'bearer', token: SOURCE_TOKEN },
    });
    const hr = await api.call('POST', '/api/v1/applications', {
      template: 'scim2', name: 'HR source', capabilities: ['import_sync'], connection_id: srcConn.id,
    });
    await page.goto(`${base}/applications/${hr.id}/provisioning`);
    await page.getByRole('heading', { name: 'Import now' }).waitFor();
    check(await page.getByRole('button', { name: /Sync now|Provision/ }).count() === 0, 'import-only: no Sync now or Provision');
    await page.getByLabel('Import mode').selectOption('full');
    await page.getByRole('button', { name: 'Import now' }).click();
    const run = page.getByTestId('import-run');
    await run.waitFor();
    await run.locator('.badge', { hasText: /^succeeded$/ }).waitFor({ timeout: 30000 });
    const runText = await run.textContent();
    check(/created\s*25/.test(runText) && /read\s*25/.test(runText), `import counts: ${runText}`);
    await shot('import-succeeded');

    // --- Held for review: with a hold policy, a new source record and title changes wait for
    // an admin; one change applied, one rejected, the record created, one change left pending.
    const srcApi = new Client(source.url).bearer(SOURCE_TOKEN);
    await api.call('PATCH', `/api/v1/applications/${hr.id}`, {
      settings: { import_unmatched: 'hold', import_hold_attributes: ['title'] },
    });
    await srcApi.call('POST', '/scim/v2/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'newhire@example.com',
      name: { givenName: 'New', familyName: 'Hire' }, displayName: 'New Hire',
      emails: [{ value: 'newhire@example.com', type: 'work', primary: true }], active: true,
    });
    const srcUsers = (await srcApi.call('GET', '/scim/v2/Users?count=100')).Resources;
    for (const [userName, title] of [['user00005', 'Engineer'], ['user00006', 'Manager'], ['user00007', 'Director']]) {
      const id = srcUsers.find((u) => u.userName === userName).id;
      await srcApi.call('PATCH', `/scim/v2/Users/${id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'title', value: title }],
      });
    }
    await page.getByRole('button', { name: 'Import now' }).click();
    await run.filter({ hasText: /held\s*4(?!\d)/ }).locator('.badge', { hasText: /^succeeded$/ }).waitFor({ timeout: 30000 });
    await page.getByRole('link', { name: 'Held for review' }).click();
    const held = page.getByTestId('held');
    await eventually('four held items', async () => await held.getByTestId('held-item').count() === 4);
    const heldText = await held.textContent();
    check(heldText.includes('No portal user matches this record.') && heldText.includes('newhire@example.com'), `the new record is held: ${heldText}`);
    check(heldText.includes('Engineer') && heldText.includes('Director'), `title changes shown with their values: ${heldText}`);
    await shot('held-for-review');
    await held.getByRole('button', { name: 'Apply change to User 5' }).click();
    await page.getByRole('status').filter({ hasText: 'Applied the change to User 5.' }).waitFor();
    await held.getByRole('button', { name: 'Reject change to User 6' }).click();
    await page.getByRole('status').filter({ hasText: 'Rejected the change to User 6.' }).waitFor();
    await held.getByRole('button', { name: 'Create user newhire@example.com' }).click();
    await page.getByRole('status').filter({ hasText: 'Created newhire@example.com.' }).waitFor();
    await eventually('one item left', async () => await held.getByTestId('held-item').count() === 1);
    const users5 = await api.call('GET', `/api/v1/users?filter=${encodeURIComponent('userName eq "user00005"')}`);
    const user5 = await api.call('GET', `/api/v1/users/${users5.items[0].id}`);
    check(user5.user.title === 'Engineer', `the approved change applied: ${JSON.stringify(user5.user)}`);
    const users6 = await api.call('GET', `/api/v1/users?filter=${encodeURIComponent('userName eq "user00006"')}`);
    const user6 = await api.call('GET', `/api/v1/users/${users6.items[0].id}`);
    check(user6.user.title === undefined, `the rejected change did not: ${JSON.stringify(user6.user)}`);
    // The next import remembers the decisions: only the pending change is held.
    await page.getByRole('link', { name: 'Provisioning', exact: true }).click();
    await page.getByRole('button', { name: 'Import now' }).click();
    await page.getByTestId('import-run').filter({ hasText: /held\s*1(?!\d)/ }).locator('.badge', { hasText: /^succeeded$/ }).waitFor({ timeout: 30000 });

    // --- Import mappings: a SCIM source passes through until some are saved; a bad row is
    // refused and marked, a good list saved, and the template's taken back.
    await page.getByRole('link', { name: 'Mappings' }).click();
    const importMappings = page.getByTestId('import-mappings');
    await importMappings.filter({ hasText: 'a SCIM resource passes straight through' }).waitFor();
    await importMappings.getByRole('button', { name: 'Add import mapping' }).click();
    await importMappings.getByLabel('Portal attribute, import row 1').fill('userName');
    await importMappings.getByLabel('Source expression, import row 1').fill('ToLower([userName]');
    await importMappings.getByRole('button', { name: 'Save import mappings' }).click();
    await importMappings.getByRole('alert').waitFor();
    check(await importMappings.locator('tbody tr.row-invalid').count() === 1, 'the refused import row is marked');
    await importMappings.getByLabel('Source expression, import row 1').fill('ToLower([userName])');
    await importMappings.getByRole('button', { name: 'Save import mappings' }).click();
    await importMappings.getByRole('status').filter({ hasText: 'Import mappings saved.' }).waitFor();
    const withImport = await api.call('GET', `/api/v1/applications/${hr.id}`);
    check(withImport.settings.import_mappings?.[0]?.source === 'ToLower([userName])', `import mappings saved: ${JSON.stringify(withImport.settings)}`);
    await shot('import-mappings');
    await importMappings.getByRole('button', { name: 'Use the template’s' }).click();
    await importMappings.getByRole('status').filter({ hasText: 'import mappings are used again' }).waitFor();
    const withoutImport = await api.call('GET', `/api/v1/applications/${hr.id}`);
    check(withoutImport.settings.import_mappings === undefined, 'back to the template’s');

    // --- Users: search by a SCIM filter, page, create, edit, disable; a user's applications.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.getByTestId('pager-range').filter({ hasText: `1–20 of ${SEEDED + 3}` }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('pager-range').filter({ hasText: `21–${SEEDED + 3} of ${SEEDED + 3}` }).waitFor();
    check(await page.getByRole('button', { name: 'Next' }).isDisabled(), 'no page after the last');
    await page.getByLabel('Per page').selectOption('10');
    await page.getByTestId('pager-range').filter({ hasText: `1–10 of ${SEEDED + 3}` }).waitFor();
    await page.getByLabel('Search in').selectOption('userName');
    await page.getByRole('searchbox').fill('user0001');
    await page.getByTestId('scim-filter').filter({ hasText: 'userName sw "user0001"' }).waitFor();
    await page.getByTestId('pager-range').filter({ hasText: '1–10 of 10' }).waitFor();
    await page.getByLabel('Search in').selectOption('any');
    await page.getByRole('searchbox').fill('Liddell');
    await page.getByTestId('pager-range').filter({ hasText: '1–1 of 1' }).waitFor();
    await shot('users-search');
    await page.getByRole('link', { name: 'alice@example.com' }).click();
    const aliceApps = page.getByTestId('user-applications');
    await aliceApps.getByRole('link', { name: 'Acme SCIM' }).waitFor();
    const aliceRow = await aliceApps.locator('tr', { hasText: 'Acme SCIM' }).textContent();
    check(aliceRow.includes('directly') && aliceRow.includes('active'), `alice's account in Acme: ${aliceRow}`);
    await shot('user-detail');
    await page.goBack();  // the search and page live in the URL: Back shows the same list
    await page.getByTestId('pager-range').filter({ hasText: '1–1 of 1' }).waitFor();
    check(await page.getByRole('searchbox').inputValue() === 'Liddell', 'search kept after Back');
    check(new URL(page.url()).searchParams.get('q') === 'Liddell', `search in the URL: ${page.url()}`);
    await page.goto(`${base}/users/${bob.id}`);
    await page.getByTestId('user-applications').getByText('through').waitFor();
    check((await page.getByTestId('user-applications').textContent()).includes('Engineering'), 'bob has Acme through Engineering');

    await page.goto(`${base}/users`);
    await page.getByRole('link', { name: 'Create user' }).click();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Enter a user name.').waitFor();
    await page.getByLabel('User name').fill('carol@example.com');
    await page.getByLabel('Display name (optional)').fill('Carol Danvers');
    await page.getByLabel('Work email (optional)').fill('carol@example.com');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: 'Carol Danvers' }).waitFor();
    const carolId = new URL(page.url()).pathname.split('/')[2];
    await page.getByLabel('Title (optional)').fill('Pilot');
    await page.getByRole('button', { name: 'Save user' }).click();
    await page.getByRole('status').filter({ hasText: 'User saved.' }).waitFor();
    await page.getByRole('button', { name: 'Disable user' }).click();
    await page.getByRole('status').filter({ hasText: 'User disabled.' }).waitFor();
    await page.getByRole('button', { name: 'Enable user' }).waitFor();
    const carol = await api.call('GET', `/api/v1/users/${carolId}`);
    check(carol.user.title === 'Pilot' && carol.user.active === false, `carol saved and disabled: ${JSON.stringify(carol.user)}`);
    await shot('user-disabled');

    // --- Groups: create, add and remove a member, rename.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor();
    await page.getByRole('searchbox').fill('Eng');
    await page.getByTestId('groups').getByRole('link', { name: 'Engineering' }).waitFor();
    await page.getByLabel('Group name').fill('Support');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { name: 'Support', exact: true }).waitFor();
    await page.getByRole('searchbox', { name: 'Search users to add' }).fill('carol');
    await page.getByRole('button', { name: 'Add Carol Danvers' }).click();
    await page.getByTestId('members').getByRole('link', { name: 'Carol Danvers' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search users to add' }).fill('alice');
    await page.getByRole('button', { name: 'Add Alice Liddell' }).click();
    await page.getByTestId('members').getByRole('link', { name: 'Alice Liddell' }).waitFor();
    await page.getByRole('button', { name: 'Remove Carol Danvers' }).click();
    await page.getByRole('status').filter({ hasText: 'Removed Carol Danvers.' }).waitFor();
    await eventually('carol removed', async () => await page.getByTestId('members').getByText('Carol Danvers').count() === 0);
    await page.getByLabel('Group name').fill('Support EMEA');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('heading', { name: 'Support EMEA' }).waitFor();
    await shot('group-detail');

    // --- Connections: edit, replace the secret (never displayed), test.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('link', { name: 'Acme emulator' }).click();
    await page.getByTestId('secret-token').filter({ hasText: 'set' }).waitFor();
    await page.getByLabel('Connection name').fill('Acme emulator (prod)');
    await page.getByRole('button', { name: 'Save connection' }).click();
    await page.getByRole('status').filter({ hasText: 'Connection saved' }).waitFor();
    await page.getByRole('button', { name: 'Replace Bearer token' }).click();
    await page.getByLabel('New bearer token').fill(EMULATOR_TOKEN);
    await page.getByRole('button', { name: 'Save connection' }).click();
    await page.getByRole('status').filter({ hasText: 'secrets kept unless replaced' }).waitFor();
    await page.getByTestId('secret-token').waitFor();
    check(!(await page.content()).includes(EMULATOR_TOKEN), 'the replaced secret is not displayed');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('test-result').filter({ hasText: 'Connection works' }).waitFor();
    await shot('connection-edit');

    // --- Tokens: an API token shown once, working, then revoked; a SCIM token.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tokens' }).click();
    const apiTokens = page.getByTestId('api-tokens');
    await apiTokens.getByLabel('Token name').fill('ci');
    await apiTokens.getByLabel('Token role').selectOption('operator');
    await apiTokens.getByRole('button', { name: 'Issue token' }).click();
    const issued = (await apiTokens.getByTestId('issued-token').locator('code').textContent()).trim();
    check(issued.length > 20, 'token shown once');
    await shot('token-issued');
    const viaToken = new Client(base).bearer(issued);
    check(Array.isArray((await viaToken.call('GET', '/api/v1/applications')).items), 'issued API token works');
    await apiTokens.getByRole('button', { name: 'I have stored it' }).click();
    check(!(await page.content()).includes(issued), 'token gone from the page once dismissed');
    await apiTokens.getByRole('button', { name: 'Revoke ci' }).click();
    await apiTokens.getByRole('status').filter({ hasText: 'Revoked ci.' }).waitFor();
    await viaToken.call('GET', '/api/v1/applications', undefined, [401]);
    const scimTokens = page.getByTestId('scim-tokens');
    await scimTokens.getByLabel('Token name').fill('workday');
    await scimTokens.getByRole('button', { name: 'Issue token' }).click();
    await scimTokens.getByTestId('issued-token').waitFor();

    // --- Admins: create, change role, disable, delete.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admins' }).click();
    const newAdmin = page.getByRole('form', { name: 'Create admin' });
    await newAdmin.getByLabel('Email').fill('auditor@example.com');
    await newAdmin.getByLabel('Initial password').fill('short');
    await newAdmin.getByRole('button', { name: 'Create admin' }).click();
    await newAdmin.getByText('Use at least 12 characters').waitFor();
    await newAdmin.getByLabel('Initial password').fill('an auditor long password');
    await newAdmin.getByRole('button', { name: 'Create admin' }).click();
    await page.getByRole('status').filter({ hasText: 'Created auditor@example.com.' }).waitFor();
    await page.getByLabel('Role of auditor@example.com').selectOption('admin');
    await page.getByRole('status').filter({ hasText: 'auditor@example.com is now Admin.' }).waitFor();
    await page.getByRole('button', { name: 'Disable auditor@example.com' }).click();
    await page.getByRole('button', { name: 'Enable auditor@example.com' }).waitFor();
    await shot('admins');
    await page.getByRole('button', { name: 'Delete auditor@example.com' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByRole('status').filter({ hasText: 'auditor@example.com deleted.' }).waitFor();
    await eventually('admin deleted', async () => await page.getByTestId('admins').getByText('auditor@example.com').count() === 0);
    await page.getByLabel(`Role of ${SUPER.email}`).selectOption('operator');
    await page.getByRole('alert').filter({ hasText: 'last Super Admin' }).waitFor();

    // --- Audit log: what was just done, verify, page back.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const audit = page.getByTestId('audit-log');
    await audit.getByText('admin.delete').first().waitFor();
    for (const action of ['user.create', 'user.update', 'group.update', 'connection.update', 'api_token.revoke', 'application.import', 'application.held_approve', 'application.held_reject']) {
      check(await audit.getByText(action, { exact: true }).count() > 0, `audit shows ${action}`);
    }
    await page.getByRole('button', { name: 'Verify hash chain' }).click();
    await page.getByTestId('verify-result').filter({ hasText: 'Hash chain intact' }).waitFor();
    await page.getByLabel('Per page').selectOption('20');
    const firstId = await audit.locator('tbody tr td').first().textContent();
    await page.getByRole('button', { name: 'Older' }).click();
    await eventually('older page', async () => Number(await audit.locator('tbody tr td').first().textContent()) < Number(firstId) - 19);
    await page.getByRole('button', { name: 'Newer' }).click();
    await eventually('newest page again', async () => (await audit.locator('tbody tr td').first().textContent()) === firstId);
    await shot('audit-log');

    // --- Status: the engine's counts per application and the activity chart.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Status' }).click();
    const statusApps = page.getByTestId('status-applications');
    await statusApps.getByRole('link', { name: 'Acme SCIM' }).waitFor();
    await page.getByRole('img', { name: /Provisioning actions per minute/ }).waitFor();
    const chartLabel = await page.getByRole('img', { name: /Provisioning actions per minute/ }).getAttribute('aria-label');
    check(!/: 0 in all/.test(chartLabel), `the chart shows the provisioning done: ${chartLabel}`);
    await shot('status');

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
    await page.getByRole('button', { name: 'Preview for user…' }).click();
    await page.getByRole('searchbox', { name: 'Search users to preview' }).fill('bob');
    await page.getByRole('button', { name: 'Preview Bob Builder' }).click();
    await page.getByTestId('preview-result').filter({ hasText: 'saved mappings' }).waitFor();
    await page.getByRole('link', { name: 'Provisioning', exact: true }).click();
    await page.getByRole('heading', { name: 'Engine status' }).waitFor();
    check(await page.getByRole('button', { name: /Sync now|Plan sync|Provision/ }).count() === 0, 'operator: no Sync/Provision');
    await shot('operator-provisioning');
    await page.goto(`${base}/applications/${hr.id}/held`);
    await page.getByTestId('held-item').first().waitFor();
    check(await page.getByTestId('held').getByRole('button', { name: /Apply change|Reject|Create user|Link/ }).count() === 0, 'operator: held items read-only');
    await page.goto(`${base}/applications/new`);
    await page.getByText('Your role cannot create applications.').waitFor();
    await page.goto(`${base}/users`);
    await page.getByTestId('users').waitFor();
    check(await page.getByRole('link', { name: 'Create user' }).count() === 0, 'operator: no Create user');
    await page.goto(`${base}/users/${alice.id}`);
    await page.getByTestId('user-applications').waitFor();
    check(await page.getByRole('button', { name: /Disable user|Save user/ }).count() === 0, 'operator: user read-only');
    await page.goto(`${base}/groups`);
    await page.getByTestId('groups').waitFor();
    check(await page.getByRole('button', { name: 'Create group' }).count() === 0, 'operator: no Create group');
    await page.goto(`${base}/tokens`);
    await page.getByTestId('api-tokens').waitFor();
    check(await page.getByRole('button', { name: /Issue token|Revoke/ }).count() === 0, 'operator: no token actions');
    check(await page.getByTestId('scim-tokens').count() === 0, 'operator: no SCIM tokens');
    await page.goto(`${base}/connections/${srcConn.id}`);
    await page.getByRole('heading', { name: 'HR source' }).waitFor();
    check(await page.getByRole('button', { name: /Save connection|Replace/ }).count() === 0, 'operator: connection read-only');
    await page.goto(`${base}/audit`);
    await page.getByTestId('audit-log').waitFor();
    await shot('operator-audit');

    // --- Admin: everything but the Admins page.
    await page.goto(`${base}/applications`);
    await signOut();
    await signIn(ADMIN);
    check(await page.getByRole('link', { name: 'Create New Application' }).count() === 1, 'admin: Create offered');
    check(await page.getByRole('link', { name: 'Admins' }).count() === 0, 'admin: no Admins link');
    await page.goto(`${base}/admins`);
    await page.getByText('Only a Super Admin can manage administrators.').waitFor();
    await shot('admin-no-admins-page');
    await page.goto(`${base}/tokens`);
    await page.getByTestId('api-tokens').getByRole('button', { name: 'Issue token' }).waitFor();
    check(await page.getByTestId('scim-tokens').count() === 0, 'admin: no SCIM tokens');
    check(await page.getByTestId('api-tokens').getByLabel('Token role').locator('option').count() === 2, 'admin: token roles up to Admin');

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
    await stop(source);
    await stop(server);
    if (!keep && process.env.PROVISIO_KEEP_ARTIFACTS !== '1') {
      rmSync(join(dir, 'data'), { recursive: true, force: true });
      rmSync(join(dir, 'profile'), { recursive: true, force: true });
    }
  }
}
