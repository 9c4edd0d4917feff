import { render } from 'preact';
import browser from 'webextension-polyfill';
import { send } from '../../shared/send';
import { bootPage } from '../common/page-boot';
import '../common/theme.css';
import './guard.css';
import { blockedUrlFrom } from './blocked-url';
import { guardExit } from './exit';
import { GuardPage } from './guard-page';

bootPage();

const root = document.getElementById('app');
const exit = () => guardExit(browser.tabs, { historyLength: history.length, framed: window.top !== window, back: () => history.back() });

if (root) render(<GuardPage sender={send} blockedUrl={blockedUrlFrom(location.search)} navigate={(url) => location.replace(url)} exit={exit} />, root);
