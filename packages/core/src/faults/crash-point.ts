/**
 * Named points in a money flow where a crash can be injected, so tests can prove that a kill at any
 * step converges on restart or re-run. In production no hook is set and a crash point costs one
 * comparison. The embedded stack sets a hook from `MADAD_CRASH_AT` that SIGKILLs its own process;
 * unit tests set one that throws {@link InjectedCrashError} and leaves the fakes as a kill would.
 */
export type CrashHook = (point: string) => void;

let hook: CrashHook | undefined;

/** Thrown by the unit tests' hook: the flow stops here as if the process had died. */
export class InjectedCrashError extends Error {
  constructor(readonly point: string) {
    super(`Injected crash at ${point}`);
    this.name = 'InjectedCrashError';
  }
}

/** Installs (or, with undefined, removes) the hook called at every crash point. */
export function setCrashHook(next: CrashHook | undefined): void {
  hook = next;
}

/** Marks a named step of a flow, e.g. `crashPoint('approve.after-reserve')`. */
export function crashPoint(point: string): void {
  hook?.(point);
}

/** A hook that throws at `point` (its first `times` passes, default once). For unit tests. */
export function crashOnceAt(point: string, times = 1): CrashHook {
  let left = times;
  return (reached) => {
    if (reached === point && left > 0) {
      left--;
      throw new InjectedCrashError(point);
    }
  };
}
