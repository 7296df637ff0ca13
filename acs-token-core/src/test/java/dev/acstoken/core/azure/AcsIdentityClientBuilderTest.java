package dev.acstoken.core.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

class AcsIdentityClientBuilderTest {

  static final String KEY = ConnectionStringTest.KEY;
  static final String ENDPOINT = ConnectionStringTest.ENDPOINT;
  static final String CONNECTION_STRING = "endpoint=" + ENDPOINT + ";accesskey=" + KEY;
  static final TokenCredential CREDENTIAL = request -> Mono.empty();

  @Test
  void build_connectionString_usesItsEndpointAndDefaultTimeout() {
    AcsIdentityClient client = AcsIdentityClient.create(CONNECTION_STRING);

    assertThat(client.endpoint()).isEqualTo(ENDPOINT);
    assertThat(client.timeout()).isEqualTo(AcsIdentityClient.DEFAULT_TIMEOUT);
    assertThat(client.toString()).contains(ENDPOINT).doesNotContain(KEY);
  }

  @Test
  void build_endpointAndAccessKey_builds() {
    AcsIdentityClient client =
        AcsIdentityClient.builder().endpoint(ENDPOINT).accessKey(KEY).build();

    assertThat(client.endpoint()).isEqualTo(ENDPOINT);
  }

  @Test
  void build_endpointAndCredential_builds() {
    AcsIdentityClient client =
        AcsIdentityClient.builder()
            .endpoint("https://contoso.communication.azure.com")
            .credential(CREDENTIAL)
            .timeout(Duration.ofSeconds(5))
            .build();

    assertThat(client.endpoint()).isEqualTo(ENDPOINT);
    assertThat(client.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void build_noWayToAuthenticate_throwsListingTheWays() {
    assertThatThrownBy(() -> AcsIdentityClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("give exactly one way to authenticate")
        .hasMessageEndingWith("got 0");
    assertThatThrownBy(() -> AcsIdentityClient.builder().endpoint(ENDPOINT).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("got 0");
  }

  @Test
  void build_twoWaysToAuthenticate_throws() {
    assertThatThrownBy(
            () ->
                AcsIdentityClient.builder()
                    .connectionString(CONNECTION_STRING)
                    .accessKey(KEY)
                    .endpoint(ENDPOINT)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("got 2");
    assertThatThrownBy(
            () ->
                AcsIdentityClient.builder()
                    .endpoint(ENDPOINT)
                    .accessKey(KEY)
                    .credential(CREDENTIAL)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("got 2");
  }

  @Test
  void build_connectionStringAndEndpoint_throws() {
    assertThatThrownBy(
            () ->
                AcsIdentityClient.builder()
                    .connectionString(CONNECTION_STRING)
                    .endpoint(ENDPOINT)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the connection string names the endpoint");
  }

  @Test
  void build_accessKeyOrCredentialWithoutEndpoint_throws() {
    assertThatThrownBy(() -> AcsIdentityClient.builder().accessKey(KEY).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("accessKey(...) needs endpoint(...) too");
    assertThatThrownBy(() -> AcsIdentityClient.builder().credential(CREDENTIAL).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("credential(...) needs endpoint(...) too");
  }

  @Test
  void accessKey_notBase64_throwsWithoutTheKey() {
    assertThatThrownBy(() -> AcsIdentityClient.builder().accessKey("not base64 at all!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("access key is not valid base64")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not base64 at all!"));
  }

  @Test
  void endpoint_notHttps_throws() {
    assertThatThrownBy(() -> AcsIdentityClient.builder().endpoint("http://contoso/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must use https");
  }

  @Test
  void connectionString_invalid_throwsWithoutTheKey() {
    assertThatThrownBy(() -> AcsIdentityClient.create("endpoint=http://contoso/;accesskey=" + KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
  }

  @Test
  void setters_null_throwNamingTheArgument() {
    AcsIdentityClient.Builder b = AcsIdentityClient.builder();

    assertThatThrownBy(() -> b.endpoint(null)).hasMessage("endpoint must not be null");
    assertThatThrownBy(() -> b.accessKey(null)).hasMessage("access key must not be null");
    assertThatThrownBy(() -> b.credential(null)).hasMessage("credential must not be null");
    assertThatThrownBy(() -> b.httpClient(null)).hasMessage("HTTP client must not be null");
    assertThatThrownBy(() -> b.retryOptions(null)).hasMessage("retry options must not be null");
    assertThatThrownBy(() -> b.timeout(null)).hasMessage("timeout must not be null");
    assertThatThrownBy(() -> b.connectionString((ConnectionString) null))
        .hasMessage("connection string must not be null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "-PT1S", "PT10M0.001S", "PT1H"})
  void timeout_outOfRange_throws(String timeout) {
    assertThatThrownBy(() -> AcsIdentityClient.builder().timeout(Duration.parse(timeout)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be more than zero and at most PT10M; got ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0.001S", "PT30S", "PT10M"})
  void timeout_inRange_kept(String timeout) {
    AcsIdentityClient client =
        AcsIdentityClient.builder()
            .connectionString(CONNECTION_STRING)
            .timeout(Duration.parse(timeout))
            .build();

    assertThat(client.timeout()).isEqualTo(Duration.parse(timeout));
  }

  @Test
  @DisabledIfEnvironmentVariable(named = "ACS_CONNECTION_STRING", matches = ".*")
  void fromEnvironment_variableUnset_throwsNamingIt() {
    assertThatThrownBy(AcsIdentityClient::fromEnvironment)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("environment variable ACS_CONNECTION_STRING is not set");
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "ACS_CONNECTION_STRING", matches = ".+")
  void fromEnvironment_variableSet_builds() {
    assertThat(AcsIdentityClient.fromEnvironment().endpoint()).startsWith("https://");
  }

  @Test
  void operations_invalidArguments_throwBeforeAnyNetworkCall() {
    // the endpoint does not exist: any call that reached the network would fail differently
    AcsIdentityClient client =
        AcsIdentityClient.create("endpoint=https://nowhere.invalid/;accesskey=" + KEY);

    assertThatThrownBy(() -> client.getToken(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token request must not be null");
    assertThatThrownBy(() -> client.getTokenAsync(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.createIdentityWithToken(Set.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("at least one scope is required; allowed: chat, voip");
    assertThatThrownBy(() -> client.createIdentityWithToken(null, TokenLifetime.MIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scopes must not be null");
    assertThatThrownBy(
            () ->
                client.createIdentityWithTokenAsync(
                    new HashSet<>(Arrays.asList(Scope.VOIP, null)), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scopes must not contain null");
    assertThatThrownBy(() -> client.revokeTokens(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity must not be null");
    assertThatThrownBy(() -> client.deleteIdentityAsync(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity must not be null");
    assertThatThrownBy(() -> client.exchangeTeamsToken(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Teams token request must not be null");
  }

  @Test
  void withoutBodies_bodyLevelsFromTheEnvironment_downgradedToHeadersOrBasic() {
    assertThat(
            AcsIdentityClient.withoutBodies(
                    new HttpLogOptions().setLogLevel(HttpLogDetailLevel.BODY_AND_HEADERS))
                .getLogLevel())
        .isEqualTo(HttpLogDetailLevel.HEADERS);
    assertThat(
            AcsIdentityClient.withoutBodies(
                    new HttpLogOptions().setLogLevel(HttpLogDetailLevel.BODY))
                .getLogLevel())
        .isEqualTo(HttpLogDetailLevel.BASIC);
    for (HttpLogDetailLevel kept :
        new HttpLogDetailLevel[] {
          HttpLogDetailLevel.NONE, HttpLogDetailLevel.BASIC, HttpLogDetailLevel.HEADERS
        }) {
      assertThat(
              AcsIdentityClient.withoutBodies(new HttpLogOptions().setLogLevel(kept)).getLogLevel())
          .isEqualTo(kept);
    }
  }

  @Test
  void getTokenAsync_futureCancelled_cancelsTheHttpRequest() throws InterruptedException {
    java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
    AcsIdentityClient client =
        AcsIdentityClient.builder()
            .connectionString(CONNECTION_STRING)
            .httpClient(
                request ->
                    Mono.<com.azure.core.http.HttpResponse>never()
                        .doOnSubscribe(s -> sent.countDown())
                        .doOnCancel(cancelled::countDown))
            .build();

    java.util.concurrent.CompletableFuture<dev.acstoken.core.AccessToken> future =
        client.getTokenAsync(
            dev.acstoken.core.TokenRequest.of(
                dev.acstoken.core.IdentityId.of("8:spool:someone"), Scope.VOIP));
    assertThat(sent.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    future.cancel(true);

    assertThat(cancelled.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }
}
