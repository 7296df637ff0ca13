package dev.acstoken.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.Scope;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.MutableClock;
import dev.acstoken.testkit.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AcsHealthAutoConfigurationTest {

  private AcsEmulator emulator;
  private EmulatorHttpClient http;

  @BeforeEach
  void start() {
    emulator = AcsEmulator.start();
    http = new EmulatorHttpClient(emulator);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private ApplicationContextRunner runner(String connectionString) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(AcsAutoConfiguration.class, AcsHealthAutoConfiguration.class))
        .withPropertyValues("acs.connection-string=" + connectionString, "acs.max-retries=0")
        .withBean(
            AcsIdentityClientBuilderCustomizer.class, () -> builder -> builder.httpClient(http));
  }

  @Test
  void health_whenTheEmulatorStopsAndComesBack_goesDownAndUp() {
    runner(emulator.connectionString())
        .withPropertyValues("acs.health.cache-time=0s")
        .run(
            context -> {
              HealthIndicator health = context.getBean("acsHealthIndicator", HealthIndicator.class);
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
              assertThat(health.health().getDetails())
                  .containsEntry("probe", "authenticated")
                  .containsKey("cache");

              int port = emulator.port();
              String key = emulator.accessKey();
              emulator.close();
              assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

              emulator = AcsEmulator.builder().port(port).accessKey(key).start();
              http.use(emulator);
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            });
  }

  @Test
  void health_cacheTime_runsOnTheApplicationsTimeSource() {
    MutableClock clock = MutableClock.at(Instant.parse("2031-03-01T06:00:00Z"));
    runner(emulator.connectionString())
        .withPropertyValues("acs.health.cache-time=10s")
        .withBean(TimeSource.class, () -> clock)
        .run(
            context -> {
              HealthIndicator health = context.getBean("acsHealthIndicator", HealthIndicator.class);
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);

              int port = emulator.port();
              String key = emulator.accessKey();
              emulator.close();
              assertThat(health.health().getStatus()).as("the cached probe").isEqualTo(Status.UP);
              clock.advance(Duration.ofSeconds(11));
              assertThat(health.health().getStatus()).as("probed again").isEqualTo(Status.DOWN);

              emulator = AcsEmulator.builder().port(port).accessKey(key).start();
              http.use(emulator);
            });
  }

  @Test
  void health_withARefusedKey_isDown() {
    String wrongKey = Base64.getEncoder().encodeToString(new byte[32]);
    runner("endpoint=" + emulator.endpoint() + ";accesskey=" + wrongKey)
        .run(
            context -> {
              HealthIndicator health = context.getBean("acsHealthIndicator", HealthIndicator.class);
              assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.health().getDetails())
                  .containsEntry("probe", "ACS refused the access key or credential")
                  .containsEntry("status", 401);
              assertThat(health.health().getDetails().toString()).doesNotContain(wrongKey);
            });
  }

  @Test
  void health_probe_issuesNoTokenAndRevokesNothing() {
    runner(emulator.connectionString())
        .run(
            context -> {
              context.getBean("acsHealthIndicator", HealthIndicator.class).health();

              assertThat(emulator.callCount(Operation.ISSUE_TOKEN)).isZero();
              assertThat(emulator.callCount(Operation.CREATE_IDENTITY)).isZero();
              assertThat(emulator.requests()).hasSize(1);
            });
  }

  @Test
  void health_withinTheCacheTime_reusesTheProbe() {
    runner(emulator.connectionString())
        .run(
            context -> {
              HealthIndicator health = context.getBean("acsHealthIndicator", HealthIndicator.class);
              for (int i = 0; i < 5; i++) {
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);
              }
              assertThat(emulator.requests()).hasSize(1);
            });
  }

  @Test
  void health_reportsTheCacheState() {
    runner(emulator.connectionString())
        .withPropertyValues("acs.cache.record-stats=true")
        .run(
            context -> {
              TokenProvider tokens = context.getBean(TokenProvider.class);
              var user =
                  context.getBean(dev.acstoken.core.IdentityOperations.class).createIdentity();
              tokens.getToken(TokenRequest.of(user, Scope.CHAT));
              tokens.getToken(TokenRequest.of(user, Scope.CHAT));

              Map<String, Object> details =
                  context
                      .getBean("acsHealthIndicator", HealthIndicator.class)
                      .health()
                      .getDetails();

              assertThat(details.get("cache"))
                  .isEqualTo(
                      Map.of(
                          "enabled",
                          true,
                          "entries",
                          1L,
                          "hits",
                          1L,
                          "misses",
                          1L,
                          "refreshFailures",
                          0L));
            });
  }

  @Test
  void health_withACacheTimeOrTimeoutOfCenturies_failsTheStartNamingTheProperty() {
    // 110000 days overflow the nanoseconds the probe counts in: a clear error, not an overflow
    for (String property : new String[] {"acs.health.cache-time", "acs.health.timeout"}) {
      runner(emulator.connectionString())
          .withPropertyValues(property + "=110000d")
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .rootCause()
                      .isInstanceOf(IllegalArgumentException.class)
                      .hasMessageContaining(property)
                      .hasMessageContaining("PT2640000H"));
    }
  }

  @Test
  void health_disabledThroughManagementHealthAcsEnabled_hasNoIndicator() {
    runner(emulator.connectionString())
        .withPropertyValues("management.health.acs.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("acsHealthIndicator"));
  }

  @Test
  void health_disabled_hasNoIndicator() {
    runner(emulator.connectionString())
        .withPropertyValues("acs.health.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("acsHealthIndicator"));
  }

  @Test
  void health_withoutActuator_hasNoIndicator_andIgnoresTheHealthProperties() {
    runner(emulator.connectionString())
        .withPropertyValues("acs.health.cache-time=40000000d")
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.boot.actuate", "org.springframework.boot.health"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("acsHealthIndicator");
            });
  }

  @Test
  void health_userIndicator_replacesOurs() {
    runner(emulator.connectionString())
        .withBean("acsHealthIndicator", HealthIndicator.class, () -> () -> null)
        .run(
            context ->
                assertThat(context.getBean("acsHealthIndicator", HealthIndicator.class).health())
                    .isNull());
  }
}
