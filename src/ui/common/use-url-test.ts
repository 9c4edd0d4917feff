import { useState } from 'preact/hooks';
import type { UrlEvaluation } from '../../shared/messages';
import type { Sender } from '../../shared/send';
import { errorText } from './errors';
import { addressToTest } from './test-address';

/** The background's answer for the address tested; `assumed`: https was added to what was typed (a bare host). */
export type UrlTestResult = { evaluation: UrlEvaluation; assumed: boolean } | { error: string } | null;

/**
 * "Test a URL" as the options page and the popup both offer it: the typed
 * address (a URL, or a bare host, host:port or host/path, taken as https:
 * test-address.ts), and on submit the background's decision for it (or why
 * it could not answer). An empty address asks nothing.
 */
export function useUrlTest(sender: Sender): {
  url: string;
  setUrl: (url: string) => void;
  result: UrlTestResult;
  busy: boolean;
  submit: (event: Event) => Promise<void>;
} {
  const [url, setUrl] = useState('');
  const [result, setResult] = useState<UrlTestResult>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const address = addressToTest(url);
    if (!address) return;
    setBusy(true);
    try {
      setResult({ evaluation: await sender({ type: 'evaluateUrl', url: address.url }), assumed: address.assumed });
    } catch (error) {
      setResult({ error: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  return { url, setUrl, result, busy, submit };
}
