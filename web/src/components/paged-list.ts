import { useCallback, useEffect, useRef, useState } from 'react';
import { type Problem, problemOf } from '../api/problems';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedList<T> {
  items: T[];
  /** True until the first page is in. */
  loading: boolean;
  loadingMore: boolean;
  hasMore: boolean;
  problem: Problem | undefined;
  /** The first page could not be had (the service unreachable, say): `reload` tries again. */
  firstPageFailed: boolean;
  reload(): void;
  loadMore(): Promise<void>;
  /** Changes the items already loaded (an item added, changed or removed). */
  update(change: (items: T[]) => T[]): void;
}

/**
 * A list the API gives a page at a time (keyset pages: docs/api.md, "Pages"): the first page
 * when the component mounts (give it a `key` to start over), the next one when asked,
 * following `nextCursor` as it came. An item the screen added itself (`update`) before its
 * page came is not shown twice when that page comes: items are told apart, and ordered, by
 * `keyOf`.
 */
export function usePagedList<T>(
  loadPage: (cursor: string | undefined) => Promise<Page<T>>,
  keyOf: (item: T) => string | number,
): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [firstPageIn, setFirstPageIn] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const load = useRef(loadPage);
  load.current = loadPage;
  const key = useRef(keyOf);
  key.current = keyOf;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` asks for the first page again.
  useEffect(() => {
    let current = true;
    setLoading(true);
    setProblem(undefined);
    load
      .current(undefined)
      .then((page) => {
        if (!current) return;
        // The screen may have added an item while this page was on its way (a task added
        // as the screen opened), which the page, read before, may not hold: it is kept.
        setItems((before) => withNew(page.items, before, key.current));
        setCursor(page.nextCursor);
        setFirstPageIn(true);
      })
      .catch((error: unknown) => current && setProblem(problemOf(error)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [attempt]);

  const loadMore = useCallback(async () => {
    if (cursor === null) return;
    setLoadingMore(true);
    setProblem(undefined);
    try {
      const page = await load.current(cursor);
      setItems((before) => withNew(before, page.items, key.current));
      setCursor(page.nextCursor);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setLoadingMore(false);
    }
  }, [cursor]);

  return {
    items,
    loading,
    loadingMore,
    hasMore: cursor !== null,
    problem,
    firstPageFailed: !loading && !firstPageIn && problem !== undefined,
    reload: () => setAttempt((n) => n + 1),
    loadMore,
    update: setItems,
  };
}

/**
 * `first` and those of `then` it does not hold (told apart by `keyOf`), in the order of their
 * keys, which is the API's order for its lists (tasks by number, projects by id): an item the
 * screen added at the end of what was loaded moves after the items of the pages that come
 * later, where a reload would show it.
 */
function withNew<T>(first: T[], then: T[], keyOf: (item: T) => string | number): T[] {
  const held = new Set(first.map(keyOf));
  const merged = [...first, ...then.filter((item) => !held.has(keyOf(item)))];
  return merged.sort((a, b) => {
    const [x, y] = [keyOf(a), keyOf(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
