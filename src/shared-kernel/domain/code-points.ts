/** Characters as a person counts them, and as the rules of names and passwords do: code points. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _character of text) count++;
  return count;
}
