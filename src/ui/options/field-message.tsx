/**
 * The line under a form field (its input names it by id in aria-describedby):
 * the field's problem in the error style when there is one, else its help.
 */
export function FieldMessage({ id, problem, help }: { id: string; problem: string | null; help: string }) {
  return (
    <p id={id} class={problem ? 'field-message error-text' : 'field-message muted'}>
      {problem ?? help}
    </p>
  );
}
