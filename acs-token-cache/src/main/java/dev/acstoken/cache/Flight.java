package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One refresh of one key: queued in its resource's rate limiter, then one backend call with a
 * timeout. Every caller that waits for the key joins {@link #result}; the future is never handed to
 * a caller (each gets its own dependent future), so no caller can cancel it for the others.
 */
final class Flight {

  final Entry entry;

  /** Rate-limiter order: the monotonic deadline by which the key needs its token. */
  final long priorityNanos;

  /** Tie-breaker for equal priorities: first come, first served. */
  final long sequence;

  final CompletableFuture<AccessToken> result = new CompletableFuture<>();

  /** Set once the flight was invalidated or closed: skip its call, ignore its answer. */
  volatile boolean cancelled;

  /** Set once the rate limit held the flight back; guarded by the limiter's monitor. */
  boolean heldBack;

  /** Set once by whoever settles the flight first: the backend's answer or the timeout. */
  final AtomicBoolean settled = new AtomicBoolean();

  volatile long startedNanos;
  volatile @Nullable CompletableFuture<AccessToken> call;
  volatile @Nullable ScheduledFuture<?> timeout;

  Flight(Entry entry, long priorityNanos, long sequence) {
    this.entry = entry;
    this.priorityNanos = priorityNanos;
    this.sequence = sequence;
  }

  static int compare(Flight a, Flight b) {
    int c = Long.compare(a.priorityNanos - b.priorityNanos, 0);
    return c != 0 ? c : Long.compare(a.sequence, b.sequence);
  }

  @Override
  public String toString() {
    return "Flight[" + entry.key + "]";
  }
}
