package dev.acstoken.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.junit.AcsEmulatorExtension;
import java.net.ServerSocket;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class AcsAutoConfigurationTest {

  @RegisterExtension static final AcsEmulatorExtension ACS = AcsEmulatorExtension.create();

  private final AcsEmulator emulator = ACS.emulator();

  private final ApplicationContextRunner runner =
      EmulatorContexts.runner(emulator, AcsAutoConfiguration.class);

  /** What an application writes: its beans take the two roles by type, without qualifiers. */
  record TokenService(TokenProvider tokens, IdentityOperations identities) {}

  @Configuration(proxyBeanMethods = false)
  static class Application {
    @Bean
    TokenService tokenService(TokenProvider tokens, IdentityOperations identities) {
      return new TokenService(tokens, identities);
    }
  }

  @Test
  void context_withConnectionString_injectsTheCacheAndTheInvalidatingOperationsByType() {
    runner
        .withUserConfiguration(Application.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(AcsIdentityClient.class);
              assertThat(context).hasSingleBean(CachingTokenProvider.class);
              TokenService service = context.getBean(TokenService.class);
              assertThat(service.tokens()).isSameAs(context.getBean(CachingTokenProvider.class));
              assertThat(service.identities())
                  .isNotInstanceOf(AcsIdentityClient.class)
                  .isSameAs(context.getBean(IdentityOperations.class));
              assertThat(context.getBean(TokenProvider.class)).isSameAs(service.tokens());
            });
  }

  @Test
  void identityOperations_revoke_dropsTheCachedToken() {
    runner
        .withUserConfiguration(Application.class)
        .run(
            context -> {
              TokenService service = context.getBean(TokenService.class);
              IdentityId user = service.identities().createIdentity();
              TokenRequest request = TokenRequest.of(user, Scope.VOIP);

              AccessToken first = service.tokens().getToken(request);
              assertThat(service.tokens().getToken(request)).isEqualTo(first);
              assertThat(emulator.issuedTokenCount(user)).isEqualTo(1);

              service.identities().revokeTokens(user);
              AccessToken second = service.tokens().getToken(request);

              assertThat(second).isNotEqualTo(first);
              assertThat(emulator.isValid(second.value())).isTrue();
              assertThat(emulator.issuedTokenCount(user)).isEqualTo(2);
            });
  }

  @Test
  void context_whenClosed_closesTheCache() {
    CachingTokenProvider[] cache = new CachingTokenProvider[1];
    runner.run(context -> cache[0] = context.getBean(CachingTokenProvider.class));

    assertThat(cache[0].toString()).contains("closed");
  }

  @Test
  void context_withCacheDisabled_theClientTakesBothRoles() {
    runner
        .withUserConfiguration(Application.class)
        .withPropertyValues("acs.cache.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(CachingTokenProvider.class);
              AcsIdentityClient client = context.getBean(AcsIdentityClient.class);
              TokenService service = context.getBean(TokenService.class);
              assertThat(service.tokens()).isSameAs(client);
              assertThat(service.identities()).isSameAs(client);
            });
  }

  @Test
  void cacheProperties_areHandedToTheCache() {
    runner
        .withPropertyValues(
            "acs.cache.refresh-fraction=0.4",
            "acs.cache.wait-timeout=7s",
            "acs.cache.refresh-rate-limit=100",
            "acs.cache.maximum-size=50",
            "acs.cache.record-stats=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              String description = context.getBean(CachingTokenProvider.class).toString();
              assertThat(description)
                  .contains(
                      "refreshFraction=0.4", "waitTimeout=PT7S", "refreshRateLimit=100/PT30S");
            });
  }

  @Test
  void clientProperties_areHandedToTheClient() {
    runner
        .withPropertyValues("acs.timeout=12s", "acs.max-retries=1")
        .run(
            context ->
                assertThat(context.getBean(AcsIdentityClient.class).timeout()).hasSeconds(12));
  }

  @Test
  void cacheProperty_outOfRange_failsNamingTheProperty() {
    runner
        .withPropertyValues("acs.cache.refresh-fraction=1.5")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("acs.cache.refresh-fraction")
                    .hasStackTraceContaining("1.5"));
  }

  @Test
  void property_ofTheWrongType_failsNamingTheProperty() {
    runner
        .withPropertyValues("acs.timeout=soon")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("acs.timeout")
                    .hasStackTraceContaining("soon"));
  }

  @Test
  void maxRetries_negative_failsNamingTheProperty() {
    runner
        .withPropertyValues("acs.max-retries=-1")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("acs.max-retries")
                    .hasStackTraceContaining("-1"));
  }

  @Test
  void connectionString_malformed_failsNamingThePropertyWithoutTheKey() {
    String key = Base64.getEncoder().encodeToString("a secret key of 32 bytes........".getBytes());
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AcsAutoConfiguration.class))
        .withPropertyValues("acs.connection-string=endpoint=http://plain.example/;accesskey=" + key)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("invalid acs.connection-string")
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(key)));
  }

  @Test
  void connectionStringAndEndpoint_bothSet_fail() {
    runner
        .withPropertyValues("acs.endpoint=https://contoso.communication.azure.com/")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("acs.connection-string and acs.endpoint"));
  }

  @Test
  void endpoint_withoutKeyOrCredential_fails() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AcsAutoConfiguration.class))
        .withPropertyValues("acs.endpoint=https://contoso.communication.azure.com/")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("acs.access-key")
                    .hasStackTraceContaining("TokenCredential"));
  }

  @Test
  void endpointAndAccessKey_buildTheClient() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AcsAutoConfiguration.class))
        .withPropertyValues(
            "acs.endpoint=" + emulator.endpoint(), "acs.access-key=" + emulator.accessKey())
        .withBean(
            AcsIdentityClientBuilderCustomizer.class,
            () -> builder -> builder.httpClient(emulator.httpClient()))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              IdentityId user = context.getBean(IdentityOperations.class).createIdentity();
              assertThat(emulator.identities()).contains(user);
            });
  }

  @Test
  void noConfiguration_failsSayingWhatToSet() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getenv("ACS_CONNECTION_STRING") == null, "ACS_CONNECTION_STRING is set here");
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AcsAutoConfiguration.class))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("acs.connection-string")
                    .hasStackTraceContaining("ACS_CONNECTION_STRING"));
  }

  // ---- back-off

  @Test
  void userTokenProvider_replacesTheCache() {
    runner
        .withUserConfiguration(Application.class)
        .withBean("myTokens", TokenProvider.class, RecordingTokens::new, bd -> bd.setPrimary(true))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(CachingTokenProvider.class);
              assertThat(context.getBean(TokenService.class).tokens())
                  .isInstanceOf(RecordingTokens.class);
            });
  }

  @Test
  void userIdentityOperations_replaceTheInvalidatingOnes() {
    runner
        .withBean(
            "myOperations",
            IdentityOperations.class,
            () ->
                IdentityOperations.afterRevocation(
                    emulator.acsIdentityClientBuilder().build(), id -> {}),
            bd -> bd.setPrimary(true))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBeansOfType(IdentityOperations.class))
                  .containsOnlyKeys("myOperations", "acsIdentityClient");
            });
  }

  @Test
  void userClient_replacesTheClient_andTheCacheUsesIt() {
    AcsIdentityClient mine = emulator.acsIdentityClientBuilder().build();
    runner
        .withBean("myClient", AcsIdentityClient.class, () -> mine)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(AcsIdentityClient.class)).isSameAs(mine);
              assertThat(context).hasSingleBean(CachingTokenProvider.class);
            });
  }

  @Test
  void userCache_replacesTheCache_andTheOperationsInvalidateIt() {
    runner
        .withUserConfiguration(Application.class)
        .withBean(
            "myCache",
            CachingTokenProvider.class,
            () -> CachingTokenProvider.builder(emulator.acsIdentityClientBuilder().build()).build(),
            bd -> bd.setPrimary(true))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(CachingTokenProvider.class);
              assertThat(context.getBean(TokenService.class).tokens())
                  .isSameAs(context.getBean("myCache"));
            });
  }

  // ---- shared tier

  @Test
  void sharedTier_enabled_servesTokensThroughTheTier_evenWithRedisDown() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    runner
        .withUserConfiguration(Application.class)
        .withPropertyValues(
            "acs.shared-tier.enabled=true",
            "acs.shared-tier.redis-uri=redis://127.0.0.1:" + closedPort,
            "acs.shared-tier.encryption-key-id=2026-12",
            "acs.shared-tier.encryption-key=" + key,
            "acs.shared-tier.older-encryption-keys.2026-11=" + key)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(SharedTier.class);
              TokenService service = context.getBean(TokenService.class);
              IdentityId user = service.identities().createIdentity();
              AccessToken token = service.tokens().getToken(TokenRequest.of(user, Scope.CHAT));
              assertThat(emulator.isValid(token.value())).isTrue();
              service.identities().revokeTokens(user);
              assertThat(emulator.isValid(token.value())).isFalse();
            });
  }

  @Test
  void sharedTier_withBothAUriAndClusterSeeds_failsSayingToSetOne() {
    runner
        .withPropertyValues(
            "acs.shared-tier.enabled=true",
            "acs.shared-tier.redis-uri=redis://127.0.0.1:1",
            "acs.shared-tier.redis-cluster=redis://127.0.0.1:2,redis://127.0.0.1:3",
            "acs.shared-tier.encryption-key=" + Base64.getEncoder().encodeToString(new byte[16]))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(
                        "acs.shared-tier.redis-uri and acs.shared-tier.redis-cluster are both set"));
  }

  @Test
  void sharedTier_withClusterSeeds_buildsTheTierOnTheClusterClient() {
    runner
        .withPropertyValues(
            "acs.shared-tier.enabled=true",
            "acs.shared-tier.redis-cluster=redis://127.0.0.1:1,redis://127.0.0.1:2",
            "acs.shared-tier.encryption-key=" + Base64.getEncoder().encodeToString(new byte[16]))
        .run(
            context -> {
              // the cluster client connects in the background: nothing listens there, and the
              // context still starts (the cache goes to ACS until the tier answers)
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(SharedTier.class);
            });
  }

  @Test
  void sharedTier_withoutEncryptionKey_failsNamingTheProperty() {
    runner
        .withPropertyValues(
            "acs.shared-tier.enabled=true", "acs.shared-tier.redis-uri=redis://127.0.0.1:1")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("acs.shared-tier.encryption-key"));
  }

  @Test
  void sharedTier_withAKeyThatIsNotBase64_failsNamingThePropertyWithoutTheValue() {
    String notBase64 = "not base64 but a secret!";
    runner
        .withPropertyValues(
            "acs.shared-tier.enabled=true",
            "acs.shared-tier.redis-uri=redis://127.0.0.1:1",
            "acs.shared-tier.encryption-key=" + notBase64)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("invalid acs.shared-tier.encryption-key")
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(notBase64)));
  }

  @Test
  void sharedTier_withAPasswordInAMalformedUri_failsWithoutThePassword() {
    runner
        .withPropertyValues(
            "acs.shared-tier.enabled=true",
            "acs.shared-tier.redis-uri=redis://user:hunter2@[bad",
            "acs.shared-tier.encryption-key=" + Base64.getEncoder().encodeToString(new byte[16]))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("invalid acs.shared-tier.redis-uri")
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("hunter2")));
  }

  @Test
  void sharedTier_withTheCacheDisabled_failsSayingWhy() {
    runner
        .withPropertyValues("acs.shared-tier.enabled=true", "acs.cache.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("acs.shared-tier.enabled=true needs the cache"));
  }

  @Test
  void sharedTier_withoutTheRedisModule_failsSayingWhatToAdd() {
    runner
        .withClassLoader(new FilteredClassLoader("dev.acstoken.cache.redis"))
        .withPropertyValues("acs.shared-tier.enabled=true")
        .run(
            context ->
                assertThat(context).getFailure().hasStackTraceContaining("acs-token-cache-redis"));
  }

  @Test
  void sharedTier_disabled_hasNoTier() {
    runner.run(context -> assertThat(context).doesNotHaveBean(SharedTier.class));
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }

  /** A token provider of the application's own. */
  static final class RecordingTokens implements TokenProvider {
    @Override
    public AccessToken getToken(TokenRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.concurrent.CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
      throw new UnsupportedOperationException();
    }
  }
}
