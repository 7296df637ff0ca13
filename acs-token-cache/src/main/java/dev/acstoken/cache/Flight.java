package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One refresh of one key: queued in its resource's rate limiter, then (with a shared tier) a claim
 * in the tier, perhaps a wait for another instance, and at most one backend call with a timeout.
 * Every caller that waits for the key joins {@link #result}; the future is never handed to a caller
 * (each gets its own dependent future), so no caller can cancel it for the others.
 */
final class Flight {

  final Entry entry;

  /** Rate-limiter order: the monotonic deadline by which the key needs its token. */
  final long priorityNanos;

  /** Tie-breaker for equal priorities: first come, first served. */
  final long sequence;

  /** A shared token is of use only if it expires after this: never an old token as a refresh. */
  final Instant minExpiry;

  final CompletableFuture<AccessToken> result = new CompletableFuture<>();

  /** Set once the flight was invalidated or closed: skip its call, ignore its answer. */
  volatile boolean cancelled;

  /** Set once the shared tier failed this flight: it goes to the backend without the tier. */
  volatile boolean skipTier;

  /** Set once the rate limit held the flight back; guarded by the limiter's monitor. */
  boolean heldBack;

  /** Set once by whoever settles the flight first: an answer or a timeout. */
  final AtomicBoolean settled = new AtomicBoolean();

  volatile long startedNanos;

  /**
   * The wall clock when the backend call started: the clock-skew sample of its token is taken
   * against it, not against the arrival, so that an answer delayed by a suspend or a slow network
   * never looks like a local clock that runs fast.
   */
  volatile long startedWallMillis;

  volatile @Nullable CompletableFuture<AccessToken> call;
  volatile @Nullable ScheduledFuture<?> timeout;

  /** The shared tier's lease this flight holds, to store its token with. */
  volatile SharedTier.@Nullable Claim lease;

  /** A claim the cache stopped waiting for: if it took the lease after all, store or release it. */
  volatile @Nullable CompletableFuture<SharedTier.Claim> lateClaim;

  Flight(Entry entry, long priorityNanos, long sequence, Instant minExpiry) {
    this.entry = entry;
    this.priorityNanos = priorityNanos;
    this.sequence = sequence;
    this.minExpiry = minExpiry;
  }

  static int compare(Flight a, Flight b) {
    int c = Long.compare(a.priorityNanos - b.priorityNanos, 0);
    return c != 0 ? c : Long.compare(a.sequence, b.sequence);
  }

  @Override
  public String toString() {
    return "Flight[" + entry.key + (cancelled ? ", cancelled" : "") + "]";
  }
}
