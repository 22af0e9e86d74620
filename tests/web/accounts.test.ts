import { describe, expect, test } from 'vitest';
import { serviceAndBrowser } from './support/browser.ts';
import {
  anEmail,
  createProject,
  fieldError,
  heading,
  logIn,
  openProject,
  PASSWORD,
  signUp,
} from './support/screens.ts';

const running = serviceAndBrowser();

describe('accounts, in Chromium, against the service', () => {
  test('a person logs out, is sent to the log-in screen from a private page, and logs back in to it', async () => {
    const { context, page } = await running.person();
    const email = anEmail();
    await signUp(page, email);
    await page.getByRole('button', { name: 'Log out' }).click();
    await heading(page, 'Log in').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.title()).toBe('Log in · Taskflow');
    expect(await page.getByRole('link', { name: 'Account', exact: true }).count()).toBe(0);

    await page.goto('/account');
    await heading(page, 'Log in').waitFor();
    await page.getByText('Log in to continue.').waitFor();
    await logIn(page, email, 'not the password');
    expect(await fieldError(page.getByLabel('Password', { exact: true }))).toContain(
      'Invalid email or password',
    );
    await logIn(page, email);
    await heading(page, 'Your account').waitFor();
    await page.getByText(`You log in as ${email}.`).waitFor();
    await context.close();
  });

  test('a second person cannot see the first one’s project by typing its address', async () => {
    const ann = await running.person();
    await signUp(ann.page, anEmail('ann'));
    await createProject(ann.page, 'Secret plans');
    const id = await openProject(ann.page, 'Secret plans');

    const bob = await running.person();
    await signUp(bob.page, anEmail('bob'));
    await bob.page.goto(`/projects/${id}`);
    await heading(bob.page, 'Project not found').waitFor();
    await bob.page.getByRole('alert').getByText(`Project ${id} was not found.`).waitFor();
    expect(await bob.page.getByText('Secret plans').count()).toBe(0);
    await ann.context.close();
    await bob.context.close();
  });

  test('validation errors and refusals are shown beside the field that caused them', async () => {
    const { context, page } = await running.person();
    await signUp(page, anEmail());
    const form = page.getByRole('form', { name: 'New project' });
    await form.getByLabel('Name').fill('abc');
    await form.getByRole('button', { name: 'Create project' }).click();
    expect(await fieldError(form.getByLabel('Name'))).toContain('must be at least 4 characters');

    await page.getByRole('link', { name: 'Account' }).click();
    await heading(page, 'Your account').waitFor();
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password').fill('another sturdy passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await fieldError(page.getByLabel('Current password'))).toContain(
      'The current password is not correct.',
    );
    await context.close();
  });

  test('a person changes their email address and is refused one that is taken, beside the field', async () => {
    const taken = anEmail('taken');
    const first = await running.person();
    await signUp(first.page, taken);
    await first.context.close();

    const { context, page } = await running.person();
    await signUp(page, anEmail());
    await page.getByRole('link', { name: 'Account' }).click();
    const field = page.getByLabel('New email address');
    await field.fill(taken);
    await page.getByRole('button', { name: 'Change email address' }).click();
    expect(await fieldError(field)).toMatch(/taken|already/i);

    const fresh = anEmail('new');
    await field.fill(fresh);
    await page.getByRole('button', { name: 'Change email address' }).click();
    await page.getByText('Your email address is changed.').waitFor();
    await page.getByText(`You log in as ${fresh}.`).waitFor();
    await context.close();
  });

  test('a person changes their password, then deletes the account: a wrong password is refused beside the field first, and the log-in screen says the account is gone', async () => {
    const { context, page } = await running.person();
    const email = anEmail();
    await signUp(page, email);
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password').fill('a brand new passphrase 7');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password is changed: your other sessions have ended.').waitFor();

    const confirm = page.getByLabel('Your password, to confirm');
    await confirm.fill(PASSWORD);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    expect(await fieldError(confirm)).toContain('The current password is not correct.');
    await confirm.fill('a brand new passphrase 7');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await heading(page, 'Log in').waitFor();
    // Said plainly, with no offer to bring the person back to a screen of the deleted account:
    // neither where they were, nor where Back takes them.
    await page
      .getByText('Your account has been deleted, with your projects and their tasks.')
      .waitFor();
    expect(new URL(page.url()).searchParams.has('next')).toBe(false);
    expect(await page.getByText('Log in to continue.').count()).toBe(0);
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/login');
    await heading(page, 'Log in').waitFor();
    expect(new URL(page.url()).searchParams.has('next')).toBe(false);
    await page
      .getByText('Your account has been deleted, with your projects and their tasks.')
      .waitFor();

    await logIn(page, email, 'a brand new passphrase 7');
    expect(await fieldError(page.getByLabel('Password', { exact: true }))).toContain(
      'Invalid email or password',
    );

    // A new account in the same tab is like any other: its screens bring it back after a log-in.
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Email address').fill(anEmail('again'));
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await heading(page, 'Projects').waitFor();
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await heading(page, 'Your account').waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await heading(page, 'Log in').waitFor();
    await page.goBack();
    await page.waitForURL((url) => url.searchParams.get('next') === '/projects');
    await heading(page, 'Log in').waitFor();
    expect(await page.getByText('Your account has been deleted').count()).toBe(0);
    await context.close();
  });
});
