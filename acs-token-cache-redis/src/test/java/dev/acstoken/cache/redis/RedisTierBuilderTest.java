package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisTierBuilderTest {

  @Test
  void build_withoutUriOrKeys_namesTheMissingOption() {
    assertThatThrownBy(() -> RedisSharedTier.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redisUri is required");
    assertThatThrownBy(() -> RedisSharedTier.builder().redisUri("redis://127.0.0.1:1").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("encryptionKeys is required");
  }

  @Test
  void options_outOfRange_sayWhatIsAllowedAndTheValue() {
    RedisSharedTierBuilder b = RedisSharedTier.builder();

    assertThatThrownBy(() -> b.commandTimeout(Duration.ofMillis(1)))
        .hasMessage("commandTimeout must be from PT0.01S to PT1M; got PT0.001S");
    assertThatThrownBy(() -> b.keyPrefix("a b"))
        .hasMessage("keyPrefix must be 1 to 64 characters of [A-Za-z0-9._-]; got 'a b'");
    assertThatThrownBy(() -> b.resource(""))
        .hasMessageStartingWith("resource must be 1 to 128 characters");
    assertThatThrownBy(() -> b.executor(null)).hasMessage("executor must not be null");
    assertThatThrownBy(() -> b.listener(null)).hasMessage("listener must not be null");
  }

  @Test
  void redisUri_unparsable_neverRepeatsTheUri() {
    assertThatThrownBy(() -> RedisSharedTier.builder().redisUri("redis://:pa55word@[bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("redisUri must be a Redis URI")
        .hasMessageNotContaining("pa55word");
  }

  @Test
  void redisCluster_noSeedsOrSentinelOrUnparsable_saysWhatIsAllowed() {
    RedisSharedTierBuilder b = RedisSharedTier.builder();

    assertThatThrownBy(() -> b.redisCluster())
        .hasMessage("redisCluster must name at least one node such as redis://host:6379; got none");
    assertThatThrownBy(() -> b.redisCluster("redis-sentinel://127.0.0.1:26379#tokens"))
        .hasMessageStartingWith("redisCluster must be cluster nodes")
        .hasMessageEndingWith("got a Sentinel URI for master tokens");
    assertThatThrownBy(() -> b.redisCluster("redis://127.0.0.1:7000", "redis://:pa55word@[bad"))
        .hasMessageStartingWith("redisCluster must be Redis URIs")
        .hasMessageNotContaining("pa55word");
  }

  @Test
  void build_withClusterSeedsAndKeys_buildsWithoutReachingRedis() {
    // nothing listens on port 1: the tier is built all the same and connects in the background
    RedisSharedTier tier =
        RedisSharedTier.builder()
            .redisCluster("redis://127.0.0.1:1")
            .encryptionKeys(EncryptionKeys.of("k1", Fleet.KEY))
            .build();
    try {
      assertThat(tier.stats().redisAvailable()).isFalse();
      assertThat(tier.checkRedis().join()).isFalse();
    } finally {
      tier.close();
    }
  }
}
