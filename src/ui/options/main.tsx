import { render } from 'preact';
import browser from 'webextension-polyfill';
import { send } from '../../shared/send';
import { storageChanges } from '../common/live';
import { watchInput } from '../common/input-quiet';
import { bootPage } from '../common/page-boot';
import '../common/theme.css';
import './options.css';
import { takeEarlyRuleSources, withEarlyReply } from './early-request';
import { Options } from './options-app';
import { locationFromHash } from './sections';

bootPage();
// Lint warnings wait while the user types (common/input-quiet.ts).
watchInput(window);
document.title = browser.i18n.getMessage('options_title');

const root = document.getElementById('app');
if (root) {
  const start = locationFromHash(location.hash);
  render(
    <Options
      sender={withEarlyReply('getRuleSources', takeEarlyRuleSources(), send)}
      initialSection={start.section}
      initialRule={start.rule}
      changes={storageChanges(browser.storage.onChanged)}
      readLocal={(keys) => browser.storage.local.get(keys)}
      onNavigate={(hash) => {
        location.hash = hash;
      }}
    />,
    root,
  );
}
