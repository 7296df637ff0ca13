package dev.acstoken.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.cache.micrometer.MicrometerCacheListener;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.core.error.UnauthorizedException;
import dev.acstoken.testkit.ManualScheduler;
import dev.acstoken.testkit.MutableClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Claims of this module's README that no other test holds the cache to, through the public API: the
 * default refresh window of a one-hour token, the per-key jitter being the same in every instance,
 * the lifetime as part of the key, and the Micrometer meters.
 */
class CacheReadmeClaimsTest {

  private static final int KEYS = 200;

  /** A cache with every default but time and scheduler, over its own backend. */
  private static final class DefaultCache implements AutoCloseable {
    final MutableClock time = MutableClock.at(Harness.START);
    final ManualScheduler scheduler = ManualScheduler.on(time);
    final FakeBackend backend = new FakeBackend(time);
    final CachingTokenProvider cache =
        CachingTokenProvider.builder(backend).timeSource(time).scheduler(scheduler).build();

    void readAll() {
      for (int i = 0; i < KEYS; i++) {
        cache.getTokenAsync(Harness.request(i));
      }
      scheduler.runDue();
    }

    @Override
    public void close() {
      cache.close();
    }
  }

  @Test
  void refreshPoint_ofOneHourTokenWithDefaults_isBetween25And30Minutes() {
    try (DefaultCache c = new DefaultCache()) {
      c.readAll();
      assertThat(c.backend.calls()).isEqualTo(KEYS);

      c.time.advance(Duration.ofMinutes(25).minusSeconds(1));
      c.readAll();
      assertThat(c.backend.calls()).as("no key refreshes before 25 minutes").isEqualTo(KEYS);

      c.time.advance(Duration.ofSeconds(1 + 5 * 60));
      c.readAll();
      // the refreshes are paced by the rate limit (one per 100 ms by default): let them run
      c.scheduler.advance(Duration.ofSeconds(30));
      assertThat(c.backend.calls()).as("every key refreshed by 30 minutes").isEqualTo(2 * KEYS);
    }
  }

  @Test
  void refreshJitter_ofAKey_isTheSameInEveryInstance() {
    try (DefaultCache a = new DefaultCache();
        DefaultCache b = new DefaultCache()) {
      a.readAll();
      b.readAll();

      // half-way through the jitter window: some keys are due, some not, the same ones in both
      for (DefaultCache c : List.of(a, b)) {
        c.time.advance(Duration.ofMinutes(27).plusSeconds(30));
        c.readAll();
        c.scheduler.advance(Duration.ofSeconds(30));
      }

      List<Integer> refreshedInA = new ArrayList<>();
      List<Integer> refreshedInB = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        if (a.backend.calls(Harness.request(i)) == 2) {
          refreshedInA.add(i);
        }
        if (b.backend.calls(Harness.request(i)) == 2) {
          refreshedInB.add(i);
        }
      }
      assertThat(refreshedInA).hasSizeBetween(KEYS / 4, 3 * KEYS / 4);
      assertThat(refreshedInB).isEqualTo(refreshedInA);
    }
  }

  @Test
  void getToken_sameScopesDifferentLifetime_isAnotherKey() {
    try (Harness h = new Harness()) {
      TokenRequest oneHour = Harness.request(1);
      TokenRequest twoHours = oneHour.withLifetime(TokenLifetime.ofMinutes(120));
      TokenRequest defaultLifetime = TokenRequest.of(Harness.identity(1), Scope.VOIP);

      for (TokenRequest r : List.of(oneHour, twoHours, defaultLifetime, oneHour)) {
        CompletableFuture<AccessToken> f = h.cache.getTokenAsync(r);
        h.scheduler.runDue();
        f.join();
      }

      assertThat(h.backend.calls()).isEqualTo(3);
    }
  }

  @Test
  void micrometer_everyMeterOfTheReadme_countsAndNoTagNamesAnIdentityOrScope() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Harness h =
        new Harness(
            b ->
                b.listener(MicrometerCacheListener.bind(registry))
                    .maximumSize(2)
                    .refreshRateLimit(1, Duration.ofSeconds(30))
                    .coldRateLimit(1))) {
      h.backend.failNext(
          new UnauthorizedException(
              "Provided identity doesn't belong to the resource.",
              401,
              "IdentityNotOwned",
              null,
              null));
      h.cache.getTokenAsync(Harness.request(1)); // terminal failure
      h.scheduler.runDue();
      h.scheduler.advance(Duration.ofSeconds(30));
      h.backend.failNext(
          new ServiceUnavailableException("Service Unavailable", 503, null, null, null));
      h.cache.getTokenAsync(Harness.request(2)); // retryable failure
      h.scheduler.runDue();
      h.scheduler.advance(Duration.ofSeconds(30));
      h.cache.getTokenAsync(Harness.request(3)); // a token
      h.cache.getTokenAsync(Harness.request(4)); // held back: one cold permit per window
      h.scheduler.runDue();
      h.scheduler.advance(Duration.ofSeconds(30));
      h.cache.invalidate(Harness.request(3)); // an invalidation
      h.scheduler.runDue();

      assertThat(count(registry, "acs.token.cache.refreshes.failed", "terminal", "true"))
          .isEqualTo(1);
      assertThat(count(registry, "acs.token.cache.refreshes.failed", "terminal", "false"))
          .isEqualTo(1);
      assertThat(registry.get("acs.token.cache.refreshes.rate.limited").counter().count())
          .isGreaterThanOrEqualTo(1);
      assertThat(registry.get("acs.token.cache.evictions").counter().count())
          .as("four keys in a cache of two")
          .isGreaterThanOrEqualTo(1);
      assertThat(registry.get("acs.token.cache.invalidations").counter().count())
          .isGreaterThanOrEqualTo(1);
      assertThat(registry.get("acs.token.cache.refreshes.started").counter().count())
          .isGreaterThanOrEqualTo(4);
      for (Meter m : registry.getMeters()) {
        for (Tag t : m.getId().getTags()) {
          assertThat(t.getValue())
              .as(m.getId().toString())
              .doesNotContain(Harness.RESOURCE)
              .isNotIn("voip", "VOIP", "chat", "CHAT");
        }
      }
    }
  }

  private static double count(SimpleMeterRegistry registry, String name, String tag, String value) {
    return registry.get(name).tag(tag, value).counter().count();
  }

  @Test
  void build_durationBeyondWhatNanosecondsHold_isRejectedNamingTheOption() {
    // README: every option is checked when called ("<option> must be ...; got <value>"); a
    // duration of 300 years overflows the nanoseconds the cache counts in
    Duration centuries = Duration.ofDays(300 * 365L);
    FakeBackend backend = new FakeBackend(MutableClock.at(Harness.START));

    assertThatThrownBy(
            () -> CachingTokenProvider.builder(backend).expireAfterIdle(centuries).build().close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expireAfterIdle")
        .hasMessageContaining(centuries.toString());
    assertThatThrownBy(
            () -> CachingTokenProvider.builder(backend).waitTimeout(centuries).build().close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("waitTimeout")
        .hasMessageContaining(centuries.toString());
  }

  @Test
  void getToken_fastClockCorrectedByNtpThenSuspended_neverServesAnExpiredToken() {
    // README: "a token is served only while both of its deadlines hold ... a suspended process
    // never hands out a token that expired while it slept"; here a wall clock two hours fast
    // (skew measured from iat), then corrected by NTP, then a 90-minute suspend
    Instant start = Instant.parse("2031-03-01T06:00:00Z");
    MutableClock trueClock = MutableClock.at(start);
    MutableClock cacheClock = MutableClock.at(start.plus(Duration.ofHours(2)));
    ManualScheduler scheduler =
        ManualScheduler.on(
            cacheClock::nanoTime,
            n -> {
              trueClock.advance(Duration.ofNanos(n));
              cacheClock.advance(Duration.ofNanos(n));
            });
    FakeBackend backend = new FakeBackend(trueClock);
    TokenRequest key = Harness.request(1); // one-hour tokens
    try (CachingTokenProvider cache =
        CachingTokenProvider.builder(backend).timeSource(cacheClock).scheduler(scheduler).build()) {
      for (int minute = 0; minute < 3; minute++) {
        CompletableFuture<AccessToken> f = cache.getTokenAsync(key);
        scheduler.runDue();
        assertThat(f.join().expiresAt()).isAfter(trueClock.instant());
        scheduler.advance(Duration.ofMinutes(1));
      }

      cacheClock.stepWallClock(Duration.ofHours(-2)); // NTP: the wall clock is right again
      scheduler.advance(Duration.ofMinutes(1));
      trueClock.advance(Duration.ofMinutes(90)); // suspended: the monotonic clock stands still
      cacheClock.stepWallClock(Duration.ofMinutes(90));

      CompletableFuture<AccessToken> afterResume = cache.getTokenAsync(key);
      scheduler.runDue();
      while (!afterResume.isDone()) {
        scheduler.advance(Duration.ofSeconds(1));
      }
      assertThat(afterResume.join().expiresAt())
          .as("expiry of the token served after the resume, against the true clock")
          .isAfter(trueClock.instant());
    }
  }
}
