package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.cache.SharedTier.Claim;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class EncryptionAtRestTest {

  static final String OTHER_KEY = Base64.getEncoder().encodeToString(filled(32, (byte) 7));
  static final Duration LEASE = Duration.ofSeconds(20);

  final MutableClock clock = Fleet.clock();
  final Instant now = clock.instant();
  final TokenRequest request = TokenRequest.of(Fleet.identity(3), Scope.CHAT, Scope.VOIP);
  final KeyLayout layout = new KeyLayout("acs-token", null);

  @Test
  void redisContents_afterStoring_holdNoTokenText(RedisServer redis) {
    List<AccessToken> tokens = new ArrayList<>();
    try (Fleet fleet = new Fleet(1, redis.uri(), UnaryOperator.identity());
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();
      for (int i = 0; i < 5; i++) {
        TokenRequest r = TokenRequest.of(Fleet.identity(i), Scope.CHAT);
        AccessToken token = Fleet.token(clock, Duration.ofHours(1));
        store(fleet.get(0), r, token);
        tokens.add(token);
      }
      List<String> keys = raw.sync().keys("*");
      List<byte[]> values = new ArrayList<>();
      for (String key : keys) {
        if ("hash".equals(raw.sync().type(key))) {
          values.addAll(raw.sync().hgetall(key).values());
        }
      }
      values.addAll(raw.strings("acs-token:").values());

      assertThat(values).hasSizeGreaterThanOrEqualTo(10);
      for (AccessToken token : tokens) {
        String[] parts = token.value().split("\\.");
        for (byte[] value : values) {
          String raw8859 = new String(value, StandardCharsets.ISO_8859_1);
          assertThat(raw8859).doesNotContain(parts[1]).doesNotContain(parts[2]);
        }
        assertThat(keys).noneMatch(k -> k.contains(parts[1]) || k.contains(token.value()));
      }
    }
  }

  @Test
  void claim_recordOfAnotherKeyWithSameId_isAbsentAndLeased(RedisServer redis) {
    try (Fleet writer = new Fleet(1, redis.uri(), UnaryOperator.identity());
        Fleet reader =
            new Fleet(1, redis.uri(), b -> b.encryptionKeys(EncryptionKeys.of("k1", OTHER_KEY)))) {
      writer.awaitConnected();
      reader.awaitConnected();
      store(writer.get(0), request, Fleet.token(clock, Duration.ofHours(1)));

      Claim claim = reader.get(0).claim(request, now, LEASE).join();

      assertThat(claim.isLeased()).isTrue();
      assertThat(reader.get(0).read(request, now).join()).isNull();
      assertThat(reader.get(0).stats().unreadableRecords()).isEqualTo(2);
      assertThat(reader.listeners.get(0).unreadable.get()).isEqualTo(2);
    }
  }

  @Test
  void claim_recordOfUnknownKeyId_isAbsentAndLeased(RedisServer redis) {
    try (Fleet writer = new Fleet(1, redis.uri(), UnaryOperator.identity());
        Fleet reader =
            new Fleet(1, redis.uri(), b -> b.encryptionKeys(EncryptionKeys.of("k2", Fleet.KEY)))) {
      writer.awaitConnected();
      reader.awaitConnected();
      store(writer.get(0), request, Fleet.token(clock, Duration.ofHours(1)));

      assertThat(reader.get(0).claim(request, now, LEASE).join().isLeased()).isTrue();
      assertThat(reader.get(0).stats().unreadableRecords()).isEqualTo(1);
    }
  }

  @Test
  void claim_rotatedKeys_oldRecordsStillReadWithReadKey(RedisServer redis) {
    EncryptionKeys rotated =
        EncryptionKeys.builder().writeKey("k2", OTHER_KEY).readKey("k1", Fleet.KEY).build();
    try (Fleet old = new Fleet(1, redis.uri(), UnaryOperator.identity());
        Fleet rotatedFleet = new Fleet(1, redis.uri(), b -> b.encryptionKeys(rotated))) {
      old.awaitConnected();
      rotatedFleet.awaitConnected();
      AccessToken written = Fleet.token(clock, Duration.ofHours(1));
      store(old.get(0), request, written);

      assertThat(rotatedFleet.get(0).claim(request, now, LEASE).join().token()).isEqualTo(written);
    }
  }

  @Test
  void claim_recordCopiedUnderAnotherIdentitysKey_isAbsent(RedisServer redis) {
    TokenRequest other = TokenRequest.of(Fleet.identity(4), Scope.CHAT, Scope.VOIP);
    try (Fleet fleet = new Fleet(1, redis.uri(), UnaryOperator.identity());
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();
      store(fleet.get(0), request, Fleet.token(clock, Duration.ofHours(1)));
      String from = layout.keys(request).record();
      String to = layout.keys(other).record();
      raw.sync().hset(to, "x", raw.sync().hget(from, "x"));
      raw.sync().hset(to, "r", raw.sync().hget(from, "r"));

      Claim claim = fleet.get(0).claim(other, now, LEASE).join();

      assertThat(claim.isLeased()).isTrue();
      assertThat(fleet.get(0).stats().unreadableRecords()).isEqualTo(1);
    }
  }

  @Test
  void claim_clearExpiryRaisedInRedis_authenticatedExpiryDecides(RedisServer redis) {
    try (Fleet fleet = new Fleet(1, redis.uri(), UnaryOperator.identity());
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();
      AccessToken token = Fleet.token(clock, Duration.ofHours(1));
      store(fleet.get(0), request, token);
      String key = layout.keys(request).record();
      long forged = token.expiresAt().plus(Duration.ofDays(1)).toEpochMilli();
      raw.sync().hset(key, "x", Long.toString(forged).getBytes(StandardCharsets.UTF_8));

      Claim claim = fleet.get(0).claim(request, token.expiresAt(), LEASE).join();

      assertThat(claim.token()).isNull();
      assertThat(claim.isLeased()).isTrue();
    }
  }

  @Test
  void encryptionKeys_toStringAndErrors_neverShowAKey() {
    EncryptionKeys keys =
        EncryptionKeys.builder().writeKey("new", OTHER_KEY).readKey("old", Fleet.KEY).build();

    assertThat(keys.toString()).contains("new", "old").doesNotContain(OTHER_KEY, Fleet.KEY);
    assertThat(keys.keyIds()).containsExactly("new", "old");
    assertThatThrownBy(() -> EncryptionKeys.of("k", "not base64 at all!"))
        .hasMessageContaining("not valid Base64")
        .hasMessageNotContaining("not base64 at all");
    assertThatThrownBy(
            () -> EncryptionKeys.of("k", Base64.getEncoder().encodeToString(new byte[5])))
        .hasMessageContaining("16, 24 or 32 bytes");
    assertThatThrownBy(() -> EncryptionKeys.of("bad id", Fleet.KEY))
        .hasMessageContaining("[A-Za-z0-9._-]");
    assertThatThrownBy(() -> EncryptionKeys.builder().readKey("old", Fleet.KEY).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("write key is required");
    assertThatThrownBy(
            () -> EncryptionKeys.builder().writeKey("a", Fleet.KEY).readKey("a", OTHER_KEY))
        .hasMessageContaining("already added");
  }

  private void store(RedisSharedTier tier, TokenRequest r, AccessToken token) {
    Claim lease = tier.claim(r, now, LEASE).join();
    assertThat(tier.store(r, lease, token).join()).isTrue();
  }

  private static byte[] filled(int n, byte b) {
    byte[] bytes = new byte[n];
    java.util.Arrays.fill(bytes, b);
    return bytes;
  }
}
