package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeSourceTest {

  @Test
  void of_clock_derivesBothClocksFromIt() {
    Instant at = Instant.parse("2026-11-24T10:00:00.123456789Z");
    TimeSource t = TimeSource.of(Clock.fixed(at, ZoneOffset.UTC));
    assertThat(t.now()).isEqualTo(at);
    assertThat(t.nanoTime()).isEqualTo(at.getEpochSecond() * 1_000_000_000L + 123_456_789L);
  }

  @Test
  void of_nullClock_isRejected() {
    assertThatThrownBy(() -> TimeSource.of(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clock must not be null");
  }

  @Test
  void system_isMonotonic() {
    TimeSource t = TimeSource.system();
    long a = t.nanoTime();
    assertThat(t.nanoTime()).isGreaterThanOrEqualTo(a);
    assertThat(t.now()).isNotNull();
  }
}
