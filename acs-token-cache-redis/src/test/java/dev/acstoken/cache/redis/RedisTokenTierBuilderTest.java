package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.testkit.MutableClock;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisTokenTierBuilderTest {

  final MutableClock clock = Fleet.clock();

  @Test
  void build_withoutRequiredOptions_saysWhichIsMissing() {
    assertThatThrownBy(() -> RedisTokenTier.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("delegate(TokenProvider)");
    try (GatedAcs acs = new GatedAcs(clock)) {
      assertThatThrownBy(() -> RedisTokenTier.builder().delegate(acs).build())
          .hasMessageContaining("redisUri(RedisURI)");
      assertThatThrownBy(
              () ->
                  RedisTokenTier.builder()
                      .delegate(acs)
                      .redisUri(RedisURI.create("redis://127.0.0.1:1"))
                      .build())
          .hasMessageContaining("encryptionKeys(EncryptionKeys)");
    }
  }

  @Test
  void options_outOfRange_rejectedWhenSet() {
    RedisTokenTier.Builder b = RedisTokenTier.builder();

    assertThatThrownBy(() -> b.leaseTime(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaseTime must be from PT0.1S to PT5M");
    assertThatThrownBy(() -> b.redisTimeout(null)).hasMessageContaining("redisTimeout");
    assertThatThrownBy(() -> b.refreshFraction(1.0)).hasMessageContaining("below 1");
    assertThatThrownBy(() -> b.refreshFraction(Double.NaN)).hasMessageContaining("above 0");
    assertThatThrownBy(() -> b.keyPrefix("a b")).hasMessageContaining("[A-Za-z0-9._-]");
    assertThatThrownBy(() -> b.resource("")).hasMessageContaining("resource");
    assertThatThrownBy(() -> b.safetyMargin(Duration.ofMinutes(-1)))
        .hasMessageContaining("safetyMargin");
    assertThatThrownBy(() -> b.delegate(null)).hasMessageContaining("delegate");
    assertThatThrownBy(() -> b.onInvalidation(null)).hasMessageContaining("onInvalidation");
  }

  @Test
  void toString_ofTier_showsKeyIdsButNoKeyOrPassword() {
    try (GatedAcs acs = new GatedAcs(clock);
        RedisTokenTier tier =
            RedisTokenTier.builder()
                .delegate(acs)
                .redisUri(
                    RedisURI.builder()
                        .withHost("127.0.0.1")
                        .withPort(1)
                        .withPassword("hunter2-password".toCharArray())
                        .build())
                .encryptionKeys(EncryptionKeys.of("key-2026", Fleet.KEY))
                .build()) {
      assertThat(tier.toString())
          .contains("key-2026")
          .doesNotContain(Fleet.KEY)
          .doesNotContain("hunter2");
    }
  }
}
