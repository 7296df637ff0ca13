package dev.acstoken.cache;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuilderTest {

  private final CachingTokenProviderBuilder builder =
      CachingTokenProvider.builder(new FakeBackend(MutableClock.at(Harness.START)));

  @Test
  void builder_nullDelegate_isRejected() {
    assertThatThrownBy(() -> CachingTokenProvider.builder(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delegate must not be null");
  }

  @Test
  void refreshFraction_outsideOpenUnitInterval_isRejectedWithTheValue() {
    assertThatThrownBy(() -> builder.refreshFraction(1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refreshFraction must be strictly between 0 and 1; got 1.0");
    assertThatThrownBy(() -> builder.refreshFraction(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durations_negativeOrZero_areRejectedWithTheirName() {
    assertThatThrownBy(() -> builder.waitTimeout(Duration.ZERO))
        .hasMessage("waitTimeout must be positive; got PT0S");
    assertThatThrownBy(() -> builder.callTimeout(null)).hasMessage("callTimeout must not be null");
    assertThatThrownBy(() -> builder.safetyMargin(Duration.ofSeconds(-1)))
        .hasMessage("safetyMargin must be zero or positive; got PT-1S");
    assertThatThrownBy(() -> builder.refreshRateLimit(0, Duration.ofSeconds(30)))
        .hasMessage("refreshRateLimit permits must be positive; got 0");
    assertThatThrownBy(() -> builder.maximumSize(0))
        .hasMessage("maximumSize must be positive; got 0");
    assertThatThrownBy(() -> builder.backoffMultiplier(0.5))
        .hasMessage("backoffMultiplier must be a finite number of at least 1; got 0.5");
    assertThatThrownBy(() -> builder.backoffJitter(1))
        .hasMessage("backoffJitter must be at least 0 and less than 1; got 1.0");
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
        .hasMessage(
            "safetyMargin must be less than minRefreshLead (PT10M), or tokens would never be"
                + " refreshed while still served; got PT10M");
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
        .hasMessage("backoffMax must be at least backoffInitial (PT1M); got PT1S");
  }

  @Test
  void build_withSharedTier_checksTheTimeoutsTogether() {
    SharedTier tier = new InMemorySharedTier();
    assertThatThrownBy(
            () ->
                builder
                    .sharedTier(tier)
                    .callTimeout(Duration.ofSeconds(10))
                    .sharedTierTimeout(Duration.ofSeconds(1))
                    .leaseTime(Duration.ofSeconds(11))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "leaseTime must be longer than callTimeout + sharedTierTimeout (PT11S), so that a"
                + " holder keeps its lease for its whole backend call; got PT11S");
    assertThatThrownBy(
            () ->
                builder
                    .sharedTier(tier)
                    .leaseTime(Duration.ofSeconds(20))
                    .sharedTierPollInterval(Duration.ofSeconds(20))
                    .build())
        .hasMessage("sharedTierPollInterval must be shorter than leaseTime (PT20S); got PT20S");
    assertThatThrownBy(() -> builder.sharedTier(null)).hasMessage("sharedTier must not be null");
    assertThatThrownBy(() -> builder.terminalErrorTtl(Duration.ZERO))
        .hasMessage("terminalErrorTtl must be positive; got PT0S");
  }
}
