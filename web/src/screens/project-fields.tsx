import { Field } from '../components/ui';

/** A project's name and limit of open tasks, as typed: the fields of a new project and of an edit. */
export function ProjectFields({
  name,
  limit,
  onName,
  onLimit,
  errors,
  hints,
}: {
  name: string;
  limit: string;
  onName: (name: string) => void;
  onLimit: (limit: string) => void;
  /** The refusal's messages by field of the API (`name`, `maximumNumberOfIncompleteTasks`). */
  errors: Record<string, string>;
  hints: { name?: string; limit: string };
}) {
  return (
    <div className="row">
      <Field
        label="Name"
        name="name"
        data-focus="name"
        {...(hints.name !== undefined && { hint: hints.name })}
        value={name}
        onChange={(event) => onName(event.target.value)}
        error={errors.name}
      />
      <Field
        label="Limit of open tasks"
        name="limit"
        // Text, not `type="number"`: a number input reports what is not a number as empty,
        // which here means "no limit" (see limitFromInput).
        inputMode="numeric"
        hint={hints.limit}
        value={limit}
        onChange={(event) => onLimit(event.target.value)}
        error={errors.maximumNumberOfIncompleteTasks}
      />
    </div>
  );
}
