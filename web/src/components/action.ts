import { useCallback, useRef, useState } from 'react';
import { type PlacedProblem, placeProblem, problemOf } from '../api/problems';

export interface Action {
  busy: boolean;
  /** The last refusal, placed on the form's fields (or the form itself). */
  problem: PlacedProblem | undefined;
  /** Runs `work`; true when it succeeded, false when it was refused (see `problem`). */
  run(work: () => Promise<unknown>): Promise<boolean>;
  reset(): void;
}

/**
 * A form's or a button's call to the API: whether it is under way, and what the API said
 * when it refused. `fieldOfCode` says which field a domain refusal is about (see placeProblem).
 */
export function useAction(fieldOfCode: Record<string, string> = {}): Action {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<PlacedProblem>();
  const fields = useRef(fieldOfCode);
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await work();
      return true;
    } catch (error) {
      setProblem(placeProblem(problemOf(error), fields.current));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const reset = useCallback(() => setProblem(undefined), []);
  return { busy, problem, run, reset };
}
