/**
 * Strings as the KPL's Java side turns them into UTF-8.
 *
 * Java's protobuf writer encodes a string with an unpaired surrogate through `String.getBytes`,
 * which writes `?` for it; Node would write U+FFFD. Replacing unpaired surrogates with `?` first
 * keeps tables and MD5 hash keys byte-identical to the KPL's. Well-formed strings (the usual
 * case) are returned as they are after one cheap check.
 */

type WellFormedCheck = (this: string) => boolean;
const isWellFormed = (String.prototype as { isWellFormed?: WellFormedCheck }).isWellFormed;
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/gu;
const HAS_SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The string whose UTF-8 bytes the KPL would write: unpaired surrogates become `?`.
 * @internal
 */
export function toKplString(value: string): string {
  if (isWellFormed !== undefined) {
    return isWellFormed.call(value) ? value : value.replace(UNPAIRED_SURROGATE, '?');
  }
  return HAS_SURROGATE.test(value) ? value.replace(UNPAIRED_SURROGATE, '?') : value;
}
