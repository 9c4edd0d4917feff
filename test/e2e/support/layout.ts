/**
 * Layout checks run inside a page (Chromium through Playwright, Firefox
 * through Puppeteer): what a person would see as cut off or running off the
 * edge. The function is self-contained (it is sent to the page as source).
 */

/** The widths (CSS px at 100%) every page is checked at; 200% zoom halves the layout width at the same window. */
export const LAYOUT_WIDTHS = [320, 800, 1280] as const;

export interface LayoutCase {
  /** The window's width in device-independent px at 100% zoom. */
  window: number;
  zoom: 1 | 2;
}

/**
 * The window widths at 100% and at 200% zoom. At 200% the layout width is
 * half the window's (what the browser's zoom does); 320 at 200% (160 CSS px)
 * is below the narrowest layout the pages support (320 CSS px, WCAG's reflow
 * width), so it is not a case.
 */
export const LAYOUT_CASES: readonly LayoutCase[] = [
  ...LAYOUT_WIDTHS.map((window) => ({ window, zoom: 1 as const })),
  ...LAYOUT_WIDTHS.filter((window) => window / 2 >= 320).map((window) => ({ window, zoom: 2 as const })),
];

export const caseName = (layout: LayoutCase): string => `${layout.window} px${layout.zoom === 2 ? ' at 200%' : ''}`;

/** Which of layoutProblems' stricter checks a case gets: tables must fit from 1280 CSS px, long text needs room from 800. */
export function checksFor(layout: LayoutCase): { tablesFit: boolean; roomyColumns: boolean } {
  const width = layout.window / layout.zoom;
  return { tablesFit: width >= 1280, roomyColumns: width >= 800 };
}

/** One line per layout problem and axe violation, each prefixed with where it was seen. */
export function findingsAt(
  where: string,
  problems: readonly string[],
  violations: readonly { id: string; help: string; nodes: readonly { target: readonly string[] }[] }[],
): string[] {
  return [
    ...problems.map((problem) => `${where}: ${problem}`),
    ...violations.map((violation) => `${where}: axe ${violation.id} (${violation.help}) at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
  ];
}

/**
 * What is wrong with the page's layout as laid out now, one line each: the
 * page scrolls sideways; an element sticks out past the right edge (outside a
 * scroll area of its own); a select is narrower than its longest option (an
 * option is cut when chosen); a button's text does not fit. With
 * `tablesFit` (1280 px): a table that needs its sideways scroll; with
 * `roomyColumns` (800 px and more): a cell of long text squeezed narrower
 * than 160 px. Runs in the page:
 * no imports, no closures.
 */
export function layoutProblems(options: { tablesFit: boolean; roomyColumns: boolean }): string[] {
  const problems: string[] = [];
  const root = document.documentElement;
  const width = root.clientWidth;
  const describe = (element: Element): string => {
    const id = element.id ? `#${element.id}` : '';
    const classes = typeof element.className === 'string' && element.className ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
    const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${element.tagName.toLowerCase()}${id}${classes} "${text}"`;
  };
  const visible = (element: Element): boolean => {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return false;
    const style = getComputedStyle(element);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  /** Inside an element that scrolls or clips sideways (a table's scroll area): its own overflow is not the page's. */
  const inScroller = (element: Element): boolean => {
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden' || overflow === 'clip') return true;
    }
    return false;
  };

  if (root.scrollWidth > width + 1) problems.push(`the page scrolls sideways: ${root.scrollWidth} px of content in ${width} px`);
  const sticking: string[] = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (element.closest('.visually-hidden') || !visible(element) || inScroller(element)) continue;
    const box = element.getBoundingClientRect();
    if (box.right > width + 1 || box.left < -1) sticking.push(`${describe(element)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
  }
  // The outermost few name the culprit; their children follow them out.
  problems.push(...sticking.slice(0, 5).map((line) => `past the edge: ${line}`));

  for (const select of document.querySelectorAll('select')) {
    if (!visible(select)) continue;
    // A copy free to take its natural width (as wide as its longest option) beside the original, with the same rules applied.
    const probe = select.cloneNode(true) as HTMLSelectElement;
    probe.removeAttribute('id');
    probe.style.cssText = 'position:absolute;visibility:hidden;width:auto;min-width:0;max-width:none;flex:none;';
    probe.setAttribute('aria-hidden', 'true');
    select.after(probe);
    const natural = probe.getBoundingClientRect().width;
    probe.remove();
    const actual = select.getBoundingClientRect().width;
    if (actual + 1 < natural)
      problems.push(`select cut off: ${describe(select)} is ${Math.round(actual)} px, its longest option needs ${Math.round(natural)} px`);
  }
  for (const control of document.querySelectorAll('button, input[type="button"], input[type="submit"], summary, a.button')) {
    if (!visible(control)) continue;
    const element = control as HTMLElement;
    if (element.scrollWidth > element.clientWidth + 1)
      problems.push(`text cut off: ${describe(element)} needs ${element.scrollWidth} px, has ${element.clientWidth} px`);
  }
  for (const table of document.querySelectorAll('table')) {
    if (!visible(table)) continue;
    // Wide enough for every table: none needs its sideways scroll.
    const scroller = table.parentElement;
    if (options.tablesFit && scroller && scroller.scrollWidth > scroller.clientWidth + 1) {
      problems.push(`table scrolls sideways: ${describe(table)} is ${scroller.scrollWidth} px in ${scroller.clientWidth} px`);
    }
    // Room enough that no column of long text (a lint note, a long host) is squeezed to a sliver.
    if (options.roomyColumns) {
      for (const cell of table.querySelectorAll('td')) {
        const text = (cell.textContent ?? '').trim();
        const cellWidth = cell.getBoundingClientRect().width;
        if (text.length > 60 && cellWidth < 160)
          problems.push(`cramped column: ${describe(cell)} (${text.length} characters) is ${Math.round(cellWidth)} px wide`);
      }
      // A short host or port broken over two lines while the window has room.
      for (const code of table.querySelectorAll('td > code')) {
        const text = (code.textContent ?? '').trim();
        if (text.length <= 30 && code.getClientRects().length > 1) problems.push(`short data broken over lines: ${describe(code)}`);
      }
    }
  }
  return problems;
}
