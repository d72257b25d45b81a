export interface BackoffOptions { baseMs?: number; maxMs?: number; random?: () => number }

/**
 * Jittered exponential backoff ("equal jitter"): half the window is fixed, half random, so a
 * restarting server is not hit by every client at the same instant, yet nobody waits near zero.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 15_000;
  const random = options.random ?? Math.random;
  const window = Math.min(max, base * 2 ** Math.min(attempt, 20));
  return Math.round(window / 2 + random() * (window / 2));
}
