package dev.acstoken.directory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.MutableClock;
import dev.acstoken.testkit.Operation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * App user ids may identify people: no log line carries one, at any level, through every path that
 * logs (crash recovery, a failed clean-up, reconcile).
 */
class NoAppUserIdsInLogsTest {

  private static final String USER = "person.one@example.com";
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.acstoken");

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
    logger.setLevel(Level.DEBUG);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void everyPathThatLogs_atInfoOrAbove_neverNamesTheAppUser() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T08:00:00Z"));
    FakeAcs acs = FakeAcs.builder().clock(clock).build();
    CrashingOperations ops = new CrashingOperations(acs);
    FailingDataSource ds = new FailingDataSource(Databases.H2.unpooled());
    try (JdbcIdentityDirectory directory =
        JdbcIdentityDirectory.builder()
            .dataSource(ds)
            .identityOperations(ops)
            .tableName(Databases.freshTable())
            .timeSource(clock)
            .waitTimeout(Duration.ofMillis(20))
            .build()) {
      // a claim left by a crash, swept by reconcile (WARN)
      ops.crashAfterCreate.set(true);
      assertThatThrownBy(() -> directory.identityFor(USER)).isInstanceOf(SimulatedCrash.class);
      clock.advance(Duration.ofMinutes(5));
      directory.reconcile();
      // the store fails to record and ACS fails to delete the unrecorded identity (WARN)
      ds.failNext("SET identity_id", 2);
      acs.failNext(
          Operation.DELETE_IDENTITY,
          1,
          new ServiceUnavailableException("down", 503, null, null, null));
      assertThatThrownBy(() -> directory.identityFor(USER)).hasMessageNotContaining(USER);
      // a stale claim taken over (DEBUG), and a forget that ACS fails during reconcile (WARN)
      ops.crashAfterCreate.set(true);
      assertThatThrownBy(() -> directory.identityFor(USER)).isInstanceOf(SimulatedCrash.class);
      clock.advance(Duration.ofMinutes(5));
      directory.identityFor(USER);
      acs.failNext(
          Operation.REVOKE_TOKENS,
          2,
          new ServiceUnavailableException("down", 503, null, null, null));
      assertThatThrownBy(() -> directory.forget(USER)).hasMessageNotContaining(USER);
      clock.advance(Duration.ofMinutes(5));
      assertThat(directory.reconcile().failures()).isEqualTo(1);
    }

    assertThat(lines.list).extracting(ILoggingEvent::getLevel).contains(Level.WARN, Level.DEBUG);
    // at any level, DEBUG included: logs are shipped and kept at whatever level is switched on
    assertThat(lines.list)
        .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(USER));
  }
}
