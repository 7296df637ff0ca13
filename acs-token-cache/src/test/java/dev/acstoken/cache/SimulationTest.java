package dev.acstoken.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 10,000 keys read continuously through 48 simulated hours on fake time, tokens of 60 minutes to 24
 * hours, default options (per-key jitter on, 300 refreshes per 30 s per resource). Runs in a few
 * seconds of real time.
 */
class SimulationTest {

  static final int KEYS = 10_000;
  static final Duration STEP = Duration.ofMinutes(5);
  static final Duration HORIZON = Duration.ofHours(48);
  static final Duration MARGIN = Duration.ofMinutes(5);

  @Test
  void simulation_10000Keys48Hours_oneCallPerRefreshNoExpiredTokenRateWithinLimit() {
    Random random = new Random(20261124);
    TokenRequest[] keys = new TokenRequest[KEYS];
    int[] minutes = new int[KEYS];
    for (int i = 0; i < KEYS; i++) {
      minutes[i] = 60 + random.nextInt(1381);
      keys[i] =
          TokenRequest.of(Harness.identity(i), Scope.VOIP)
              .withLifetime(TokenLifetime.ofMinutes(minutes[i]));
    }
    int threadsAtStart = Thread.getAllStackTraces().size();
    List<Integer> threadSamples = new ArrayList<>();
    AtomicInteger expiredServed = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AccessToken[] last = new AccessToken[KEYS];
    int[] distinct = new int[KEYS];

    try (Harness h =
        new Harness(
            b ->
                b.refreshJitter(Duration.ofMinutes(5))
                    .maximumSize(2 * KEYS)
                    // the cold start of 10,000 keys at 300 per 30 s takes 17 minutes
                    .waitTimeout(Duration.ofMinutes(30)))) {
      long steps = HORIZON.dividedBy(STEP);
      for (long step = 0; step < steps; step++) {
        Instant limit = h.time.now().plus(MARGIN);
        for (int i = 0; i < KEYS; i++) {
          CompletableFuture<AccessToken> f = h.cache.getTokenAsync(keys[i]);
          if (f.isDone()) {
            if (f.isCompletedExceptionally()) {
              errors.incrementAndGet();
            } else {
              AccessToken t = f.join();
              if (!t.expiresAt().isAfter(limit)) {
                expiredServed.incrementAndGet();
              }
              if (t != last[i]) {
                last[i] = t;
                distinct[i]++;
              }
            }
          } else {
            // a waiter's token is checked when it arrives, and counted when next read
            f.whenComplete(
                (t, x) -> {
                  if (x != null) {
                    errors.incrementAndGet();
                  } else if (!t.expiresAt().isAfter(h.time.now().plus(MARGIN))) {
                    expiredServed.incrementAndGet();
                  }
                });
          }
        }
        h.scheduler.advance(STEP);
        if (step % 12 == 0) {
          threadSamples.add(Thread.getAllStackTraces().size());
        }
      }

      // a last read of every key: a refresh started by the last step is counted too
      for (int i = 0; i < KEYS; i++) {
        AccessToken t = h.cache.getTokenAsync(keys[i]).join();
        if (t != last[i]) {
          distinct[i]++;
        }
      }
      int calls = h.backend.calls();
      int served = 0;
      for (int i = 0; i < KEYS; i++) {
        served += distinct[i];
        long hours48 = HORIZON.toMinutes();
        int usable = minutes[i] - 5;
        int shortestRefresh = minutes[i] / 2 - 5 - 5; // half-life, jitter, read step
        assertThat(h.backend.calls(keys[i]))
            .as("calls for a key of %d minutes", minutes[i])
            .isBetween((int) (hours48 / usable), (int) (hours48 / shortestRefresh) + 2);
      }
      assertThat(expiredServed.get()).as("tokens served inside the safety margin").isZero();
      assertThat(errors.get()).isZero();
      assertThat(calls)
          .as("every backend call produced a token that was served: keys x refreshes")
          .isEqualTo(served);
      List<Long> callNanos = h.backend.callNanos();
      assertThat(RateLimitTest.maxInWindow(callNanos, RateLimitTest.WINDOW))
          .as("cold keys: the cold limit")
          .isLessThanOrEqualTo(900);
      // the first KEYS calls fill the cache; every later one refreshes a still-valid token
      assertThat(
              RateLimitTest.maxInWindow(
                  callNanos.subList(KEYS, callNanos.size()), RateLimitTest.WINDOW))
          .as("refreshes of valid tokens: the refresh limit")
          .isLessThanOrEqualTo(300);
      assertThat(threadSamples).containsOnly(threadsAtStart);
      assertThat(h.listener.failures).isEmpty();
    }
  }
}
