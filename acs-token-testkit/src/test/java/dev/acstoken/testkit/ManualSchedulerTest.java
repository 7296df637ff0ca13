package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

  final MutableClock clock = MutableClock.at(Instant.parse("2026-11-24T08:00:00Z"));
  final ManualScheduler scheduler = ManualScheduler.on(clock);

  @Test
  void advance_runsEachTaskAtItsDueTime_inOrder() {
    List<String> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add("b@" + clock.instant()), 2, TimeUnit.HOURS);
    scheduler.schedule(() -> ran.add("a@" + clock.instant()), 1, TimeUnit.HOURS);
    scheduler.advance(Duration.ofMinutes(90));
    assertThat(ran).containsExactly("a@2026-11-24T09:00:00Z");
    scheduler.advance(Duration.ofMinutes(30));
    assertThat(ran).containsExactly("a@2026-11-24T09:00:00Z", "b@2026-11-24T10:00:00Z");
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
    assertThat(scheduler.tasksRun()).isEqualTo(2);
  }

  @Test
  void runDue_runsOnlyWhatIsDue_includingWhatThoseTasksScheduleForNow() {
    List<String> ran = new ArrayList<>();
    scheduler.execute(() -> scheduler.execute(() -> ran.add("second")));
    scheduler.schedule(() -> ran.add("later"), 1, TimeUnit.SECONDS);
    scheduler.runDue();
    assertThat(ran).containsExactly("second");
    assertThat(scheduler.pending()).isEqualTo(1);
  }

  @Test
  void cancelledTask_neverRuns() {
    List<String> ran = new ArrayList<>();
    ScheduledFuture<?> f = scheduler.schedule(() -> ran.add("x"), 1, TimeUnit.MINUTES);
    assertThat(f.cancel(false)).isTrue();
    scheduler.advance(Duration.ofMinutes(2));
    assertThat(ran).isEmpty();
    assertThat(f.isCancelled()).isTrue();
  }

  @Test
  void shutdown_rejectsNewTasks_andBadArgumentsAreRefused() {
    scheduler.shutdown();
    assertThatThrownBy(() -> scheduler.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> scheduler.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("forward");
    assertThatThrownBy(() -> ManualScheduler.on((MutableClock) null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void getDelay_reportsTheTimeRemaining_notTheDueTime() {
    ScheduledFuture<?> f = scheduler.schedule(() -> {}, 10, TimeUnit.MINUTES);
    assertThat(f.getDelay(TimeUnit.MINUTES)).isEqualTo(10);
    scheduler.advance(Duration.ofMinutes(4));
    assertThat(f.getDelay(TimeUnit.SECONDS)).isEqualTo(360);
    scheduler.advance(Duration.ofMinutes(6));
    assertThat(f.getDelay(TimeUnit.NANOSECONDS)).isLessThanOrEqualTo(0);
  }
}
