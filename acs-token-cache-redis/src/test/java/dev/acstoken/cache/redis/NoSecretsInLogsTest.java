package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.acstoken.cache.SharedTier.Claim;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.IssuedToken;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Everything the tier and Lettuce log, at every level, through a run that exercises every path. */
class NoSecretsInLogsTest {

  static final Duration LEASE = Duration.ofSeconds(20);

  final MutableClock clock = Fleet.clock();
  final List<AccessToken> issued = new ArrayList<>();
  final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  final List<Raised> raised = new ArrayList<>();

  /** A logger this test turned up, with the level and additivity logback-test.xml gave it. */
  private record Raised(Logger logger, @Nullable Level level, boolean additive) {}

  @BeforeEach
  void capture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(context);
    appender.start();
    for (String name : List.of("dev.acstoken", "io.lettuce", "io.netty")) {
      Logger logger = context.getLogger(name);
      raised.add(new Raised(logger, logger.getLevel(), logger.isAdditive()));
      // TRACE, so that every line the tier and Lettuce can write is checked; captured here and
      // kept from the root's console appender, which would print thousands of them
      logger.setLevel(Level.TRACE);
      logger.setAdditive(false);
      logger.addAppender(appender);
    }
  }

  @AfterEach
  void release() {
    for (Raised r : raised) {
      r.logger().detachAppender(appender);
      r.logger().setLevel(r.level());
      r.logger().setAdditive(r.additive());
    }
    appender.stop();
  }

  @Test
  void logsAndListenerCauses_throughSharingOutageAndRevocation_holdNoTokenOrKey() {
    TokenRequest request = TokenRequest.of(Fleet.identity(9), Scope.CHAT);
    Instant now = clock.instant();
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = new Fleet(2, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();
      store(fleet.get(0), request, now);
      fleet.get(1).claim(request, now, LEASE).join();
      redis.stop();
      fleet.get(0).claim(request, now, LEASE).handle((c, e) -> e).join();
      fleet.get(1).invalidate(request.identity()).handle((v, e) -> e).join();
      redis.startAgain();
      fleet.awaitConnected();
      store(fleet.get(1), request, now);
      fleet.get(0).invalidateIfCurrent(request, issued.get(1)).join();
      fleet.get(0).invalidate(request.identity()).join();

      List<String> texts = loggedTexts();
      for (RecordingListener l : fleet.listeners) {
        l.unavailable.forEach(t -> texts.add(String.valueOf(t)));
        l.notSharedCauses.forEach(t -> texts.add(String.valueOf(t)));
      }
      texts.add(fleet.get(0).toString());
      texts.add(fleet.get(0).stats().toString());

      assertThat(fleet.listeners.get(1).notShared).isNotEmpty();
      for (String text : texts) {
        assertThat(text).doesNotContain(Fleet.KEY);
        for (AccessToken token : issued) {
          assertThat(text)
              .doesNotContain(token.value())
              .doesNotContain(token.value().split("\\.")[1]);
        }
      }
    }
  }

  @Test
  void logsOfTheCacheAndTier_throughOutageAndRevocation_holdNoToken() {
    FakeAcs acs = FakeAcs.builder().clock(clock).build();
    IdentityId identity = acs.createIdentity();
    TokenRequest request = TokenRequest.of(identity, Scope.VOIP);
    try (RedisServer redis = RedisServer.start();
        CacheFleet fleet = new CacheFleet(2, redis.uri(), acs, clock)) {
      fleet.awaitConnected();
      fleet.read(0, request);
      fleet.read(1, request);
      redis.stop();
      clock.advance(Duration.ofHours(13));
      fleet.read(0, request);
      fleet.read(1, request);
      CompletableFuture<Void> revoked =
          fleet.get(1).invalidatingOperations(acs).revokeTokensAsync(identity);
      fleet.drive(List.of(revoked));
      redis.startAgain();
      fleet.awaitConnected();
      fleet.read(0, request);

      List<String> texts = loggedTexts();
      texts.add(fleet.get(0).toString());
      texts.add(fleet.get(0).stats().toString());
      texts.add(fleet.tiers.get(0).stats().toString());

      assertThat(texts).anyMatch(t -> t.contains("Redis tier unavailable"));
      assertThat(texts).anyMatch(t -> t.contains("shared tier failed"));
      List<IssuedToken> issuedByAcs = acs.tokens(identity);
      assertThat(issuedByAcs).hasSizeGreaterThanOrEqualTo(2);
      for (String text : texts) {
        assertThat(text).doesNotContain(Fleet.KEY);
        for (IssuedToken token : issuedByAcs) {
          assertThat(text)
              .doesNotContain(token.value())
              .doesNotContain(token.value().split("\\.")[1]);
        }
      }
    }
  }

  /**
   * Returns every captured message and the class and message of every cause of each (asserting that
   * lines at TRACE were among them). The core module's NoSecretsInLogsTest renders its lines the
   * same way; the two stay apart because no test-scoped module is shared by both without publishing
   * a logback dependency (the testkit has none, and core publishes no test jar).
   */
  private List<String> loggedTexts() {
    List<ILoggingEvent> events;
    synchronized (appender) { // Lettuce's threads may still be logging
      events = new ArrayList<>(appender.list);
    }
    assertThat(events)
        .as("lines at TRACE were captured, so the loggers under test ran at TRACE")
        .anyMatch(e -> e.getLevel() == Level.TRACE);
    List<String> texts = new ArrayList<>();
    for (ILoggingEvent event : events) {
      texts.add(event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        texts.add(t.getClassName() + ": " + t.getMessage());
      }
    }
    return texts;
  }

  private void store(RedisSharedTier tier, TokenRequest request, Instant now) {
    AccessToken token = Fleet.token(clock, Duration.ofHours(1).plusMinutes(issued.size()));
    issued.add(token);
    Claim lease = tier.claim(request, now, LEASE).join();
    assertThat(tier.store(request, lease, token).join()).isTrue();
  }
}
