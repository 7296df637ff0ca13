package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Futures;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.RequestTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine behind {@link CachingTokenProvider}: the entries, their reads, flights and
 * outcomes, pinned keys, invalidation and the idle sweep. Every decision about a key is made here
 * and nowhere else; the public class documents the behaviour and delegates.
 *
 * <p>Thread-safe: readers read an entry's volatile fields without a lock; every change to an entry
 * happens under its monitor.
 */
final class TokenCache {

  private static final Logger LOG = LoggerFactory.getLogger(CachingTokenProvider.class);

  /** How long a blocked caller waits beyond the wait timeout if the scheduler never fires it. */
  private static final long BACKSTOP_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The period of the housekeeping task: the clock watch, and the idle sweep when due. */
  private static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(1);

  final TimeSource time;
  final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  final CacheListener listener;
  final @Nullable StatsRecorder stats;
  final Settings settings;
  final @Nullable SharedTier tier;
  private final FlightRunner runner;
  private final ClockSkew skew = new ClockSkew();
  private final ClockWatch clockWatch;

  /** The entries, their size bound and idle timeout. */
  private final EntryTable entries;

  /** Whether a listener wants onHit: without one, a hit makes no call at all. */
  private final boolean listening;

  private final Map<String, RefreshLimiter> limiters = new ConcurrentHashMap<>();
  private final Function<String, RefreshLimiter> newLimiter = this::newLimiter;
  private final AtomicLong sequence = new AtomicLong();

  volatile boolean closed;

  TokenCache(CachingTokenProviderBuilder b) {
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
    this.tier = b.sharedTier;
    this.runner = new FlightRunner(this, b.delegate, tier, settings, time, listener);
    this.listening = listener != CacheListener.NONE;
    this.entries = new EntryTable(b.maximumSize, b.expireAfterIdle.toNanos(), this::evicted);
    if (tier != null) {
      // invalidations made by other instances: drop this instance's tokens of the identity
      tier.subscribe(this::invalidateLocally);
    }
    this.clockWatch = new ClockWatch(time);
    scheduleHousekeeping(time.nanoTime() + entries.sweepPeriodNanos());
  }

  // ---------------------------------------------------------------------------------------------
  // reads

  AccessToken getToken(TokenRequest request) {
    AccessToken token = hit(request);
    if (token != null) {
      return token;
    }
    CompletableFuture<AccessToken> own = miss(request);
    // the exception is made only if the backstop fires: not on every miss
    return Futures.join(
        own, settings.waitTimeoutNanos + BACKSTOP_NANOS, () -> waitTimeout(request));
  }

  CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
    AccessToken token = hit(request);
    return token != null ? CompletableFuture.completedFuture(token) : miss(request);
  }

  /**
   * The fast and common path of both reads, no lock: one volatile read of an immutable snapshot,
   * and both clocks, every time, since the token is served only while both deadlines hold. A
   * refresh that replaces the snapshot concurrently is harmless: the token read here is still
   * within its deadlines. Returns null when the caller must go the slow way.
   */
  private @Nullable AccessToken hit(TokenRequest request) {
    Entry e = lookup(request);
    if (e == null) {
      return null;
    }
    Snapshot s = e.snapshot;
    if (s == null) {
      return null;
    }
    long now = time.nanoTime();
    long wall = time.wallMillis();
    touch(e, now);
    if (!s.isFresh(now, wall)) {
      if (!s.isUsable(now, wall)) {
        return null;
      }
      refreshIfDue(e, s, now);
    }
    if (listening) {
      listener.onHit(request);
    }
    return s.token;
  }

  private @Nullable Entry lookup(TokenRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("request must not be null");
    }
    return entries.get(request);
  }

  /** A caller without a usable token: its own future of the key's one refresh. */
  private CompletableFuture<AccessToken> miss(TokenRequest request) {
    long start = time.nanoTime();
    CompletableFuture<AccessToken> shared = acquire(request, start);
    if (shared.isDone()) {
      CompletableFuture<AccessToken> own = new CompletableFuture<>();
      attach(request, shared, own);
      return own;
    }
    return waiter(request, shared, start);
  }

  /**
   * Returns the shared future of the key: completed at once with a usable token, or with the error
   * of a key whose next attempt is not due; else the key's one flight, started if none runs.
   */
  CompletableFuture<AccessToken> acquire(TokenRequest request, long now) {
    while (true) {
      if (closed) {
        throw closedException();
      }
      Entry e = entryFor(request);
      touch(e, now);
      CompletableFuture<AccessToken> result;
      boolean hit = false;
      // the entry's monitor makes the check-then-start atomic: one flight per key, however many
      // callers arrive together; listeners are called after it is released
      synchronized (e) {
        if (!e.isLive()) {
          continue; // evicted or invalidated since the lookup: look up again
        }
        Snapshot s = e.snapshot;
        Flight f = e.flight();
        Failure failure = e.failure();
        if (s != null && s.isUsable(now, time.wallMillis())) {
          hit = true;
          result = CompletableFuture.completedFuture(s.token);
        } else if (f != null) {
          result = f.result;
        } else if (failure != null && !failure.isDue(now)) {
          // no usable token and failing (or a terminal error remembered): the error at once, not
          // a backend call per caller
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
    // unlocked pre-check, so that the readers of a STALE key do not all take the monitor: a
    // flight that just ended, or a backoff that just ran out, is seen by the next read
    if (e.flight() != null) {
      return;
    }
    Failure failure = e.failure();
    if (failure != null && !failure.isDue(now)) {
      return;
    }
    synchronized (e) {
      failure = e.failure();
      if (e.flight() == null
          && e.isLive()
          && e.snapshot == s
          && !closed
          && (failure == null || failure.isDue(now))) {
        start(e, now);
      }
    }
  }

  /** Starts a flight of the entry; the caller holds the entry's monitor. */
  private Flight start(Entry e, long now) {
    Snapshot s = e.snapshot;
    long wall = time.wallMillis();
    boolean usable = s != null && s.isUsable(now, wall);
    long deadline = usable ? s.usableUntilNanos : now;
    // a shared token must beat what this instance has, and be worth having
    long floor =
        wall
            - skew.aheadMillis()
            + (settings.safetyMarginNanos + settings.minRefreshLeadNanos) / 1_000_000;
    Instant minExpiry = Instant.ofEpochMilli(floor);
    Instant current = s != null ? s.token.expiresAt() : e.rejectedExpiry();
    if (current != null && current.isAfter(minExpiry)) {
      minExpiry = current;
    }
    Flight f = new Flight(e, deadline, sequence.incrementAndGet(), minExpiry);
    e.rare().flight = f;
    runner.begin(f, limiterFor(e.key));
    return f;
  }

  private CompletableFuture<AccessToken> waiter(
      TokenRequest request, CompletableFuture<AccessToken> shared, long start) {
    CompletableFuture<AccessToken> own = new CompletableFuture<>();
    try {
      // the wait timeout runs on the scheduler, so a test's fake time drives it too
      failAfter(own, settings.waitTimeoutNanos, () -> waitTimeout(request));
    } catch (RejectedExecutionException e) {
      own.completeExceptionally(closedOrRejected(e));
    }
    own.whenComplete((v, x) -> listener.onWait(request, Duration.ofNanos(time.nanoTime() - start)));
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
          Throwable cause = Futures.unwrap(error);
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
  // the outcome of a flight: the one place where a key's state changes after a refresh

  /** Takes the first answer of a flight (a token, an error, a timeout); later ones are ignored. */
  void settle(
      Flight f,
      @Nullable AccessToken token,
      @Nullable Throwable error,
      FlightRunner.Source source) {
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
    // a step back not yet seen moves the deadlines made before it, not the one made now
    watchClocks();
    long now = time.nanoTime();
    long wall = time.wallMillis();
    boolean fromBackend = source == FlightRunner.Source.BACKEND;
    AcsException failure = null;
    Snapshot snapshot = null;
    long retryAt = 0; // when not 0: the next attempt, instead of the backoff's
    if (error != null) {
      failure = toAcsException(Futures.unwrap(error), e.key);
    } else if (token == null) {
      failure = new CacheException("the backend returned no token for " + e.key, true, null);
    } else {
      Snapshot previous = e.snapshot;
      if (fromBackend && (previous == null || !previous.token.equals(token))) {
        skew.sample(token, f.startedWallMillis);
      }
      snapshot =
          settings.snapshot(token, now, wall, skew.aheadMillis(), e.jitterFraction(), previous);
      if (snapshot == null) {
        if (previous != null && previous.token.equals(token)) {
          // the same token again, now inside its margin: no point asking before half its rest
          long rest = settings.remainingNanos(token, wall, skew.aheadMillis());
          retryAt = now + settings.sameTokenWaitNanos(Math.max(rest, 0));
        }
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
    if (fromBackend) {
      runner.afterBackend(f, snapshot == null ? null : token);
    }
    if (failure == null) {
      succeeded(f, e, snapshot, source, Duration.ofNanos(now - f.startedNanos));
    } else {
      failed(f, e, failure, now, fromBackend, retryAt);
    }
  }

  private void succeeded(
      Flight f, Entry e, Snapshot snapshot, FlightRunner.Source source, Duration latency) {
    synchronized (e) {
      e.clearFlight(f);
      if (!f.cancelled && e.isLive()) {
        e.snapshot = snapshot;
        Entry.Rare r = e.rare();
        r.failure = null;
        r.rejectedExpiry = null;
        if (r.pinned) {
          pinAt(e, snapshot.refreshAtNanos);
        }
      }
      e.compact();
    }
    if (source == FlightRunner.Source.BACKEND) {
      listener.onRefreshSucceeded(e.key, latency);
    } else {
      listener.onSharedTierHit(e.key);
    }
    if (!f.cancelled) {
      // an evicted entry still answers the callers that waited for it
      f.result.complete(snapshot.token);
    }
  }

  private void failed(
      Flight f, Entry e, AcsException error, long now, boolean fromBackend, long retryAt) {
    boolean terminal = !error.isRetryable();
    synchronized (e) {
      e.clearFlight(f);
      if (f.cancelled) {
        return; // invalidated or closed: its waiters were answered already
      }
      if (e.isLive()) {
        Entry.Rare r = e.rare();
        if (terminal) {
          // identity deleted, not owned, unauthorized: no cached token may outlive that answer,
          // and the answer is given again at once for a while instead of asked again per read
          e.snapshot = null;
          r.failure = new Failure(error, 1, now + settings.terminalErrorTtlNanos, true);
        } else {
          Failure previous = r.failure;
          int attempts = previous == null || previous.terminal ? 1 : previous.attempts + 1;
          long next =
              retryAt != 0
                  ? retryAt
                  : now + settings.backoffNanos(attempts, error, e.snapshot, now);
          r.failure = new Failure(error, attempts, next, false);
          if (r.pinned) {
            pinAt(e, next);
          }
        }
      }
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "token refresh for {} failed ({}{}): {}",
          e.key,
          error.getClass().getSimpleName(),
          terminal ? ", terminal" : ", backing off",
          error.getMessage());
    }
    if (fromBackend) {
      listener.onRefreshFailed(e.key, error, terminal);
    }
    f.result.completeExceptionally(error);
  }

  // ---------------------------------------------------------------------------------------------
  // pinned keys (held by a CommunicationTokenCredential)

  void pin(TokenRequest request) {
    long now = time.nanoTime();
    while (true) {
      if (closed) {
        throw closedException();
      }
      Entry e = entryFor(request);
      synchronized (e) {
        if (!e.isLive()) {
          continue;
        }
        e.rare().pinned = true;
        Snapshot s = e.snapshot;
        if (s != null && s.isUsable(now, time.wallMillis())) {
          pinAt(e, s.refreshAtNanos);
        }
      }
      acquire(request, now); // the first token, in the background
      return;
    }
  }

  /** Schedules the pinned entry's next refresh; the caller holds the entry's monitor. */
  private void pinAt(Entry e, long atNanos) {
    Entry.Rare r = e.rare();
    ScheduledFuture<?> old = r.pinTimer;
    if (old != null) {
      old.cancel(false);
    }
    long delay = Math.max(0, atNanos - time.nanoTime());
    try {
      r.pinTimer = scheduler.schedule(() -> refreshPinned(e), delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException x) {
      r.pinTimer = null; // closing
    }
  }

  private void refreshPinned(Entry e) {
    long now = time.nanoTime();
    synchronized (e) {
      Failure failure = e.failure();
      if (e.isLive() && e.flight() == null && !closed && (failure == null || failure.isDue(now))) {
        start(e, now);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // invalidation

  /**
   * Drops every cached token of the identity here at once and, with a shared tier, in the tier and
   * so in every instance; the future completes once the tier has answered, or after the shared-tier
   * timeout (a tier that does not answer does not hold up a revoke), never exceptionally.
   */
  CompletableFuture<Void> invalidate(IdentityId identity) {
    invalidateLocally(identity);
    SharedTier t = tier;
    if (t == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> shared;
    try {
      shared = t.invalidate(identity);
    } catch (RuntimeException e) {
      shared = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    shared.whenComplete(
        (v, error) -> {
          if (error != null) {
            listener.onSharedTierFailure(null, Futures.unwrap(error));
          }
          done.complete(null);
        });
    try {
      // a tier that does not answer does not hold up a revoke beyond the shared-tier timeout
      failAfter(done, settings.sharedTierTimeoutNanos, TimeoutException::new);
    } catch (RejectedExecutionException e) {
      // closing: no timer; the future completes with the tier's answer
      return done;
    }
    return done.exceptionally(timeout -> null);
  }

  /** Drops this instance's tokens of an identity; what another instance's invalidation runs. */
  void invalidateLocally(IdentityId identity) {
    List<Entry> matching = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.key.identity().equals(identity)) {
        matching.add(e);
      }
    }
    for (Entry e : matching) {
      invalidate(e);
    }
  }

  void invalidate(TokenRequest request) {
    Entry e = lookup(request);
    if (e != null) {
      invalidate(e);
    }
  }

  private void invalidate(Entry e) {
    Flight f;
    synchronized (e) {
      if (!e.isLive()) {
        return;
      }
      f = e.retire(Entry.Lifecycle.INVALIDATED);
    }
    entries.remove(e);
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

  boolean invalidateIfCurrent(TokenRequest request, AccessToken rejected) {
    if (rejected == null) {
      throw new IllegalArgumentException("rejected token must not be null");
    }
    Entry e = lookup(request);
    if (e == null) {
      return false;
    }
    synchronized (e) {
      Snapshot s = e.snapshot;
      if (!e.isLive() || s == null || !s.token.equals(rejected)) {
        return false;
      }
      e.snapshot = null;
      e.rare().rejectedExpiry = rejected.expiresAt();
      long now = time.nanoTime();
      Failure failure = e.failure();
      if (e.flight() == null && !closed && (failure == null || failure.isDue(now))) {
        start(e, now);
      }
    }
    SharedTier t = tier;
    if (t != null) {
      try {
        t.invalidateIfCurrent(request, rejected)
            .whenComplete(
                (v, error) -> {
                  if (error != null) {
                    listener.onSharedTierFailure(request, Futures.unwrap(error));
                  }
                });
      } catch (RuntimeException x) {
        listener.onSharedTierFailure(request, x);
      }
    }
    listener.onInvalidation(request);
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // stats, lifecycle

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Entry e : entries.values()) {
      Flight f;
      synchronized (e) {
        f = e.retire(Entry.Lifecycle.CLOSED);
      }
      if (f != null) {
        CompletableFuture<AccessToken> call = f.call;
        if (call != null) {
          call.cancel(false);
        }
        f.result.completeExceptionally(closedException());
      }
    }
    entries.clear();
    if (tier != null) {
      try {
        tier.close();
      } catch (RuntimeException x) {
        LOG.warn("shared tier failed to close ({})", x.getClass().getSimpleName());
      }
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // internals

  /** The key's entry, made and stored if absent; a new one may evict another for the size. */
  private Entry entryFor(TokenRequest key) {
    return entries.getOrCreate(key, time.nanoTime());
  }

  /** The rate limiter of the key's resource: looked up when a flight starts, not stored per key. */
  private RefreshLimiter limiterFor(TokenRequest key) {
    return limiters.computeIfAbsent(key.identity().resourceId().orElse(""), newLimiter);
  }

  private RefreshLimiter newLimiter(String resource) {
    return new RefreshLimiter(
        settings.ratePermits,
        settings.coldPermits,
        settings.rateWindowNanos,
        time,
        this,
        runner::run,
        f -> listener.onRateLimited(f.entry.key));
  }

  private void touch(Entry e, long now) {
    entries.touch(e, now);
  }

  /** Evicts the entries nobody read for the idle timeout, pinned ones aside; on the scheduler. */
  void sweepIdle() {
    if (!closed) {
      entries.sweepIdle(time.nanoTime());
    }
  }

  /**
   * Once a second on the scheduler: the clock watch, and the idle sweep whenever its period has
   * passed. One task, rescheduled after each run, whatever the number of keys.
   */
  private void scheduleHousekeeping(long sweepDueNanos) {
    try {
      scheduler.schedule(
          () -> {
            if (closed) {
              return;
            }
            watchClocks();
            long now = time.nanoTime();
            long due = sweepDueNanos;
            if (now - due >= 0) {
              sweepIdle();
              due = now + entries.sweepPeriodNanos();
            }
            scheduleHousekeeping(due);
          },
          HOUSEKEEPING_NANOS,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  /**
   * If the wall clock was stepped back since the last look, moves every cached token's wall-clock
   * deadline back by as much (see {@link ClockWatch}): the deadlines are in the frame of the clock
   * when each token arrived, and would otherwise end that much too late.
   */
  void watchClocks() {
    long back = clockWatch.look();
    if (back == 0) {
      return;
    }
    for (Entry e : entries.values()) {
      synchronized (e) {
        Snapshot s = e.snapshot;
        if (s != null) {
          e.snapshot = s.wallClockSteppedBack(back);
        }
      }
    }
    LOG.info(
        "the wall clock went back {} ms against the monotonic clock; the cached tokens'"
            + " wall-clock deadlines moved back with it",
        back);
  }

  /** An entry taken out of the map for size or idleness. */
  private void evicted(Entry e) {
    synchronized (e) {
      Entry.Rare r = e.rare();
      if (r.state == Entry.Lifecycle.LIVE) {
        r.state = Entry.Lifecycle.EVICTED;
      }
      ScheduledFuture<?> pin = r.pinTimer;
      if (pin != null) {
        pin.cancel(false);
      }
    }
    // a refresh in flight still answers its waiters; its token is not stored
    listener.onEviction(e.key);
  }

  /** Runs the idle sweep and the size bound now; for tests. */
  void cleanUp() {
    sweepIdle();
    entries.evictForSize(null);
  }

  /** {@return the number of entries} */
  long size() {
    return entries.size();
  }

  boolean isClosed() {
    return closed;
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

  /**
   * Fails {@code target} with the supplied exception after {@code nanos} on the scheduler, unless
   * it completes first (then the timer is cancelled); the exception is made only if the timer
   * fires. The one "complete or time out" of the cache: the wait timeout, the shared tier's.
   *
   * @throws RejectedExecutionException if the scheduler refuses the timer (it is shut down)
   */
  void failAfter(CompletableFuture<?> target, long nanos, Supplier<? extends Throwable> onTimeout) {
    ScheduledFuture<?> timer =
        scheduler.schedule(
            () -> {
              target.completeExceptionally(onTimeout.get());
            },
            nanos,
            TimeUnit.NANOSECONDS);
    target.whenComplete((v, x) -> timer.cancel(false));
  }

  ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return scheduler.schedule(task, delay, unit);
  }

  RuntimeException closedOrRejected(RejectedExecutionException e) {
    return closed ? closedException() : e;
  }

  static IllegalStateException closedException() {
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
}
