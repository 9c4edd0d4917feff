import { render } from 'preact';

// Placeholder: the popup (current tab's decision) replaces this component.
function Popup() {
  return <main data-page="popup">Client Certificate Rules: popup placeholder</main>;
}

const root = document.getElementById('app');
if (root) render(<Popup />, root);
