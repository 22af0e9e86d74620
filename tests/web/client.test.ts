import { describe, expect, test } from 'vitest';
import { serviceAndBrowser } from './support/browser.ts';
import {
  addTask,
  anEmail,
  createProject,
  fieldError,
  heading,
  logIn,
  openProject,
  projectCard,
  signUp,
  taskRow,
} from './support/screens.ts';

const running = serviceAndBrowser();

describe('the web client, in Chromium, against the service', () => {
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

  test('a person logs out, is sent to the log-in screen from a private page, and logs back in to it', async () => {
    const { context, page } = await running.person();
    const email = anEmail();
    await signUp(page, email);
    await page.getByRole('button', { name: 'Log out' }).click();
    await heading(page, 'Log in').waitFor();

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
});
