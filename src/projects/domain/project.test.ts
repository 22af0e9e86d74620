import { describe, expect, test } from 'vitest';
import { exampleProject } from './example-project.ts';
import { parseProjectName, parseTaskName } from './names.ts';
import { Project, type ProjectId } from './project.ts';
import { parseTaskLimit } from './task-limit.ts';
import { ALICE, aProject, NOW } from './testing/project-builder.ts';

const name = parseTaskName('New task');
const later = new Date(NOW.getTime() + 60_000);

describe('Project', () => {
  test('a new project announces itself with ProjectCreated; a restored one does not', () => {
    const project = Project.create({
      id: 7 as ProjectId,
      ownerId: ALICE,
      name: parseProjectName('Launch'),
      now: NOW,
    });

    expect(project.pullEvents()).toEqual([
      {
        type: 'projects.ProjectCreated',
        payload: { projectId: 7, ownerId: ALICE, name: 'Launch' },
      },
    ]);
    expect(aProject().build().pullEvents()).toEqual([]);
  });

  test('numbers tasks from 1 and never reuses a number', () => {
    const project = aProject().build();

    const numbers = [project.addTask(name, NOW), project.addTask(name, NOW)].map((t) => t.number);
    project.completeTask(2, NOW);
    const next = project.addTask(name, NOW);

    expect(numbers).toEqual([1, 2]);
    expect(next.number).toBe(3);
  });

  test('a restored project continues numbering where it stopped', () => {
    const project = aProject().withTasks(2).withCompletedTasks(1).build();

    expect(project.addTask(name, NOW).number).toBe(4);
  });

  test('counts incomplete tasks through add, complete and reopen', () => {
    const project = aProject().build();
    project.addTask(name, NOW);
    project.addTask(name, NOW);

    project.completeTask(1, NOW);
    expect(project.incompleteTaskCount).toBe(1);
    project.incompleteTask(1);
    expect(project.incompleteTaskCount).toBe(2);
  });

  test('refuses a task beyond the maximum number of incomplete tasks', () => {
    const project = aProject().withTasks(2).withLimit(2).build();

    expect(() => project.addTask(name, NOW)).toThrow(/at most 2 incomplete tasks/);
  });

  test('completed tasks do not count against the limit', () => {
    const project = aProject().withCompletedTasks(3).withTasks(1).withLimit(2).build();

    expect(project.addTask(name, NOW).number).toBe(5);
  });

  test('refuses to reopen a task beyond the limit', () => {
    const project = aProject().withCompletedTasks(1).withTasks(1).withLimit(1).build();
    const reloaded = Project.restore({
      ...project.toState(),
      tasks: [{ number: 1, name, completedAt: NOW, createdAt: NOW }],
    });

    expect(() => reloaded.incompleteTask(1)).toThrow(/at most 1 incomplete tasks/);
  });

  test('refuses a limit below the number of incomplete tasks, accepts one equal to it', () => {
    const project = aProject().withTasks(3).build();

    expect(() => project.changeMaximumNumberOfIncompleteTasks(parseTaskLimit(2))).toThrow(
      /3 incomplete tasks, more than the new maximum of 2/,
    );
    project.changeMaximumNumberOfIncompleteTasks(parseTaskLimit(3));
    expect(project.maximumNumberOfIncompleteTasks).toBe(3);
  });

  test('archives only without incomplete tasks, saying how many there are', () => {
    const project = aProject().withTasks(2).build();

    expect(() => project.archive(NOW)).toThrow('Project has 2 incomplete tasks');
    expect(project.isArchived).toBe(false);
  });

  test('archiving an archived project keeps the first archive time', () => {
    const project = aProject().build();
    project.archive(NOW);

    project.archive(later);

    expect(project.archivedAt).toEqual(NOW);
  });

  test('an archived project refuses renames, limit changes, new tasks and task changes', () => {
    const project = aProject().withCompletedTasks(1).archived().build();
    const withTask = Project.restore({
      ...project.toState(),
      tasks: [{ number: 1, name, completedAt: NOW, createdAt: NOW }],
    });

    for (const change of [
      () => withTask.rename(parseProjectName('Renamed')),
      () => withTask.changeMaximumNumberOfIncompleteTasks(parseTaskLimit(5)),
      () => withTask.addTask(name, NOW),
      () => withTask.completeTask(1, NOW),
      () => withTask.incompleteTask(1),
    ]) {
      expect(change).toThrow(/archived/);
    }
  });

  test('unarchive makes it changeable again', () => {
    const project = aProject().archived().build();

    project.unarchive();

    expect(project.isArchived).toBe(false);
    expect(project.addTask(name, NOW).number).toBe(1);
  });

  test('deletes only an archived project', () => {
    const active = aProject().build();
    const archived = aProject().archived().build();

    expect(() => active.delete(NOW)).toThrow(/Only an archived project can be deleted/);
    archived.delete(NOW);
    expect(archived.isDeleted).toBe(true);
  });

  test('completing a completed task keeps its first completion time', () => {
    const project = aProject().build();
    project.addTask(name, NOW);

    project.completeTask(1, NOW);
    const again = project.completeTask(1, later);

    expect(again.completedAt).toEqual(NOW);
    expect(project.incompleteTaskCount).toBe(0);
  });

  test('reopening an open task changes nothing', () => {
    const project = aProject().withLimit(1).build();
    project.addTask(name, NOW);

    project.incompleteTask(1);

    expect(project.incompleteTaskCount).toBe(1);
  });

  test('a task it has not got is TaskNotFound', () => {
    const project = aProject().withTasks(2).build();

    expect(() => project.completeTask(7, NOW)).toThrow('Task 7 was not found in this project.');
  });

  test('a task an archived project has not got is TaskNotFound, not a refusal to change it', () => {
    const project = aProject().archived().build();

    expect(() => project.completeTask(7, NOW)).toThrow('Task 7 was not found in this project.');
    expect(() => project.incompleteTask(7)).toThrow('Task 7 was not found in this project.');
  });

  test('restores from its state without raising events', () => {
    const project = aProject().withTasks(2).build();

    const restored = Project.restore(project.toState());

    expect(restored.toState()).toEqual(project.toState());
    expect(restored.pullEvents()).toEqual([]);
  });
});

describe('the example project', () => {
  test('is "My first project" with "Sign up!" done at registration and two open tasks', () => {
    const project = exampleProject({ id: 9 as ProjectId, ownerId: ALICE, registeredAt: NOW });

    const state = project.toState();
    expect(state.name).toBe('My first project');
    expect(state.ownerId).toBe(ALICE);
    expect(state.tasks.map((t) => [t.number, t.name, t.completedAt])).toEqual([
      [1, 'Sign up!', NOW],
      [2, 'Watch the tutorial', null],
      [3, 'Start using our awesome app', null],
    ]);
    expect(state.incompleteTaskCount).toBe(2);
  });
});
