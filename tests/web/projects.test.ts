/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser, on its DOM.)
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { serviceAndBrowser } from './support/browser.ts';
import {
  addTask,
  anEmail,
  createProject,
  fieldError,
  heading,
  openProject,
  PASSWORD,
  projectCard,
  signUp,
  taskRow,
} from './support/screens.ts';

const running = serviceAndBrowser();

describe('projects and tasks, in Chromium, against the service', () => {
  test('a new person signs up and finds the starter project with its three tasks', async () => {
    const { context, page, cspViolations } = await running.person();
    await page.goto('/');
    await heading(page, 'Log in').waitFor();
    await page.getByRole('link', { name: 'Create an account' }).click();
    await heading(page, 'Create your account').waitFor();
    await signUp(page, anEmail());

    await openProject(page, 'My first project');
    const tasks = page.getByRole('list', { name: 'Tasks' }).getByRole('listitem');
    await tasks.first().waitFor();
    expect(await tasks.allInnerTexts()).toEqual([
      expect.stringMatching(/^Sign up!\s+#1 · Completed .+\d/),
      expect.stringMatching(/^Watch the tutorial\s+#2 · Open/),
      expect.stringMatching(/^Start using our awesome app\s+#3 · Open/),
    ]);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  test('the limit of open tasks is shown before it is reached, and the refusal in the API’s words beside the task field', async () => {
    const { context, page } = await running.person();
    await signUp(page, anEmail());
    await createProject(page, 'Kitchen', 2);
    expect(await projectCard(page, 'Kitchen').innerText()).toContain('At most 2 open tasks');
    await openProject(page, 'Kitchen');
    const rules = page.getByRole('list', { name: 'Rules of this project' });
    expect(await rules.innerText()).toContain('At most 2 open tasks at once: 0 open now.');

    await addTask(page, 'Order the tiles');
    await taskRow(page, 'Order the tiles').waitFor();
    await addTask(page, 'Paint the walls');
    await taskRow(page, 'Paint the walls').waitFor();
    await rules.getByText('The limit is reached').waitFor();

    await addTask(page, 'Fit the sink');
    const field = page.getByRole('form', { name: 'New task' }).getByLabel('Task');
    expect(await fieldError(field)).toContain(
      'The project allows at most 2 incomplete tasks: complete one before adding or reopening another.',
    );
    expect(await taskRow(page, 'Fit the sink').count()).toBe(0);
    await context.close();
  });

  test('a task is completed, shows when, and is reopened; reopening past the limit is refused on its row', async () => {
    const { context, page } = await running.person();
    await signUp(page, anEmail());
    await createProject(page, 'Garden', 1);
    await openProject(page, 'Garden');
    await addTask(page, 'Mow the lawn');
    const mow = taskRow(page, 'Mow the lawn');
    await mow.getByRole('button', { name: 'Complete' }).click();
    await mow.getByText(/Completed/).waitFor();
    expect(await mow.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    await addTask(page, 'Plant roses');
    await taskRow(page, 'Plant roses').waitFor();
    await mow.getByRole('button', { name: 'Reopen' }).click();
    await mow.getByRole('alert').getByText('allows at most 1 incomplete tasks').waitFor();

    await taskRow(page, 'Plant roses').getByRole('button', { name: 'Complete' }).click();
    await taskRow(page, 'Plant roses')
      .getByText(/Completed/)
      .waitFor();
    await mow.getByRole('button', { name: 'Reopen' }).click();
    await mow.getByRole('button', { name: 'Complete' }).waitFor();
    expect(await mow.innerText()).toMatch(/· Open/);
    expect(await mow.locator('time').count()).toBe(0);
    await context.close();
  });

  test('with the keyboard, the focus stays where the person can go on: on a task’s button once it is done, on the new task’s field once the project is unarchived', async () => {
    const { context, page } = await running.person();
    await signUp(page, anEmail());
    await createProject(page, 'Shed');
    await openProject(page, 'Shed');
    await addTask(page, 'Oil the hinges');
    const row = taskRow(page, 'Oil the hinges');
    await row.getByRole('button', { name: 'Complete' }).focus();
    await page.keyboard.press('Enter');
    await row.getByRole('button', { name: 'Reopen' }).waitFor();
    expect(await focused(page)).toBe('button: Reopen Oil the hinges');
    await page.keyboard.press('Enter');
    await row.getByRole('button', { name: 'Complete' }).waitFor();
    expect(await focused(page)).toBe('button: Complete Oil the hinges');
    await page.keyboard.press('Enter');
    await row.getByText(/Completed/).waitFor();

    await page.getByRole('link', { name: 'Projects' }).first().click();
    const card = projectCard(page, 'Shed');
    await card.getByRole('button', { name: 'Archive Shed' }).click();
    await card.getByText('Archived').waitFor();
    await openProject(page, 'Shed');
    await page.getByRole('button', { name: 'Unarchive' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('form', { name: 'New task' }).waitFor();
    expect(await focused(page)).toBe('input: Task');
    await context.close();
  });

  test('a project with open tasks cannot be archived; once done it is archived, then deleted', async () => {
    const { context, page } = await running.person();
    await signUp(page, anEmail());
    await createProject(page, 'Attic');
    await openProject(page, 'Attic');
    await addTask(page, 'Sort the boxes');
    await taskRow(page, 'Sort the boxes').waitFor();
    await page.getByRole('link', { name: 'Projects' }).first().click();

    const card = projectCard(page, 'Attic');
    await card.getByRole('button', { name: 'Archive Attic' }).click();
    await card.getByRole('alert').getByText('Project has 1 incomplete tasks').waitFor();

    await openProject(page, 'Attic');
    await taskRow(page, 'Sort the boxes').getByRole('button', { name: 'Complete' }).click();
    await page.getByText('Every task is complete: the project can be archived.').waitFor();
    await page.getByRole('link', { name: 'Projects' }).first().click();
    await card.getByRole('button', { name: 'Archive Attic' }).click();
    await card.getByText('Archived').waitFor();

    await card.getByRole('button', { name: 'Delete Attic' }).click();
    await card.getByRole('button', { name: 'Delete Attic for good' }).click();
    await card.waitFor({ state: 'detached' });
    await page.reload();
    await projectCard(page, 'My first project').waitFor();
    expect(await projectCard(page, 'Attic').count()).toBe(0);
    await context.close();
  });

  test('a project is renamed, its limit refused below its open tasks, set and cleared, and it is unarchived', async () => {
    const { context, page } = await running.person();
    await signUp(page, anEmail());
    const card = projectCard(page, 'My first project');
    await card.getByRole('button', { name: 'Edit My first project' }).click();
    const edit = card.getByRole('form', { name: 'Edit My first project' });
    await edit.getByLabel('Name').fill('Getting started');
    await edit.getByLabel('Limit of open tasks').fill('1');
    await edit.getByRole('button', { name: 'Save' }).click();
    expect(await fieldError(edit.getByLabel('Limit of open tasks'))).toContain(
      'The project has 2 incomplete tasks, more than the new maximum of 1.',
    );

    await edit.getByLabel('Limit of open tasks').fill('5');
    await edit.getByRole('button', { name: 'Save' }).click();
    const renamed = projectCard(page, 'Getting started');
    await renamed.getByText('At most 5 open tasks').waitFor();
    await renamed.getByRole('button', { name: 'Edit Getting started' }).click();
    await renamed.getByLabel('Limit of open tasks').fill('');
    await renamed.getByRole('button', { name: 'Save' }).click();
    await renamed.getByText('No limit of open tasks').waitFor();

    await createProject(page, 'Empty one');
    const empty = projectCard(page, 'Empty one');
    await empty.getByRole('button', { name: 'Archive Empty one' }).click();
    await empty.getByText('Archived').waitFor();
    await openProject(page, 'Empty one');
    await page
      .getByText('This project is archived: unarchive it to add tasks or change them.')
      .waitFor();
    expect(await page.getByRole('form', { name: 'New task' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Unarchive' }).click();
    await page.getByRole('form', { name: 'New task' }).waitFor();
    await context.close();
  });

  test('a long list comes a page at a time: the next page when asked, until there is none', async () => {
    const { context, page } = await running.person();
    const email = anEmail();
    await signUp(page, email);
    const id = await openProject(page, 'My first project');
    // 50 more tasks, straight through the API: 53 in all, a page holding 50.
    await addTasksThroughTheApi(email, id, 50);
    await page.reload();
    const tasks = page.getByRole('list', { name: 'Tasks' }).getByRole('listitem');
    await taskRow(page, 'Bulk task 47').waitFor();
    expect(await tasks.count()).toBe(50);
    await page.getByRole('button', { name: 'Show more tasks' }).click();
    await taskRow(page, 'Bulk task 50').waitFor();
    expect(await tasks.count()).toBe(53);
    expect(await page.getByRole('button', { name: 'Show more tasks' }).count()).toBe(0);
    await context.close();
  });

  test('the project screen counts every open task, past the 200 a page of tasks holds, from the project alone', async () => {
    const { context, page } = await running.person();
    const email = anEmail();
    await signUp(page, email);
    const id = await openProject(page, 'My first project');
    await addTasksThroughTheApi(email, id, 200);
    const taskListQueries: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === `/api/projects/${id}/tasks`) taskListQueries.push(url.search);
    });

    await page.reload();
    const rules = page.getByRole('list', { name: 'Rules of this project' });
    await rules.getByText('No limit of open tasks (202 open now).').waitFor();
    await taskRow(page, 'Watch the tutorial').getByRole('button', { name: 'Complete' }).click();
    await rules.getByText('No limit of open tasks (201 open now).').waitFor();

    // The task list is read for its first page only, never filtered to count the open tasks.
    expect(taskListQueries.length).toBeGreaterThan(0);
    expect(taskListQueries.filter((query) => query !== '')).toEqual([]);
    await page.getByRole('link', { name: 'Projects' }).first().click();
    await projectCard(page, 'My first project').getByText('201 open now').waitFor();
    await context.close();
  });
});

/** What has the keyboard focus: its kind, and its name (a button's text, an input's label). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (element instanceof HTMLInputElement) {
      return `input: ${element.labels?.[0]?.textContent ?? ''}`;
    }
    return `${element?.tagName.toLowerCase()}: ${element?.textContent ?? ''}`;
  });
}

/** `Bulk task 1` to `Bulk task {count}`, added in order straight through the API. */
async function addTasksThroughTheApi(email: string, projectId: number, count: number) {
  const token = await accessToken(email);
  for (let n = 1; n <= count; n++) {
    const created = await fetch(`${running.server.url}/api/projects/${projectId}/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Bulk task ${n}` }),
    });
    expect(created.status).toBe(201);
  }
}

async function accessToken(email: string): Promise<string> {
  const response = await fetch(`${running.server.url}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
