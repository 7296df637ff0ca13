package dev.acstoken.cache.redis;

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
}
