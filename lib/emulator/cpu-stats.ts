/**
 * Figures about how VMs shared the host's CPU, kept apart from the scheduler so that the bench
 * and the panels compute them the same way.
 */

/**
 * Jain's fairness index of what each VM got: 1 when all got the same, 1/n when one got it all.
 * (sum x)^2 / (n * sum x^2).
 */
export function jainIndex(amounts: readonly number[]): number {
  const n = amounts.length;
  if (n === 0) return 1;
  const sum = amounts.reduce((a, b) => a + b, 0);
  const squares = amounts.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? 1 : (sum * sum) / (n * squares);
}
