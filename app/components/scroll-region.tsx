/**
 * A wide table's box that scrolls sideways on a phone. It can take keyboard focus (Tab, then
 * the arrow keys scroll it) and is named for screen readers: axe's scrollable-region-focusable.
 */
export function ScrollRegion({
  label,
  className = "card",
  children,
  ...rest
}: { label: string; className?: string; children: React.ReactNode } & { "data-testid"?: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
    <section tabIndex={0} aria-label={label} className={`overflow-x-auto ${className}`} {...rest}>
      {children}
    </section>
  );
}
