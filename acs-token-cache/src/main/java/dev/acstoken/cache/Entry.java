package dev.acstoken.cache;

import dev.acstoken.core.TokenRequest;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * The refresh state of one key, the value of the cache's map.
 *
 * <p>Only what a hit reads lives here: the key, the {@link #snapshot} and the coarse {@link
 * #lastReadNanos}. The rest (a flight, a failure, a pin, a rejected token's expiry, a retired
 * lifecycle) is rare and lives in a {@link Rare} side object that exists only while one of them is
 * set, so that a cached key costs one small object besides its snapshot.
 *
 * <p>Readers read the snapshot, the flight and the failure without a lock; every change happens
 * while holding the entry's monitor, so that exactly one refresh starts per key. Once the entry
 * leaves {@link Lifecycle#LIVE} it is out of the map and never becomes live again: callers that
 * still hold it look the key up afresh.
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

  /**
   * The rare part of an entry. Written only under the entry's monitor; an entry's {@link #rare}
   * goes back to null once every field is at its default (see {@link #compact()}), and a reader
   * without the monitor that still holds a detached one sees only defaults or older values, which
   * the unlocked pre-checks tolerate (every decision is taken again under the monitor).
   */
  static final class Rare {
    volatile @Nullable Flight flight;
    volatile @Nullable Failure failure;
    volatile Lifecycle state = Lifecycle.LIVE;

    /**
     * Set for a key that a {@code CommunicationTokenCredential} of {@code credential(...)} holds:
     * it is refreshed at its refresh point even if nobody reads it, and not evicted for idleness,
     * so that the SDK's rare ask is a hit.
     */
    volatile boolean pinned;

    /**
     * The expiry of a token a downstream service rejected ({@code invalidateIfCurrent}), until the
     * next token arrives: the refresh must not take that token back from a shared tier.
     */
    @Nullable Instant rejectedExpiry;

    /** The scheduled refresh of a pinned key. */
    @Nullable ScheduledFuture<?> pinTimer;

    boolean isDefault() {
      return flight == null
          && failure == null
          && state == Lifecycle.LIVE
          && !pinned
          && rejectedExpiry == null
          && pinTimer == null;
    }
  }

  final TokenRequest key;

  volatile @Nullable Snapshot snapshot;

  /**
   * When a reader last saw this entry, coarsely: written only when it moved by a fraction of the
   * idle timeout, so that a hit reads it and almost never writes it (no cache line bouncing between
   * readers of a hot key).
   */
  volatile long lastReadNanos;

  /** The rare part, null while every part of it is at its default. */
  private volatile @Nullable Rare rare;

  Entry(TokenRequest key, long nowNanos) {
    this.key = key;
    this.lastReadNanos = nowNanos;
  }

  // reads: without the monitor they are pre-checks only; with it, the truth

  @Nullable Flight flight() {
    Rare r = rare;
    return r == null ? null : r.flight;
  }

  @Nullable Failure failure() {
    Rare r = rare;
    return r == null ? null : r.failure;
  }

  Lifecycle state() {
    Rare r = rare;
    return r == null ? Lifecycle.LIVE : r.state;
  }

  boolean isLive() {
    return state() == Lifecycle.LIVE;
  }

  boolean isPinned() {
    Rare r = rare;
    return r != null && r.pinned;
  }

  @Nullable Instant rejectedExpiry() {
    Rare r = rare;
    return r == null ? null : r.rejectedExpiry;
  }

  /** {@return the rare part, created if absent} The caller holds the entry's monitor. */
  Rare rare() {
    Rare r = rare;
    if (r == null) {
      r = new Rare();
      rare = r;
    }
    return r;
  }

  /** Drops the rare part once nothing in it is set; the caller holds the entry's monitor. */
  void compact() {
    Rare r = rare;
    if (r != null && r.isDefault()) {
      rare = null;
    }
  }

  /** Clears the flight if it is {@code f}; the caller holds the entry's monitor. */
  void clearFlight(Flight f) {
    Rare r = rare;
    if (r != null && r.flight == f) {
      r.flight = null;
    }
  }

  /** A hash of the key that is the same in every JVM (an enum's hashCode is not). */
  static int stableHash(TokenRequest key) {
    int h = key.identity().value().hashCode();
    for (dev.acstoken.core.Scope s : key.scopes()) {
      h = 31 * h + s.wireName().hashCode();
    }
    return 31 * h + key.lifetime().map(dev.acstoken.core.TokenLifetime::toMinutes).orElse(0);
  }

  /**
   * {@return this key's fixed place in the jitter window, in [0, 1): keys filled together spread
   * out} Computed when a token arrives rather than stored: it is the same every time.
   */
  double jitterFraction() {
    return jitterFraction(stableHash(key));
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
    Rare r = rare();
    r.state = to;
    snapshot = null;
    Flight f = r.flight;
    r.flight = null;
    if (f != null) {
      f.cancelled = true;
    }
    ScheduledFuture<?> pin = r.pinTimer;
    if (pin != null) {
      pin.cancel(false);
    }
    return f;
  }

  @Override
  public String toString() {
    return "Entry[" + key + ", " + state() + (isPinned() ? ", pinned" : "") + "]";
  }
}
