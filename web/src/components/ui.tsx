import {
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  useEffect,
  useId,
  useRef,
} from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-invalid'>;

/**
 * A labelled input with its hint and its error beside it. The error is announced (it sits in a
 * live region) and tied to the input (`aria-describedby`, `aria-invalid`), so a screen reader
 * hears it with the field.
 */
export function Field({
  label,
  hint,
  error,
  ...input
}: InputProps & { label: string; hint?: ReactNode; error?: string | undefined }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint && hintId, error && errorId].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      <p id={errorId} className="error" role="alert">
        {error}
      </p>
    </div>
  );
}

/**
 * A button whose call may be under way (`busy`). It is not `disabled` then: Chromium moves
 * the focus of a disabled button to the page, and a keyboard user who pressed it would start
 * again from the top. It is `aria-disabled` instead (said to be unavailable, dimmed alike)
 * and ignores presses, a form's submission included, until the call is over.
 */
export function ActionButton({
  busy,
  onClick,
  ...button
}: ButtonHTMLAttributes<HTMLButtonElement> & { busy: boolean }) {
  return (
    <button
      type="button"
      {...button}
      aria-disabled={busy || undefined}
      onClick={(event) => {
        if (busy) event.preventDefault();
        else onClick?.(event);
      }}
    />
  );
}

/** A refusal that belongs to a whole form or a row, in the API's words; announced when it appears. */
export function Alert({ children }: { children?: ReactNode }) {
  return (
    <p className="error" role="alert">
      {children}
    </p>
  );
}

/** Progress while waiting, announced politely. */
export function Busy({ children = 'Loading…' }: { children?: ReactNode }) {
  return (
    <p className="busy" role="status">
      <span className="spinner" aria-hidden="true" />
      {children}
    </p>
  );
}

/**
 * A screen's heading. It takes the focus when the screen appears, so a keyboard or screen
 * reader user lands at the top of the new screen instead of where the old one left them.
 */
export function ScreenHeading({ children }: { children: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  // The tab's title names the screen too: it is what a screen reader announces first.
  useEffect(() => {
    document.title = `${children} · Taskflow`;
  }, [children]);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function DateTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{dateTime.format(new Date(iso))}</time>;
}

/** For what could not be read (the service unreachable): read it again, on the person's word. */
export function TryAgain({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="secondary" onClick={onClick}>
      Try again
    </button>
  );
}

export function LoadMore({
  hasMore,
  loadingMore,
  onClick,
  what,
}: {
  hasMore: boolean;
  loadingMore: boolean;
  onClick: () => void;
  what: string;
}) {
  if (!hasMore) return null;
  return (
    <ActionButton className="secondary" onClick={onClick} busy={loadingMore}>
      {loadingMore ? `Loading more ${what}…` : `Show more ${what}`}
    </ActionButton>
  );
}
