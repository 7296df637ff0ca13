package dev.acstoken.cache.redis;

import static org.awaitility.Awaitility.await;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Test fleet of tiers: several tiers, each a separate object with its own Lettuce client, as the
 * instances of a service would be, over one Redis.
 */
final class Fleet implements AutoCloseable {

  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  static final String RESOURCE = "2dee53b4-368b-45b4-ab52-8493fb117652";

  final List<RedisSharedTier> tiers = new ArrayList<>();
  final List<RecordingListener> listeners = new ArrayList<>();
  final String redisUri;

  Fleet(int size, String redisUri, UnaryOperator<RedisSharedTierBuilder> config) {
    this.redisUri = redisUri;
    for (int i = 0; i < size; i++) {
      RecordingListener listener = new RecordingListener();
      listeners.add(listener);
      tiers.add(config.apply(builder(redisUri).listener(listener)).build());
    }
  }

  static RedisSharedTierBuilder builder(String redisUri) {
    return RedisSharedTier.builder()
        .redisUri(redisUri)
        .encryptionKeys(EncryptionKeys.of("k1", KEY));
  }

  /**
   * {@return a test clock that starts at the current time and then moves only when told: records
   * expire in Redis by Redis's own clock, so the tokens' expiries must be real future instants}
   */
  static MutableClock clock() {
    return MutableClock.systemStart();
  }

  static IdentityId identity(int n) {
    return IdentityId.of(String.format("8:acs:%s_00000000-0000-0000-0000-%012d", RESOURCE, n));
  }

  /** {@return a JWT-shaped token, unique, expiring after the given time from the clock's now} */
  static AccessToken token(MutableClock clock, Duration lifetime) {
    String payload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ("{\"jti\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8));
    return AccessToken.of(
        "eyJhbGciOiJSUzI1NiJ9." + payload + ".c2lnbmF0dXJl", clock.instant().plus(lifetime));
  }

  RedisSharedTier get(int i) {
    return tiers.get(i);
  }

  /** Waits until every tier answers a PING (connected; after a restart, reconnected). */
  void awaitConnected() {
    awaitConnected(redisUri, "acs-token:events", tiers);
  }

  static void awaitConnected(String redisUri, String channel, List<RedisSharedTier> tiers) {
    awaitConnected(List.of(redisUri), channel, tiers);
  }

  /**
   * Waits until every tier answers a PING and is subscribed on one of the nodes (in Redis Cluster a
   * subscriber is counted by the node it is subscribed on only).
   */
  static void awaitConnected(List<String> nodeUris, String channel, List<RedisSharedTier> tiers) {
    await("all tiers connected to Redis")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                tiers.stream()
                    .map(RedisSharedTier::checkRedis)
                    .map(CompletableFuture::join)
                    .allMatch(Boolean::booleanValue));
    await("all tiers subscribed")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> subscribers(nodeUris, channel) >= tiers.size());
  }

  /** {@return the subscribers of the channel, summed over the nodes} */
  static long subscribers(List<String> nodeUris, String channel) {
    long n = 0;
    for (String uri : nodeUris) {
      try (RawRedis raw = new RawRedis(uri)) {
        n += raw.subscribers(channel);
      }
    }
    return n;
  }

  @Override
  public void close() {
    tiers.forEach(RedisSharedTier::close);
  }
}
