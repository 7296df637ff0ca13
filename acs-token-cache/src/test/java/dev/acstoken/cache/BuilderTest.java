package dev.acstoken.cache;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuilderTest {

  private final CachingTokenProvider.Builder builder =
      CachingTokenProvider.builder(new FakeBackend(new FakeTime()));

  @Test
  void builder_nullDelegate_isRejected() {
    assertThatThrownBy(() -> CachingTokenProvider.builder(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delegate token provider must not be null");
  }

  @Test
  void refreshFraction_outsideOpenUnitInterval_isRejectedWithTheValue() {
    assertThatThrownBy(() -> builder.refreshFraction(1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refresh fraction must be strictly between 0 and 1, was 1.0");
    assertThatThrownBy(() -> builder.refreshFraction(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durations_negativeOrZero_areRejectedWithTheirName() {
    assertThatThrownBy(() -> builder.waitTimeout(Duration.ZERO))
        .hasMessage("wait timeout must be positive, was PT0S");
    assertThatThrownBy(() -> builder.callTimeout(null)).hasMessage("call timeout must not be null");
    assertThatThrownBy(() -> builder.safetyMargin(Duration.ofSeconds(-1)))
        .hasMessage("safety margin must not be negative, was PT-1S");
    assertThatThrownBy(() -> builder.refreshRateLimit(0, Duration.ofSeconds(30)))
        .hasMessage("refresh rate limit must allow a positive number of calls, was 0");
    assertThatThrownBy(() -> builder.maximumSize(0))
        .hasMessage("maximum size must be positive, was 0");
    assertThatThrownBy(() -> builder.backoffMultiplier(0.5))
        .hasMessage("backoff multiplier must be a finite number of at least 1, was 0.5");
    assertThatThrownBy(() -> builder.backoffJitter(1))
        .hasMessage("backoff jitter must be at least 0 and less than 1, was 1.0");
  }

  @Test
  void build_safetyMarginNotBelowMinimumLead_isRejected() {
    assertThatThrownBy(
            () ->
                builder
                    .safetyMargin(Duration.ofMinutes(10))
                    .minRefreshLead(Duration.ofMinutes(10))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("safety margin (PT10M) must be less than the minimum refresh lead");
  }

  @Test
  void build_maxBackoffBelowInitial_isRejected() {
    assertThatThrownBy(
            () ->
                builder
                    .backoffInitial(Duration.ofMinutes(1))
                    .backoffMax(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximum backoff (PT1S) must be at least the initial backoff (PT1M)");
  }
}
