/**
 * The error summary at the top of a long form (the GOV.UK pattern): what went wrong, one
 * link per problem to the place on the page, and focus on the box when the page loads
 * (the `autofocus` attribute: no JavaScript needed), so the answer after a submit is
 * read first instead of a page that looks unchanged.
 */
export function ErrorSummary({
  title,
  items,
  children,
}: {
  title: string;
  /** In page order; `href` "#id" of the field or row (omitted for a problem of the whole form). */
  items: { message: string; href?: string }[];
  children?: React.ReactNode;
}) {
  return (
    <div
      id="ringkasan-kesalahan"
      className="alert-error space-y-2 border-2 border-red-700"
      tabIndex={-1}
      // biome-ignore lint/a11y/noAutofocus: the GOV.UK error summary takes focus after a failed submit (server-rendered, no JavaScript)
      autoFocus
      aria-labelledby="ringkasan-kesalahan-judul"
      role="region"
      data-testid="error-summary"
    >
      <h2 id="ringkasan-kesalahan-judul" className="text-base font-bold">
        {title}
      </h2>
      {children}
      <ul className="list-disc space-y-1 pl-5">
        {items.map((i) => (
          <li key={i.href ?? i.message}>
            {i.href ? (
              <a href={i.href} className="font-semibold text-red-800 underline">
                {i.message}
              </a>
            ) : (
              i.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
