/**
 * Which tab the popup describes. `?tabId=N` names one explicitly: the end-to-end
 * tests open the popup as an ordinary tab (headless browsers have no toolbar to
 * click), and an admin can do the same to inspect any tab. Otherwise: the
 * active tab of the current window.
 */
export function tabIdFromQuery(search: string): number | null {
  const value = new URLSearchParams(search).get('tabId');
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value);
}

export async function resolveTabId(search: string, queryActive: () => Promise<{ id?: number | undefined }[]>): Promise<number | null> {
  const fromQuery = tabIdFromQuery(search);
  if (fromQuery !== null) return fromQuery;
  const [tab] = await queryActive();
  return tab?.id ?? null;
}
