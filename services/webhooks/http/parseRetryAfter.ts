/**
 * A Retry-After header in seconds from `now` (ms): either form of RFC 9110, delay-seconds or an
 * HTTP date (a date already past is 0). Anything else, or no header, is null.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: number): number | null {
  const text = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (text === undefined || text === '') return null;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds : null;
  }
  // HTTP dates name a weekday and a zone (IMF-fixdate, RFC 850, asctime): a bare number or ISO
  // string that Date.parse would also accept is not one.
  if (!/^[A-Za-z]{3}/.test(text)) return null;
  const at = Date.parse(/^[A-Za-z]{3} [A-Za-z]{3} /.test(text) ? `${text} GMT` : text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
