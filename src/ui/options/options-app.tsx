import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { profileAdminAllowed } from '../../shared/credential-owner';
import { readNetworkPrediction, type NetworkPredictionView } from '../../shared/network-prediction';
import type { RuleSources } from '../../shared/status';
import type { Sender } from '../../shared/send';
import { t } from '../common/i18n';
import { useChanges, type ChangeSource } from '../common/live';
import { useLoad } from '../common/use-async';
import { useSteady } from '../common/pure';
import { BrowserPolicySection } from './browser-policy-section';
import { downloadText, type Downloader } from './download';
import { ImportExportSection } from './import-export-section';
import { PolicySection } from './policy-section';
import { ProfilesSection } from './profiles-section';
import { RulesSection, type RuleJump } from './rules-section';
import type { RuleRef } from '../common/rule-link';
import { ruleHash } from '../common/rule-link';
import { SECTIONS, SECTION_TITLES, locationFromHash, type SectionId } from './sections';
import { SyncSection, type StatusView } from './sync-section';
import { TesterSection } from './tester-section';
import type { LocalReader } from './known-locally';
import { StartingNotice, useKnownLocally } from './starting-notice';

export interface OptionsProps {
  sender: Sender;
  /** The section to show first; the page passes location.hash. */
  initialSection?: SectionId;
  /** A rule to show first (#rule=profile:16): the rules section opens at its row. */
  initialRule?: RuleRef | null;
  download?: Downloader;
  now?: () => number;
  /** Where section changes are written (location.hash in the page): a section's id, or a rule's "rule=source:index". */
  onNavigate?: (hash: string) => void;
  /** The browser's network prediction setting (read from the browser, as the background reads it). */
  networkPrediction?: () => Promise<NetworkPredictionView>;
  /** Changes of what the page shows (storage change events): it follows them while open. */
  changes?: ChangeSource;
  /** Reads storage.local: what the browser already holds is shown while the background is still starting. */
  readLocal?: LocalReader;
}

/** The options page: one section at a time, chosen by the navigation (and the URL's #hash). */
export function Options({
  sender,
  initialSection = 'rules',
  initialRule = null,
  download = downloadText,
  now = Date.now,
  onNavigate,
  networkPrediction = readNetworkPrediction,
  changes,
  readLocal,
}: OptionsProps) {
  const [section, setSection] = useState<SectionId>(initialRule ? 'rules' : initialSection);
  const [jump, setJump] = useState<RuleJump | null>(initialRule ? { rule: initialRule, seq: 1 } : null);
  const [sources, setSources] = useState<RuleSources | null>(null);
  const [editorVersion, setEditorVersion] = useState(0);
  const [sourcesLoad, reloadSources, refreshSources] = useLoad(() => sender({ type: 'getRuleSources' }), [sender]);
  // Opened at the rules, the page asks for them alone first, and the rest once their rows are painted: thousands of rules
  // are a long answer, and the other requests and their answers would share the background's and the page's time with them.
  const rulesFirst = useAfterFrame(section !== 'rules' || sourcesLoad.state !== 'loading');
  // The rules' lint (longer than the rules) follows them, once the rules section has been shown.
  const lintWanted = useLatch(rulesFirst && section === 'rules');
  const revision = sources?.revision;
  const [lintLoad] = useLoad(() => inTurn(lintWanted && revision !== undefined, () => sender({ type: 'getRuleLint' })), [sender, lintWanted, revision]);
  const [statusLoad, reloadStatus, refreshStatus] = useLoad<StatusView>(() => inTurn(rulesFirst, () => sender({ type: 'getStatus' })), [sender, rulesFirst]);
  useChanges(changes, () => Promise.all([refreshSources(), refreshStatus()]));
  const [prediction] = useLoad(() => inTurn(rulesFirst, networkPrediction), [networkPrediction, statusLoad, rulesFirst]);
  const [account] = useLoad(() => inTurn(rulesFirst, () => sender({ type: 'consoleAccount' })), [sender, rulesFirst]);
  // Whether the section shown waits for the background (it then shows the starting notice).
  const sectionWaiting =
    section === 'rules' || section === 'import' ? sources === null : ['sync', 'policy', 'profiles'].includes(section) && statusLoad.state === 'loading';
  const known = useKnownLocally(readLocal, sectionWaiting);
  const waiting = <StartingNotice known={known} now={now()} />;
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  // Counts every jump to a rule, so that no two jumps look alike.
  const jumps = useRef(initialRule ? 1 : 0);
  const written = useRef<string | null>(null);

  // Before the next paint (an effect would wait a frame before the rows are drawn).
  useLayoutEffect(() => {
    if (sourcesLoad.state === 'ready') setSources(sourcesLoad.value);
  }, [sourcesLoad]);

  useEffect(() => {
    const onHash = () => {
      // The page's own writes come back as hashchange events: those are done already.
      const own = location.hash === `#${written.current}`;
      written.current = null;
      if (own) return;
      const where = locationFromHash(location.hash);
      if (where.rule) showRule(where.rule, false);
      else go(where.section, false);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    // After a navigation (not on first load) focus the new section's heading, so keyboard and screen reader users land there.
    if (moved.current) heading.current?.focus();
  }, [section]);

  const admin = account.state === 'ready' && account.value.admin;
  // Offered only while the settings say the credentials in force may administer profiles (the background checks again).
  const profileAdmin = admin && statusLoad.state === 'ready' && profileAdminAllowed(statusLoad.value.settings);
  const visible = SECTIONS.filter((id) => id !== 'profiles' || profileAdmin);
  const current = section;

  function navigate(hash: string) {
    written.current = hash;
    onNavigate?.(hash);
  }

  function go(next: SectionId, write = true) {
    moved.current = true;
    setSection(next);
    setJump(null);
    if (write) navigate(next);
  }

  /** The rules section at one rule's row (the row takes the focus, not the heading). */
  function showRule(rule: RuleRef, write = true) {
    moved.current = false;
    setSection('rules');
    jumps.current += 1;
    setJump({ rule, seq: jumps.current });
    if (write) navigate(ruleHash(rule).slice(1));
  }

  // One function for the page's life: the rules section renders again only when what it shows changes.
  const sourcesChanged = useSteady((next: RuleSources) => {
    setSources(next);
    void reloadStatus();
  });

  const refreshAll = async () => {
    await Promise.all([reloadSources(), reloadStatus()]);
  };

  return (
    <div class="options">
      <header class="options-header">
        <h1>{t('options_title')}</h1>
      </header>
      <nav aria-label={t('options_navLabel')} class="options-nav">
        <ul>
          {visible.map((id) => (
            <li key={id}>
              <a
                href={`#${id}`}
                aria-current={id === current ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  go(id);
                }}
              >
                {t(SECTION_TITLES[id])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="options-main" aria-labelledby="section-heading" data-section={current}>
        <h2 id="section-heading" tabIndex={-1} ref={heading}>
          {t(SECTION_TITLES[current])}
        </h2>
        {current === 'rules' && (
          <Needs load={sourcesLoad} value={sources} waiting={waiting}>
            {(value) => <RulesSection sources={value} lint={lintLoad} sender={sender} editorVersion={editorVersion} jump={jump} onChanged={sourcesChanged} />}
          </Needs>
        )}
        {current === 'tester' && <TesterSection sender={sender} onShowRule={showRule} />}
        {current === 'sync' && (
          <Needs load={statusLoad} value={statusLoad.state === 'ready' ? statusLoad.value : null} waiting={waiting}>
            {(value) => <SyncSection status={value} sender={sender} reload={refreshAll} now={now} />}
          </Needs>
        )}
        {current === 'profiles' &&
          (admin ? (
            <Needs load={statusLoad} value={statusLoad.state === 'ready' ? statusLoad.value : null} waiting={waiting}>
              {(value) => <ProfilesSection sender={sender} allowed={profileAdminAllowed(value.settings)} />}
            </Needs>
          ) : account.state === 'loading' ? (
            <p role="status">{t('ui_loading')}</p>
          ) : (
            // Opened by its address without admin rights: say why instead of showing another section.
            <p role="alert">
              {account.state === 'error'
                ? t('profiles_accountUnknown', account.message)
                : t('profiles_notAdmin', account.value.email ?? t('profiles_noAccount'))}
            </p>
          ))}
        {current === 'import' && (
          <Needs load={sourcesLoad} value={sources} waiting={waiting}>
            {(value) => (
              <ImportExportSection
                sources={value}
                sender={sender}
                download={download}
                onImported={(next) => {
                  setSources(next);
                  setEditorVersion((version) => version + 1);
                }}
              />
            )}
          </Needs>
        )}
        {current === 'policy' && (
          <Needs load={statusLoad} value={statusLoad.state === 'ready' ? statusLoad.value : null} waiting={waiting}>
            {(value) => (
              <PolicySection
                settings={value.settings}
                guard={value.guard}
                prediction={prediction.state === 'ready' ? prediction.value : null}
                sender={sender}
                onChanged={reloadStatus}
              />
            )}
          </Needs>
        )}
        {current === 'browser-policy' && <BrowserPolicySection sender={sender} download={download} onShowRule={showRule} />}
      </main>
    </div>
  );
}

/** True from the first render where `condition` holds, for good. */
function useLatch(condition: boolean): boolean {
  const latched = useRef(false);
  if (condition) latched.current = true;
  return latched.current;
}

/** Like useLatch, from the first frame painted after `condition` held (the page's own work first). */
function useAfterFrame(condition: boolean): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    if (!condition || after) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setAfter(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [condition, after]);
  return after;
}

/** A load that waits for its turn: until then an answer that never comes (useLoad asks again when the turn comes, and keeps the newest). */
const inTurn = <T,>(turn: boolean, load: () => Promise<T>): Promise<T> => (turn ? load() : new Promise<T>(() => undefined));

/** Renders its child once the data is there; before that, `waiting` (what is known so far) or why it failed. */
function Needs<T>({
  load,
  value,
  waiting,
  children,
}: {
  load: { state: string; message?: string };
  value: T | null;
  waiting: preact.ComponentChildren;
  children: (value: T) => preact.ComponentChildren;
}) {
  if (value !== null) return <>{children(value)}</>;
  if (load.state === 'error') {
    return (
      <p role="alert" class="error-text">
        {t('options_loadFailed', load.message ?? '')}
      </p>
    );
  }
  return <>{waiting}</>;
}
