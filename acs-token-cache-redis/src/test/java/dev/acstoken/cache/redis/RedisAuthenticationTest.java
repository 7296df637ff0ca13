package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Lettuce URI's password and ACL user reach Redis; a wrong one costs sharing, not a call. */
class RedisAuthenticationTest {

  static final String PASSWORD = "default-pass-8f3a";
  static final String USER_PASSWORD = "tier-pass-51c7";

  final MutableClock clock = Fleet.clock();
  final GatedAcs acs = new GatedAcs(clock);
  final TokenRequest request = TokenRequest.of(GatedAcs.identity(11), Scope.VOIP);

  @AfterEach
  void stop() {
    acs.close();
  }

  RedisTokenTier tier(RedisServer redis, RedisURI.Builder uri, RecordingListener listener) {
    return RedisTokenTier.builder()
        .delegate(acs)
        .redisUri(uri.withHost("127.0.0.1").withPort(redis.port()).build())
        .encryptionKeys(EncryptionKeys.of("k1", Fleet.KEY))
        .clock(clock)
        .redisTimeout(Duration.ofSeconds(2))
        .listener(listener)
        .build();
  }

  @Test
  void getToken_passwordAndAclUserFromUri_shareThroughProtectedRedis() {
    try (RedisServer redis =
            RedisServer.start(
                List.of(
                    "--requirepass",
                    PASSWORD,
                    "--user",
                    "tier",
                    "on",
                    ">" + USER_PASSWORD,
                    "~acs-token:*",
                    "&acs-token:*",
                    "+@all"));
        RedisTokenTier withPassword =
            tier(
                redis,
                RedisURI.builder().withPassword(PASSWORD.toCharArray()),
                new RecordingListener());
        RedisTokenTier withAclUser =
            tier(
                redis,
                RedisURI.builder().withAuthentication("tier", USER_PASSWORD),
                new RecordingListener())) {
      await().until(() -> withPassword.checkRedis().join() && withAclUser.checkRedis().join());

      AccessToken shared = withPassword.getToken(request);
      AccessToken read = withAclUser.getToken(request);

      assertThat(read).isEqualTo(shared);
      assertThat(acs.calls()).isEqualTo(1);
      assertThat(withAclUser.stats().redisHits()).isEqualTo(1);
    }
  }

  @Test
  void getToken_wrongPassword_servedByDelegateWithoutCallerError() {
    RecordingListener listener = new RecordingListener();
    try (RedisServer redis = RedisServer.start(List.of("--requirepass", PASSWORD));
        RedisTokenTier wrong =
            tier(redis, RedisURI.builder().withPassword("not-it".toCharArray()), listener)) {
      AccessToken token = wrong.getToken(request);

      assertThat(token.isExpiredAt(clock.instant())).isFalse();
      assertThat(wrong.stats().fallbacks()).isEqualTo(1);
      assertThat(wrong.isRedisAvailable()).isFalse();
      assertThat(listener.unavailable)
          .allSatisfy(t -> assertThat(String.valueOf(t)).doesNotContain("not-it", PASSWORD));
    }
  }
}
