import type { PopupState } from '../../shared/messages';
import type { Sender } from '../../shared/send';
import { rulesNotKnownYet } from '../../shared/verdict-kind';
import { t } from '../common/i18n';
import { exceptionFor } from '../common/guard-exception';
import { useChanges, type ChangeSource } from '../common/live';
import type { RuleLinker } from '../common/rule-anchor';
import { optionsRuleUrl, type RuleRef } from '../common/rule-link';
import { labelsOf } from '../common/rule-summary';
import { UnavailableList } from '../common/unavailable-list';
import { useLoad } from '../common/use-async';
import { ClientAuthList } from './client-auth-list';
import { CurrentTab } from './current-tab';
import { EndpointGroups } from './endpoint-groups';
import { GuardExceptionNote } from './guard-exception-note';
import { SyncLine } from './sync-line';
import { UrlTest } from './url-test';

export interface PopupProps {
  sender: Sender;
  /** The tab to describe; null when there is none (e.g. a devtools window). */
  tabId: number | null;
  /** Opens the options page (runtime.openOptionsPage); without it the link opens normally. */
  openOptions?: () => void;
  /** Opens an address of the extension in a tab (a rule's row in the options page); without it the link opens normally. */
  openPage?: (url: string) => void;
  now?: () => number;
  /** Changes of what the popup shows (storage change events): it follows them while open. */
  changes?: ChangeSource;
}

/** The toolbar popup. Its first render needs exactly one message: getPopupState. */
export function Popup({ sender, tabId, openOptions, openPage, now = Date.now, changes }: PopupProps) {
  const linker: RuleLinker = {
    href: optionsRuleUrl,
    ...(openPage ? { open: (rule: RuleRef) => openPage(new URL(optionsRuleUrl(rule), location.href).href) } : {}),
  };
  const [loaded, reload, refresh] = useLoad<PopupState | null>(
    () => (tabId === null ? Promise.resolve(null) : sender({ type: 'getPopupState', tabId })),
    [sender, tabId],
  );
  useChanges(changes, refresh);
  return (
    <main class="popup" aria-busy={loaded.state === 'loading'}>
      <h1 class="visually-hidden">{t('extensionName')}</h1>
      {loaded.state === 'loading' && <p role="status">{t('ui_loading')}</p>}
      {loaded.state === 'error' && (
        <p role="alert" class="error-text">
          {t('popup_loadFailed', loaded.message)}
        </p>
      )}
      {loaded.state === 'ready' && <PopupBody state={loaded.value} sender={sender} reload={reload} now={now} linker={linker} />}
      <p class="popup-footer">
        <a
          href="../options/index.html"
          target="_blank"
          rel="noopener"
          onClick={(event) => {
            if (!openOptions) return;
            event.preventDefault();
            openOptions();
          }}
        >
          {t('popup_openOptions')}
        </a>
      </p>
    </main>
  );
}

function PopupBody({
  state,
  sender,
  reload,
  now,
  linker,
}: {
  state: PopupState | null;
  sender: Sender;
  reload: () => Promise<void>;
  now: () => number;
  linker: RuleLinker;
}) {
  if (!state) return <p>{t('popup_noTab')}</p>;
  const labels = labelsOf(state.sources);
  const current = state.current;
  const others = (state.tab?.endpoints ?? []).filter((endpoint) => !(endpoint.host === current?.host && endpoint.port === current?.port));
  const pending = rulesNotKnownYet(state.unavailable);
  const exception = exceptionFor(current?.url, state.exceptions);
  return (
    <>
      {current ? <CurrentTab current={current} labels={labels} pending={pending} linker={linker} /> : <p>{t('popup_noTab')}</p>}
      {exception && <GuardExceptionNote origin={exception} sender={sender} onRemoved={reload} />}
      <UnavailableList unavailable={state.unavailable} profileName={state.sync.profileName} shownElsewhere={state.sync.lastError?.message ?? null} />
      <ClientAuthList events={state.tab?.clientAuthEvents ?? []} labels={labels} pending={pending} linker={linker} />
      <EndpointGroups endpoints={others} dropped={state.tab?.endpointsDropped ?? 0} labels={labels} pending={pending} linker={linker} />
      <SyncLine sync={state.sync} sender={sender} onSynced={reload} now={now} />
      <UrlTest sender={sender} linker={linker} />
    </>
  );
}
