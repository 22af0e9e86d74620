import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ActionButton } from './ui';

afterEach(cleanup);

describe('a button whose call may be under way', () => {
  test('busy, it can still hold the focus, says it is unavailable, and ignores presses', () => {
    const onClick = vi.fn();
    const { rerender } = render(
      <ActionButton busy={false} onClick={onClick}>
        Complete
      </ActionButton>,
    );
    const button = screen.getByRole('button', { name: 'Complete' });
    button.focus();
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);

    rerender(
      <ActionButton busy={true} onClick={onClick}>
        Complete
      </ActionButton>,
    );
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button).toHaveProperty('disabled', false);
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  test('a busy submit button does not submit its form again', () => {
    const onSubmit = vi.fn((event: { preventDefault(): void }) => event.preventDefault());
    const { rerender } = render(
      <form onSubmit={onSubmit}>
        <ActionButton type="submit" busy={false}>
          Save
        </ActionButton>
      </form>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);

    rerender(
      <form onSubmit={onSubmit}>
        <ActionButton type="submit" busy={true}>
          Save
        </ActionButton>
      </form>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });
});
