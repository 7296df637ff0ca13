package dev.acstoken.spring.autoconfigure;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.azure.AcsIdentityClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The health indicator {@code acs} (bean {@code acsHealthIndicator}), when Actuator is present and
 * {@code acs.health.enabled} is not false: DOWN when ACS is unreachable or refuses the key, with
 * the cache's state in its details. See {@link AcsHealthProbe} for the probe, which issues no
 * token; its result is reused for {@code acs.health.cache-time} (default 10 s).
 *
 * <p>Registers Spring Boot 3's {@code org.springframework.boot.actuate.health.HealthIndicator} or,
 * on Spring Boot 4, {@code org.springframework.boot.health.contributor.HealthIndicator}. The two
 * are unrelated types in packages that never exist together, so each generation has its own bean
 * method; both only hand the one probe's result ({@code AcsHealthProbe.Result.status()} and its
 * details) to that generation's {@code Health} builder.
 */
@AutoConfiguration(after = AcsAutoConfiguration.class)
@ConditionalOnBean(AcsIdentityClient.class)
@ConditionalOnProperty(
    prefix = "acs.health",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@ConditionalOnProperty(
    prefix = "management.health.acs",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class AcsHealthAutoConfiguration {

  static final String BOOT3_HEALTH = "org.springframework.boot.actuate.health.HealthIndicator";
  static final String BOOT4_HEALTH = "org.springframework.boot.health.contributor.HealthIndicator";

  /** Creates the configuration; Spring does. */
  public AcsHealthAutoConfiguration() {}

  /**
   * The one probe behind the indicator of either Boot generation, on the application's time source
   * when it has exactly one (as the cache), else the system's. Lazy: made only when an indicator
   * asks for it, so an application without Actuator gets no probe and no check of acs.health.*.
   */
  @Bean
  @Lazy
  AcsHealthProbe acsHealthProbe(
      AcsIdentityClient client,
      AcsProperties properties,
      ObjectProvider<CachingTokenProvider> cache,
      ObjectProvider<SharedTier> sharedTier,
      ObjectProvider<TimeSource> timeSource) {
    return new AcsHealthProbe(
        client,
        client.endpoint(),
        cache.getIfUnique(),
        sharedTier.getIfAvailable(),
        properties.getHealth().getCacheTime(),
        properties.getHealth().getTimeout(),
        timeSource.getIfUnique(TimeSource::system));
  }

  /** Spring Boot 3: the Actuator's health API. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = BOOT3_HEALTH)
  static class Boot3 {

    @Bean
    @ConditionalOnMissingBean(name = "acsHealthIndicator")
    org.springframework.boot.actuate.health.HealthIndicator acsHealthIndicator(
        AcsHealthProbe probe) {
      return () -> {
        AcsHealthProbe.Result r = probe.check();
        return org.springframework.boot.actuate.health.Health.status(r.status())
            .withDetails(r.details())
            .build();
      };
    }
  }

  /** Spring Boot 4: the health API of {@code spring-boot-health}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = BOOT4_HEALTH)
  @ConditionalOnMissingClass(BOOT3_HEALTH)
  static class Boot4 {

    @Bean
    @ConditionalOnMissingBean(name = "acsHealthIndicator")
    org.springframework.boot.health.contributor.HealthIndicator acsHealthIndicator(
        AcsHealthProbe probe) {
      return () -> {
        AcsHealthProbe.Result r = probe.check();
        return org.springframework.boot.health.contributor.Health.status(r.status())
            .withDetails(r.details())
            .build();
      };
    }
  }
}
