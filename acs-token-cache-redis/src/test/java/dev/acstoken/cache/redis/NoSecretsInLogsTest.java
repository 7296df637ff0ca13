package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Everything the tier and Lettuce log, at every level, through a run that exercises every path. */
class NoSecretsInLogsTest {

  final MutableClock clock = Fleet.clock();
  final GatedAcs acs = new GatedAcs(clock);
  final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  final List<Logger> raised = new ArrayList<>();

  @BeforeEach
  void capture() {
    LoggerContext context = root.getLoggerContext();
    for (String name : List.of("dev.acstoken", "io.lettuce", "io.netty")) {
      Logger logger = context.getLogger(name);
      logger.setLevel(Level.TRACE);
      raised.add(logger);
    }
    appender.start();
    root.addAppender(appender);
  }

  @AfterEach
  void release() {
    root.detachAppender(appender);
    raised.forEach(l -> l.setLevel(null));
    acs.close();
  }

  @Test
  void logsAndListenerCauses_throughSharingOutageAndRevocation_holdNoTokenOrKey() {
    TokenRequest request = TokenRequest.of(GatedAcs.identity(9), Scope.CHAT);
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = new Fleet(2, redis.uri(), acs, clock, UnaryOperator.identity())) {
      fleet.awaitConnected();
      fleet.get(0).getToken(request);
      fleet.get(1).getToken(request);
      redis.stop();
      clock.advance(Duration.ofHours(12));
      fleet.get(0).getToken(request);
      fleet.get(1).identityOperations(acs).revokeTokens(request.identity());
      redis.startAgain();
      fleet.awaitConnected();
      fleet.get(1).getToken(request);
      fleet.get(0).invalidate(request.identity());

      List<ILoggingEvent> events;
      synchronized (appender) { // Lettuce's threads may still be logging
        events = new ArrayList<>(appender.list);
      }
      List<String> texts = new ArrayList<>();
      for (ILoggingEvent event : events) {
        texts.add(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
          texts.add(t.getClassName() + ": " + t.getMessage());
        }
      }
      for (RecordingListener l : fleet.listeners) {
        l.unavailable.forEach(t -> texts.add(String.valueOf(t)));
      }
      texts.add(fleet.get(0).toString());
      texts.add(fleet.get(0).stats().toString());

      assertThat(events).isNotEmpty();
      assertThat(acs.issuedValues()).hasSizeGreaterThanOrEqualTo(2);
      for (String text : texts) {
        assertThat(text).doesNotContain(Fleet.KEY);
        for (String token : acs.issuedValues()) {
          assertThat(text).doesNotContain(token).doesNotContain(token.split("\\.")[1]);
        }
      }
    }
  }
}
