package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RedisLayoutTest {

  final MutableClock clock = Fleet.clock();

  @Test
  void store_record_expiresWithTheTokenAndIsIndexedAndLeaseIsReleased(RedisServer redis) {
    TokenRequest request =
        TokenRequest.of(Fleet.identity(5), Scope.CHAT, Scope.VOIP)
            .withLifetime(TokenLifetime.ofMinutes(90));
    KeyLayout.RequestKeys keys = new KeyLayout("acs-token", null).keys(request);
    try (Fleet fleet = new Fleet(1, redis.uri(), UnaryOperator.identity());
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();
      RedisSharedTier tier = fleet.get(0);
      AccessToken token = Fleet.token(clock, Duration.ofMinutes(90));

      tier.store(request, tier.claim(request, clock.instant(), Duration.ofSeconds(5)).join(), token)
          .join();

      // the record lives until the token's expiry, by Redis's clock (which the test clock read)
      long ttl = raw.sync().pttl(keys.record());
      long expected = Duration.ofMinutes(90).toMillis();
      assertThat(ttl).isBetween(expected - Duration.ofMinutes(1).toMillis(), expected);
      assertThat(raw.sync().pttl(keys.index())).isBetween(ttl - 1000, expected);
      assertThat(raw.sync().type(keys.record())).isEqualTo("hash");
      assertThat(new String(raw.sync().hget(keys.record(), "x"), StandardCharsets.UTF_8))
          .isEqualTo(Long.toString(token.expiresAt().toEpochMilli()));
      assertThat(raw.sync().exists(keys.lease())).isZero();
      assertThat(
              raw.sync().smembers(keys.index()).stream()
                  .map(b -> new String(b, StandardCharsets.UTF_8)))
          .containsExactly(keys.record());
      assertThat(keys.record())
          .startsWith("acs-token:" + Fleet.RESOURCE + ":{")
          .endsWith(":r:chat+voip:90");
    }
  }

  @Test
  void keys_ofOneIdentity_shareOneClusterSlotAndResourceNamespace() {
    KeyLayout layout = new KeyLayout("p", null);
    KeyLayout.RequestKeys a = layout.keys(TokenRequest.of(Fleet.identity(1), Scope.CHAT));
    KeyLayout.RequestKeys b = layout.keys(TokenRequest.of(Fleet.identity(1), Scope.VOIP));
    KeyLayout.RequestKeys other = layout.keys(TokenRequest.of(Fleet.identity(2), Scope.CHAT));
    KeyLayout.RequestKeys teams =
        new KeyLayout("p", "contoso.communication.azure.com")
            .keys(TokenRequest.of(IdentityId.of("8:orgid:abc"), Scope.CHAT));

    assertThat(tag(a.record()))
        .isEqualTo(tag(b.lease()))
        .isEqualTo(tag(a.epoch()))
        .isEqualTo(tag(a.index()));
    assertThat(tag(other.record())).isNotEqualTo(tag(a.record()));
    assertThat(a.record()).isNotEqualTo(b.record());
    assertThat(teams.record()).startsWith("p:contoso.communication.azure.com:{");
    assertThat(new KeyLayout("p", null).keys(IdentityId.of("8:orgid:abc")).index())
        .startsWith("p:_:{");
  }

  private static String tag(String key) {
    return key.substring(key.indexOf('{'), key.indexOf('}') + 1);
  }
}
