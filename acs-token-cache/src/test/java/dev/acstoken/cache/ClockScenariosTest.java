package dev.acstoken.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.ManualScheduler;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The clock cases of the cache's guarantee "never an expired token, whatever the clocks do",
 * simulated: the backend issues tokens on the true clock, the cache reads its own, which is
 * suspended, slow or fast. A token counts as expired when the true clock is past its expiry.
 */
class ClockScenariosTest {

  private static final Instant START = Instant.parse("2031-03-01T06:00:00Z");

  /** A backend on the true clock and a cache on a clock of its own, advanced together. */
  private static final class World implements AutoCloseable {
    final MutableClock trueClock = MutableClock.at(START);
    final MutableClock cacheClock;
    final ManualScheduler scheduler;
    final FakeBackend backend = new FakeBackend(trueClock);
    final CachingTokenProvider cache;
    final List<TokenRequest> keys = new ArrayList<>();
    int expiredServed;
    int errors;
    int served;

    World(Duration cacheWallOffset, int keyCount) {
      cacheClock = MutableClock.at(START.plus(cacheWallOffset));
      scheduler =
          ManualScheduler.on(
              cacheClock::nanoTime,
              n -> {
                trueClock.advance(Duration.ofNanos(n));
                cacheClock.advance(Duration.ofNanos(n));
              });
      cache =
          CachingTokenProvider.builder(backend)
              .timeSource(cacheClock)
              .scheduler(scheduler)
              .recordStats()
              .build();
      for (int i = 0; i < keyCount; i++) {
        IdentityId id =
            IdentityId.of(
                String.format("8:acs:%s_00000000-0000-0000-0000-%012d", Harness.RESOURCE, i));
        keys.add(TokenRequest.of(id, Scope.VOIP).withLifetime(TokenLifetime.ofMinutes(60)));
      }
    }

    /** Every key read once; tokens handed out are checked against the true clock. */
    void readAll() {
      List<CompletableFuture<AccessToken>> reads = new ArrayList<>();
      for (TokenRequest k : keys) {
        reads.add(cache.getTokenAsync(k));
      }
      scheduler.runDue();
      for (CompletableFuture<AccessToken> r : reads) {
        if (!r.isDone()) {
          scheduler.advance(Duration.ofSeconds(1));
        }
      }
      for (CompletableFuture<AccessToken> r : reads) {
        while (!r.isDone()) {
          scheduler.advance(Duration.ofSeconds(1));
        }
        if (r.isCompletedExceptionally()) {
          errors++;
          continue;
        }
        served++;
        if (!r.join().expiresAt().isAfter(trueClock.instant())) {
          expiredServed++;
        }
      }
    }

    /** Reads every key once a minute for the given time. */
    void readEveryMinute(Duration d) {
      for (long m = 0; m < d.toMinutes(); m++) {
        readAll();
        scheduler.advance(Duration.ofMinutes(1));
      }
    }

    @Override
    public void close() {
      cache.close();
    }
  }

  @Test
  void processSuspendedTwoHours_servesNoExpiredToken_andNoErrorWithinTheColdRateLimit() {
    // 800 keys: their refill after the suspend fits the cold rate limit (900 per 30 s), so no
    // caller waits beyond the wait timeout; more keys than the service lets one refill in the
    // wait timeout get time-outs, never an expired token (the next test)
    try (World w = new World(Duration.ZERO, 800)) {
      w.readEveryMinute(Duration.ofMinutes(20));
      // suspended: the monotonic clock stands still while two hours pass
      w.trueClock.advance(Duration.ofHours(2));
      w.cacheClock.stepWallClock(Duration.ofHours(2));
      w.readEveryMinute(Duration.ofMinutes(30));

      assertThat(w.expiredServed).isZero();
      assertThat(w.errors).isZero();
      assertThat(w.served).isEqualTo(800 * 50);
    }
  }

  @Test
  void processSuspendedTwoHours_manyKeys_servesNoExpiredToken() {
    try (World w = new World(Duration.ZERO, 5_000)) {
      w.readEveryMinute(Duration.ofMinutes(20));
      w.trueClock.advance(Duration.ofHours(2));
      w.cacheClock.stepWallClock(Duration.ofHours(2));
      int servedBefore = w.served;
      w.readEveryMinute(Duration.ofMinutes(10));

      assertThat(w.expiredServed).isZero();
      assertThat(w.served).as("tokens were served after the suspend").isGreaterThan(servedBefore);
    }
  }

  @Test
  void processSuspendedPastTheRefreshPoint_refreshesBeforeExpiry_noReaderWaits() {
    try (World w = new World(Duration.ZERO, 1)) {
      TokenRequest key = w.keys.get(0);
      w.readEveryMinute(Duration.ofMinutes(10));
      int callsBefore = w.backend.calls();
      // 35 minutes suspended: the monotonic clock says 10 minutes into a 60-minute token, the
      // wall clock 45; the refresh point (half-life) has passed, the token is still usable
      w.trueClock.advance(Duration.ofMinutes(35));
      w.cacheClock.stepWallClock(Duration.ofMinutes(35));
      int waited = 0;
      for (int i = 0; i < 60; i++) {
        CompletableFuture<AccessToken> read = w.cache.getTokenAsync(key);
        if (!read.isDone()) {
          waited++;
        }
        w.scheduler.advance(Duration.ofSeconds(10));
        assertThat(read.join().expiresAt()).isAfter(w.trueClock.instant().minusSeconds(10));
      }

      assertThat(waited).as("reads that found no usable token").isZero();
      assertThat(w.backend.calls() - callsBefore).as("refreshed once, before expiry").isEqualTo(1);
    }
  }

  @Test
  void wallClockTwoHoursSlow_thenCorrected_servesNoExpiredToken() {
    try (World w = new World(Duration.ofHours(-2), 800)) {
      w.readEveryMinute(Duration.ofMinutes(70));
      // NTP steps the wall clock right; the monotonic clock did not see the two hours
      w.cacheClock.stepWallClock(Duration.ofHours(2));
      w.readEveryMinute(Duration.ofMinutes(70));

      assertThat(w.expiredServed).isZero();
      assertThat(w.errors).isZero();
    }
  }

  @Test
  void wallClockTwoHoursFast_correctedByNtp_thenSuspended_servesNoExpiredToken() {
    try (World w = new World(Duration.ofHours(2), 500)) {
      w.readEveryMinute(Duration.ofMinutes(20));
      // NTP steps the clock that ran 2 h fast back; the deadlines measured with the 2 h skew are
      // 2 h too late in the corrected clock's frame ...
      w.cacheClock.stepWallClock(Duration.ofHours(-2));
      w.scheduler.advance(Duration.ofSeconds(2));
      // ... and a suspend follows: the monotonic clock stands still for 90 minutes
      w.trueClock.advance(Duration.ofMinutes(90));
      w.cacheClock.stepWallClock(Duration.ofMinutes(90));
      int servedBefore = w.served;
      w.readEveryMinute(Duration.ofMinutes(10));

      assertThat(w.expiredServed).isZero();
      assertThat(w.served).as("tokens were served after the suspend").isGreaterThan(servedBefore);
    }
  }

  @Test
  void wallClockTwoHoursFast_noErrors_andBackendCallsAsWithoutTheSkew() {
    int withoutSkew;
    try (World w = new World(Duration.ZERO, 500)) {
      w.readEveryMinute(Duration.ofHours(3));
      assertThat(w.errors).isZero();
      withoutSkew = w.backend.calls();
    }
    try (World w = new World(Duration.ofHours(2), 500)) {
      w.readEveryMinute(Duration.ofHours(3));

      assertThat(w.expiredServed).isZero();
      assertThat(w.errors).isZero();
      assertThat(w.backend.calls()).isBetween(withoutSkew, withoutSkew + withoutSkew / 20);
    }
  }

  @Test
  void refreshesInFlightAcrossASuspend_lateAnswersNeverMakeTheLocalClockLookFast() {
    try (World w = new World(Duration.ZERO, 20)) {
      w.readEveryMinute(Duration.ofMinutes(20));
      w.backend.hold();
      w.scheduler.advance(Duration.ofMinutes(11)); // past every key's refresh point, unread
      w.readAll(); // every key starts its refresh; the calls hang
      w.scheduler.advance(Duration.ofSeconds(3)); // refreshes of valid tokens are paced
      assertThat(w.backend.pendingCalls()).isEqualTo(20);
      // the service issues the tokens now (60-minute tokens) ...
      Instant issued = w.trueClock.instant();
      // ... and the process is suspended for 12 hours before the answers arrive
      w.trueClock.advance(Duration.ofHours(12));
      w.cacheClock.stepWallClock(Duration.ofHours(12));
      for (int i = 0; i < 20; i++) {
        w.backend.completeNextWith(
            FakeBackend.token(issued, issued.plus(Duration.ofMinutes(60)), 1_000 + i));
      }
      w.scheduler.runDue();
      w.backend.answerAtOnce();
      int servedBefore = w.served;
      w.readEveryMinute(Duration.ofMinutes(5));

      assertThat(w.expiredServed).isZero();
      assertThat(w.served)
          .as("new tokens were served after the suspend")
          .isGreaterThan(servedBefore);
    }
  }
}
