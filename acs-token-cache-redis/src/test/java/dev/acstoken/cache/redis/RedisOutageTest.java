package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis stopped, restarted, paused or never there: callers never see it. */
class RedisOutageTest {

  static final int INSTANCES = 4;
  static final int THREADS = 16;
  static final int KEYS = 5;

  final MutableClock clock = Fleet.clock();
  final GatedAcs acs = new GatedAcs(clock);
  final ExecutorService threads = Executors.newFixedThreadPool(INSTANCES * THREADS);
  final List<TokenRequest> requests = new ArrayList<>();

  @BeforeEach
  void keys() {
    for (int i = 0; i < KEYS; i++) {
      requests.add(TokenRequest.of(GatedAcs.identity(i), Scope.CHAT));
    }
  }

  @AfterEach
  void stop() {
    acs.close();
    threads.shutdownNow();
  }

  @Test
  void getToken_redisStoppedMidRunThenRestarted_noCallerErrorsAndSharingResumes() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = new Fleet(INSTANCES, redis.uri(), acs, clock, UnaryOperator.identity())) {
      fleet.awaitConnected();
      Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

      // shared: one call per key
      round(fleet, errors);
      assertThat(acs.calls()).isEqualTo(KEYS);

      // Redis stopped while every thread keeps asking, across a refresh point
      CountDownLatch stopped = new CountDownLatch(1);
      List<Future<?>> during = startLoad(fleet, errors, stopped);
      redis.stop();
      clock.advance(Duration.ofHours(10));
      stopped.countDown();
      for (Future<?> f : during) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(errors).isEmpty();
      assertThat(fleet.listeners).allSatisfy(l -> assertThat(l.unavailable).isNotEmpty());
      long fallbacks = fleet.tiers.stream().mapToLong(t -> t.stats().fallbacks()).sum();
      assertThat(fallbacks).isPositive();

      // started again, empty: every instance reconnects by itself, and sharing resumes
      redis.startAgain();
      fleet.awaitConnected();
      assertThat(fleet.tiers).allSatisfy(t -> assertThat(t.isRedisAvailable()).isTrue());
      clock.advance(Duration.ofHours(10));
      int before = acs.calls();
      round(fleet, errors);
      assertThat(errors).isEmpty();
      assertThat(acs.calls() - before).isEqualTo(KEYS);
      assertThat(fleet.listeners).allSatisfy(l -> assertThat(l.available.get()).isPositive());
    }
  }

  @Test
  void getToken_redisNeverReachable_servedByDelegate() {
    int port;
    try (RedisServer unused = RedisServer.start()) {
      port = unused.port();
    } // stopped: nothing listens on the port
    try (RedisTokenTier tier =
        Fleet.builder("redis://127.0.0.1:" + port, acs, clock)
            .listener(new RecordingListener())
            .build()) {
      AccessToken token = tier.getToken(requests.get(0));

      assertThat(token.isExpiredAt(clock.instant())).isFalse();
      assertThat(tier.stats().fallbacks()).isEqualTo(1);
      assertThat(tier.isRedisAvailable()).isFalse();
      assertThat(tier.checkRedis().join()).isFalse();
    }
  }

  @Test
  void getToken_redisPausedLongerThanTimeout_fallsBackToDelegate() {
    try (RedisServer redis = RedisServer.start();
        RedisTokenTier tier =
            Fleet.builder(redis.uri(), acs, clock).redisTimeout(Duration.ofMillis(100)).build()) {
      await().until(() -> tier.checkRedis().join());
      // every client's commands wait for 3 s, as on a Redis that hangs
      assertThat(redis.command("CLIENT PAUSE 3000 ALL")).isEqualTo("+OK");

      AccessToken token = tier.getToken(requests.get(0));

      assertThat(token).isNotNull();
      assertThat(tier.stats().fallbacks()).isEqualTo(1);
      assertThat(tier.stats().redisFailures()).isPositive();
    }
  }

  @Test
  void builder_redisUri_passesTlsAndAclOptionsThroughToLettuce() {
    // the URI is Lettuce's own: user, password, TLS and database are its business; no Redis needed
    RedisURI uri =
        RedisURI.builder()
            .withHost("127.0.0.1")
            .withPort(1)
            .withSsl(true)
            .withAuthentication("tier", "s3cret-password".toCharArray())
            .withDatabase(2)
            .build();
    try (RedisTokenTier tier =
        RedisTokenTier.builder()
            .delegate(acs)
            .redisUri(uri)
            .encryptionKeys(EncryptionKeys.of("k1", Fleet.KEY))
            .clock(clock)
            .build()) {
      assertThat(tier.getToken(requests.get(0))).isNotNull();
      assertThat(tier.toString()).doesNotContain("s3cret").doesNotContain(Fleet.KEY);
    }
  }

  private void round(Fleet fleet, Queue<Throwable> errors) throws Exception {
    CountDownLatch go = new CountDownLatch(0);
    for (Future<?> f : startLoad(fleet, errors, go)) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  /** Every thread asks for every key, then waits for {@code andAgainAfter}, then asks again. */
  private List<Future<?>> startLoad(
      Fleet fleet, Queue<Throwable> errors, CountDownLatch andAgainAfter) {
    List<Future<?>> futures = new ArrayList<>();
    for (RedisTokenTier tier : fleet.tiers) {
      for (int t = 0; t < THREADS; t++) {
        int offset = t;
        futures.add(
            threads.submit(
                () -> {
                  for (int pass = 0; pass < 2; pass++) {
                    for (int k = 0; k < KEYS; k++) {
                      try {
                        AccessToken token = tier.getToken(requests.get((k + offset) % KEYS));
                        if (token.isExpiredAt(clock.instant())) {
                          errors.add(new AssertionError("expired token served"));
                        }
                      } catch (RuntimeException e) {
                        errors.add(e);
                      }
                    }
                    andAgainAfter.await();
                  }
                  return null;
                }));
      }
    }
    return futures;
  }
}
