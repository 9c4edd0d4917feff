import type { ComponentChildren } from 'preact';
import type { RuleRef } from './rule-link';

/** How a page links to a rule's row in the options page: the address, and how to open it (a popup opens a tab). */
export interface RuleLinker {
  href: (rule: RuleRef) => string;
  open?: (rule: RuleRef) => void;
}

/** A link to one rule's row in the options page; plain text where the page has no linker. */
export function RuleAnchor({ rule, linker, children }: { rule: RuleRef; linker: RuleLinker | undefined; children: ComponentChildren }) {
  if (!linker) return <>{children}</>;
  return (
    <a
      href={linker.href(rule)}
      target="_blank"
      rel="noopener"
      data-rule-link={`${rule.source}:${rule.index}`}
      onClick={(event) => {
        if (!linker.open) return;
        event.preventDefault();
        linker.open({ source: rule.source, index: rule.index });
      }}
    >
      {children}
    </a>
  );
}
