package dev.acstoken.cache;

import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Receives the events of a {@link CachingTokenProvider}: hits, misses, waits, refreshes and their
 * outcome, evictions, invalidations and refreshes held back by the rate limit. Every method has a
 * no-op default; implement the ones you need.
 *
 * <p>Methods are called synchronously on the thread where the event happens, {@link #onHit} on the
 * caller's hot path: implementations must be thread-safe, fast and non-blocking, and should not
 * allocate in {@link #onHit}. An exception thrown by a listener is logged and otherwise ignored.
 * Requests are not secrets; no method is ever given a token value.
 */
public interface CacheListener {

  /** A listener that ignores every event. */
  CacheListener NONE = new CacheListener() {};

  /**
   * A caller was served a cached token (the key was FRESH or STALE).
   *
   * @param request the key
   */
  default void onHit(TokenRequest request) {}

  /**
   * A caller found no usable token (the key was cold or EXPIRED) and joins, or starts, a refresh.
   *
   * @param request the key
   */
  default void onMiss(TokenRequest request) {}

  /**
   * A caller that had to wait for a refresh stopped waiting, with a token or an error.
   *
   * @param request the key
   * @param waited how long the caller waited, on the cache's time source
   */
  default void onWait(TokenRequest request, Duration waited) {}

  /**
   * The cache called the backend for a new token.
   *
   * @param request the key
   */
  default void onRefreshStarted(TokenRequest request) {}

  /**
   * A backend call returned a usable token.
   *
   * @param request the key
   * @param latency how long the call took
   */
  default void onRefreshSucceeded(TokenRequest request, Duration latency) {}

  /**
   * A backend call failed or timed out.
   *
   * @param request the key
   * @param error what went wrong (its message holds no secret)
   * @param terminal true if the error cannot heal by retrying (unauthorized, not found) and the
   *     entry was dropped; false if the cache backs off and retries
   */
  default void onRefreshFailed(TokenRequest request, AcsException error, boolean terminal) {}

  /**
   * A refresh was held back by the per-resource rate limit and waits for a permit.
   *
   * @param request the key
   */
  default void onRateLimited(TokenRequest request) {}

  /**
   * An entry was evicted for size or idleness.
   *
   * @param request the key
   */
  default void onEviction(TokenRequest request) {}

  /**
   * An entry was invalidated: its identity was revoked or deleted, or {@link
   * CachingTokenProvider#invalidate} was called.
   *
   * @param request the key
   */
  default void onInvalidation(TokenRequest request) {}

  /**
   * A refresh was answered by the shared tier: another instance had stored a newer token (or stored
   * one while this instance waited for it), and no backend call was made.
   *
   * @param request the key
   */
  default void onSharedTierHit(TokenRequest request) {}

  /**
   * The shared tier failed or did not answer in time; the refresh went to the backend, or an
   * invalidation was not shared (the tier shares it later, if it can).
   *
   * @param request the key, or null for an invalidation of a whole identity
   * @param cause what went wrong (its message holds no secret)
   */
  default void onSharedTierFailure(@Nullable TokenRequest request, Throwable cause) {}

  /**
   * One more key of a {@link CachingTokenProvider#prefetch} is done.
   *
   * @param completed keys done so far, succeeded or failed
   * @param failed keys that failed so far
   * @param total keys in the prefetch
   */
  default void onPrefetchProgress(int completed, int failed, int total) {}
}
