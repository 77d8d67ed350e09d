// A minimal event emitter: on() returns its own unsubscribe function. A listener that throws does not stop
// the others or the client; the error is reported to `onListenerError`.

export class Emitter {
  /** @param {(error: unknown, event: string) => void} [onListenerError] */
  constructor(onListenerError) {
    /** @type {Map<string, Set<Function>>} */
    this._listeners = new Map();
    this._onListenerError = onListenerError ?? ((error) => queueMicrotask(() => { throw error; }));
  }

  /**
   * @param {string} event
   * @param {Function} listener
   * @returns {() => void} removes the listener
   */
  on(event, listener) {
    let set = this._listeners.get(event);
    if (!set) {
      set = new Set();
      this._listeners.set(event, set);
    }
    // wrap so that adding the same function twice gives two subscriptions, as the returned function expects
    const entry = (/** @type {unknown[]} */ ...args) => listener(...args);
    entry.listener = listener;
    set.add(entry);
    return () => set.delete(entry);
  }

  /**
   * Removes a listener added with on() (one subscription of it).
   * @param {string} event
   * @param {Function} listener
   */
  off(event, listener) {
    const set = this._listeners.get(event);
    if (!set) return;
    for (const entry of set) {
      if (/** @type {any} */ (entry).listener === listener) {
        set.delete(entry);
        return;
      }
    }
  }

  /**
   * @param {string} event
   * @param {...unknown} args
   */
  emit(event, ...args) {
    const set = this._listeners.get(event);
    if (!set) return;
    for (const entry of [...set]) {
      try {
        entry(...args);
      } catch (error) {
        this._onListenerError(error, event);
      }
    }
  }
}
