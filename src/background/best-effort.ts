/**
 * Work whose failure must not stop what the background is doing (a cache
 * write, a badge, a sync started in passing): its failure is logged, saying
 * what failed, and the caller goes on with `undefined`.
 */
export function bestEffort<T>(what: string, work: Promise<T>): Promise<T | undefined> {
  return work.catch((error: unknown) => {
    console.warn(`client-certificate-rules: ${what} failed:`, error);
    return undefined;
  });
}
