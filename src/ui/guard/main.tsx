import { render } from 'preact';
import { send } from '../../shared/send';
import { bootPage } from '../common/page-boot';
import '../common/theme.css';
import './guard.css';
import { blockedUrlFrom } from './blocked-url';
import { GuardPage } from './guard-page';

bootPage();

const root = document.getElementById('app');
if (root) render(<GuardPage sender={send} blockedUrl={blockedUrlFrom(location.search)} navigate={(url) => location.replace(url)} />, root);
