// The one builder of the errors huntkit's JS throws: an `Error` named "HuntkitError" with a
// stable `code`, as the wasm's own errors are (see `HuntkitError` in core.d.ts).

/** A HuntkitError with `message` and `code`. */
export function huntkitError(message, code) {
  const err = new Error(message);
  err.name = "HuntkitError";
  err.code = code;
  return err;
}
