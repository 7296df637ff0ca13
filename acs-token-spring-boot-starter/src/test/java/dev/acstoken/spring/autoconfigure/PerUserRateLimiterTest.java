package dev.acstoken.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PerUserRateLimiterTest {

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-12-01T10:00:00Z"));

  @Test
  void acquire_withinTheLimit_letsEveryRequestThrough() {
    PerUserRateLimiter limiter = new PerUserRateLimiter(3, 100, clock);

    assertThat(limiter.acquire("alice")).isZero();
    assertThat(limiter.acquire("alice")).isZero();
    assertThat(limiter.acquire("alice")).isZero();
  }

  @Test
  void acquire_pastTheLimit_saysHowLongUntilTheNextPermit() {
    PerUserRateLimiter limiter = new PerUserRateLimiter(3, 100, clock);
    for (int i = 0; i < 3; i++) {
      limiter.acquire("alice");
    }
    clock.advance(Duration.ofSeconds(5));

    assertThat(limiter.acquire("alice")).isEqualTo(Duration.ofSeconds(15));
    assertThat(limiter.acquire("bob")).isZero();
    clock.advance(Duration.ofSeconds(15));
    assertThat(limiter.acquire("alice")).isZero();
    assertThat(limiter.acquire("alice")).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void acquire_afterAnIdleMinute_refillsToTheLimitButNotBeyond() {
    PerUserRateLimiter limiter = new PerUserRateLimiter(2, 100, clock);
    limiter.acquire("alice");
    limiter.acquire("alice");

    clock.advance(Duration.ofMinutes(10));

    assertThat(limiter.acquire("alice")).isZero();
    assertThat(limiter.acquire("alice")).isZero();
    assertThat(limiter.acquire("alice")).isPositive();
  }

  @Test
  void acquire_withManyUsers_dropsThoseIdleForAMinute() {
    PerUserRateLimiter limiter = new PerUserRateLimiter(2, 10, clock);
    for (int i = 0; i < 10; i++) {
      limiter.acquire("user" + i);
    }
    clock.advance(Duration.ofMinutes(1));

    limiter.acquire("late");

    assertThat(limiter.trackedUsers()).isEqualTo(1);
  }

  @Test
  void create_withZeroPermits_isRefusedWithTheValue() {
    assertThatThrownBy(() -> new PerUserRateLimiter(0, 10, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }
}
