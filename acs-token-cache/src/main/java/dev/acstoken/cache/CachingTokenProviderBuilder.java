package dev.acstoken.cache;

import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.error.RequestTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link CachingTokenProvider}; from {@link CachingTokenProvider#builder}. Every option
 * has a default, documented on its method; each method checks its argument at once and says what
 * was wrong ("&lt;option&gt; must be ...; got &lt;value&gt;"), and {@link #build()} checks the
 * options that depend on each other. Not thread-safe; build once.
 */
public final class CachingTokenProviderBuilder {

  final TokenProvider delegate;
  double refreshFraction = 0.5;
  Duration minRefreshLead = Duration.ofMinutes(10);
  Duration refreshJitter = Duration.ofMinutes(5);
  Duration safetyMargin = Duration.ofMinutes(5);
  Duration waitTimeout = Duration.ofSeconds(15);
  Duration callTimeout = Duration.ofSeconds(10);
  Duration backoffInitial = Duration.ofSeconds(1);
  Duration backoffMax = Duration.ofMinutes(2);
  double backoffMultiplier = 2.0;
  double backoffJitter = 0.2;
  long maximumSize = 10_000;
  Duration expireAfterIdle = Duration.ofHours(1);

  /**
   * The default calls of {@link #refreshRateLimit}: 300 per {@link #DEFAULT_REFRESH_RATE_WINDOW}.
   */
  public static final int DEFAULT_REFRESH_RATE_PERMITS = 300;

  /**
   * The longest duration any option takes: 100 years. The cache counts time in nanoseconds, and a
   * longer duration would overflow the sums it makes.
   */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /** The default window of {@link #refreshRateLimit}: 30 seconds. */
  public static final Duration DEFAULT_REFRESH_RATE_WINDOW = Duration.ofSeconds(30);

  int ratePermits = DEFAULT_REFRESH_RATE_PERMITS;
  Duration rateWindow = DEFAULT_REFRESH_RATE_WINDOW;
  int coldPermits = 900;
  TimeSource timeSource = TimeSource.system();
  @Nullable ScheduledExecutorService scheduler;
  CacheListener listener = CacheListener.NONE;
  boolean recordStats;
  Duration terminalErrorTtl = Duration.ofSeconds(5);
  @Nullable SharedTier sharedTier;
  Duration sharedTierTimeout = Duration.ofSeconds(1);
  Duration leaseTime = Duration.ofSeconds(15);
  Duration sharedTierPollInterval = Duration.ofMillis(100);

  CachingTokenProviderBuilder(TokenProvider delegate) {
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
  public CachingTokenProviderBuilder refreshFraction(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "refreshFraction must be strictly between 0 and 1; got " + fraction);
    }
    this.refreshFraction = fraction;
    return this;
  }

  /**
   * Sets the least time before expiry at which the refresh point lies; default 10 minutes. Must
   * exceed the safety margin, so that every token has a STALE phase in which it is served while it
   * is refreshed.
   *
   * @param lead positive
   * @return this builder
   * @throws IllegalArgumentException if the lead is null, zero or negative
   */
  public CachingTokenProviderBuilder minRefreshLead(Duration lead) {
    this.minRefreshLead = positive("minRefreshLead", lead);
    return this;
  }

  /**
   * Sets the largest per-key jitter subtracted from the refresh point, so that keys filled together
   * do not come due together; default 5 minutes. Each key takes a fixed fraction of it (from its
   * hash), at most a quarter of the time to its refresh point.
   *
   * @param jitter zero or positive
   * @return this builder
   * @throws IllegalArgumentException if the jitter is null or negative
   */
  public CachingTokenProviderBuilder refreshJitter(Duration jitter) {
    this.refreshJitter = notNegative("refreshJitter", jitter);
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
  public CachingTokenProviderBuilder safetyMargin(Duration margin) {
    this.safetyMargin = notNegative("safetyMargin", margin);
    return this;
  }

  /**
   * Sets how long a caller of an EXPIRED or cold key waits for its refresh before it gets a {@link
   * RequestTimeoutException}; default 15 seconds. The refresh itself goes on.
   *
   * @param timeout positive
   * @return this builder
   * @throws IllegalArgumentException if the timeout is null, zero or negative
   */
  public CachingTokenProviderBuilder waitTimeout(Duration timeout) {
    this.waitTimeout = positive("waitTimeout", timeout);
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
  public CachingTokenProviderBuilder callTimeout(Duration timeout) {
    this.callTimeout = positive("callTimeout", timeout);
    return this;
  }

  /**
   * Sets the wait after the first failed refresh of a key; default 1 second. Later waits grow by
   * the {@link #backoffMultiplier multiplier} up to the {@link #backoffMax maximum}; while a valid
   * token exists they are capped at a quarter of its usable time left (but not below this initial
   * wait), so several attempts happen before it dies; a {@code Retry-After} of the service is
   * honoured.
   *
   * @param initial positive
   * @return this builder
   * @throws IllegalArgumentException if the wait is null, zero or negative
   */
  public CachingTokenProviderBuilder backoffInitial(Duration initial) {
    this.backoffInitial = positive("backoffInitial", initial);
    return this;
  }

  /**
   * Sets the longest wait between two failed refreshes of a key; default 2 minutes.
   *
   * @param max positive, at least the initial backoff
   * @return this builder
   * @throws IllegalArgumentException if the wait is null, zero or negative
   */
  public CachingTokenProviderBuilder backoffMax(Duration max) {
    this.backoffMax = positive("backoffMax", max);
    return this;
  }

  /**
   * Sets the factor by which the wait grows after each failure in a row; default 2.
   *
   * @param multiplier at least 1
   * @return this builder
   * @throws IllegalArgumentException if the multiplier is less than 1 or not finite
   */
  public CachingTokenProviderBuilder backoffMultiplier(double multiplier) {
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException(
          "backoffMultiplier must be a finite number of at least 1; got " + multiplier);
    }
    this.backoffMultiplier = multiplier;
    return this;
  }

  /**
   * Sets the random spread of each backoff wait, as a fraction of it; default 0.2 (plus or minus 20
   * %).
   *
   * @param jitter in [0, 1)
   * @return this builder
   * @throws IllegalArgumentException if the jitter is outside [0, 1)
   */
  public CachingTokenProviderBuilder backoffJitter(double jitter) {
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException(
          "backoffJitter must be at least 0 and less than 1; got " + jitter);
    }
    this.backoffJitter = jitter;
    return this;
  }

  /**
   * Sets how many keys the cache holds at most; default 10,000. Beyond it, adding a key evicts an
   * entry read long ago (an approximate LRU: the least recently read of a few entries sampled in
   * turn; pinned keys last).
   *
   * @param maximumSize positive
   * @return this builder
   * @throws IllegalArgumentException if the size is zero or negative
   */
  public CachingTokenProviderBuilder maximumSize(long maximumSize) {
    if (maximumSize <= 0) {
      throw new IllegalArgumentException("maximumSize must be positive; got " + maximumSize);
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
  public CachingTokenProviderBuilder expireAfterIdle(Duration idle) {
    this.expireAfterIdle = positive("expireAfterIdle", idle);
    return this;
  }

  /**
   * Sets the most backend calls per ACS resource in any window; default 300 per 30 seconds, well
   * under the service's 1,000 token issues per 30 seconds (which all instances of a service share),
   * for refreshes of tokens that are still valid. Calls beyond it wait for a permit, the key
   * closest to its deadline first. Keys with no usable token go first and may use up to {@link
   * #coldRateLimit} permits in the same window.
   *
   * @param permits positive
   * @param window positive
   * @return this builder
   * @throws IllegalArgumentException if the permits are not positive, or the window is null, zero
   *     or negative
   */
  public CachingTokenProviderBuilder refreshRateLimit(int permits, Duration window) {
    if (permits <= 0) {
      throw new IllegalArgumentException(
          "refreshRateLimit permits must be positive; got " + permits);
    }
    this.rateWindow = positive("refreshRateLimit window", window);
    this.ratePermits = permits;
    return this;
  }

  /**
   * Sets the most backend calls per ACS resource in a {@link #refreshRateLimit} window for keys
   * that have no usable token (cold, or expired); default 900, under the service's 1,000. A caller
   * without a token must wait for one, so these calls may go beyond {@code refreshRateLimit}, which
   * keeps holding back refreshes of tokens that are still valid. Never below {@code
   * refreshRateLimit}: a smaller value acts as {@code refreshRateLimit}.
   *
   * @param permits positive
   * @return this builder
   * @throws IllegalArgumentException if the permits are not positive
   */
  public CachingTokenProviderBuilder coldRateLimit(int permits) {
    if (permits <= 0) {
      throw new IllegalArgumentException("coldRateLimit must be positive; got " + permits);
    }
    this.coldPermits = permits;
    return this;
  }

  /**
   * Sets the clocks; default {@link TimeSource#system()}. Tests pass the testkit's {@code
   * MutableClock} (the same one every other component of the test reads), and a {@link #scheduler
   * scheduler} on the same time, such as the testkit's {@code ManualScheduler}.
   *
   * @param timeSource the time source
   * @return this builder
   * @throws IllegalArgumentException if it is null
   */
  public CachingTokenProviderBuilder timeSource(TimeSource timeSource) {
    if (timeSource == null) {
      throw new IllegalArgumentException("timeSource must not be null");
    }
    this.timeSource = timeSource;
    return this;
  }

  /**
   * Sets the scheduler of background work: backend calls, their timeouts, wait timeouts and
   * rate-limit wake-ups. Default: one daemon thread named {@code acs-token-cache}, owned by the
   * cache and stopped by {@link CachingTokenProvider#close()}. A scheduler given here is not shut
   * down by the cache; its delays must run on the same time as the {@link #timeSource time source}.
   *
   * @param scheduler the scheduler
   * @return this builder
   * @throws IllegalArgumentException if it is null
   */
  public CachingTokenProviderBuilder scheduler(ScheduledExecutorService scheduler) {
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
  public CachingTokenProviderBuilder listener(CacheListener listener) {
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
  public CachingTokenProviderBuilder recordStats() {
    this.recordStats = true;
    return this;
  }

  /**
   * Sets how long a key remembers a terminal error (identity deleted or not owned, unauthorized,
   * invalid request) before it asks the backend again; default 5 seconds. Until then callers of the
   * key get that error at once, with no backend call, however often they ask; no token of the key
   * is served. An invalidation of the key forgets the error at once.
   *
   * @param ttl positive
   * @return this builder
   * @throws IllegalArgumentException if the duration is null, zero or negative
   */
  public CachingTokenProviderBuilder terminalErrorTtl(Duration ttl) {
    this.terminalErrorTtl = positive("terminalErrorTtl", ttl);
    return this;
  }

  /**
   * Adds a tier shared by every instance of the service, e.g. {@code RedisSharedTier} of
   * acs-token-cache-redis: before a refresh calls the backend, the cache asks the tier for a newer
   * token, or for the key's lease, so that a fleet makes one backend call per key per refresh; the
   * token the lease holder gets is stored for the others. Invalidations through {@link
   * CachingTokenProvider#invalidatingOperations} reach every instance. A tier that fails or does
   * not answer within {@link #sharedTierTimeout} sends that call to the backend, as if there were
   * no tier. The cache closes the tier when it is closed. Default: none.
   *
   * @param tier the shared tier
   * @return this builder
   * @throws IllegalArgumentException if the tier is null
   */
  public CachingTokenProviderBuilder sharedTier(SharedTier tier) {
    if (tier == null) {
      throw new IllegalArgumentException("sharedTier must not be null");
    }
    this.sharedTier = tier;
    return this;
  }

  /**
   * Sets how long the cache waits for one answer of the shared tier before it goes to the backend
   * instead; default 1 second (a loaded machine's Redis round trip can take a few hundred
   * milliseconds; a tier that is down fails at once rather than time out).
   *
   * @param timeout positive
   * @return this builder
   * @throws IllegalArgumentException if the duration is null, zero or negative
   */
  public CachingTokenProviderBuilder sharedTierTimeout(Duration timeout) {
    this.sharedTierTimeout = positive("sharedTierTimeout", timeout);
    return this;
  }

  /**
   * Sets how long an instance holds a key's refresh lease in the shared tier at most: the longest
   * that a crashed holder delays the others; default 15 seconds. Must exceed {@link #callTimeout}
   * plus {@link #sharedTierTimeout}, so that a live holder keeps its lease for its whole backend
   * call.
   *
   * @param leaseTime positive
   * @return this builder
   * @throws IllegalArgumentException if the duration is null, zero or negative
   */
  public CachingTokenProviderBuilder leaseTime(Duration leaseTime) {
    this.leaseTime = positive("leaseTime", leaseTime);
    return this;
  }

  /**
   * Sets how often an instance that waits for another's refresh looks in the shared tier; default
   * 100 milliseconds.
   *
   * @param interval positive
   * @return this builder
   * @throws IllegalArgumentException if the duration is null, zero or negative
   */
  public CachingTokenProviderBuilder sharedTierPollInterval(Duration interval) {
    this.sharedTierPollInterval = positive("sharedTierPollInterval", interval);
    return this;
  }

  /**
   * Builds the cache, after checking the options together.
   *
   * @return the cache; close it to release its thread (and the shared tier)
   * @throws IllegalArgumentException if the options contradict each other: a safety margin not less
   *     than the minimum refresh lead, a maximum backoff below the initial one, or, with a shared
   *     tier, a lease time not longer than the call timeout plus the shared-tier timeout, or a poll
   *     interval not shorter than the lease time
   */
  public CachingTokenProvider build() {
    if (safetyMargin.compareTo(minRefreshLead) >= 0) {
      throw new IllegalArgumentException(
          "safetyMargin must be less than minRefreshLead ("
              + minRefreshLead
              + "), or tokens would never be refreshed while still served; got "
              + safetyMargin);
    }
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new IllegalArgumentException(
          "backoffMax must be at least backoffInitial (" + backoffInitial + "); got " + backoffMax);
    }
    if (sharedTier != null) {
      Duration holder = callTimeout.plus(sharedTierTimeout);
      if (leaseTime.compareTo(holder) <= 0) {
        throw new IllegalArgumentException(
            "leaseTime must be longer than callTimeout + sharedTierTimeout ("
                + holder
                + "), so that a holder keeps its lease for its whole backend call; got "
                + leaseTime);
      }
      if (sharedTierPollInterval.compareTo(leaseTime) >= 0) {
        throw new IllegalArgumentException(
            "sharedTierPollInterval must be shorter than leaseTime ("
                + leaseTime
                + "); got "
                + sharedTierPollInterval);
      }
    }
    return new CachingTokenProvider(this);
  }

  private static Duration positive(String what, Duration d) {
    if (d == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive; got " + d);
    }
    return atMostMax(what, d);
  }

  private static Duration notNegative(String what, Duration d) {
    if (d == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must be zero or positive; got " + d);
    }
    return atMostMax(what, d);
  }

  /** The cache counts in nanoseconds (a long holds 292 years): a duration must sit well within. */
  private static Duration atMostMax(String what, Duration d) {
    if (d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          what + " must be at most " + MAX_DURATION.toDays() + " days (100 years); got " + d);
    }
    return d;
  }
}
