import { useRef } from 'preact/hooks';
import { t } from '../common/i18n';

/** The filter's text box, with how to write a query below it. */
export function RuleFilterBox({ id, value, onInput }: { id: string; value: string; onInput: (value: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const clear = () => {
    onInput('');
    // The button goes away with the text: the focus goes back to the box.
    input.current?.focus();
  };
  return (
    <div class="field rule-filter">
      <label for={id}>{t('filter_label')}</label>
      <div class="rule-filter-row">
        <input
          id={id}
          ref={input}
          type="search"
          spellcheck={false}
          autocomplete="off"
          value={value}
          aria-describedby={`${id}-help`}
          onInput={(event) => onInput(event.currentTarget.value)}
        />
        {value !== '' && (
          <button type="button" onClick={clear}>
            {t('filter_clear')}
          </button>
        )}
      </div>
      <p id={`${id}-help`} class="field-message muted">
        {t('filter_help')}
      </p>
    </div>
  );
}
