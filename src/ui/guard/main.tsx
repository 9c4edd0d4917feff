import { render } from 'preact';
import browser from 'webextension-polyfill';
import { send } from '../../shared/send';
import { bootPage } from '../common/page-boot';
import '../common/theme.css';
import './guard.css';
import { blockedUrlFrom } from './blocked-url';
import { GuardPage } from './guard-page';

bootPage();
document.title = browser.i18n.getMessage('guard_title');

const root = document.getElementById('app');
if (root) render(<GuardPage sender={send} blockedUrl={blockedUrlFrom(location.search)} navigate={(url) => location.replace(url)} />, root);
