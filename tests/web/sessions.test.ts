/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser, on its DOM.)
import { describe, expect, test } from 'vitest';
import { serviceAndBrowser } from './support/browser.ts';
import { anEmail, heading, logIn, signUp } from './support/screens.ts';

const running = serviceAndBrowser();

const TOKEN_ROUTE = '/api/users/login';

describe('sessions in the browser', () => {
  test('no token is readable by a script: the refresh token is an HttpOnly cookie for the token route alone, and a reload keeps the person signed in', async () => {
    const { context, page } = await running.person();
    await signUp(page, anEmail());

    const storage = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookies: document.cookie,
    }));
    expect(storage).toEqual({ local: 0, session: 0, cookies: '' });
    const cookies = await context.cookies();
    expect(cookies).toEqual([
      expect.objectContaining({
        name: 'refresh_token',
        httpOnly: true,
        sameSite: 'Strict',
        path: TOKEN_ROUTE,
      }),
    ]);

    await page.reload();
    await heading(page, 'Projects').waitFor();
    await page.getByRole('link', { name: 'My first project' }).waitFor();
    await context.close();
  });

  test('an access token the API refuses is renewed without the person noticing, once, and the request sent again', async () => {
    const { context, page } = await running.person();
    await signUp(page, anEmail());
    const refreshes: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith(TOKEN_ROUTE)) refreshes.push(request.postData() ?? '');
    });
    // The next project list the API answers comes back 401, as with an expired token.
    let refused = false;
    await page.route('**/api/projects', async (route) => {
      if (refused) return route.continue();
      refused = true;
      await route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: '/problems#not-authenticated',
          title: 'Unauthorized',
          status: 401,
          detail: 'The access token has expired.',
          code: 'not-authenticated',
        }),
      });
    });

    await page.getByRole('link', { name: 'Account' }).click();
    await heading(page, 'Your account').waitFor();
    await page.getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('link', { name: 'My first project' }).waitFor();
    expect(refused).toBe(true);
    expect(refreshes).toEqual([JSON.stringify({ grant_type: 'refresh_token' })]);
    await context.close();
  });

  test('a session ended from another device sends this one to the log-in screen at its next request', async () => {
    const email = anEmail();
    const laptop = await running.person();
    await signUp(laptop.page, email);

    const phone = await running.person();
    await phone.page.goto('/login');
    await logIn(phone.page, email);
    await heading(phone.page, 'Projects').waitFor();
    await phone.page.getByRole('link', { name: 'Account' }).click();
    const sessions = phone.page.getByRole('region', { name: 'Sessions' }).getByRole('listitem');
    await sessions.nth(1).waitFor();
    expect(await sessions.count()).toBe(2);
    // Each session's button names the session it ends (several would otherwise read the same).
    await phone.page
      .getByRole('button', {
        name: /^End this session: .+, from (127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/,
      })
      .click();
    await phone.page.waitForFunction(() => document.querySelectorAll('.sessions li').length === 1);

    await laptop.page.getByRole('link', { name: 'Account' }).click();
    await heading(laptop.page, 'Log in').waitFor();
    await laptop.page.getByText('Log in to continue.').waitFor();
    await laptop.context.close();
    await phone.context.close();
  });
});
