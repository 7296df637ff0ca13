package dev.acstoken.cache;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.error.RequestTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A synchronous miss on a scheduler nobody runs (a test's {@code ManualScheduler} advanced by the
 * thread that is now blocked) ends after the wait timeout plus a second of the thread's own time,
 * instead of hanging forever.
 */
class SyncMissTest {

  @Test
  @Timeout(30) // a hang fails the test instead of the build
  void getToken_onAMissUnderAManualSchedulerNobodyAdvances_timesOutInsteadOfHanging() {
    try (Harness h = new Harness(b -> b.waitTimeout(Duration.ofMillis(100)))) {
      h.backend.hold();
      assertThatThrownBy(() -> h.cache.getToken(Harness.request(1)))
          .isInstanceOf(RequestTimeoutException.class)
          .hasMessageContaining("wait timeout");
    }
  }
}
