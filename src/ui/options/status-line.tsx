/**
 * The line under a form that says how its last action went: read out politely
 * when it went well, at once (an alert) when it failed.
 */
export function StatusLine({ status }: { status: { text: string; error: boolean } }) {
  return (
    <p role={status.error ? 'alert' : 'status'} class={status.error ? 'error-text' : undefined}>
      {status.text}
    </p>
  );
}
