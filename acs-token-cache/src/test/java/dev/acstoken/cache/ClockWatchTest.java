package dev.acstoken.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClockWatchTest {

  private final MutableClock clock = MutableClock.at(Instant.parse("2031-03-01T06:00:00Z"));
  private final ClockWatch watch = new ClockWatch(clock);

  @Test
  void look_bothClocksMoveTogether_seesNoStep() {
    clock.advance(Duration.ofHours(5));

    assertThat(watch.look()).isZero();
  }

  @Test
  void look_wallClockSteppedBack_returnsTheStepOnce() {
    clock.stepWallClock(Duration.ofHours(-2));

    assertThat(watch.look()).isEqualTo(Duration.ofHours(2).toMillis());
    assertThat(watch.look()).as("reported once").isZero();
  }

  @Test
  void look_suspendOrStepForward_isNoStepBack_andLaterStepsCountFromThere() {
    clock.stepWallClock(Duration.ofMinutes(90)); // a suspend: the wall clock moved on alone

    assertThat(watch.look()).isZero();
    clock.stepWallClock(Duration.ofMinutes(-30));
    assertThat(watch.look()).isEqualTo(Duration.ofMinutes(30).toMillis());
  }

  @Test
  void look_slewBelowTheTolerance_addsUpUntilItCounts() {
    clock.stepWallClock(Duration.ofMillis(-600));
    assertThat(watch.look()).isZero();

    clock.stepWallClock(Duration.ofMillis(-600));
    assertThat(watch.look()).isEqualTo(1_200);
  }
}
