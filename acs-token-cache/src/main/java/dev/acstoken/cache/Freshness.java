package dev.acstoken.cache;

/**
 * The state of a cached token at one moment, as {@link Snapshot#freshness} judges it on both clocks
 * of the time source.
 */
enum Freshness {
  /** Before the refresh point: served as is. */
  FRESH,
  /** Past the refresh point, still usable: served, and one background refresh runs. */
  STALE,
  /** Past the usable deadline on either clock: never served; callers wait for the refresh. */
  EXPIRED
}
