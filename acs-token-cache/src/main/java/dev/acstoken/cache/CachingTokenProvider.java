package dev.acstoken.cache;

import com.azure.communication.common.CommunicationTokenCredential;
import com.azure.communication.common.CommunicationTokenRefreshOptions;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.RequestTimeoutException;
import dev.acstoken.core.error.ThrottledException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenProvider} that caches the tokens of another and refreshes them before they expire,
 * without ever making a reader wait while a valid token exists and without ever stampeding the
 * service.
 *
 * <p>Per key (a {@link TokenRequest}: identity, canonical scope set, requested lifetime) a token
 * goes through three states, judged on the monotonic clock of the {@link TimeSource}:
 *
 * <ul>
 *   <li>FRESH, until its refresh point: it is served;
 *   <li>STALE, from the refresh point until its usable deadline (expiry minus the safety margin):
 *       it is served, and the first read starts exactly one background refresh; the reader that
 *       starts it does not wait for it either;
 *   <li>EXPIRED, past the usable deadline, or cold: callers join the one refresh of the key and
 *       wait for it, up to the wait timeout.
 * </ul>
 *
 * <p>The refresh point is a fraction of the token's lifetime (half by default) but at least the
 * minimum lead before expiry (10 minutes), minus a fixed per-key jitter. A failed refresh is
 * retried with exponential backoff and jitter, at most one backend call per key per backoff
 * interval, while the valid token keeps being served; callers of an expired key that is failing get
 * the last error at once until the next attempt is due. Non-retryable errors ({@link
 * dev.acstoken.core.error.UnauthorizedException}, {@link
 * dev.acstoken.core.error.NotFoundException}, ...) drop the entry and reach the callers. Every
 * backend call has a timeout. Backend calls per ACS resource are rate limited, earliest deadline
 * first.
 *
 * <p>Thread-safe. A cache hit is a map lookup and a few volatile reads: no lock, no allocation (for
 * {@link #getToken}; {@link #getTokenAsync} allocates its completed future). All background work
 * runs on one scheduler thread, whatever the number of keys; {@link #close()} releases it. The
 * delegate's {@link TokenProvider#getTokenAsync} is called on that thread and must not block, as
 * its contract says. Dependent stages of the futures this class returns may run on that thread or
 * on the delegate's: use the {@code *Async} stages for heavy work.
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

  private static final Logger LOG = LoggerFactory.getLogger(CachingTokenProvider.class);

  private final TokenProvider delegate;
  private final TimeSource time;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final CacheListener listener;
  private final @Nullable StatsRecorder stats;
  private final Settings settings;

  private final Cache<TokenRequest, Entry> entries;
  private final long idleNanos;
  private final long touchNanos;
  private final Map<String, RefreshLimiter> limiters = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Function<TokenRequest, Entry> newEntry = this::newEntry;
  private volatile boolean closed;

  private CachingTokenProvider(Builder b) {
    this.delegate = b.delegate;
    this.time = b.timeSource;
    this.settings = new Settings(b);
    ScheduledExecutorService s = b.scheduler;
    if (s == null) {
      ScheduledThreadPoolExecutor own =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "acs-token-cache");
                t.setDaemon(true);
                return t;
              });
      // timeouts are cancelled on success: do not let them pile up in the queue
      own.setRemoveOnCancelPolicy(true);
      s = own;
    }
    this.scheduler = s;
    this.ownsScheduler = b.scheduler == null;
    this.stats = b.recordStats ? new StatsRecorder() : null;
    this.listener =
        stats == null && b.listener == CacheListener.NONE
            ? CacheListener.NONE
            : new GuardedListener(stats, b.listener);
    this.idleNanos = b.expireAfterIdle.toNanos();
    this.touchNanos = Math.max(1, idleNanos / 8);
    this.entries =
        Caffeine.newBuilder()
            // size only: Caffeine's expireAfterAccess writes the node on every read, which costs
            // a hit ~300 ns at 2 threads on one key; idle entries go by sweepIdle() instead
            .maximumSize(b.maximumSize)
            // maintenance on the calling threads: no thread pool, a constant thread count
            .executor(Runnable::run)
            .<TokenRequest, Entry>evictionListener(
                (key, entry, cause) -> {
                  if (entry != null) {
                    evicted(entry, cause);
                  }
                })
            .build();
    scheduleSweep();
  }

  /**
   * Returns a builder of a cache over the given provider.
   *
   * @param delegate the provider that issues the tokens, e.g. the SDK-backed client
   * @return the builder, with every option at its documented default
   * @throws IllegalArgumentException if the delegate is null
   */
  public static Builder builder(TokenProvider delegate) {
    if (delegate == null) {
      throw new IllegalArgumentException("delegate token provider must not be null");
    }
    return new Builder(delegate);
  }

  // ---------------------------------------------------------------------------------------------
  // reads

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
    Entry e = lookup(request);
    if (e != null) {
      // fast and common path: a volatile read of an immutable snapshot, no lock, no allocation
      Snapshot s = e.snapshot;
      if (s != null) {
        long now = time.nanoTime();
        touch(e, now);
        if (now - s.refreshAtNanos < 0) {
          listener.onHit(request);
          return s.token;
        }
        if (now - s.usableUntilNanos < 0) {
          refreshIfDue(e, s, now);
          listener.onHit(request);
          return s.token;
        }
      }
    }
    return await(request);
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
    Entry e = lookup(request);
    if (e != null) {
      Snapshot s = e.snapshot;
      if (s != null) {
        long now = time.nanoTime();
        touch(e, now);
        if (now - s.usableUntilNanos < 0) {
          if (now - s.refreshAtNanos >= 0) {
            refreshIfDue(e, s, now);
          }
          listener.onHit(request);
          return CompletableFuture.completedFuture(s.token);
        }
      }
    }
    long start = time.nanoTime();
    CompletableFuture<AccessToken> shared = acquire(request, start);
    if (shared.isDone()) {
      CompletableFuture<AccessToken> own = new CompletableFuture<>();
      attach(request, shared, own);
      return own;
    }
    return waiter(request, shared, start);
  }

  private @Nullable Entry lookup(TokenRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("token request must not be null");
    }
    return entries.getIfPresent(request);
  }

  private AccessToken await(TokenRequest request) {
    long start = time.nanoTime();
    CompletableFuture<AccessToken> shared = acquire(request, start);
    CompletableFuture<AccessToken> own;
    if (shared.isDone()) {
      own = new CompletableFuture<>();
      attach(request, shared, own);
    } else {
      own = waiter(request, shared, start);
    }
    try {
      return own.get();
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException(
          "interrupted while waiting for a token for " + request.identity(), false, e);
    }
  }

  /**
   * Returns the shared future of the key: completed at once with a usable token or with the last
   * error of a failing key whose next attempt is not due; else the key's one flight, started if
   * none runs.
   */
  private CompletableFuture<AccessToken> acquire(TokenRequest request, long now) {
    while (true) {
      if (closed) {
        throw closedException();
      }
      Entry e = entries.get(request, newEntry);
      touch(e, now);
      CompletableFuture<AccessToken> result;
      boolean hit = false;
      // the entry's monitor makes the check-then-start atomic: one flight per key, however many
      // callers arrive together; listeners are called after it is released
      synchronized (e) {
        if (e.state != Entry.LIVE) {
          continue; // evicted or invalidated since the lookup: look up again
        }
        Snapshot s = e.snapshot;
        Flight f = e.flight;
        Failure failure = e.failure;
        if (s != null && now - s.usableUntilNanos < 0) {
          hit = true;
          result = CompletableFuture.completedFuture(s.token);
        } else if (f != null) {
          result = f.result;
        } else if (failure != null && now - failure.nextAttemptAtNanos < 0) {
          // expired and failing: the error at once, not a backend call per caller
          result = CompletableFuture.failedFuture(failure.error);
        } else {
          result = start(e, now).result;
        }
      }
      if (hit) {
        listener.onHit(request);
      } else {
        listener.onMiss(request);
      }
      return result;
    }
  }

  /** A STALE read: starts the key's one refresh unless one runs or the backoff says wait. */
  private void refreshIfDue(Entry e, Snapshot s, long now) {
    if (e.flight != null) {
      return;
    }
    Failure failure = e.failure;
    if (failure != null && now - failure.nextAttemptAtNanos < 0) {
      return;
    }
    synchronized (e) {
      failure = e.failure;
      if (e.flight == null
          && e.state == Entry.LIVE
          && e.snapshot == s
          && !closed
          && (failure == null || now - failure.nextAttemptAtNanos >= 0)) {
        start(e, now);
      }
    }
  }

  /** Starts a flight of the entry; the caller holds the entry's monitor. */
  private Flight start(Entry e, long now) {
    Snapshot s = e.snapshot;
    long deadline = s != null && now - s.usableUntilNanos < 0 ? s.usableUntilNanos : now;
    Flight f = new Flight(e, deadline, sequence.incrementAndGet());
    e.flight = f;
    e.limiter.submit(f);
    return f;
  }

  private CompletableFuture<AccessToken> waiter(
      TokenRequest request, CompletableFuture<AccessToken> shared, long start) {
    CompletableFuture<AccessToken> own = new CompletableFuture<>();
    ScheduledFuture<?> timer = null;
    try {
      // the wait timeout runs on the scheduler, so a test's fake time drives it too
      timer =
          scheduler.schedule(
              () -> {
                own.completeExceptionally(waitTimeout(request));
              },
              settings.waitTimeoutNanos,
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      own.completeExceptionally(closed ? closedException() : e);
    }
    ScheduledFuture<?> t = timer;
    own.whenComplete(
        (v, x) -> {
          if (t != null) {
            t.cancel(false);
          }
          listener.onWait(request, Duration.ofNanos(time.nanoTime() - start));
        });
    attach(request, shared, own);
    return own;
  }

  /** Completes the caller's own future from the shared one; follows an invalidation. */
  private void attach(
      TokenRequest request,
      CompletableFuture<AccessToken> shared,
      CompletableFuture<AccessToken> own) {
    shared.whenComplete(
        (token, error) -> {
          if (error == null) {
            own.complete(token);
            return;
          }
          Throwable cause = unwrap(error);
          if (cause instanceof Superseded) {
            if (!own.isDone()) {
              try {
                attach(request, acquire(request, time.nanoTime()), own);
              } catch (RuntimeException e) {
                own.completeExceptionally(e);
              }
            }
          } else {
            own.completeExceptionally(cause);
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // backend calls

  /** Starts the backend call of a flight; runs on the scheduler, after the rate limiter. */
  private void dispatch(Flight f) {
    if (f.cancelled || closed) {
      return;
    }
    TokenRequest key = f.entry.key;
    f.startedNanos = time.nanoTime();
    listener.onRefreshStarted(key);
    try {
      f.timeout =
          scheduler.schedule(
              () -> {
                settle(
                    f,
                    null,
                    new RequestTimeoutException(
                        "no token from the backend for "
                            + key.identity()
                            + " within the call timeout of "
                            + settings.callTimeout,
                        RequestTimeoutException.NO_STATUS,
                        null,
                        null));
              },
              settings.callTimeoutNanos,
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      settle(f, null, closed ? closedException() : e);
      return;
    }
    CompletableFuture<AccessToken> call;
    try {
      call = delegate.getTokenAsync(key);
      if (call == null) {
        throw new CacheException("the backend returned no future", true, null);
      }
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    f.call = call;
    call.whenComplete((token, error) -> settle(f, token, error));
  }

  /** Takes the first of the backend's answer and the timeout; later ones are ignored. */
  private void settle(Flight f, @Nullable AccessToken token, @Nullable Throwable error) {
    if (!f.settled.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> timeout = f.timeout;
    if (timeout != null) {
      timeout.cancel(false);
    }
    CompletableFuture<AccessToken> call = f.call;
    if (call != null && !call.isDone()) {
      call.cancel(false); // timed out: let the backend know, if it listens
    }
    Entry e = f.entry;
    long now = time.nanoTime();
    Duration latency = Duration.ofNanos(now - f.startedNanos);
    AcsException failure = null;
    Snapshot snapshot = null;
    if (error != null) {
      failure = toAcsException(unwrap(error), e.key);
    } else if (token == null) {
      failure = new CacheException("the backend returned no token for " + e.key, true, null);
    } else {
      snapshot = settings.snapshot(token, now, time.now(), e.jitterFraction);
      if (snapshot == null) {
        failure =
            new CacheException(
                "the backend returned a token for "
                    + e.key.identity()
                    + " that expires at "
                    + token.expiresAt()
                    + ", within the safety margin of "
                    + settings.safetyMargin,
                true,
                null);
      }
    }
    if (failure == null) {
      succeeded(f, e, snapshot, latency);
    } else {
      failed(f, e, failure, now);
    }
  }

  private void succeeded(Flight f, Entry e, Snapshot snapshot, Duration latency) {
    synchronized (e) {
      if (e.flight == f) {
        e.flight = null;
      }
      if (!f.cancelled && e.state == Entry.LIVE) {
        e.snapshot = snapshot;
        e.failure = null;
      }
    }
    listener.onRefreshSucceeded(e.key, latency);
    if (!f.cancelled) {
      // an evicted or dropped entry still answers the callers that waited for it
      f.result.complete(snapshot.token);
    }
  }

  private void failed(Flight f, Entry e, AcsException error, long now) {
    boolean terminal = !error.isRetryable();
    boolean drop = false;
    synchronized (e) {
      if (e.flight == f) {
        e.flight = null;
      }
      if (f.cancelled) {
        return; // invalidated or closed: its waiters were answered already
      }
      if (!f.cancelled && e.state == Entry.LIVE) {
        if (terminal) {
          // identity deleted, not owned, unauthorized: no cached token may outlive that answer
          e.state = Entry.DROPPED;
          e.snapshot = null;
          e.failure = null;
          drop = true;
        } else {
          Failure previous = e.failure;
          int attempts = previous == null ? 1 : previous.attempts + 1;
          e.failure =
              new Failure(error, attempts, now + settings.backoffNanos(attempts, error, e, now));
        }
      }
    }
    if (drop) {
      entries.asMap().remove(e.key, e);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "token refresh for {} failed ({}{}): {}",
          e.key,
          error.getClass().getSimpleName(),
          terminal ? ", entry dropped" : ", backing off",
          error.getMessage());
    }
    listener.onRefreshFailed(e.key, error, terminal);
    if (!f.cancelled) {
      f.result.completeExceptionally(error);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // invalidation

  /**
   * Drops every cached token of an identity, at once. Refreshes in flight for it are discarded:
   * callers waiting for them get a token requested after this call. Called by the operations of
   * {@link #invalidatingOperations} after a revoke or delete.
   *
   * <p>Scans the cache: O(entries).
   *
   * @param identity whose tokens
   * @throws IllegalArgumentException if the identity is null
   */
  public void invalidate(IdentityId identity) {
    if (identity == null) {
      throw new IllegalArgumentException("identity must not be null");
    }
    List<Entry> matching = new ArrayList<>();
    for (Entry e : entries.asMap().values()) {
      if (e.key.identity().equals(identity)) {
        matching.add(e);
      }
    }
    for (Entry e : matching) {
      invalidate(e);
    }
  }

  /**
   * Drops the cached token of one key, at once; a refresh in flight for it is discarded.
   *
   * @param request the key
   * @throws IllegalArgumentException if the request is null
   */
  public void invalidate(TokenRequest request) {
    Entry e = lookup(request);
    if (e != null) {
      invalidate(e);
    }
  }

  private void invalidate(Entry e) {
    Flight f;
    synchronized (e) {
      if (e.state != Entry.LIVE) {
        return;
      }
      e.state = Entry.INVALIDATED;
      e.snapshot = null;
      f = e.flight;
      e.flight = null;
      if (f != null) {
        f.cancelled = true;
      }
    }
    entries.asMap().remove(e.key, e);
    listener.onInvalidation(e.key);
    if (f != null) {
      CompletableFuture<AccessToken> call = f.call;
      if (call != null) {
        call.cancel(false);
      }
      // the call may have started before a revocation: its waiters look the key up afresh
      f.result.completeExceptionally(Superseded.INSTANCE);
    }
  }

  /**
   * Compare-and-invalidate: drops the cached token of the key only if it is still the given one,
   * and starts one refresh. For a token that a downstream ACS service rejected with 401: however
   * many callers report the same token, it is refreshed once; a report of an older token does
   * nothing.
   *
   * @param request the key the token was obtained for
   * @param rejected the token that was rejected
   * @return true if the cached token was the rejected one and was dropped
   * @throws IllegalArgumentException if an argument is null
   */
  public boolean invalidateIfCurrent(TokenRequest request, AccessToken rejected) {
    if (rejected == null) {
      throw new IllegalArgumentException("rejected token must not be null");
    }
    Entry e = lookup(request);
    if (e == null) {
      return false;
    }
    synchronized (e) {
      Snapshot s = e.snapshot;
      if (e.state != Entry.LIVE || s == null || !s.token.equals(rejected)) {
        return false;
      }
      e.snapshot = null;
      long now = time.nanoTime();
      Failure failure = e.failure;
      if (e.flight == null
          && !closed
          && (failure == null || now - failure.nextAttemptAtNanos >= 0)) {
        start(e, now);
      }
    }
    listener.onInvalidation(request);
    return true;
  }

  /**
   * Returns identity operations that invalidate this cache's tokens of an identity when it is
   * revoked or deleted through them; every other operation passes through.
   *
   * @param delegate the operations to decorate, e.g. the SDK-backed client
   * @return the decorated operations
   * @throws IllegalArgumentException if the delegate is null
   */
  public IdentityOperations invalidatingOperations(IdentityOperations delegate) {
    if (delegate == null) {
      throw new IllegalArgumentException("identity operations must not be null");
    }
    return IdentityOperations.afterRevocation(delegate, this::invalidate);
  }

  // ---------------------------------------------------------------------------------------------
  // bridge, stats, lifecycle

  /**
   * Returns a {@code CommunicationTokenCredential} for the Azure chat and calling clients, backed
   * by this cache for one key.
   *
   * <p>The credential is built without proactive refresh, so it starts no timer thread of its own
   * (the SDK's proactive refresh starts a non-daemon {@code Timer} per schedule and drops failed
   * refreshes for good). It asks this cache whenever its token has expired; the cache has usually
   * refreshed the key in the background by then, so the answer is a hit; concurrent callers are
   * coalesced into one backend call; a failure reaches the caller, and the next call tries again.
   * Closing the credential is optional; it holds no thread.
   *
   * @param request the key whose token the credential serves
   * @return the credential
   * @throws IllegalArgumentException if the request is null
   */
  public CommunicationTokenCredential credential(TokenRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("token request must not be null");
    }
    return new CommunicationTokenCredential(
        new CommunicationTokenRefreshOptions(() -> getToken(request).value())
            .setRefreshProactively(false));
  }

  /**
   * Returns the counts of hits, misses, waits, refreshes and failures so far; all zero unless the
   * cache was built with {@link Builder#recordStats()}.
   *
   * @return a snapshot of the counts
   */
  public CacheStats stats() {
    StatsRecorder s = stats;
    return s == null ? CacheStats.empty() : s.snapshot();
  }

  /**
   * Returns the approximate number of cached keys.
   *
   * @return the number of entries, as Caffeine estimates it
   */
  public long estimatedSize() {
    return entries.estimatedSize();
  }

  /**
   * Closes the cache: callers still waiting get an {@link IllegalStateException}, refreshes in
   * flight are abandoned, every entry is dropped, and the cache's own scheduler thread stops (a
   * scheduler given to the builder is left running). Later calls throw {@link
   * IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Entry e : entries.asMap().values()) {
      Flight f;
      synchronized (e) {
        e.state = Entry.CLOSED;
        e.snapshot = null;
        f = e.flight;
        e.flight = null;
        if (f != null) {
          f.cancelled = true;
        }
      }
      if (f != null) {
        CompletableFuture<AccessToken> call = f.call;
        if (call != null) {
          call.cancel(false);
        }
        f.result.completeExceptionally(closedException());
      }
    }
    entries.invalidateAll();
    entries.cleanUp();
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  /** {@return the options and the number of entries; never a token} */
  @Override
  public String toString() {
    return "CachingTokenProvider[entries="
        + entries.estimatedSize()
        + ", "
        + settings
        + (closed ? ", closed" : "")
        + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // internals

  private Entry newEntry(TokenRequest key) {
    String resource = key.identity().resourceId().orElse("");
    RefreshLimiter limiter =
        limiters.computeIfAbsent(
            resource,
            r ->
                new RefreshLimiter(
                    settings.ratePermits,
                    settings.coldPermits,
                    settings.rateWindowNanos,
                    time,
                    this,
                    this::dispatch,
                    f -> listener.onRateLimited(f.entry.key)));
    return new Entry(key, limiter, time.nanoTime());
  }

  /** Notes a read of the entry, writing only when the last note is a fraction of idleNanos old. */
  private void touch(Entry e, long now) {
    if (now - e.lastReadNanos >= touchNanos) {
      e.lastReadNanos = now;
    }
  }

  /** Evicts the entries nobody read for the idle timeout; runs on the scheduler. */
  void sweepIdle() {
    if (closed) {
      return;
    }
    long now = time.nanoTime();
    for (Entry e : entries.asMap().values()) {
      if (now - e.lastReadNanos >= idleNanos && entries.asMap().remove(e.key, e)) {
        evicted(e, RemovalCause.EXPIRED);
      }
    }
  }

  private void scheduleSweep() {
    long period = Math.max(touchNanos, TimeUnit.SECONDS.toNanos(1));
    try {
      scheduler.schedule(
          () -> {
            sweepIdle();
            if (!closed) {
              scheduleSweep();
            }
          },
          period,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  private void evicted(Entry e, RemovalCause cause) {
    synchronized (e) {
      if (e.state == Entry.LIVE) {
        e.state = Entry.EVICTED;
      }
    }
    // a refresh in flight still answers its waiters; its token is not stored
    if (cause.wasEvicted()) {
      listener.onEviction(e.key);
    }
  }

  /** Runs the idle sweep and Caffeine's pending maintenance (size eviction) now; for tests. */
  void cleanUp() {
    sweepIdle();
    entries.cleanUp();
  }

  void execute(Runnable task) {
    try {
      scheduler.execute(task);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  void schedule(Runnable task, long delay, TimeUnit unit) {
    scheduler.schedule(task, delay, unit);
  }

  private static IllegalStateException closedException() {
    return new IllegalStateException("CachingTokenProvider is closed");
  }

  private RequestTimeoutException waitTimeout(TokenRequest request) {
    return new RequestTimeoutException(
        "no token for "
            + request.identity()
            + " within the wait timeout of "
            + settings.waitTimeout
            + "; the refresh goes on",
        RequestTimeoutException.NO_STATUS,
        null,
        null);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static AcsException toAcsException(Throwable t, TokenRequest key) {
    if (t instanceof AcsException) {
      return (AcsException) t;
    }
    if (t instanceof CancellationException) {
      return new CacheException("the backend cancelled the call for " + key.identity(), true, t);
    }
    // a bug or an unexpected failure of the delegate: retry with backoff rather than give up
    return new CacheException(
        "the backend failed for " + key.identity() + " with " + t.getClass().getName(), true, t);
  }

  private static RuntimeException rethrow(@Nullable Throwable t) {
    Throwable c = t == null ? new CacheException("no cause", false, null) : unwrap(t);
    if (c instanceof RuntimeException) {
      return (RuntimeException) c;
    }
    if (c instanceof Error) {
      throw (Error) c;
    }
    return new CacheException("token request failed", false, c);
  }

  /** The validated options, in the units the state machine uses. Immutable. */
  static final class Settings {
    final double refreshFraction;
    final long minRefreshLeadNanos;
    final long refreshJitterNanos;
    final Duration safetyMargin;
    final long safetyMarginNanos;
    final Duration waitTimeout;
    final long waitTimeoutNanos;
    final Duration callTimeout;
    final long callTimeoutNanos;
    final long backoffInitialNanos;
    final long backoffMaxNanos;
    final double backoffMultiplier;
    final double backoffJitter;
    final int ratePermits;
    final long rateWindowNanos;
    final int coldPermits;

    Settings(Builder b) {
      refreshFraction = b.refreshFraction;
      minRefreshLeadNanos = b.minRefreshLead.toNanos();
      refreshJitterNanos = b.refreshJitter.toNanos();
      safetyMargin = b.safetyMargin;
      safetyMarginNanos = b.safetyMargin.toNanos();
      waitTimeout = b.waitTimeout;
      waitTimeoutNanos = b.waitTimeout.toNanos();
      callTimeout = b.callTimeout;
      callTimeoutNanos = b.callTimeout.toNanos();
      backoffInitialNanos = b.backoffInitial.toNanos();
      backoffMaxNanos = b.backoffMax.toNanos();
      backoffMultiplier = b.backoffMultiplier;
      backoffJitter = b.backoffJitter;
      ratePermits = b.ratePermits;
      rateWindowNanos = b.rateWindow.toNanos();
      coldPermits = Math.max(b.coldPermits, b.ratePermits);
    }

    /**
     * Returns the deadlines of a token that arrived now, or null if it has no usable time left. The
     * wall clock is read once, here; after that only the monotonic clock counts.
     */
    @Nullable Snapshot snapshot(AccessToken token, long nowNanos, Instant wallNow, double jitter) {
      long remaining = saturatedNanos(Duration.between(wallNow, token.expiresAt()));
      long usable = remaining - safetyMarginNanos;
      if (usable <= 0) {
        return null;
      }
      long refreshAt =
          Math.min((long) (remaining * refreshFraction), remaining - minRefreshLeadNanos);
      refreshAt = Math.max(0, Math.min(refreshAt, usable));
      // at most a quarter of the time to the refresh point, so that jitter never eats it up
      refreshAt -= (long) (Math.min(refreshJitterNanos, refreshAt / 4) * jitter);
      return new Snapshot(token, nowNanos + refreshAt, nowNanos + usable);
    }

    /** {@return the wait before the next attempt after {@code attempts} failures in a row} */
    long backoffNanos(int attempts, AcsException error, Entry e, long now) {
      double d = backoffInitialNanos * Math.pow(backoffMultiplier, Math.min(attempts - 1, 62));
      d = Math.min(d, backoffMaxNanos);
      if (backoffJitter > 0) {
        d *= 1 + backoffJitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
      }
      long delay = (long) d;
      Snapshot s = e.snapshot;
      if (s != null && now - s.usableUntilNanos < 0) {
        // several attempts before the valid token dies: never wait more than a quarter of its rest
        delay = Math.min(delay, Math.max(backoffInitialNanos, (s.usableUntilNanos - now) / 4));
      }
      if (error instanceof ThrottledException) {
        Duration retryAfter = ((ThrottledException) error).retryAfter().orElse(null);
        if (retryAfter != null) {
          delay = Math.max(delay, saturatedNanos(retryAfter));
        }
      }
      return Math.max(delay, 0);
    }

    private static long saturatedNanos(Duration d) {
      try {
        return d.toNanos();
      } catch (ArithmeticException e) {
        return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
      }
    }

    @Override
    public String toString() {
      return "refreshFraction="
          + refreshFraction
          + ", minRefreshLead="
          + Duration.ofNanos(minRefreshLeadNanos)
          + ", refreshJitter="
          + Duration.ofNanos(refreshJitterNanos)
          + ", safetyMargin="
          + safetyMargin
          + ", waitTimeout="
          + waitTimeout
          + ", callTimeout="
          + callTimeout
          + ", refreshRateLimit="
          + ratePermits
          + "/"
          + Duration.ofNanos(rateWindowNanos)
          + ", coldRateLimit="
          + coldPermits;
    }
  }

  /**
   * Builds a {@link CachingTokenProvider}. Every option has a default, documented on its method;
   * each method checks its argument at once and says what was wrong. Not thread-safe; build once.
   */
  public static final class Builder {

    private final TokenProvider delegate;
    private double refreshFraction = 0.5;
    private Duration minRefreshLead = Duration.ofMinutes(10);
    private Duration refreshJitter = Duration.ofMinutes(5);
    private Duration safetyMargin = Duration.ofMinutes(5);
    private Duration waitTimeout = Duration.ofSeconds(15);
    private Duration callTimeout = Duration.ofSeconds(10);
    private Duration backoffInitial = Duration.ofSeconds(1);
    private Duration backoffMax = Duration.ofMinutes(2);
    private double backoffMultiplier = 2.0;
    private double backoffJitter = 0.2;
    private long maximumSize = 10_000;
    private Duration expireAfterIdle = Duration.ofHours(1);
    private int ratePermits = 300;
    private Duration rateWindow = Duration.ofSeconds(30);
    private int coldPermits = 900;
    private TimeSource timeSource = TimeSource.system();
    private @Nullable ScheduledExecutorService scheduler;
    private CacheListener listener = CacheListener.NONE;
    private boolean recordStats;

    private Builder(TokenProvider delegate) {
      this.delegate = delegate;
    }

    /**
     * Sets the refresh point as a fraction of the token's lifetime (counted from its arrival);
     * default 0.5, half-life. The point is moved earlier when needed to keep the {@link
     * #minRefreshLead minimum lead}.
     *
     * @param fraction in (0, 1)
     * @return this builder
     * @throws IllegalArgumentException if the fraction is not strictly between 0 and 1
     */
    public Builder refreshFraction(double fraction) {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException(
            "refresh fraction must be strictly between 0 and 1, was " + fraction);
      }
      this.refreshFraction = fraction;
      return this;
    }

    /**
     * Sets the least time before expiry at which the refresh point lies; default 10 minutes. Must
     * exceed the safety margin, so that every token has a STALE phase in which it is served while
     * it is refreshed.
     *
     * @param lead positive
     * @return this builder
     * @throws IllegalArgumentException if the lead is null, zero or negative
     */
    public Builder minRefreshLead(Duration lead) {
      this.minRefreshLead = positive("minimum refresh lead", lead);
      return this;
    }

    /**
     * Sets the largest per-key jitter subtracted from the refresh point, so that keys filled
     * together do not come due together; default 5 minutes. Each key takes a fixed fraction of it
     * (from its hash), at most a quarter of the time to its refresh point.
     *
     * @param jitter zero or positive
     * @return this builder
     * @throws IllegalArgumentException if the jitter is null or negative
     */
    public Builder refreshJitter(Duration jitter) {
      this.refreshJitter = notNegative("refresh jitter", jitter);
      return this;
    }

    /**
     * Sets how long before its expiry a token stops being handed out; default 5 minutes. A caller
     * never gets a token with less than this left, judged on the monotonic clock.
     *
     * @param margin zero or positive, less than the minimum refresh lead
     * @return this builder
     * @throws IllegalArgumentException if the margin is null or negative
     */
    public Builder safetyMargin(Duration margin) {
      this.safetyMargin = notNegative("safety margin", margin);
      return this;
    }

    /**
     * Sets how long a caller of an EXPIRED or cold key waits for its refresh before it gets a
     * {@link RequestTimeoutException}; default 15 seconds. The refresh itself goes on.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if the timeout is null, zero or negative
     */
    public Builder waitTimeout(Duration timeout) {
      this.waitTimeout = positive("wait timeout", timeout);
      return this;
    }

    /**
     * Sets how long one backend call may take before it counts as failed with a retryable {@link
     * RequestTimeoutException}; default 10 seconds.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if the timeout is null, zero or negative
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive("call timeout", timeout);
      return this;
    }

    /**
     * Sets the wait after the first failed refresh of a key; default 1 second. Later waits grow by
     * the {@link #backoffMultiplier multiplier} up to the {@link #backoffMax maximum}; while a
     * valid token exists they are capped at a quarter of its usable time left (but not below this
     * initial wait), so several attempts happen before it dies; a {@code Retry-After} of the
     * service is honoured.
     *
     * @param initial positive
     * @return this builder
     * @throws IllegalArgumentException if the wait is null, zero or negative
     */
    public Builder backoffInitial(Duration initial) {
      this.backoffInitial = positive("initial backoff", initial);
      return this;
    }

    /**
     * Sets the longest wait between two failed refreshes of a key; default 2 minutes.
     *
     * @param max positive, at least the initial backoff
     * @return this builder
     * @throws IllegalArgumentException if the wait is null, zero or negative
     */
    public Builder backoffMax(Duration max) {
      this.backoffMax = positive("maximum backoff", max);
      return this;
    }

    /**
     * Sets the factor by which the wait grows after each failure in a row; default 2.
     *
     * @param multiplier at least 1
     * @return this builder
     * @throws IllegalArgumentException if the multiplier is less than 1 or not finite
     */
    public Builder backoffMultiplier(double multiplier) {
      if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException(
            "backoff multiplier must be a finite number of at least 1, was " + multiplier);
      }
      this.backoffMultiplier = multiplier;
      return this;
    }

    /**
     * Sets the random spread of each backoff wait, as a fraction of it; default 0.2 (plus or minus
     * 20 %).
     *
     * @param jitter in [0, 1)
     * @return this builder
     * @throws IllegalArgumentException if the jitter is outside [0, 1)
     */
    public Builder backoffJitter(double jitter) {
      if (!(jitter >= 0 && jitter < 1)) {
        throw new IllegalArgumentException(
            "backoff jitter must be at least 0 and less than 1, was " + jitter);
      }
      this.backoffJitter = jitter;
      return this;
    }

    /**
     * Sets how many keys the cache holds at most; default 10,000. Beyond it, Caffeine evicts the
     * entries least likely to be used again.
     *
     * @param maximumSize positive
     * @return this builder
     * @throws IllegalArgumentException if the size is zero or negative
     */
    public Builder maximumSize(long maximumSize) {
      if (maximumSize <= 0) {
        throw new IllegalArgumentException("maximum size must be positive, was " + maximumSize);
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Sets how long a key may go unread before it is evicted; default 1 hour.
     *
     * @param idle positive
     * @return this builder
     * @throws IllegalArgumentException if the duration is null, zero or negative
     */
    public Builder expireAfterIdle(Duration idle) {
      this.expireAfterIdle = positive("idle expiry", idle);
      return this;
    }

    /**
     * Sets the most backend calls per ACS resource in any window; default 300 per 30 seconds, well
     * under the service's 1,000 token issues per 30 seconds (which all instances of a service
     * share), for refreshes of tokens that are still valid. Calls beyond it wait for a permit, the
     * key closest to its deadline first. Keys with no usable token go first and may use up to
     * {@link #coldRateLimit} permits in the same window.
     *
     * @param permits positive
     * @param window positive
     * @return this builder
     * @throws IllegalArgumentException if the permits are not positive, or the window is null, zero
     *     or negative
     */
    public Builder refreshRateLimit(int permits, Duration window) {
      if (permits <= 0) {
        throw new IllegalArgumentException(
            "refresh rate limit must allow a positive number of calls, was " + permits);
      }
      this.rateWindow = positive("refresh rate window", window);
      this.ratePermits = permits;
      return this;
    }

    /**
     * Sets the most backend calls per ACS resource in a {@link #refreshRateLimit} window for keys
     * that have no usable token (cold, or expired); default 900, under the service's 1,000. A
     * caller without a token must wait for one, so these calls may go beyond {@code
     * refreshRateLimit}, which keeps holding back refreshes of tokens that are still valid. Never
     * below {@code refreshRateLimit}: a smaller value acts as {@code refreshRateLimit}.
     *
     * @param permits positive
     * @return this builder
     * @throws IllegalArgumentException if the permits are not positive
     */
    public Builder coldRateLimit(int permits) {
      if (permits <= 0) {
        throw new IllegalArgumentException(
            "cold rate limit must allow a positive number of calls, was " + permits);
      }
      this.coldPermits = permits;
      return this;
    }

    /**
     * Sets the clocks; default {@link TimeSource#system()}. Tests pass a fake one, and a matching
     * {@link #scheduler scheduler}.
     *
     * @param timeSource the time source
     * @return this builder
     * @throws IllegalArgumentException if it is null
     */
    public Builder timeSource(TimeSource timeSource) {
      if (timeSource == null) {
        throw new IllegalArgumentException("time source must not be null");
      }
      this.timeSource = timeSource;
      return this;
    }

    /**
     * Sets the scheduler of background work: backend calls, their timeouts, wait timeouts and
     * rate-limit wake-ups. Default: one daemon thread named {@code acs-token-cache}, owned by the
     * cache and stopped by {@link CachingTokenProvider#close()}. A scheduler given here is not shut
     * down by the cache; its delays must run on the same time as the {@link #timeSource time
     * source}.
     *
     * @param scheduler the scheduler
     * @return this builder
     * @throws IllegalArgumentException if it is null
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      if (scheduler == null) {
        throw new IllegalArgumentException("scheduler must not be null");
      }
      this.scheduler = scheduler;
      return this;
    }

    /**
     * Sets the listener of cache events; default {@link CacheListener#NONE}. For Micrometer: {@code
     * listener(MicrometerCacheListener.bind(registry))}.
     *
     * @param listener the listener
     * @return this builder
     * @throws IllegalArgumentException if it is null
     */
    public Builder listener(CacheListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("listener must not be null");
      }
      this.listener = listener;
      return this;
    }

    /**
     * Makes the cache count its events for {@link CachingTokenProvider#stats()}; off by default,
     * because counting costs a little on every hit.
     *
     * @return this builder
     */
    public Builder recordStats() {
      this.recordStats = true;
      return this;
    }

    /**
     * Builds the cache.
     *
     * @return the cache; close it to release its thread
     * @throws IllegalArgumentException if the options contradict each other: a safety margin not
     *     less than the minimum refresh lead, or a maximum backoff below the initial one
     */
    public CachingTokenProvider build() {
      if (safetyMargin.compareTo(minRefreshLead) >= 0) {
        throw new IllegalArgumentException(
            "safety margin ("
                + safetyMargin
                + ") must be less than the minimum refresh lead ("
                + minRefreshLead
                + "), or tokens would never be refreshed while still served");
      }
      if (backoffMax.compareTo(backoffInitial) < 0) {
        throw new IllegalArgumentException(
            "maximum backoff ("
                + backoffMax
                + ") must be at least the initial backoff ("
                + backoffInitial
                + ")");
      }
      return new CachingTokenProvider(this);
    }

    private static Duration positive(String what, Duration d) {
      if (d == null) {
        throw new IllegalArgumentException(what + " must not be null");
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }

    private static Duration notNegative(String what, Duration d) {
      if (d == null) {
        throw new IllegalArgumentException(what + " must not be null");
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
