package dev.acstoken.cache;

import dev.acstoken.core.TokenRequest;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * The refresh state of one key, stored in the Caffeine cache.
 *
 * <p>Readers read {@link #snapshot}, {@link #flight} and {@link #failure} without a lock; every
 * change happens while holding the entry's monitor, so that exactly one refresh starts per key.
 * Once {@link #state} leaves {@link Lifecycle#LIVE} the entry is out of the map and never becomes
 * live again: callers that still hold it look the key up afresh.
 */
final class Entry {

  /** Where an entry is in its life; only a LIVE entry is in the map and may change. */
  enum Lifecycle {
    /** In the map: serves, refreshes. */
    LIVE,
    /** Evicted for size or idleness; a refresh in flight still answers its waiters. */
    EVICTED,
    /** Dropped by an invalidation (revoke, delete, rejected token); its flight is superseded. */
    INVALIDATED,
    /** The cache was closed. */
    CLOSED
  }

  final TokenRequest key;
  final RefreshLimiter limiter;

  /** This key's fixed place in the jitter window, in [0, 1): keys filled together spread out. */
  final double jitterFraction;

  volatile @Nullable Snapshot snapshot;
  volatile @Nullable Flight flight;
  volatile @Nullable Failure failure;
  volatile Lifecycle state = Lifecycle.LIVE;

  /**
   * Set for a key that a {@code CommunicationTokenCredential} of {@code credential(...)} holds: it
   * is refreshed at its refresh point even if nobody reads it, and not evicted for idleness, so
   * that the SDK's rare ask is a hit.
   */
  volatile boolean pinned;

  /**
   * The expiry of a token a downstream service rejected ({@code invalidateIfCurrent}), until the
   * next token arrives: the refresh must not take that token back from a shared tier. Guarded by
   * the entry's monitor.
   */
  @Nullable Instant rejectedExpiry;

  /** The scheduled refresh of a pinned key; guarded by the entry's monitor. */
  @Nullable ScheduledFuture<?> pinTimer;

  /**
   * When a reader last saw this entry, coarsely: written only when it moved by a fraction of the
   * idle timeout, so that a hit reads it and almost never writes it (no cache line bouncing between
   * readers of a hot key).
   */
  volatile long lastReadNanos;

  Entry(TokenRequest key, RefreshLimiter limiter, long nowNanos) {
    this.key = key;
    this.limiter = limiter;
    this.lastReadNanos = nowNanos;
    this.jitterFraction = jitterFraction(stableHash(key));
  }

  /** A hash of the key that is the same in every JVM (an enum's hashCode is not). */
  static int stableHash(TokenRequest key) {
    int h = key.identity().value().hashCode();
    for (dev.acstoken.core.Scope s : key.scopes()) {
      h = 31 * h + s.wireName().hashCode();
    }
    return 31 * h + key.lifetime().map(dev.acstoken.core.TokenLifetime::toMinutes).orElse(0);
  }

  /** A stable pseudo-random fraction of the key's hash (the murmur3 finalizer mixes the bits). */
  static double jitterFraction(int hash) {
    int h = hash;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return (h >>> 8) / (double) (1 << 24);
  }

  /**
   * Takes the entry out of its life (invalidated, closed): no token, no flight, no pinned refresh.
   * The caller holds the entry's monitor.
   *
   * @return the flight that was running, now cancelled, for the caller to answer its waiters
   */
  @Nullable Flight retire(Lifecycle to) {
    state = to;
    snapshot = null;
    Flight f = flight;
    flight = null;
    if (f != null) {
      f.cancelled = true;
    }
    ScheduledFuture<?> pin = pinTimer;
    if (pin != null) {
      pin.cancel(false);
    }
    return f;
  }

  @Override
  public String toString() {
    return "Entry[" + key + ", " + state + (pinned ? ", pinned" : "") + "]";
  }
}
