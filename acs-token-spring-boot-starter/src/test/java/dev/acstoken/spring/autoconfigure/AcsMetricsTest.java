package dev.acstoken.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.junit.AcsEmulatorExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AcsMetricsTest {

  @RegisterExtension static final AcsEmulatorExtension ACS = AcsEmulatorExtension.create();

  private final AcsEmulator emulator = ACS.emulator();

  private final ApplicationContextRunner runner =
      EmulatorContexts.runner(
          emulator,
          MetricsAutoConfiguration.class,
          CompositeMeterRegistryAutoConfiguration.class,
          SimpleMetricsExportAutoConfiguration.class,
          AcsAutoConfiguration.class);

  @Test
  void cacheMeters_areBoundToTheContextsRegistry_withASizeGauge() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          IdentityId user = context.getBean(IdentityOperations.class).createIdentity();
          TokenProvider tokens = context.getBean(TokenProvider.class);
          tokens.getToken(TokenRequest.of(user, Scope.VOIP));
          tokens.getToken(TokenRequest.of(user, Scope.VOIP));

          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get("acs.token.cache.gets").tag("result", "hit").counter().count())
              .isEqualTo(1.0);
          assertThat(registry.get("acs.token.cache.gets").tag("result", "miss").counter().count())
              .isEqualTo(1.0);
          assertThat(registry.get("acs.token.cache.refreshes.started").counter().count())
              .isEqualTo(1.0);
          assertThat(registry.get("acs.token.cache.size").gauge().value()).isEqualTo(1.0);
        });
  }

  @Test
  void withoutMicrometer_theCacheRunsWithoutMeters() {
    EmulatorContexts.runner(emulator, AcsAutoConfiguration.class)
        .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("acsCacheMetricsCustomizer");
              assertThat(context).hasBean("acsTokenCache");
            });
  }
}
