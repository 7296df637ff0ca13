package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claims of this module's README about the HTTPS emulator that no other test holds it to: the
 * policies where the public record is silent, the order of checks, and "bad input never gets a 500"
 * on the admin routes. Raw requests through the public API only.
 */
@Timeout(60)
class EmulatorReadmeClaimsTest {

  private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private static final String RESOURCE = "0f0e0d0c-0b0a-4909-8807-060504030201";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final AcsEmulatorExtension ACS =
      AcsEmulatorExtension.using(AcsEmulator.builder().clock(CLOCK).resourceId(RESOURCE));

  private static RawClient raw() {
    return new RawClient(ACS.emulator());
  }

  private static JsonNode error(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    return JSON.readTree(r.body()).path("error");
  }

  private static String createIdentity(RawClient raw) throws Exception {
    HttpResponse<String> r = raw.send("POST", "/identities?api-version=2022-10-01", "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).path("identity").path("id").asText();
  }

  /** POST /identities/{id}/:issueAccessToken with the given body. */
  private static HttpResponse<String> issue(RawClient raw, String id, String body)
      throws Exception {
    return raw.send(
        "POST", "/identities/" + id + "/:issueAccessToken?api-version=2022-10-01", body);
  }

  private static String unknownIdentityOfTheResource() {
    return "8:acs:" + RESOURCE + "_" + UUID.randomUUID();
  }

  // ---- admin routes: "Bad input never gets a 500"

  @Test
  void adminClockAdvance_negativeOrOverflowingSeconds_is400AndTheClockStays() throws Exception {
    RawClient raw = raw();
    Instant before = CLOCK.instant();

    for (String seconds : new String[] {"-60", "9223372036854775807"}) {
      HttpResponse<String> r = raw.admin("POST", "/_emulator/clock/advance?seconds=" + seconds, "");

      assertThat(r.statusCode()).as(seconds + ": " + r.body()).isEqualTo(400);
      assertThat(error(r).path("code").asText()).isEqualTo("ValidationError");
      assertThat(error(r).path("target").asText()).isEqualTo("seconds");
    }
    assertThat(CLOCK.instant()).isEqualTo(before);
    assertThat(raw.admin("POST", "/_emulator/clock/advance?seconds=0", "").statusCode())
        .isEqualTo(200);
  }

  @Test
  void adminFault_statusOutsideRangeOrLatencyOverAMinute_is400() throws Exception {
    RawClient raw = raw();
    for (String fault :
        new String[] {
          "{\"kind\":\"STATUS\",\"status\":399}",
          "{\"kind\":\"STATUS\",\"status\":600}",
          "{\"kind\":\"LATENCY\",\"latencyMillis\":60001}",
          "{\"kind\":\"STATUS\",\"status\":503,\"times\":-1}",
          "{\"kind\":\"STATUS\",\"status\":503,\"operation\":\"NO_SUCH_OPERATION\"}",
          "{\"kind\":\"STATUS\",\"status\":503,\"identity\":\"not an id\"}",
          "[1,2]"
        }) {
      HttpResponse<String> r = raw.admin("POST", "/_emulator/faults", fault);

      assertThat(r.statusCode()).as(fault + ": " + r.body()).isEqualTo(400);
      assertThat(error(r).path("code").asText()).isEqualTo("ValidationError");
    }
    assertThat(createIdentity(raw)).startsWith("8:acs:" + RESOURCE + "_");
  }

  // ---- policies

  @Test
  void deleteIdentity_unknownOrAlreadyDeleted_is204() throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);
    String delete = "/identities/" + id + "?api-version=2022-10-01";

    assertThat(raw.send("DELETE", delete, "").statusCode()).isEqualTo(204);
    assertThat(raw.send("DELETE", delete, "").statusCode()).isEqualTo(204);
    assertThat(
            raw.send(
                    "DELETE",
                    "/identities/" + unknownIdentityOfTheResource() + "?api-version=2022-10-01",
                    "")
                .statusCode())
        .isEqualTo(204);
  }

  @Test
  void issueAndRevoke_neverCreatedIdentityOfTheResource_is404IdentityNotFound() throws Exception {
    RawClient raw = raw();
    String id = unknownIdentityOfTheResource();

    for (String[] call :
        new String[][] {
          {
            "/identities/" + id + "/:issueAccessToken?api-version=2022-10-01",
            "{\"scopes\":[\"chat\"]}"
          },
          {"/identities/" + id + "/:revokeAccessTokens?api-version=2022-10-01", ""}
        }) {
      HttpResponse<String> r = raw.send("POST", call[0], call[1]);

      assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
      assertThat(error(r).path("code").asText()).isEqualTo("IdentityNotFound");
      assertThat(error(r).path("message").asText()).isEqualTo("Identity not found.");
    }
  }

  @Test
  void issueToken_propertyNamesInAnyCase_areAccepted() throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);

    HttpResponse<String> r = issue(raw, id, "{\"SCOPES\":[\"voip\"],\"ExpiresInMinutes\":60}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(OffsetDateTime.parse(JSON.readTree(r.body()).path("expiresOn").asText()).toInstant())
        .isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(60)));
  }

  @Test
  void createIdentity_emptyBody_isServedAsAnEmptyObject() throws Exception {
    HttpResponse<String> r = raw().send("POST", "/identities?api-version=2022-10-01", "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(JSON.readTree(r.body()).path("identity").path("id").asText())
        .startsWith("8:acs:" + RESOURCE + "_");
  }

  @Test
  void issueToken_unknownScope_isValidationErrorNamingTheScope() throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);

    HttpResponse<String> issue = issue(raw, id, "{\"scopes\":[\"pstn\"]}");
    HttpResponse<String> create =
        raw.send(
            "POST", "/identities?api-version=2022-10-01", "{\"createTokenWithScopes\":[\"pstn\"]}");

    assertThat(issue.statusCode()).isEqualTo(400);
    assertThat(error(issue).path("message").asText())
        .isEqualTo("Scopes: Requested value 'pstn' is not a valid scope.");
    assertThat(error(issue).path("target").asText()).isEqualTo("Scopes");
    assertThat(create.statusCode()).isEqualTo(400);
    assertThat(error(create).path("message").asText())
        .isEqualTo("CreateTokenWithScopes: Requested value 'pstn' is not a valid scope.");
    assertThat(error(create).path("target").asText()).isEqualTo("CreateTokenWithScopes");
  }

  @Test
  void issueToken_wrongJsonType_namesTheFieldPath() throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);

    HttpResponse<String> r =
        issue(raw, id, "{\"scopes\":[\"chat\"],\"expiresInMinutes\":\"sixty\"}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).path("code").asText()).isEqualTo("ValidationError");
    assertThat(error(r).path("message").asText())
        .startsWith("The JSON value could not be converted to ")
        .endsWith(". Path: $.expiresInMinutes.");
    assertThat(error(r).path("target").asText()).isEqualTo("$.expiresInMinutes");
  }

  // ---- order of checks: ... fault → authentication → api-version → ownership → body → existence

  @Test
  void injectedFault_comesBeforeAuthentication() throws Exception {
    ACS.emulator().inject(Fault.status(503, "ServiceUnavailable", "Try later.").times(1));
    RawClient raw = raw();
    RawClient.Signing wrongKey = raw.signing();
    wrongKey.key = "d3Jvbmcta2V5LXdyb25nLWtleQ==";

    HttpResponse<String> r = raw.send("POST", "/identities?api-version=2022-10-01", "{}", wrongKey);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(raw.send("POST", "/identities?api-version=2022-10-01", "{}", wrongKey).statusCode())
        .isEqualTo(401);
  }

  @Test
  void apiVersion_isCheckedBeforeOwnership_andBodyBeforeExistence() throws Exception {
    RawClient raw = raw();
    String foreign = "8:acs:" + UUID.randomUUID() + "_" + UUID.randomUUID();

    HttpResponse<String> badVersion =
        raw.send(
            "POST", "/identities/" + foreign + "/:revokeAccessTokens?api-version=1999-01-01", "");
    HttpResponse<String> badBody =
        raw.send(
            "POST",
            "/identities/"
                + unknownIdentityOfTheResource()
                + "/:issueAccessToken?api-version=2022-10-01",
            "{\"scopes\":[]}");

    assertThat(badVersion.statusCode()).isEqualTo(400);
    assertThat(error(badVersion).path("code").asText()).isEqualTo("UnsupportedApiVersion");
    assertThat(badBody.statusCode()).isEqualTo(400);
    assertThat(error(badBody).path("message").asText())
        .isEqualTo("Invalid scopes - Scopes field is required.");
  }

  @Test
  void xMsDate_isCheckedAgainstTheWallClock_notTheSimulatedClock() throws Exception {
    // the simulated clock is years away from the real date; a request signed now still passes
    RawClient raw = raw();

    assertThat(raw.send("POST", "/identities?api-version=2022-10-01", "{}").statusCode())
        .isEqualTo(201);
    CLOCK.advance(Duration.ofHours(2));
    assertThat(raw.send("POST", "/identities?api-version=2022-10-01", "{}").statusCode())
        .isEqualTo(201);
  }

  // ---- "a Host that names the emulator (127.0.0.1, localhost or [::1], with its port or without)"

  @Test
  void host_namingTheEmulatorAnyOfItsWays_isServed_andAnotherHostIsDenied() {
    AcsEmulator acs = ACS.emulator();
    byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String create = "/identities?api-version=2022-10-01";
    int port = acs.port();
    try (RawHttp c = RawHttp.connect(acs)) {
      for (String host :
          new String[] {
            "127.0.0.1",
            "127.0.0.1:" + port,
            "localhost",
            "localhost:" + port,
            "[::1]",
            "[::1]:" + port
          }) {
        RawHttp.Answer a = c.exchange(RawHttp.signed(acs, "POST", create, body, host, ""), body);

        assertThat(a.status).as(host + ": " + a.body).isEqualTo(201);
      }
      RawHttp.Answer other =
          c.exchange(RawHttp.signed(acs, "POST", create, body, "example.com", ""), body);
      assertThat(other.status).isEqualTo(401);
    }
  }
}
