/**
 * Preload (`node --import`) that shifts the process clock by FAKE_CLOCK_OFFSET_MS, so a
 * browser test can meet time-of-day rules (a check-in before 08.00 WITA) at any hour.
 * `new Date(x)` with an argument is untouched; only "now" moves.
 */
const offset = Number(process.env.FAKE_CLOCK_OFFSET_MS ?? 0);
if (offset) {
  const Real = Date;
  const now = () => Real.now() + offset;
  globalThis.Date = new Proxy(Real, {
    construct: (target, args, newTarget) =>
      args.length ? Reflect.construct(target, args, newTarget) : new Real(now()),
    apply: () => new Real(now()).toString(),
    get: (target, prop, receiver) => (prop === "now" ? now : Reflect.get(target, prop, receiver)),
  });
}
