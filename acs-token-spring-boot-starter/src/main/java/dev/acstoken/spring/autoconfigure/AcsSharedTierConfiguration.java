package dev.acstoken.spring.autoconfigure;

import dev.acstoken.cache.redis.EncryptionKeys;
import dev.acstoken.cache.redis.RedisSharedTier;
import dev.acstoken.cache.redis.RedisSharedTierBuilder;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The fleet tier from {@code acs.shared-tier.*}: a {@link RedisSharedTier} that the cache consults
 * before it calls ACS, and through which the cache's invalidations reach every instance. Only when
 * acs-token-cache-redis is on the class path and {@code acs.shared-tier.enabled=true}. The tier is
 * not a bean of its own (it is a {@code TokenProvider}, and would compete with the cache for that
 * role); it lives in the {@link SharedTier} bean and closes with it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = AcsAutoConfiguration.REDIS_TIER_CLASS)
@ConditionalOnProperty(prefix = "acs.shared-tier", name = "enabled", havingValue = "true")
public class AcsSharedTierConfiguration {

  /** Creates the configuration; Spring does. */
  public AcsSharedTierConfiguration() {}

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  SharedTier acsSharedTier(AcsProperties properties) {
    AcsAutoConfiguration.checkSharedTier(properties);
    AcsProperties.SharedTier p = properties.getSharedTier();
    boolean cluster = !p.getRedisCluster().isEmpty();
    if (cluster == Settings.isSet(p.getRedisUri())) {
      throw new IllegalArgumentException(
          cluster
              ? "acs.shared-tier.redis-uri and acs.shared-tier.redis-cluster are both set; set one"
              : "acs.shared-tier.redis-uri (or acs.shared-tier.redis-cluster) is required when"
                  + " acs.shared-tier.enabled=true");
    }
    if (!Settings.isSet(p.getEncryptionKey())) {
      throw new IllegalArgumentException(
          "acs.shared-tier.encryption-key (base64 AES key) is required when"
              + " acs.shared-tier.enabled=true");
    }
    EncryptionKeys.Builder keys = EncryptionKeys.builder();
    Settings.check(
        "acs.shared-tier.encryption-key",
        () -> keys.writeKey(p.getEncryptionKeyId(), p.getEncryptionKey()));
    for (Map.Entry<String, String> older : p.getOlderEncryptionKeys().entrySet()) {
      Settings.check(
          "acs.shared-tier.older-encryption-keys." + older.getKey(),
          () -> keys.readKey(older.getKey(), older.getValue()));
    }
    RedisSharedTierBuilder builder = RedisSharedTier.builder();
    if (cluster) {
      Settings.check(
          "acs.shared-tier.redis-cluster",
          () -> builder.redisCluster(p.getRedisCluster().toArray(new String[0])));
    } else {
      // the builder parses it and never repeats it nor the parser's message (it may hold a
      // password)
      String uri = p.getRedisUri().trim();
      Settings.check("acs.shared-tier.redis-uri", () -> builder.redisUri(uri));
    }
    Settings.check("acs.shared-tier.encryption-key", () -> builder.encryptionKeys(keys.build()));
    Settings.apply("acs.shared-tier.key-prefix", p.getKeyPrefix(), builder::keyPrefix);
    return new RedisTierHolder(builder.build());
  }

  /** {@link SharedTier} over a {@link RedisSharedTier}. Thread-safe. */
  static final class RedisTierHolder implements SharedTier {
    private final RedisSharedTier tier;

    RedisTierHolder(RedisSharedTier tier) {
      this.tier = tier;
    }

    @Override
    public dev.acstoken.cache.SharedTier tier() {
      return tier;
    }

    @Override
    public boolean redisAvailable() {
      try {
        return tier.checkRedis().get(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException | TimeoutException e) {
        return false;
      }
    }

    @Override
    public void close() {
      tier.close();
    }

    @Override
    public String toString() {
      return "RedisTierHolder[" + tier + "]";
    }
  }
}
