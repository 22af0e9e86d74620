/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser, on its DOM.)
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  PHONE,
  screenshot,
  seriousAccessibilityViolations,
  serviceAndBrowser,
} from './support/browser.ts';
import {
  addTask,
  anEmail,
  createProject,
  heading,
  logIn,
  openProject,
  projectCard,
  signUp,
  taskRow,
} from './support/screens.ts';

const running = serviceAndBrowser();

/** Every screen, reached as a person would, at one width. */
const screens: { name: string; reach: (page: Page, email: string) => Promise<void> }[] = [
  {
    name: 'log-in',
    reach: async (page) => {
      await page.goto('/login');
      await heading(page, 'Log in').waitFor();
    },
  },
  {
    name: 'sign-up',
    reach: async (page) => {
      await page.goto('/signup');
      await heading(page, 'Create your account').waitFor();
    },
  },
  {
    name: 'projects',
    reach: async (page, email) => {
      await page.goto('/login');
      await logIn(page, email);
      await heading(page, 'Projects').waitFor();
      await page.getByRole('link', { name: 'Kitchen renovation' }).waitFor();
    },
  },
  {
    name: 'project',
    reach: async (page) => {
      await openProject(page, 'Kitchen renovation');
      await taskRow(page, 'Order the tiles').waitFor();
    },
  },
  {
    name: 'account',
    reach: async (page) => {
      await page.getByRole('link', { name: 'Account' }).click();
      await page.getByRole('region', { name: 'Sessions' }).getByRole('listitem').first().waitFor();
    },
  },
];

describe('every screen, at a phone’s and a desktop’s width', () => {
  let email: string;
  beforeAll(async () => {
    // Someone with a few projects and tasks, so the screens show what they are for.
    email = anEmail();
    const { context, page } = await running.person();
    await signUp(page, email);
    await createProject(page, 'Kitchen renovation', 3);
    await createProject(page, 'Garden');
    await openProject(page, 'Kitchen renovation');
    for (const task of ['Order the tiles', 'Paint the walls', 'Fit the sink']) {
      await addTask(page, task);
      await taskRow(page, task).waitFor();
    }
    await taskRow(page, 'Order the tiles').getByRole('button', { name: 'Complete' }).click();
    await taskRow(page, 'Order the tiles')
      .getByText(/Completed/)
      .waitFor();
    await context.close();
  });

  for (const [width, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    test(`at ${width} width (${viewport.width} px): no serious accessibility violation (axe-core), nothing wider than the screen, nothing the CSP blocks`, async () => {
      const { context, page, cspViolations } = await running.person(viewport);
      for (const screen of screens) {
        await screen.reach(page, email);
        expect(await seriousAccessibilityViolations(page), screen.name).toEqual([]);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, `${screen.name} scrolls sideways`).toBeLessThanOrEqual(0);
        await screenshot(page, `${screen.name}-${width}`);
      }
      expect(cspViolations).toEqual([]);
      await context.close();
    });
  }

  test('at 375 px, a long email address and a long project name without spaces wrap: no screen scrolls sideways', async () => {
    const { context, page } = await running.person({ width: 375, height: 812 });
    const scrollsSideways = () =>
      page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    // No hyphen either (anEmail's UUID has them), where a line could break.
    const email = `konstantina.papadopoulou${Date.now()}@example.com`;
    await signUp(page, email);
    const name = 'KITCHENWALLPAPERINGANDFLOORWORKS';
    expect(name).toHaveLength(32);
    await createProject(page, name);
    expect.soft(await scrollsSideways(), 'projects').toBeLessThanOrEqual(0);

    const card = projectCard(page, name);
    await card.getByRole('button', { name: `Archive ${name}` }).click();
    await card.getByRole('button', { name: `Delete ${name}` }).click();
    await card.getByRole('button', { name: `Delete ${name} for good` }).waitFor();
    expect.soft(await scrollsSideways(), 'projects, confirming a deletion').toBeLessThanOrEqual(0);
    await screenshot(page, 'long-words-projects-375');

    await openProject(page, name);
    expect.soft(await scrollsSideways(), 'project').toBeLessThanOrEqual(0);

    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByText(`You log in as ${email}.`).waitFor();
    expect.soft(await scrollsSideways(), 'account').toBeLessThanOrEqual(0);
    await screenshot(page, 'long-words-account-375');
    await context.close();
  });

  test('the checks do find problems: an unlabelled field, an image without text, an inline script', async () => {
    const { context, page, cspViolations } = await running.person();
    await page.goto('/login');
    await heading(page, 'Log in').waitFor();
    await page.evaluate(() => {
      const form = document.querySelector('form');
      form?.append(document.createElement('input'));
      const image = document.createElement('img');
      image.src = '/assets/none.png';
      form?.append(image);
    });
    const found = (await seriousAccessibilityViolations(page)).map((violation) => violation.id);
    expect(found).toEqual(expect.arrayContaining(['label', 'image-alt']));
    await page.addScriptTag({ content: 'window.inline = true' }).catch(() => undefined);
    expect(await page.evaluate(() => 'inline' in window)).toBe(false);
    expect(cspViolations).toEqual([expect.stringContaining("script-src 'self'")]);
    await context.close();
  });
});
