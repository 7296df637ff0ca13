package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answers where the SDKs' recorded sessions of the real service show what it does, and the emulator
 * once did otherwise.
 */
class EmulatorFidelityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEAMS = "/teamsUser/:exchangeAccessToken?api-version=2022-10-01";

  private static AcsEmulator acs;
  private static RawClient raw;

  @BeforeAll
  static void start() {
    acs = AcsEmulator.builder().clock(MutableClock.systemStart()).start();
    raw = new RawClient(acs);
  }

  @AfterAll
  static void stop() {
    acs.close();
  }

  @Test
  void teamsExchange_emptyToken_is401InvalidAccessToken() throws IOException {
    String body =
        "{\"token\":\"\",\"appId\":\""
            + UUID.randomUUID()
            + "\",\"userId\":\""
            + UUID.randomUUID()
            + "\"}";

    HttpResponse<String> r = raw.send("POST", TEAMS, body);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(error(r).get("code").asText()).isEqualTo("InvalidAccessToken");
    assertThat(error(r).get("message").asText()).isEqualTo("Provided access token is not valid.");
  }

  @Test
  void teamsExchange_tokenFieldMissingOrNull_is400() throws IOException {
    for (String body : new String[] {"{\"appId\":\"a\"}", "{\"token\":null}"}) {
      HttpResponse<String> r = raw.send("POST", TEAMS, body);

      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(error(r).get("message").asText())
          .isEqualTo("The body is either missing or doesn't contain any token.");
    }
  }

  @Test
  void teamsExchange_errorAnswer_hasNoApiSupportedVersions() {
    HttpResponse<String> r = raw.send("POST", TEAMS, "{\"token\":\"\"}");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("api-supported-versions")).isEmpty();
    assertThat(r.headers().firstValue("MS-CV")).isPresent();
  }

  @Test
  void issueToken_emptyScopeList_isItsOwnValidationError() throws IOException {
    String id = createIdentity();

    HttpResponse<String> r = raw.send("POST", issuePath(id), "{\"scopes\":[]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("code").asText()).isEqualTo("ValidationError");
    assertThat(error(r).get("message").asText())
        .isEqualTo("Invalid scopes - Scopes field is required.");
    assertThat(error(r).get("target").asText()).isEqualTo("scopes");
  }

  @Test
  void issueToken_nullScopes_isScopesRequired() throws IOException {
    String id = createIdentity();

    HttpResponse<String> r = raw.send("POST", issuePath(id), "{\"scopes\":null}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).isEqualTo("Scopes: The Scopes field is required.");
    assertThat(error(r).get("target").asText()).isEqualTo("Scopes");
  }

  @Test
  void issueToken_sameIdentityAndScopesInOneInstant_afterRevoke_givesANewToken()
      throws IOException {
    String id = createIdentity();
    String body = "{\"scopes\":[\"voip\"]}";

    String first =
        JSON.readTree(raw.send("POST", issuePath(id), body).body()).get("token").asText();
    String second =
        JSON.readTree(raw.send("POST", issuePath(id), body).body()).get("token").asText();
    raw.send("POST", "/identities/" + id + "/:revokeAccessTokens?api-version=2022-10-01", "");
    String third =
        JSON.readTree(raw.send("POST", issuePath(id), body).body()).get("token").asText();

    assertThat(second).isNotEqualTo(first);
    assertThat(third).isNotEqualTo(first).isNotEqualTo(second);
    assertThat(acs.isValid(first)).isFalse();
    assertThat(acs.isValid(third)).isTrue();
  }

  private static String createIdentity() throws IOException {
    return JSON.readTree(raw.send("POST", "/identities?api-version=2022-10-01", "{}").body())
        .at("/identity/id")
        .asText();
  }

  private static String issuePath(String id) {
    return "/identities/" + id + "/:issueAccessToken?api-version=2022-10-01";
  }

  private static JsonNode error(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body()).get("error");
  }
}
