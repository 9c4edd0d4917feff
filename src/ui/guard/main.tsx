import { render } from 'preact';

// Placeholder: the guard interstitial (host, rule, what it means) replaces this component.
function Guard() {
  return <main data-page="guard">Client Certificate Rules: guard placeholder</main>;
}

const root = document.getElementById('app');
if (root) render(<Guard />, root);
