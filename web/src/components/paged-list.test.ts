import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { ProblemError } from '../api/problems';
import { usePagedList } from './paged-list';

type Pages = Record<string, { items: number[]; nextCursor: string | null }>;

/** A list's pages by the cursor that asks for each (`first`: no cursor). */
const servedFrom = (pages: Pages) =>
  vi.fn(async (cursor: string | undefined) => pages[cursor ?? 'first']!);

describe('a list read a page at a time', () => {
  test('loads the first page, then each next one from the cursor as it came, until there is none', async () => {
    const load = servedFrom({
      first: { items: [1, 2], nextCursor: 'opaque/2' },
      'opaque/2': { items: [3, 4], nextCursor: 'opaque/4' },
      'opaque/4': { items: [5], nextCursor: null },
    });
    const { result } = renderHook(() => usePagedList(load, (item) => item));
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.items).toEqual([1, 2]));
    expect(result.current.hasMore).toBe(true);

    await act(() => result.current.loadMore());
    await act(() => result.current.loadMore());
    expect(result.current.items).toEqual([1, 2, 3, 4, 5]);
    expect(result.current.hasMore).toBe(false);
    expect(load.mock.calls.map(([cursor]) => cursor)).toEqual([undefined, 'opaque/2', 'opaque/4']);
  });

  test('a first page that could not be had can be asked for again, and then shows', async () => {
    let reachable = false;
    const load = vi.fn(async () => {
      if (!reachable) throw new TypeError('fetch failed');
      return { items: [1, 2], nextCursor: null };
    });
    const { result } = renderHook(() => usePagedList(load, (item) => item));
    await waitFor(() => expect(result.current.firstPageFailed).toBe(true));
    expect(result.current.problem?.code).toBe('unreachable');

    reachable = true;
    act(() => result.current.reload());

    await waitFor(() => expect(result.current.items).toEqual([1, 2]));
    expect(result.current.firstPageFailed).toBe(false);
    expect(result.current.problem).toBeUndefined();
  });

  test('an item the screen added before its page came is shown once, in its place, when the page comes', async () => {
    const load = servedFrom({
      first: { items: [1, 2], nextCursor: 'opaque/2' },
      'opaque/2': { items: [3, 4], nextCursor: null },
    });
    const { result } = renderHook(() => usePagedList(load, (item) => item));
    await waitFor(() => expect(result.current.items).toEqual([1, 2]));

    act(() => result.current.update((items) => [...items, 4]));
    await act(() => result.current.loadMore());

    expect(result.current.items).toEqual([1, 2, 3, 4]);
  });

  test('an item the screen added before the first page came is kept, after the page, when the page was read without it', async () => {
    let answer: (page: { items: number[]; nextCursor: string | null }) => void = () => {};
    const load = vi.fn(
      (_cursor: string | undefined) =>
        new Promise<{ items: number[]; nextCursor: string | null }>((resolve) => {
          answer = resolve;
        }),
    );
    const { result } = renderHook(() => usePagedList(load, (item) => item));
    expect(result.current.loading).toBe(true);

    act(() => result.current.update((items) => [...items, 3]));
    await act(async () => answer({ items: [1, 2], nextCursor: null }));

    expect(result.current.items).toEqual([1, 2, 3]);
    expect(result.current.loading).toBe(false);
  });

  test('an item added while later pages are not loaded yet comes after them once they are', async () => {
    const load = servedFrom({
      first: { items: [1, 2], nextCursor: 'opaque/2' },
      'opaque/2': { items: [3, 4], nextCursor: null },
    });
    const { result } = renderHook(() => usePagedList(load, (item) => item));
    await waitFor(() => expect(result.current.items).toEqual([1, 2]));

    act(() => result.current.update((items) => [...items, 5]));
    expect(result.current.items).toEqual([1, 2, 5]);
    await act(() => result.current.loadMore());

    expect(result.current.items).toEqual([1, 2, 3, 4, 5]);
  });

  test('a page the API refuses keeps what was loaded and says why', async () => {
    const refusal = new ProblemError({
      type: '/problems#invalid-cursor',
      title: 'Invalid request',
      status: 422,
      code: 'invalid-cursor',
      detail: 'The cursor is not one this list gave out: start again without it.',
    });
    const load = vi.fn(async (cursor: string | undefined) => {
      if (cursor) throw refusal;
      return { items: ['a'], nextCursor: 'stale' };
    });
    const { result } = renderHook(() => usePagedList(load, (item) => item));
    await waitFor(() => expect(result.current.items).toEqual(['a']));
    await act(() => result.current.loadMore());
    expect(result.current.items).toEqual(['a']);
    expect(result.current.problem?.detail).toBe(refusal.problem.detail);
  });
});
