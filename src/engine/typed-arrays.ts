/** A copy of `column` in a new array of `length` (longer), zero-filled past the old end. */
export function grownF64(column: Float64Array, length: number): Float64Array {
  const grown = new Float64Array(length);
  grown.set(column);
  return grown;
}
