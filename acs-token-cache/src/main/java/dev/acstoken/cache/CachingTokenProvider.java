package dev.acstoken.cache;

import com.azure.communication.common.CommunicationTokenCredential;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Futures;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.RequestTimeoutException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link TokenProvider} that caches the tokens of another and refreshes them before they expire,
 * without ever making a reader wait while a valid token exists, without ever handing out an expired
 * token, and without ever stampeding the service; for one process, or, with a {@link SharedTier},
 * for a whole fleet.
 *
 * <p>Per key (a {@link TokenRequest}: identity, canonical scope set, requested lifetime) a token is
 * in one of three states:
 *
 * <ul>
 *   <li>FRESH, until its refresh point: it is served;
 *   <li>STALE, from the refresh point until its usable deadline (expiry minus the safety margin):
 *       it is served, and the first read starts exactly one background refresh; the reader that
 *       starts it does not wait for it either;
 *   <li>EXPIRED, past the usable deadline on either clock, or cold: callers join the one refresh of
 *       the key and wait for it, up to the wait timeout.
 * </ul>
 *
 * <p>Two clocks judge it, both read from the {@link TimeSource}: a monotonic deadline and a
 * wall-clock deadline, each from the token's time left on arrival (its expiry against the issuer's
 * time, the local wall clock corrected by the skew measured from the tokens' {@code iat} claims). A
 * suspended process (its monotonic clock stood still) and a wall clock stepped either way therefore
 * never get an expired token.
 *
 * <p>The refresh point is a fraction of the token's lifetime (half by default) but at least the
 * minimum lead before expiry (10 minutes), minus a fixed per-key jitter. A refresh that gets the
 * same token back asks again after half its usable time left. A failed refresh is retried with
 * exponential backoff and jitter, at most one backend call per key per backoff interval, while the
 * valid token keeps being served. Terminal errors ({@link
 * dev.acstoken.core.error.UnauthorizedException}, {@link
 * dev.acstoken.core.error.NotFoundException}, ...) drop the key's token and are remembered for the
 * terminal-error TTL: callers get them at once. Backend calls per ACS resource are rate limited,
 * earliest deadline first, and refreshes of still-valid tokens are paced evenly.
 *
 * <p>With a {@link SharedTier}, a refresh first claims the key in the tier (one round trip): a
 * newer shared token ends it; the lease makes this instance the one that calls the backend and
 * shares the token; otherwise it waits for the holder's token. Any failure of the tier sends the
 * call to the backend.
 *
 * <p>Thread-safe. A cache hit is a map lookup, two clock reads and a few volatile reads: no lock,
 * no allocation (for {@link #getToken}; {@link #getTokenAsync} allocates its completed future). All
 * background work runs on one scheduler thread, whatever the number of keys; {@link #close()}
 * releases it. The delegate's {@link TokenProvider#getTokenAsync} is called on that thread (or a
 * shared tier's) and must not block, as its contract says.
 *
 * <p>Example:
 *
 * <pre>{@code
 * try (CachingTokenProvider cache = CachingTokenProvider.builder(client).build()) {
 *   AccessToken token = cache.getToken(TokenRequest.of(identity, Scope.VOIP));
 * }
 * }</pre>
 */
public final class CachingTokenProvider implements TokenProvider, AutoCloseable {

  private final TokenCache cache;

  CachingTokenProvider(CachingTokenProviderBuilder b) {
    this.cache = new TokenCache(b);
  }

  /**
   * Returns a builder of a cache over the given provider.
   *
   * @param delegate the provider that issues the tokens, e.g. the SDK-backed client
   * @return the builder, with every option at its documented default
   * @throws IllegalArgumentException if the delegate is null
   */
  public static CachingTokenProviderBuilder builder(TokenProvider delegate) {
    if (delegate == null) {
      throw new IllegalArgumentException("delegate must not be null");
    }
    return new CachingTokenProviderBuilder(delegate);
  }

  /**
   * Returns a usable token for the request: the cached one when the key is FRESH or STALE (a STALE
   * read starts a background refresh and does not wait for it), else the result of the key's one
   * refresh, waiting at most the wait timeout.
   *
   * @param request the key
   * @return a token that stays valid for at least the safety margin
   * @throws AcsException the backend's error (the same one for every caller of one refresh), or
   *     {@link RequestTimeoutException} when the wait timeout passed
   * @throws IllegalStateException if the cache is closed
   * @throws IllegalArgumentException if the request is null
   */
  @Override
  public AccessToken getToken(TokenRequest request) {
    return cache.getToken(request);
  }

  /**
   * Returns a future of a usable token for the request; never blocks. The future is completed
   * already when the key is FRESH or STALE.
   *
   * @param request the key
   * @return a future of the token, completed exceptionally as {@link #getToken} would throw; each
   *     caller gets its own future, cancelling it affects no one else
   * @throws IllegalStateException if the cache is closed
   * @throws IllegalArgumentException if the request is null
   */
  @Override
  public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
    return cache.getTokenAsync(request);
  }

  /**
   * Warms keys ahead of their first read: starts a refresh of each key that has no usable token,
   * under the cold rate limit, without waiting; the listener hears {@link
   * CacheListener#onPrefetchProgress} as keys complete.
   *
   * @param requests the keys
   * @return a future completed once every key has a token or failed: normally if all succeeded,
   *     else with the first error (the others are in the listener's events and the stats)
   * @throws IllegalArgumentException if the collection or one of its requests is null
   * @throws IllegalStateException if the cache is closed
   */
  public CompletableFuture<Void> prefetch(Collection<TokenRequest> requests) {
    if (requests == null || requests.contains(null)) {
      throw new IllegalArgumentException("requests must not be null nor contain null");
    }
    List<TokenRequest> keys = List.copyOf(requests);
    int total = keys.size();
    if (total == 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> all = new CompletableFuture<>();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<Throwable> first = new AtomicReference<>();
    long now = cache.time.nanoTime();
    for (TokenRequest key : keys) {
      cache
          .acquire(key, now)
          .whenComplete(
              (token, error) -> {
                int f = failed.get();
                if (error != null) {
                  first.compareAndSet(null, Futures.unwrap(error));
                  f = failed.incrementAndGet();
                }
                int done = completed.incrementAndGet();
                cache.listener.onPrefetchProgress(done, f, total);
                if (done == total) {
                  Throwable x = first.get();
                  if (x == null) {
                    all.complete(null);
                  } else {
                    all.completeExceptionally(x);
                  }
                }
              });
    }
    return all;
  }

  /**
   * Returns a {@code CommunicationTokenCredential} for the Azure chat and calling clients, backed
   * by this cache for one key.
   *
   * <p>The key is pinned: the cache refreshes it at its refresh point whether or not anyone reads
   * it, retries a failed refresh on its backoff, and never evicts it for idleness, so that when the
   * SDK asks (only once its token has expired) the answer is a hit with at least the safety margin
   * left. The credential starts no thread of its own: it is built without the SDK's proactive
   * refresh (which starts a non-daemon {@code Timer} per schedule and gives up after one failure).
   * The first token is fetched now, in the background. The key stays pinned until it is invalidated
   * or the cache is closed.
   *
   * @param request the key whose token the credential serves
   * @return the credential
   * @throws IllegalArgumentException if the request is null
   * @throws IllegalStateException if the cache is closed
   */
  public CommunicationTokenCredential credential(TokenRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("request must not be null");
    }
    cache.pin(request);
    return CredentialBridge.credential(this, request);
  }

  /**
   * Drops every cached token of an identity, in this instance at once and, with a shared tier, in
   * the tier and every other instance; refreshes in flight for it are discarded, and callers
   * waiting for them get a token requested after this call. Called by the operations of {@link
   * #invalidatingOperations} after a revoke or delete.
   *
   * <p>Scans this instance's cache: O(entries). Waits for the shared tier at most the shared-tier
   * timeout; a tier that fails is told again by the tier itself when it can (see its
   * documentation).
   *
   * @param identity whose tokens
   * @throws IllegalArgumentException if the identity is null
   */
  public void invalidate(IdentityId identity) {
    Futures.join(invalidateAsync(identity));
  }

  /**
   * Does what {@link #invalidate(IdentityId)} does without blocking: this instance's tokens are
   * dropped before the method returns, the future completes when the shared tier has heard it (at
   * once without a tier). The future never fails: a tier failure is reported to the listener.
   *
   * @param identity whose tokens
   * @return a future completed once the invalidation is shared
   * @throws IllegalArgumentException if the identity is null
   */
  public CompletableFuture<Void> invalidateAsync(IdentityId identity) {
    if (identity == null) {
      throw new IllegalArgumentException("identity must not be null");
    }
    return cache.invalidate(identity);
  }

  /**
   * Drops this instance's cached token of one key, at once; a refresh in flight for it is
   * discarded. Also forgets a terminal error remembered for the key.
   *
   * @param request the key
   * @throws IllegalArgumentException if the request is null
   */
  public void invalidate(TokenRequest request) {
    cache.invalidate(request);
  }

  /**
   * Compare-and-invalidate: drops the cached token of the key only if it is still the given one,
   * and starts one refresh that will not take that token back from the shared tier (whose copy is
   * deleted too, if still current). For a token that a downstream ACS service rejected with 401:
   * however many callers report the same token, it is refreshed once; a report of an older token
   * does nothing.
   *
   * @param request the key the token was obtained for
   * @param rejected the token that was rejected
   * @return true if the cached token was the rejected one and was dropped
   * @throws IllegalArgumentException if an argument is null
   */
  public boolean invalidateIfCurrent(TokenRequest request, AccessToken rejected) {
    return cache.invalidateIfCurrent(request, rejected);
  }

  /**
   * Returns identity operations that invalidate the tokens of an identity, in this cache and (with
   * a shared tier) in every instance, when it is revoked or deleted through them; every other
   * operation passes through.
   *
   * @param delegate the operations to decorate, e.g. the SDK-backed client
   * @return the decorated operations
   * @throws IllegalArgumentException if the delegate is null
   */
  public IdentityOperations invalidatingOperations(IdentityOperations delegate) {
    if (delegate == null) {
      throw new IllegalArgumentException("delegate must not be null");
    }
    return IdentityOperations.afterRevocation(
        delegate,
        new IdentityOperations.Invalidation() {
          @Override
          public void invalidate(IdentityId identity) {
            CachingTokenProvider.this.invalidate(identity);
          }

          @Override
          public CompletableFuture<Void> invalidateAsync(IdentityId identity) {
            return CachingTokenProvider.this.invalidateAsync(identity);
          }
        });
  }

  /**
   * Returns the counts of hits, misses, waits, refreshes and failures so far; all zero unless the
   * cache was built with {@link CachingTokenProviderBuilder#recordStats()}.
   *
   * @return a snapshot of the counts
   */
  public CacheStats stats() {
    StatsRecorder s = cache.stats;
    return s == null ? CacheStats.empty() : s.snapshot();
  }

  /**
   * Returns the approximate number of cached keys.
   *
   * @return the number of entries (exact when no key is being added or removed)
   */
  public long estimatedSize() {
    return cache.size();
  }

  /**
   * Closes the cache: callers still waiting get an {@link IllegalStateException}, refreshes in
   * flight are abandoned, every entry is dropped, the shared tier (if any) is closed, and the
   * cache's own scheduler thread stops (a scheduler given to the builder is left running). Later
   * calls throw {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    cache.close();
  }

  /** {@return the options and the number of entries; never a token} */
  @Override
  public String toString() {
    return "CachingTokenProvider[entries="
        + cache.size()
        + ", "
        + cache.settings
        + (cache.tier != null ? ", sharedTier=" + cache.tier : "")
        + (cache.closed ? ", closed" : "")
        + "]";
  }

  /** Runs the idle sweep and the size bound now; for tests. */
  void cleanUp() {
    cache.cleanUp();
  }
}
