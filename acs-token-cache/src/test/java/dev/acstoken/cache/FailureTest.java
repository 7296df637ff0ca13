package dev.acstoken.cache;

import static dev.acstoken.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.core.error.ThrottledException;
import dev.acstoken.core.error.UnauthorizedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailureTest {

  static ServiceUnavailableException outage() {
    return new ServiceUnavailableException("Service Unavailable", 503, null, "cv-1", null);
  }

  @Test
  void getTokenAsync_manyWaitersAndOneFailure_shareTheSameErrorFromOneCall() {
    try (Harness h = new Harness()) {
      h.backend.hold();
      List<CompletableFuture<AccessToken>> waiters = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        waiters.add(h.cache.getTokenAsync(request(1)));
      }
      h.scheduler.runDue();
      ServiceUnavailableException error = outage();
      h.backend.failNextPending(error);
      for (CompletableFuture<AccessToken> w : waiters) {
        assertThatThrownBy(w::join).isInstanceOf(CompletionException.class).cause().isSameAs(error);
      }
      assertThat(h.backend.calls()).isEqualTo(1);
    }
  }

  @Test
  void getToken_whenExpiredAndFailing_failsAtOnceUntilNextAttemptIsDue() {
    try (Harness h = new Harness()) {
      ServiceUnavailableException error = outage();
      h.backend.failNext(error);
      CompletableFuture<AccessToken> first = h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      assertThat(first).isCompletedExceptionally();
      for (int i = 0; i < 100; i++) {
        // the sync call returns at once: no one runs the scheduler here
        assertThatThrownBy(() -> h.cache.getToken(request(1))).isSameAs(error);
      }
      assertThat(h.backend.calls()).isEqualTo(1);
      h.time.advance(Duration.ofSeconds(1)); // the initial backoff
      CompletableFuture<AccessToken> retry = h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      assertThat(retry).isCompleted();
      assertThat(h.backend.calls()).isEqualTo(2);
    }
  }

  @Test
  void refresh_whenFailingWhileValid_keepsServingAndBacksOffExponentially() {
    try (Harness h = new Harness(b -> b.backoffMax(Duration.ofSeconds(30)))) {
      AccessToken old = CachingTokenProviderTest.fill(h, request(1));
      for (int i = 0; i < 7; i++) {
        h.backend.failNext(outage());
      }
      h.time.advance(Duration.ofMinutes(30));
      long start = h.time.nanoTime();
      // read every 100 ms for 3 minutes: retries only when due, the old token all along
      for (int step = 0; step < 1800; step++) {
        AccessToken served = h.cache.getToken(request(1));
        if (h.backend.calls() < 9) {
          assertThat(served).isSameAs(old);
        }
        h.scheduler.runDue();
        h.time.advance(Duration.ofMillis(100));
      }
      List<Long> calls = h.backend.callNanos();
      List<Long> offsetsMillis = new ArrayList<>();
      for (long c : calls.subList(1, calls.size())) {
        offsetsMillis.add((c - start) / 1_000_000);
      }
      // 1, 2, 4, 8, 16, then the 30 s maximum; the 8th call succeeds
      assertThat(offsetsMillis)
          .containsExactly(0L, 1000L, 3000L, 7000L, 15000L, 31000L, 61000L, 91000L);
      assertThat(h.cache.getToken(request(1))).isNotEqualTo(old);
      assertThat(h.listener.failures).hasSize(7);
    }
  }

  @Test
  void refresh_whenFailingLongWhileValid_triesSeveralTimesBeforeTheTokenDies() {
    try (Harness h = new Harness(b -> b.backoffMax(Duration.ofHours(1)))) {
      CachingTokenProviderTest.fill(h, request(1));
      for (int i = 0; i < 1000; i++) {
        h.backend.failNext(outage());
      }
      h.time.advance(Duration.ofMinutes(30));
      // stale from 30 to 55 min: read every second until the token is no longer served
      while (h.cache.getTokenAsync(request(1)).isDone()) {
        h.scheduler.runDue();
        h.time.advance(Duration.ofSeconds(1));
      }
      List<Long> calls = h.backend.callNanos();
      long lastGapSeconds =
          (calls.get(calls.size() - 1) - calls.get(calls.size() - 2)) / 1_000_000_000L;
      assertThat(calls.size() - 1).as("attempts in the stale window").isGreaterThanOrEqualTo(10);
      assertThat(lastGapSeconds).as("no wait longer than a quarter of the rest").isLessThan(5 * 60);
    }
  }

  @Test
  void refresh_whenThrottled_waitsForRetryAfter() {
    try (Harness h = new Harness()) {
      h.backend.failNext(
          new ThrottledException("Too Many Requests", null, Duration.ofSeconds(40), null, null));
      h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      h.time.advance(Duration.ofSeconds(39));
      assertThatThrownBy(() -> h.cache.getToken(request(1))).isInstanceOf(ThrottledException.class);
      h.time.advance(Duration.ofSeconds(1));
      CompletableFuture<AccessToken> f = h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      assertThat(f).isCompleted();
      assertThat(h.backend.calls()).isEqualTo(2);
    }
  }

  @Test
  void refresh_whenIdentityDeleted_dropsTheTokenAtOnce() {
    try (Harness h = new Harness()) {
      CachingTokenProviderTest.fill(h, request(1));
      h.backend.failNext(
          new NotFoundException("Identity not found", "IdentityNotFound", null, null));
      h.time.advance(Duration.ofMinutes(30));
      h.cache.getToken(request(1)); // stale: served, and the refresh starts
      h.scheduler.runDue();
      assertThat(h.listener.terminal).containsExactly(true);
      CompletableFuture<AccessToken> next = h.cache.getTokenAsync(request(1));
      assertThat(next).as("no token is served after the terminal error").isCompletedExceptionally();
      assertThatThrownBy(next::join).cause().isInstanceOf(NotFoundException.class);
      assertThat(h.backend.calls()).as("the error is remembered, not asked again").isEqualTo(2);
    }
  }

  @Test
  void getToken_whenUnauthorized_remembersTheErrorForItsTtl_thenAsksAgain() {
    try (Harness h = new Harness()) {
      UnauthorizedException denied =
          new UnauthorizedException(
              "Provided identity doesn't belong to the resource.",
              401,
              "IdentityNotOwned",
              null,
              null);
      h.backend.failNext(denied);
      CompletableFuture<AccessToken> f = h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      assertThatThrownBy(f::join).cause().isSameAs(denied);
      TokenRequest key = request(1);
      // 100 reads 100 ms apart (10 s): one backend call per terminal-error TTL (5 s), not 100
      for (int i = 0; i < 100; i++) {
        CompletableFuture<AccessToken> again = h.cache.getTokenAsync(key);
        h.scheduler.runDue();
        assertThat(again).isDone();
        h.scheduler.advance(Duration.ofMillis(100));
      }
      assertThat(h.backend.calls()).isBetween(2, 3);
      h.cache.invalidate(key);
      CompletableFuture<AccessToken> afterInvalidation = h.cache.getTokenAsync(key);
      h.scheduler.runDue();
      assertThat(afterInvalidation).as("an invalidation forgets the error").isCompleted();
    }
  }
}
