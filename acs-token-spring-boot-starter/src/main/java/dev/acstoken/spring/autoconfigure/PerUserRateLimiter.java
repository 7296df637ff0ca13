package dev.acstoken.spring.autoconfigure;

import dev.acstoken.core.TimeSource;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket per user: {@code permitsPerMinute} requests at once, then one more every {@code 1
 * min / permitsPerMinute}. Thread-safe; time comes from the given {@link TimeSource}'s monotonic
 * clock. When the map holds {@code maxUsers} or more, users idle for a minute (whose bucket is full
 * again) are dropped, at most once a second: memory stays bounded by the users active within about
 * one minute.
 */
final class PerUserRateLimiter {

  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final int permitsPerMinute;
  private final long nanosPerPermit;
  private final int maxUsers;
  private final TimeSource time;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep;

  PerUserRateLimiter(int permitsPerMinute, int maxUsers, TimeSource time) {
    if (permitsPerMinute < 1) {
      throw new IllegalArgumentException(
          "must be 1 or more requests per user per minute, was " + permitsPerMinute);
    }
    this.permitsPerMinute = permitsPerMinute;
    this.nanosPerPermit = MINUTE_NANOS / permitsPerMinute;
    this.maxUsers = maxUsers;
    this.time = time;
    this.lastSweep = new AtomicLong(time.nanoTime() - SWEEP_INTERVAL_NANOS);
  }

  /**
   * Takes one permit of the user's.
   *
   * @param user the app user id
   * @return zero when the request may go ahead, else how long until the user's next permit
   */
  Duration acquire(String user) {
    long now = time.nanoTime();
    long last = lastSweep.get();
    // one caller sweeps, at most once a second: with more active users than maxUsers, a sweep on
    // every request would make each one walk the whole map
    if (buckets.size() >= maxUsers
        && now - last >= SWEEP_INTERVAL_NANOS
        && lastSweep.compareAndSet(last, now)) {
      sweep(now);
    }
    Bucket bucket = buckets.computeIfAbsent(user, u -> new Bucket(now, permitsPerMinute));
    synchronized (bucket) {
      bucket.refill(now, nanosPerPermit, permitsPerMinute);
      if (bucket.permits > 0) {
        bucket.permits--;
        return Duration.ZERO;
      }
      return Duration.ofNanos(nanosPerPermit - (now - bucket.lastRefill));
    }
  }

  int trackedUsers() {
    return buckets.size();
  }

  private void sweep(long now) {
    // a bucket idle for a minute is full again: forgetting it changes nothing for its user
    buckets.values().removeIf(b -> now - b.lastTouched() >= MINUTE_NANOS);
  }

  /** Permits left and the time the last one was added; guarded by its own monitor. */
  private static final class Bucket {
    int permits;
    long lastRefill;
    long lastTouched;

    Bucket(long now, int permits) {
      this.permits = permits;
      this.lastRefill = now;
      this.lastTouched = now;
    }

    void refill(long now, long nanosPerPermit, int max) {
      lastTouched = now;
      long elapsed = now - lastRefill;
      if (elapsed < nanosPerPermit) {
        return;
      }
      long added = elapsed / nanosPerPermit;
      if (permits + added >= max) {
        permits = max;
        lastRefill = now;
      } else {
        permits += (int) added;
        lastRefill += added * nanosPerPermit;
      }
    }

    synchronized long lastTouched() {
      return lastTouched;
    }
  }
}
