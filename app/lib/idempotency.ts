/** A form's idempotency key: 32 hex characters, made when the form is rendered. */
export const IDEMPOTENCY_KEY_RE = /^[a-f0-9]{32}$/;
