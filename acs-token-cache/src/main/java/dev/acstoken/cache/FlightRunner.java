package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Futures;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.RequestTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a flight: with a shared tier, a read outside the rate limit when the limit would hold the
 * flight back; once the limiter lets it go, one claim (read-or-lease); then the shared token, or
 * the backend call under the lease, or polls while another instance holds the lease; without one,
 * the backend call. Every step has a timeout on the cache's scheduler; any failure of the tier
 * sends the flight to the backend. Whatever happens, the flight ends in exactly one {@link
 * TokenCache#settle}; the decisions about the key's state are made there, not here.
 *
 * <p>Thread-safe: steps run on the scheduler, on the tier's threads or on the delegate's; a flight
 * is settled once ({@link Flight#settled}), and every step checks it before going on.
 */
final class FlightRunner {

  private static final Logger LOG = LoggerFactory.getLogger(CachingTokenProvider.class);

  /** Rounds of claim-then-poll before a flight gives up sharing and calls the backend itself. */
  private static final int CLAIM_ROUNDS = 2;

  enum Source {
    BACKEND,
    SHARED_TIER
  }

  private final TokenCache owner;
  private final TokenProvider delegate;
  private final @Nullable SharedTier tier;
  private final Settings settings;
  private final TimeSource time;
  private final CacheListener listener;

  FlightRunner(
      TokenCache owner,
      TokenProvider delegate,
      @Nullable SharedTier tier,
      Settings settings,
      TimeSource time,
      CacheListener listener) {
    this.owner = owner;
    this.delegate = delegate;
    this.tier = tier;
    this.settings = settings;
    this.time = time;
    this.listener = listener;
  }

  /**
   * Starts the flight. Without a shared tier it waits for the rate limiter. With one, a flight the
   * limiter lets go at once claims as before (one round trip); a flight the limiter would hold back
   * first reads the tier, outside the limit, since a token another instance stored costs the
   * service nothing: an instance that restarts into a fleet fills its keys at the tier's pace, not
   * at the service's. Only a miss waits for the limiter, then claims.
   */
  void begin(Flight f, RefreshLimiter limiter) {
    SharedTier t = tier;
    if (t == null) {
      limiter.submit(f);
      return;
    }
    // on the scheduler, as the limiter dispatches: never on the reader's thread, never under the
    // entry's monitor that the caller holds
    owner.execute(
        () -> {
          if (done(f)) {
            return;
          }
          if (limiter.tryTake(f)) {
            run(f);
          } else {
            readFirst(f, t, limiter);
          }
        });
  }

  private void readFirst(Flight f, SharedTier t, RefreshLimiter limiter) {
    TokenRequest key = f.entry.key;
    boundedRead(f, t)
        .whenComplete(
            (token, error) -> {
              if (done(f)) {
                return;
              }
              if (token != null) {
                owner.settle(f, token, null, Source.SHARED_TIER);
                return;
              }
              if (error != null) {
                // the tier failed once already: the flight will not wait on it a second time
                f.skipTier = true;
                tierFailed(key, error);
              }
              limiter.submit(f);
            });
  }

  /** Runs the flight once the rate limiter let it go; on the scheduler. */
  void run(Flight f) {
    if (done(f)) {
      return;
    }
    if (tier == null || f.skipTier) {
      callBackend(f);
    } else {
      claim(f, tier, 1);
    }
  }

  private boolean done(Flight f) {
    return f.cancelled || f.settled.get() || owner.isClosed();
  }

  private void claim(Flight f, SharedTier tier, int round) {
    TokenRequest key = f.entry.key;
    CompletableFuture<SharedTier.Claim> claim;
    try {
      claim = tier.claim(key, f.minExpiry, settings.leaseTime);
    } catch (RuntimeException e) {
      claim = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<SharedTier.Claim> raw = claim;
    bounded(claim, "claim")
        .whenComplete(
            (c, error) -> {
              if (done(f)) {
                releaseLate(f, raw);
                return;
              }
              if (error != null) {
                // stopped waiting: if the claim took the lease after all, the backend's token
                // is stored with it, so that the others do not wait out the lease for nothing
                f.lateClaim = raw;
                tierFailed(key, error);
                callBackend(f);
              } else if (c.token() != null) {
                owner.settle(f, c.token(), null, Source.SHARED_TIER);
              } else if (c.isLeased()) {
                f.lease = c;
                callBackend(f);
              } else {
                poll(f, tier, round, time.nanoTime() + settings.leaseTimeNanos);
              }
            });
  }

  /** Another instance holds the lease: look for its token until the lease must have run out. */
  private void poll(Flight f, SharedTier tier, int round, long giveUpAtNanos) {
    TokenRequest key = f.entry.key;
    try {
      owner.schedule(
          () -> {
            if (done(f)) {
              return;
            }
            boundedRead(f, tier)
                .whenComplete(
                    (token, error) -> {
                      if (done(f)) {
                        return;
                      }
                      if (error != null) {
                        tierFailed(key, error);
                        callBackend(f);
                      } else if (token != null) {
                        owner.settle(f, token, null, Source.SHARED_TIER);
                      } else if (time.nanoTime() - giveUpAtNanos < 0) {
                        poll(f, tier, round, giveUpAtNanos);
                      } else if (round < CLAIM_ROUNDS) {
                        // the holder's lease ran out (it crashed, or is slower than its lease)
                        claim(f, tier, round + 1);
                      } else {
                        callBackend(f);
                      }
                    });
          },
          settings.pollIntervalNanos,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      owner.settle(f, null, owner.closedOrRejected(e), Source.BACKEND);
    }
  }

  /** The tier's read of the flight's key: a throw becomes a failed future; bounded in time. */
  private CompletableFuture<@Nullable AccessToken> boundedRead(Flight f, SharedTier t) {
    CompletableFuture<@Nullable AccessToken> read;
    try {
      read = t.read(f.entry.key, f.minExpiry);
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    return bounded(read, "read");
  }

  /** The one backend call of a flight, with its timeout. */
  private void callBackend(Flight f) {
    TokenRequest key = f.entry.key;
    f.startedNanos = time.nanoTime();
    f.startedWallMillis = time.wallMillis();
    listener.onRefreshStarted(key);
    try {
      f.timeout =
          owner.schedule(
              () ->
                  owner.settle(
                      f,
                      null,
                      new RequestTimeoutException(
                          "no token from the backend for "
                              + key.identity()
                              + " within the call timeout of "
                              + settings.callTimeout,
                          RequestTimeoutException.NO_STATUS,
                          null,
                          null),
                      Source.BACKEND),
              settings.callTimeoutNanos,
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      owner.settle(f, null, owner.closedOrRejected(e), Source.BACKEND);
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
    call.whenComplete((token, error) -> owner.settle(f, token, error, Source.BACKEND));
  }

  /**
   * After the backend answered a flight: store its token in the tier under the flight's lease (or a
   * lease its timed-out claim took after all), or release the lease if there is no token to share.
   */
  void afterBackend(Flight f, @Nullable AccessToken token) {
    SharedTier t = tier;
    if (t == null) {
      return;
    }
    boolean share = token != null && !f.cancelled;
    SharedTier.Claim lease = f.lease;
    if (lease != null) {
      finish(t, f.entry.key, lease, share ? token : null);
      return;
    }
    CompletableFuture<SharedTier.Claim> late = f.lateClaim;
    if (late != null) {
      late.whenComplete(
          (c, error) -> {
            if (error == null && c != null && c.isLeased()) {
              finish(t, f.entry.key, c, share ? token : null);
            }
          });
    }
  }

  private void finish(
      SharedTier t, TokenRequest key, SharedTier.Claim lease, @Nullable AccessToken token) {
    try {
      CompletableFuture<?> done =
          token != null ? t.store(key, lease, token) : t.release(key, lease);
      done.whenComplete(
          (v, error) -> {
            if (error != null) {
              tierFailed(key, error);
            }
          });
    } catch (RuntimeException e) {
      tierFailed(key, e);
    }
  }

  /** A claim that answered after its flight was done: give its lease back at once. */
  private void releaseLate(Flight f, CompletableFuture<SharedTier.Claim> claim) {
    SharedTier t = tier;
    if (t == null || f.lease != null) {
      return;
    }
    claim.whenComplete(
        (c, error) -> {
          if (error == null && c != null && c.isLeased()) {
            finish(t, f.entry.key, c, null);
          }
        });
  }

  private void tierFailed(TokenRequest key, Throwable error) {
    Throwable cause = Futures.unwrap(error);
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "shared tier failed for {} ({}); the call goes to the backend",
          key,
          cause.getClass().getSimpleName());
    }
    listener.onSharedTierFailure(key, cause);
  }

  /** The future, or a timeout after the shared-tier timeout on the cache's scheduler. */
  private <T> CompletableFuture<T> bounded(CompletableFuture<T> future, String what) {
    if (future.isDone()) {
      return future;
    }
    CompletableFuture<T> bounded = new CompletableFuture<>();
    try {
      owner.failAfter(
          bounded,
          settings.sharedTierTimeoutNanos,
          () ->
              new TimeoutException(
                  "shared tier " + what + " took longer than " + settings.sharedTierTimeout));
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
    future.whenComplete(
        (v, error) -> {
          if (error != null) {
            bounded.completeExceptionally(error);
          } else {
            bounded.complete(v);
          }
        });
    return bounded;
  }
}
