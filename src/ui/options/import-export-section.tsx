import { useState } from 'preact/hooks';
import type { RuleSources } from '../../shared/status';
import type { Sender } from '../../shared/send';
import { useConfirm } from '../common/confirm-dialog';
import { errorText } from '../common/errors';
import { FindingList } from '../common/finding-list';
import { Icon } from '../common/icon';
import { t } from '../common/i18n';
import type { Downloader } from './download';
import { checkImport, exportText, MAX_IMPORT_BYTES, type ImportCheck } from './import-check';
import { StatusLine } from './status-line';

/** Local rules to and from a JSON file; an import is checked in full and saves nothing while any problem remains. */
export function ImportExportSection({
  sources,
  sender,
  download,
  onImported,
}: {
  sources: RuleSources;
  sender: Sender;
  download: Downloader;
  onImported: (next: RuleSources) => void;
}) {
  const local = sources.sources.find((source) => source.name === 'local');
  const localRules = local?.rules ?? [];
  const mode = sources.localRules;
  const [text, setText] = useState('');
  const [check, setCheck] = useState<ImportCheck | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  const [dialog, confirm] = useConfirm();

  const runCheck = (content: string) => {
    setStatus({ text: '', error: false });
    setCheck(checkImport(content, mode));
  };

  const onFile = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      setCheck({ kind: 'unreadable', where: file.name, message: t('import_fileTooLarge', Math.round(MAX_IMPORT_BYTES / 1024 / 1024)) });
      return;
    }
    const content = await file.text();
    setText(content);
    runCheck(content);
  };

  const save = async (rules: unknown[]) => {
    const confirmed = await confirm({
      title: t('import_confirmTitle'),
      body: <p>{t('import_confirmBody', rules.length, localRules.length)}</p>,
      confirmLabel: t('import_replace'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      const next = await sender({ type: 'setLocalRules', rules });
      setCheck(null);
      setText('');
      setStatus({ text: t('import_saved', rules.length), error: false });
      onImported(next);
    } catch (error) {
      setStatus({ text: t('import_saveFailed', errorText(error)), error: true });
    }
  };

  return (
    <>
      {dialog}
      <section aria-labelledby="export-heading">
        <h3 id="export-heading">{t('export_heading')}</h3>
        <p>{t('export_intro', localRules.length)}</p>
        <button type="button" onClick={() => download('client-certificate-rules-local.json', 'application/json', exportText(localRules))}>
          {t('export_download')}
        </button>
      </section>
      <section aria-labelledby="import-heading">
        <h3 id="import-heading">{t('import_heading')}</h3>
        {mode === 'none' ? (
          <p class="lock-reason">
            <Icon name="lock" /> {t('rules_lockLocalNone')}
          </p>
        ) : (
          <>
            <p>{mode === 'denyOnly' ? t('import_introDenyOnly') : t('import_intro')}</p>
            <div class="field">
              <label for="import-file">{t('import_file')}</label>
              <input id="import-file" type="file" accept=".json,application/json" onChange={onFile} />
            </div>
            <div class="field">
              <label for="import-text">{t('import_paste')}</label>
              <textarea id="import-text" rows={6} spellcheck={false} value={text} onInput={(event) => setText(event.currentTarget.value)} />
            </div>
            <div class="button-row">
              <button type="button" onClick={() => runCheck(text)} disabled={text.trim() === ''}>
                {t('import_check')}
              </button>
            </div>
            <div aria-live="polite" class="import-result">
              {check && <ImportResult check={check} onSave={save} />}
            </div>
          </>
        )}
        <StatusLine status={status} />
      </section>
    </>
  );
}

function ImportResult({ check, onSave }: { check: ImportCheck; onSave: (rules: unknown[]) => void }) {
  if (check.kind === 'unreadable') {
    return (
      <p class="error-text" data-import="unreadable">
        {t('import_unreadable', check.where, check.message)}
      </p>
    );
  }
  const blocked = check.errors.length > 0;
  return (
    <div data-import={blocked ? 'blocked' : 'ready'}>
      <p>{t('import_read', check.rules.length)}</p>
      {blocked ? (
        <>
          <p class="error-text">
            <strong>{t('import_blocked', check.errors.length)}</strong>
          </p>
          <FindingList findings={check.errors} withNumbers />
        </>
      ) : (
        <p>{t('import_ok')}</p>
      )}
      {check.warnings.length > 0 && (
        <>
          <p>{t('import_warnings', check.warnings.length)}</p>
          <FindingList findings={check.warnings} withNumbers />
        </>
      )}
      {!blocked && (
        <button type="button" class="primary" onClick={() => onSave(check.rules)}>
          {t('import_replaceCount', check.rules.length)}
        </button>
      )}
    </div>
  );
}
