import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';

/** What a person does on the client's screens, by what they see (roles and labels). */

export const PASSWORD = 'a sturdy passphrase 42';

export function anEmail(who = 'ann'): string {
  return `${who}-${randomUUID()}@example.com`;
}

export function heading(page: Page, name: string): Locator {
  return page.getByRole('heading', { level: 1, name });
}

export async function signUp(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await heading(page, 'Projects').waitFor();
}

export async function logIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function createProject(page: Page, name: string, limit?: number): Promise<void> {
  const form = page.getByRole('form', { name: 'New project' });
  await form.getByLabel('Name').fill(name);
  if (limit !== undefined) await form.getByLabel('Limit of open tasks').fill(String(limit));
  await form.getByRole('button', { name: 'Create project' }).click();
  await projectCard(page, name).waitFor();
}

export function projectCard(page: Page, name: string): Locator {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
}

export async function openProject(page: Page, name: string): Promise<number> {
  await page.getByRole('link', { name, exact: true }).click();
  await heading(page, name).waitFor();
  return Number(new URL(page.url()).pathname.split('/').pop());
}

export async function addTask(page: Page, name: string): Promise<void> {
  const form = page.getByRole('form', { name: 'New task' });
  await form.getByLabel('Task').fill(name);
  await form.getByRole('button', { name: 'Add task' }).click();
}

export function taskRow(page: Page, name: string): Locator {
  return page.getByRole('list', { name: 'Tasks' }).getByRole('listitem', { name, exact: true });
}

/** The error shown with a field, once it is marked invalid: its description holds the words. */
export async function fieldError(field: Locator): Promise<string> {
  const page = field.page();
  await field.and(page.locator('[aria-invalid="true"]')).waitFor();
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(' ');
}
