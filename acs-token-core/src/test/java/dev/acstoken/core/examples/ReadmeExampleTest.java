package dev.acstoken.core.examples;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.acstoken.core.stub.StubAcsServer.error;
import static dev.acstoken.core.stub.StubAcsServer.identityPath;
import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.core.stub.StubAcsServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadmeExampleTest {

  static StubAcsServer acs;
  String identity;
  TokenRequest request;

  @BeforeAll
  static void start() {
    acs = StubAcsServer.start();
  }

  @AfterAll
  static void stop() {
    acs.close();
  }

  @BeforeEach
  void reset() {
    acs.wireMock().resetAll();
    identity = StubAcsServer.newIdentityId();
    request = TokenRequest.of(IdentityId.of(identity), Scope.VOIP);
  }

  @Test
  void quickstart_againstTheStub_runsEveryStepWithoutShowingTheToken() {
    List<String> tokens = acs.stubEveryOperation(identity);

    String out =
        ReadmeExample.quickstart(
            acs.connectionString(),
            b -> b.httpClient(acs.httpClient()).retryOptions(StubAcsServer.fastRetries()));

    assertThat(out)
        .contains("identity " + identity)
        .contains("token AccessToken[eyJhbGci…")
        .contains("scopes [voip]")
        .doesNotContain(tokens.get(1));
    assertThat(acs.wireMock().findAll(anyRequestedFor(anyUrl()))).hasSize(4);
  }

  @Test
  void errorHandling_success_returnsExpiry() {
    acs.stubEveryOperation(identity);

    assertThat(ReadmeExample.errorHandling(client(), request))
        .isEqualTo("token until 2023-06-14T11:29:04.290298700Z");
  }

  @Test
  void errorHandling_throttled_usesRetryAfter() {
    acs.wireMock()
        .stubFor(
            post(urlPathEqualTo(identityPath(identity) + "/:issueAccessToken"))
                .willReturn(
                    error(429, "TooManyRequests", "Rate limit exceeded.", null)
                        .withHeader("Retry-After", "0")));

    assertThat(ReadmeExample.errorHandling(client(), request))
        .isEqualTo("throttled, retry in PT0S");
  }

  @Test
  void errorHandling_serviceDown_retryable() {
    acs.wireMock()
        .stubFor(
            post(urlPathEqualTo(identityPath(identity) + "/:issueAccessToken"))
                .willReturn(aResponse().withStatus(503).withBody("<html>down</html>")));

    assertThat(ReadmeExample.errorHandling(client(), request)).startsWith("retry later: ");
  }

  @Test
  void errorHandling_identityNotOwned_failsForGood() {
    acs.wireMock()
        .stubFor(
            post(urlPathEqualTo(identityPath(identity) + "/:issueAccessToken"))
                .willReturn(
                    error(
                        401,
                        "IdentityNotOwned",
                        "Provided identity doesn't belong to the resource.",
                        null)));

    assertThat(ReadmeExample.errorHandling(client(), request))
        .isEqualTo("failed for good: IdentityNotOwned");
  }

  private static AcsIdentityClient client() {
    return acs.clientBuilder().build();
  }
}
