package dev.acstoken.spring.autoconfigure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.cache.CachingTokenProviderBuilder;
import dev.acstoken.cache.micrometer.MicrometerCacheListener;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.core.azure.ConnectionString;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of acs-token from the {@code acs.*} properties ({@link AcsProperties}).
 *
 * <p>Beans, each backing off when the application defines its own:
 *
 * <ul>
 *   <li>{@link AcsIdentityClient} {@code acsIdentityClient}: the client of the ACS resource, from
 *       {@code acs.connection-string}, or {@code acs.endpoint} with {@code acs.access-key} or with
 *       a {@link TokenCredential} bean, or else the environment variable {@code
 *       ACS_CONNECTION_STRING};
 *   <li>{@link CachingTokenProvider} {@code acsTokenCache} (unless {@code
 *       acs.cache.enabled=false}): the {@link TokenProvider} to inject, closed with the context;
 *   <li>{@link IdentityOperations} {@code acsIdentityOperations}: the client's operations that also
 *       drop the cached tokens (and, with the shared tier, every instance's) of an identity they
 *       revoke or delete.
 * </ul>
 *
 * <p>The client implements both roles too, so the cache and the invalidating operations are {@link
 * Primary @Primary}: an application injects {@code TokenProvider} and {@code IdentityOperations}
 * without qualifiers and gets the cache and the invalidating operations, and injects {@code
 * AcsIdentityClient} when it wants the client itself. (Hiding the client from its interfaces would
 * also hide it from injection by its own type.) A {@code TokenProvider} or {@code
 * IdentityOperations} bean of the application's own replaces the starter's; mark it
 * {@code @Primary} too, since the client still implements both.
 *
 * <p>With Micrometer on the class path and a {@code MeterRegistry} bean, the cache's meters ({@code
 * acs.token.cache.*}) and a size gauge ({@code acs.token.cache.size}) are registered.
 */
@AutoConfiguration
@EnableConfigurationProperties(AcsProperties.class)
@Import(AcsSharedTierConfiguration.class)
public class AcsAutoConfiguration {

  static final String REDIS_TIER_CLASS = "dev.acstoken.cache.redis.RedisSharedTier";

  /** Creates the configuration; Spring does. */
  public AcsAutoConfiguration() {}

  /**
   * The client of the ACS resource.
   *
   * @param properties the acs.* properties
   * @param credential an Entra credential, used with acs.endpoint when no access key is set
   * @param customizers run after the properties are applied
   * @return the client
   * @throws IllegalArgumentException naming the property that is missing or invalid
   */
  @Bean
  @ConditionalOnMissingBean
  public AcsIdentityClient acsIdentityClient(
      AcsProperties properties,
      ObjectProvider<TokenCredential> credential,
      ObjectProvider<AcsIdentityClientBuilderCustomizer> customizers) {
    checkSharedTier(properties);
    AcsIdentityClient.Builder builder = AcsIdentityClient.builder();
    String connectionString = properties.getConnectionString();
    String endpoint = properties.getEndpoint();
    String accessKey = properties.getAccessKey();
    if (Settings.isSet(connectionString)) {
      if (Settings.isSet(endpoint) || Settings.isSet(accessKey)) {
        throw new IllegalArgumentException(
            "acs.connection-string and acs.endpoint/acs.access-key are both set; the connection"
                + " string names the endpoint and key: set one or the other");
      }
      Settings.apply("acs.connection-string", connectionString, builder::connectionString);
    } else if (Settings.isSet(endpoint)) {
      Settings.apply("acs.endpoint", endpoint, builder::endpoint);
      if (Settings.isSet(accessKey)) {
        Settings.apply("acs.access-key", accessKey, builder::accessKey);
      } else {
        TokenCredential entra = credential.getIfUnique();
        if (entra == null) {
          throw new IllegalArgumentException(
              "acs.endpoint is set but neither acs.access-key nor a (single) TokenCredential bean"
                  + " is there to authenticate with");
        }
        builder.credential(entra);
      }
    } else if (Settings.isSet(accessKey)) {
      throw new IllegalArgumentException(
          "acs.access-key is set without acs.endpoint; set both, or acs.connection-string");
    } else {
      try {
        builder.connectionString(ConnectionString.fromEnvironment());
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(
            "no ACS resource configured: set acs.connection-string, or acs.endpoint with"
                + " acs.access-key or a TokenCredential bean, or the environment variable"
                + " ACS_CONNECTION_STRING",
            e);
      } catch (IllegalArgumentException e) {
        throw Settings.invalid("ACS_CONNECTION_STRING (environment)", e);
      }
    }
    Settings.apply("acs.timeout", properties.getTimeout(), builder::timeout);
    Settings.apply(
        "acs.max-retries",
        properties.getMaxRetries(),
        retries -> {
          if (retries < 0) {
            throw new IllegalArgumentException("must be 0 or more, was " + retries);
          }
          builder.retryOptions(
              new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(retries)));
        });
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /**
   * The token cache, the application's {@link TokenProvider}.
   *
   * @param client the client it asks (through the shared tier when that is on)
   * @param properties the acs.cache.* properties
   * @param sharedTier the Redis tier, when acs.shared-tier.enabled
   * @param customizers run after the properties are applied
   * @param timeSource the application's {@code TimeSource} bean, if it has exactly one
   * @return the cache, closed with the context
   */
  @Bean(destroyMethod = "close")
  @Primary
  @ConditionalOnMissingBean(value = TokenProvider.class, ignored = AcsIdentityClient.class)
  @ConditionalOnProperty(
      prefix = "acs.cache",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  CachingTokenProvider acsTokenCache(
      AcsIdentityClient client,
      AcsProperties properties,
      ObjectProvider<SharedTier> sharedTier,
      ObjectProvider<CachingTokenProviderBuilderCustomizer> customizers,
      ObjectProvider<TimeSource> timeSource) {
    SharedTier tier = sharedTier.getIfAvailable();
    CachingTokenProviderBuilder builder = CachingTokenProvider.builder(client);
    TimeSource time = timeSource.getIfUnique();
    if (time != null) {
      // the application's one time source (a test's MutableClock, say) judges the cache's tokens
      builder.timeSource(time);
    }
    if (tier != null) {
      builder.sharedTier(tier.tier());
    }
    AcsProperties.Cache c = properties.getCache();
    Settings.apply("acs.cache.refresh-fraction", c.getRefreshFraction(), builder::refreshFraction);
    Settings.apply("acs.cache.min-refresh-lead", c.getMinRefreshLead(), builder::minRefreshLead);
    Settings.apply("acs.cache.refresh-jitter", c.getRefreshJitter(), builder::refreshJitter);
    Settings.apply("acs.cache.safety-margin", c.getSafetyMargin(), builder::safetyMargin);
    Settings.apply("acs.cache.wait-timeout", c.getWaitTimeout(), builder::waitTimeout);
    Settings.apply("acs.cache.call-timeout", c.getCallTimeout(), builder::callTimeout);
    Settings.apply("acs.cache.backoff-initial", c.getBackoffInitial(), builder::backoffInitial);
    Settings.apply("acs.cache.backoff-max", c.getBackoffMax(), builder::backoffMax);
    Settings.apply(
        "acs.cache.backoff-multiplier", c.getBackoffMultiplier(), builder::backoffMultiplier);
    Settings.apply("acs.cache.backoff-jitter", c.getBackoffJitter(), builder::backoffJitter);
    Settings.apply("acs.cache.maximum-size", c.getMaximumSize(), builder::maximumSize);
    Settings.apply("acs.cache.expire-after-idle", c.getExpireAfterIdle(), builder::expireAfterIdle);
    if (c.getRefreshRateLimit() != null || c.getRefreshRateWindow() != null) {
      // one of the two set: the other keeps the cache's own default
      int permits =
          c.getRefreshRateLimit() == null
              ? CachingTokenProviderBuilder.DEFAULT_REFRESH_RATE_PERMITS
              : c.getRefreshRateLimit();
      java.time.Duration window =
          c.getRefreshRateWindow() == null
              ? CachingTokenProviderBuilder.DEFAULT_REFRESH_RATE_WINDOW
              : c.getRefreshRateWindow();
      Settings.check(
          "acs.cache.refresh-rate-limit / acs.cache.refresh-rate-window",
          () -> builder.refreshRateLimit(permits, window));
    }
    Settings.apply("acs.cache.cold-rate-limit", c.getColdRateLimit(), builder::coldRateLimit);
    Settings.apply(
        "acs.cache.terminal-error-ttl", c.getTerminalErrorTtl(), builder::terminalErrorTtl);
    Settings.apply(
        "acs.cache.shared-tier-timeout", c.getSharedTierTimeout(), builder::sharedTierTimeout);
    Settings.apply("acs.cache.lease-time", c.getLeaseTime(), builder::leaseTime);
    Settings.apply(
        "acs.cache.shared-tier-poll-interval",
        c.getSharedTierPollInterval(),
        builder::sharedTierPollInterval);
    if (c.isRecordStats()) {
      builder.recordStats();
    }
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    CachingTokenProvider cache;
    try {
      cache = builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw Settings.invalid("acs.cache.*", e);
    }
    return cache;
  }

  /**
   * The identity operations of the client that also forget the revoked or deleted identity's cached
   * tokens, here and, with the shared tier, on every instance.
   *
   * @param client the client that calls ACS
   * @param cache the cache to invalidate
   * @return the operations
   */
  @Bean
  @Primary
  @ConditionalOnBean(CachingTokenProvider.class)
  @ConditionalOnMissingBean(value = IdentityOperations.class, ignored = AcsIdentityClient.class)
  IdentityOperations acsIdentityOperations(AcsIdentityClient client, CachingTokenProvider cache) {
    // with a shared tier, the cache's invalidation reaches every instance
    return cache.invalidatingOperations(client);
  }

  static void checkSharedTier(AcsProperties properties) {
    if (!properties.getSharedTier().isEnabled()) {
      return;
    }
    if (!properties.getCache().isEnabled()) {
      throw new IllegalArgumentException(
          "acs.shared-tier.enabled=true needs the cache: acs.cache.enabled is false");
    }
  }

  /** Says what to add when the shared tier is asked for but its module is not there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "acs.shared-tier", name = "enabled", havingValue = "true")
  @ConditionalOnMissingClass(REDIS_TIER_CLASS)
  static class SharedTierModuleMissing {

    @Bean
    Object acsSharedTierModuleMissing() {
      throw new IllegalStateException(
          "acs.shared-tier.enabled=true needs dev.acstoken:acs-token-cache-redis on the class path");
    }
  }

  /** The cache's Micrometer meters, when Micrometer is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class CacheMetricsConfiguration {

    /** Binds the cache's listener to the context's (unique or primary) registry. */
    @Bean
    @Order(0)
    @ConditionalOnMissingBean(name = "acsCacheMetricsCustomizer")
    CachingTokenProviderBuilderCustomizer acsCacheMetricsCustomizer(
        ObjectProvider<MeterRegistry> registry) {
      return builder -> {
        MeterRegistry r = registry.getIfUnique();
        if (r != null) {
          builder.listener(MicrometerCacheListener.bind(r));
        }
      };
    }

    /** The gauge {@code acs.token.cache.size}, bound by Spring Boot to every registry. */
    @Bean
    @ConditionalOnMissingBean(name = "acsCacheSizeMeterBinder")
    MeterBinder acsCacheSizeMeterBinder(ObjectProvider<CachingTokenProvider> cache) {
      return registry ->
          cache.ifAvailable(
              c ->
                  Gauge.builder("acs.token.cache.size", c, CachingTokenProvider::estimatedSize)
                      .description("Tokens held by the cache (approximate)")
                      .register(registry));
    }
  }
}
