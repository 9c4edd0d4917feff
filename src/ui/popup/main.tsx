import { render } from 'preact';
import browser from 'webextension-polyfill';
import { send } from '../../shared/send';
import { storageChanges } from '../common/live';
import { bootPage } from '../common/page-boot';
import '../common/theme.css';
import './popup.css';
import { Popup } from './popup';
import { resolveTabId } from './tab-id';

bootPage();
document.title = browser.i18n.getMessage('extensionName');

async function start(root: HTMLElement): Promise<void> {
  const tabId = await resolveTabId(location.search, () => browser.tabs.query({ active: true, currentWindow: true }));
  render(
    <Popup
      sender={send}
      tabId={tabId}
      changes={storageChanges(browser.storage.onChanged, tabId)}
      openOptions={() => {
        void browser.runtime.openOptionsPage();
        // A real popup closes itself; the same page opened as a tab stays.
        if (!new URLSearchParams(location.search).has('tabId')) window.close();
      }}
      openPage={(url) => {
        // A tab of its own (tabs.create needs no permission): the popup closes as the tab opens.
        void browser.tabs.create({ url });
        if (!new URLSearchParams(location.search).has('tabId')) window.close();
      }}
    />,
    root,
  );
}

const root = document.getElementById('app');
if (root) void start(root);
