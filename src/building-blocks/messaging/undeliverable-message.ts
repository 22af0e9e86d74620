/**
 * A message no retry can help: its payload does not parse with its contract, or no contract
 * knows its version. It is dead-lettered at once, with this reason.
 */
export class UndeliverableMessage extends Error {
  override readonly name = 'UndeliverableMessage';
}
