package dev.acstoken.benchmarks;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.cache.CachingTokenProviderBuilder;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.ManualScheduler;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Issue 7, item 5: 10,000 keys of one ACS resource are first read within one second, then read
 * every step through two token lifetimes (24 h tokens, 48 simulated hours) on virtual time. Counts
 * backend calls per simulated second and reports the peak against the configured refresh rate
 * limit, with expired tokens handed out and errors seen by callers.
 *
 * <p>Two configurations: the defaults (300 refreshes per 30 s per resource), and a limit so high
 * (10,000 per 30 s) that only the per-key jitter spreads the refreshes.
 */
public final class FleetHarness {

  static final int KEYS = 10_000;
  static final Duration LIFETIME = Duration.ofHours(24);
  static final Duration HORIZON = LIFETIME.multipliedBy(2);
  static final String RESOURCE = "2dee53b4-368b-45b4-ab52-8493fb117652";
  static final Instant START = Instant.parse("2026-11-24T08:00:00Z");

  private FleetHarness() {}

  public static void main(String[] args) {
    Options o = Options.parse(args);
    Duration step = o.pick(Duration.ofSeconds(30), Duration.ofSeconds(5));
    Options.machine();
    Table table =
        new Table(
            "Fleet smoothing: "
                + KEYS
                + " keys first read within 1 s, 24 h tokens, 48 simulated hours, every key read"
                + " every "
                + step.toSeconds()
                + " s",
            "configuration",
            "backend calls",
            "peak calls in 1 s, fill",
            "peak calls in 1 s, refreshes",
            "peak calls in 30 s, refreshes",
            "configured limit",
            "fill complete after",
            "expired tokens handed out",
            "errors seen by callers");
    run(table, "defaults", 300, step, b -> b);
    run(
        table,
        "refreshRateLimit(10000, 30 s): jitter only",
        10_000,
        step,
        b -> b.refreshRateLimit(10_000, Duration.ofSeconds(30)));
    table.print();
    // the anchors leave non-daemon threads (Reactor schedulers, timers) behind
    System.exit(0);
  }

  static void run(
      Table table,
      String name,
      int permitsPer30s,
      Duration step,
      java.util.function.UnaryOperator<CachingTokenProviderBuilder> options) {
    MutableClock time = MutableClock.at(START);
    long startNanos = time.nanoTime();
    ManualScheduler scheduler = ManualScheduler.on(time);
    int seconds = (int) HORIZON.toSeconds() + 3600;
    int[] perSecond = new int[seconds];
    long[] calls = new long[1];
    TokenProvider backend =
        new TokenProvider() {
          @Override
          public AccessToken getToken(TokenRequest request) {
            return getTokenAsync(request).join();
          }

          @Override
          public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
            calls[0]++;
            perSecond[(int) TimeUnit.NANOSECONDS.toSeconds((time.nanoTime() - startNanos))]++;
            return CompletableFuture.completedFuture(
                AccessToken.of("t" + calls[0], time.now().plus(LIFETIME)));
          }
        };
    TokenRequest[] keys = new TokenRequest[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] =
          TokenRequest.of(
              IdentityId.of(String.format("8:acs:%s_00000000-0000-0000-0000-%012d", RESOURCE, i)),
              Scope.VOIP);
    }
    long expired = 0;
    long[] errors = new long[1];
    long filledAt = -1;
    try (CachingTokenProvider cache =
        options
            .apply(
                CachingTokenProvider.builder(backend)
                    .timeSource(time)
                    .scheduler(scheduler)
                    .maximumSize(2 * KEYS))
            .build()) {
      // the fill: every key read once within the first second
      long gap = Duration.ofSeconds(1).toNanos() / KEYS;
      for (int i = 0; i < KEYS; i++) {
        cache
            .getTokenAsync(keys[i])
            .whenComplete(
                (t, x) -> {
                  if (x != null) {
                    errors[0]++;
                  }
                });
        scheduler.advance(Duration.ofNanos(gap));
      }
      long steps = HORIZON.dividedBy(step);
      for (long s = 0; s < steps; s++) {
        scheduler.advance(step);
        Instant now = time.now();
        boolean allServed = true;
        for (int i = 0; i < KEYS; i++) {
          CompletableFuture<AccessToken> f = cache.getTokenAsync(keys[i]);
          if (f.isDone()) {
            if (f.isCompletedExceptionally()) {
              errors[0]++;
              allServed = false;
            } else if (!f.join().expiresAt().isAfter(now)) {
              expired++;
            }
          } else {
            allServed = false;
            f.whenComplete(
                (t, x) -> {
                  if (x != null) {
                    errors[0]++;
                  }
                });
          }
        }
        if (allServed && filledAt < 0) {
          filledAt = (time.nanoTime() - startNanos);
        }
      }
    }
    // the fill is the first hour (it takes 17 minutes at the default limit); refreshes come later
    int fillEnd = 3600;
    int peakFill = 0;
    int peak1 = 0;
    int peak30 = 0;
    int window = 0;
    for (int i = 0; i < seconds; i++) {
      if (i < fillEnd) {
        peakFill = Math.max(peakFill, perSecond[i]);
        continue;
      }
      peak1 = Math.max(peak1, perSecond[i]);
      window += perSecond[i];
      if (i >= fillEnd + 30) {
        window -= perSecond[i - 30];
      }
      peak30 = Math.max(peak30, window);
    }
    table.row(
        name,
        calls[0],
        peakFill,
        peak1,
        peak30,
        permitsPer30s + " per 30 s",
        filledAt < 0 ? "never" : Duration.ofNanos(filledAt).toSeconds() + " s",
        expired,
        errors[0]);
  }
}
