package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void at_startsThereAndStandsStill() {
    MutableClock clock = MutableClock.at(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void advance_andSet_moveTheClock() {
    MutableClock clock = MutableClock.at(START);

    clock.advance(Duration.ofHours(25));
    assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofHours(25)));
    clock.set(START);
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void nanoTime_movesWithTheClock() {
    MutableClock clock = MutableClock.at(START);
    long before = clock.nanoTime();

    clock.advance(Duration.ofMillis(1500));

    assertThat(clock.nanoTime() - before).isEqualTo(1_500_000_000L);
  }

  @Test
  void withZone_sharesTheInstant() {
    MutableClock clock = MutableClock.at(START);
    MutableClock sydney = clock.withZone(ZoneId.of("Australia/Sydney"));

    clock.advance(Duration.ofMinutes(5));

    assertThat(sydney.instant()).isEqualTo(START.plusSeconds(300));
    assertThat(sydney.getZone()).isEqualTo(ZoneId.of("Australia/Sydney"));
  }

  @Test
  void nulls_areRejected() {
    assertThatThrownBy(() -> MutableClock.at(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MutableClock.systemStart().advance(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void advance_fromManyThreads_losesNoUpdate() throws Exception {
    MutableClock clock = MutableClock.at(START);
    Thread[] threads = new Thread[8];
    for (int i = 0; i < threads.length; i++) {
      threads[i] =
          new Thread(
              () -> {
                for (int j = 0; j < 1000; j++) {
                  clock.advance(Duration.ofSeconds(1));
                }
              });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }

    assertThat(clock.instant()).isEqualTo(START.plusSeconds(8000));
  }

  @Test
  void stepWallClock_movesTheWallClockOnly_asASuspendedProcessSeesIt() {
    MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    long mono = clock.nanoTime();
    clock.stepWallClock(Duration.ofHours(2));
    assertThat(clock.now()).isEqualTo(Instant.parse("2030-01-01T02:00:00Z"));
    assertThat(clock.nanoTime()).isEqualTo(mono);
    clock.stepWallClock(Duration.ofHours(-3));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2029-12-31T23:00:00Z"));
    assertThat(clock.nanoTime()).isEqualTo(mono);
  }

  @Test
  void advanceAndSetForward_moveBothClocks_setBackMovesTheWallClockOnly() {
    MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    long mono = clock.nanoTime();
    clock.advance(Duration.ofSeconds(5));
    assertThat(clock.nanoTime() - mono).isEqualTo(5_000_000_000L);
    clock.set(Instant.parse("2030-01-01T00:01:05Z"));
    assertThat(clock.nanoTime() - mono).isEqualTo(65_000_000_000L);
    clock.set(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(clock.nanoTime() - mono).isEqualTo(65_000_000_000L);
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stepWallClock");
  }
}
