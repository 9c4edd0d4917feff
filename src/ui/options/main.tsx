import { render } from 'preact';

// Placeholder: the options page (rules, tester, sync, export) replaces this component.
function Options() {
  return <main data-page="options">Client Certificate Rules: options placeholder</main>;
}

const root = document.getElementById('app');
if (root) render(<Options />, root);
