package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acstoken.core.IdentityId;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the SDKs never send: raw requests, signed by hand, against the emulator. */
class EmulatorWireTest {

  private static final MutableClock CLOCK = MutableClock.systemStart();
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final AcsEmulatorExtension ACS =
      AcsEmulatorExtension.using(AcsEmulator.builder().clock(CLOCK));

  private static RawClient raw() {
    return new RawClient(ACS.emulator());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static void assertAcsError(
      HttpResponse<String> r, int status, String code, String message, String target)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode error = json(r).get("error");
    assertThat(error.get("code").asText()).isEqualTo(code);
    if (message != null) {
      assertThat(error.get("message").asText()).isEqualTo(message);
    }
    if (target != null) {
      assertThat(error.get("target").asText()).isEqualTo(target);
    } else {
      assertThat(error.has("target")).isFalse();
    }
  }

  private static String createIdentity(RawClient raw) throws Exception {
    HttpResponse<String> r = raw.send("POST", "/identities?api-version=2023-10-01", "{}");
    assertThat(r.statusCode()).isEqualTo(201);
    return json(r).get("identity").get("id").asText();
  }

  // ---- paths, hosts and signatures

  @Test
  void issueToken_percentEncodedIdAsJsSdkSendsIt_isServed() throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);
    String path =
        "/identities/"
            + URLEncoder.encode(id, StandardCharsets.UTF_8)
            + "/:issueAccessToken?api-version=2023-10-01";
    assertThat(path).contains("8%3Aacs%3A");

    HttpResponse<String> r = raw.send("POST", path, "{\"scopes\":[\"chat.join\"]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ACS.emulator().isValid(json(r).get("token").asText())).isTrue();
  }

  @Test
  void hostSignedWithPort_asJsSdkSignsIt_isAccepted() {
    RawClient raw = raw();
    RawClient.Signing s = raw.signing();
    s.hostWithPort = true;

    assertThat(raw.send("POST", "/identities?api-version=2022-10-01", "{}", s).statusCode())
        .isEqualTo(201);
  }

  @Test
  void missingAuthorization_is401WithAcsBody() throws Exception {
    RawClient raw = raw();
    RawClient.Signing s = raw.signing();
    s.omitAuthorization = true;

    assertAcsError(
        raw.send("POST", "/identities?api-version=2022-10-01", "{}", s),
        401,
        "Denied",
        "Denied by the resource provider.",
        null);
  }

  @Test
  void malformedAuthorization_is401() throws Exception {
    RawClient raw = raw();
    RawClient.Signing s = raw.signing();
    s.authorizationOverride = "HMAC-SHA256 Signature";

    assertAcsError(
        raw.send("POST", "/identities?api-version=2022-10-01", "{}", s), 401, "Denied", null, null);
  }

  @Test
  void wrongKey_is401() throws Exception {
    RawClient raw = raw();
    RawClient.Signing s = raw.signing();
    s.key = Base64.getEncoder().encodeToString("another key".getBytes(StandardCharsets.UTF_8));

    assertAcsError(
        raw.send("POST", "/identities?api-version=2022-10-01", "{}", s), 401, "Denied", null, null);
  }

  @Test
  void dateSixteenMinutesOld_is401_andFourteenPasses() {
    RawClient raw = raw();
    RawClient.Signing old = raw.signing();
    old.date = old.date.minusMinutes(16);
    RawClient.Signing recent = raw.signing();
    recent.date = recent.date.minusMinutes(14);

    assertThat(raw.send("POST", "/identities?api-version=2022-10-01", "{}", old).statusCode())
        .isEqualTo(401);
    assertThat(raw.send("POST", "/identities?api-version=2022-10-01", "{}", recent).statusCode())
        .isEqualTo(201);
  }

  @Test
  void bodyNotMatchingItsHash_is401() {
    RawClient raw = raw();
    RawClient.Signing s = raw.signing();
    s.hashOverride = HmacVerifier.contentHash("{}".getBytes(StandardCharsets.UTF_8));

    assertThat(
            raw.send(
                    "POST",
                    "/identities?api-version=2022-10-01",
                    "{\"createTokenWithScopes\":[\"chat\"]}",
                    s)
                .statusCode())
        .isEqualTo(401);
  }

  // ---- api-versions

  @ParameterizedTest
  @ValueSource(strings = {"2021-03-07", "2022-06-01", "2022-10-01", "2023-10-01"})
  void supportedApiVersion_isServedWithHeaders(String version) {
    HttpResponse<String> r =
        raw()
            .send(
                "POST",
                "/identities?api-version=" + version,
                "{\"createTokenWithScopes\":[\"voip\"]}");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("api-supported-versions"))
        .contains("2021-03-07, 2022-06-01, 2022-10-01, 2023-10-01");
    assertThat(r.headers().firstValue("MS-CV")).isPresent();
    assertThat(r.headers().firstValue("X-Processing-Time")).isPresent();
    assertThat(r.headers().firstValue("x-ms-client-request-id")).contains("raw-client-request");
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
  }

  @Test
  void unsupportedApiVersion_is400UnsupportedApiVersion() throws Exception {
    HttpResponse<String> r =
        raw().send("POST", "/identities?api-version=2020-07-20-preview2", "{}");

    assertAcsError(r, 400, "UnsupportedApiVersion", null, null);
    assertThat(json(r).get("error").get("message").asText())
        .endsWith("/identities' does not support the API version '2020-07-20-preview2'.");
  }

  @Test
  void missingApiVersion_is400() throws Exception {
    assertAcsError(
        raw().send("POST", "/identities", "{}"), 400, "MissingApiVersionParameter", null, null);
  }

  @ParameterizedTest
  @CsvSource({"2022-10-01,400", "2023-10-01,200"})
  void joinScopes_existFrom2023(String version, int status) throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);

    HttpResponse<String> r =
        raw.send(
            "POST",
            "/identities/" + id + "/:issueAccessToken?api-version=" + version,
            "{\"scopes\":[\"chat.join.limited\",\"voip.join\"]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
  }

  // ---- validation and the error catalogue

  @Test
  void issueToken_withoutScopes_isScopesRequired() throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);

    assertAcsError(
        raw.send("POST", "/identities/" + id + "/:issueAccessToken?api-version=2022-10-01", "{}"),
        400,
        "ValidationError",
        "Scopes: The Scopes field is required.",
        "Scopes");
  }

  @ParameterizedTest
  @ValueSource(ints = {59, 1441, -1, 0})
  void expiresInMinutesOutOfRange_isExactValidationError(int minutes) throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);

    assertAcsError(
        raw.send(
            "POST",
            "/identities/" + id + "/:issueAccessToken?api-version=2022-10-01",
            "{\"scopes\":[\"chat\"],\"expiresInMinutes\":" + minutes + "}"),
        400,
        "ValidationError",
        "ExpiresInMinutes value "
            + minutes
            + " is invalid. Value must be within the [60, 1440] interval.",
        "ExpiresInMinutes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{",
        "not json",
        "[]",
        "{\"scopes\":\"chat\"}",
        "{\"scopes\":[1]}",
        "{\"scopes\":[\"chat\"],\"expiresInMinutes\":\"60\"}",
        "{\"scopes\":[\"chat\"],\"expiresInMinutes\":60.5}",
        "{\"scopes\":[\"chat\"],\"expiresInMinutes\":99999999999}",
        "{\"scopes\":[\"chat\"]} trailing",
        "{\"scopes\":[\"root\"]}"
      })
  void badBody_is400ValidationError_andEmulatorKeepsServing(String body) throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);

    HttpResponse<String> r =
        raw.send("POST", "/identities/" + id + "/:issueAccessToken?api-version=2022-10-01", body);

    assertAcsError(
        r,
        400,
        "ValidationError",
        null,
        json(r).get("error").has("target") ? json(r).get("error").get("target").asText() : null);
    assertThat(createIdentity(raw)).isNotBlank();
  }

  @Test
  void randomBodiesOnEveryRoute_neverGetA5xx_andAlwaysAnAcsBody() throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);
    String[] paths = {
      "/identities?api-version=2023-10-01",
      "/identities/" + id + "/:issueAccessToken?api-version=2023-10-01",
      "/teamsUser/:exchangeAccessToken?api-version=2023-10-01"
    };
    String[] pieces = {
      "{",
      "}",
      "[",
      "]",
      "\"",
      ":",
      ",",
      "null",
      "true",
      "1e999",
      "-1",
      "\"scopes\"",
      "\"expiresInMinutes\"",
      "\"token\"",
      "\"appId\"",
      "\"chat\"",
      "\\u0000",
      "é",
      " "
    };
    java.util.Random random = new java.util.Random(20261124);
    for (int i = 0; i < 150; i++) {
      StringBuilder body = new StringBuilder();
      int n = random.nextInt(12);
      for (int j = 0; j < n; j++) {
        body.append(pieces[random.nextInt(pieces.length)]);
      }
      HttpResponse<String> r = raw.send("POST", paths[i % paths.length], body.toString());
      assertThat(r.statusCode()).as(body.toString()).isLessThan(500);
      if (r.statusCode() >= 400) {
        assertThat(json(r).get("error").get("code").asText()).as(body.toString()).isNotBlank();
      }
    }
  }

  @Test
  void hugeBody_is413WithAcsBody() throws Exception {
    String body = "{\"scopes\":[\"chat\"],\"pad\":\"" + "x".repeat(300_000) + "\"}";

    assertAcsError(
        raw().send("POST", "/identities?api-version=2022-10-01", body),
        413,
        "RequestEntityTooLarge",
        null,
        null);
  }

  @Test
  void unknownRoute_is404_andWrongMethodIs405() throws Exception {
    RawClient raw = raw();
    assertAcsError(
        raw.send("GET", "/nothing-here?api-version=2022-10-01", ""), 404, "NotFound", null, null);
    assertAcsError(
        raw.send("GET", "/identities?api-version=2022-10-01", ""),
        405,
        "MethodNotAllowed",
        null,
        null);
  }

  @Test
  void malformedIdentityInPath_is400() throws Exception {
    RawClient raw = raw();
    assertAcsError(
        raw.send("POST", "/identities/nonsense/:revokeAccessTokens?api-version=2022-10-01", ""),
        400,
        "ValidationError",
        null,
        "id");
  }

  @Test
  void revokeAndDelete_are204WithoutBody() throws Exception {
    RawClient raw = raw();
    String id = createIdentity(raw);

    HttpResponse<String> revoke =
        raw.send("POST", "/identities/" + id + "/:revokeAccessTokens?api-version=2022-10-01", "");
    HttpResponse<String> delete =
        raw.send("DELETE", "/identities/" + id + "?api-version=2022-10-01", "");

    assertThat(revoke.statusCode()).isEqualTo(204);
    assertThat(revoke.body()).isEmpty();
    assertThat(delete.statusCode()).isEqualTo(204);
    assertThat(ACS.emulator().deletedIdentities()).containsExactly(IdentityId.of(id));
  }

  @Test
  void identityOfAnotherResource_is401IdentityNotOwned() throws Exception {
    String foreign = "8:acs:" + UUID.randomUUID() + "_" + UUID.randomUUID();

    assertAcsError(
        raw().send("DELETE", "/identities/" + foreign + "?api-version=2022-10-01", ""),
        401,
        "IdentityNotOwned",
        "Provided identity doesn't belong to the resource.",
        null);
  }

  @Test
  void teamsExchange_errorCatalogue() throws Exception {
    RawClient raw = raw();
    String path = "/teamsUser/:exchangeAccessToken?api-version=2022-10-01";
    String app = UUID.randomUUID().toString();
    String user = UUID.randomUUID().toString();
    String token = FakeEntraToken.create(app, user, CLOCK.instant().plusSeconds(3600));

    assertAcsError(
        raw.send("POST", path, ""),
        400,
        "ValidationError",
        "The body is either missing or doesn't contain any token.",
        null);
    assertAcsError(
        raw.send("POST", path, "{\"appId\":\"" + app + "\"}"),
        400,
        "ValidationError",
        "The body is either missing or doesn't contain any token.",
        null);
    assertAcsError(
        raw.send(
            "POST",
            path,
            "{\"token\":\"x.y.z\",\"appId\":\"" + app + "\",\"userId\":\"" + user + "\"}"),
        401,
        "InvalidAccessToken",
        "Provided access token is not valid.",
        null);
    assertAcsError(
        raw.send(
            "POST",
            path,
            "{\"token\":\"" + token + "\",\"appId\":\"\",\"userId\":\"" + user + "\"}"),
        400,
        "ValidationError",
        "AppId: The AppId field is required.",
        "AppId");
    assertAcsError(
        raw.send("POST", path, "{\"token\":\"" + token + "\",\"appId\":\"" + app + "\"}"),
        400,
        "ValidationError",
        "UserId: The UserId field is required.",
        "UserId");
    assertAcsError(
        raw.send(
            "POST",
            path,
            "{\"token\":\"" + token + "\",\"appId\":\"nope\",\"userId\":\"" + user + "\"}"),
        400,
        "ValidationError",
        "Provided AppId has invalid format.",
        "appId");
    assertAcsError(
        raw.send(
            "POST",
            path,
            "{\"token\":\"" + token + "\",\"appId\":\"" + app + "\",\"userId\":\"nope\"}"),
        400,
        "ValidationError",
        "Provided UserId has invalid format.",
        "userId");
    HttpResponse<String> ok =
        raw.send(
            "POST",
            path,
            "{\"token\":\"" + token + "\",\"appId\":\"" + app + "\",\"userId\":\"" + user + "\"}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).get("expiresOn").asText()).endsWith("+00:00");
  }

  // ---- admin routes

  @Test
  void jwks_verifiesIssuedTokens() throws Exception {
    RawClient raw = raw();
    HttpResponse<String> created =
        raw.send(
            "POST", "/identities?api-version=2022-10-01", "{\"createTokenWithScopes\":[\"chat\"]}");
    String token = json(created).get("accessToken").get("token").asText();
    JsonNode key = json(raw.admin("GET", "/_emulator/jwks", "")).get("keys").get(0);
    String[] parts = token.split("\\.");
    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));

    assertThat(header.get("kid").asText()).isEqualTo(key.get("kid").asText());
    assertThat(header.get("x5t").asText()).isEqualTo(key.get("x5t").asText());
    PublicKey pub =
        KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, Base64.getUrlDecoder().decode(key.get("n").asText())),
                    new BigInteger(1, Base64.getUrlDecoder().decode(key.get("e").asText()))));
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(pub);
    v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(v.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
  }

  @Test
  void adminRoutes_inspectFaultAdvanceValidateAndReset() throws Exception {
    RawClient raw = raw();
    HttpResponse<String> created =
        raw.send(
            "POST",
            "/identities?api-version=2022-10-01",
            "{\"createTokenWithScopes\":[\"chat\"],\"expiresInMinutes\":60}");
    String token = json(created).get("accessToken").get("token").asText();

    assertThat(json(raw.admin("GET", "/_emulator/identities", "")).get("identities")).hasSize(1);
    assertThat(json(raw.admin("GET", "/_emulator/requests", "")).get("requests")).hasSize(1);
    assertThat(
            json(raw.admin("POST", "/_emulator/tokens/validate", "{\"token\":\"" + token + "\"}"))
                .get("valid")
                .asBoolean())
        .isTrue();

    assertThat(
            raw.admin(
                    "POST",
                    "/_emulator/faults",
                    "{\"kind\":\"STATUS\",\"status\":429,\"code\":\"TooManyRequests\",\"message\":\"slow\",\"retryAfterSeconds\":3,\"operation\":\"CREATE_IDENTITY\",\"times\":1}")
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> throttled = raw.send("POST", "/identities?api-version=2022-10-01", "{}");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).contains("3");

    assertThat(raw.admin("POST", "/_emulator/clock/advance?seconds=3601", "").statusCode())
        .isEqualTo(200);
    assertThat(ACS.emulator().isValid(token)).isFalse();

    assertThat(raw.admin("POST", "/_emulator/reset", "").statusCode()).isEqualTo(204);
    assertThat(ACS.emulator().identities()).isEmpty();
    assertThat(raw.admin("GET", "/_emulator/unknown", "").statusCode()).isEqualTo(404);
    CLOCK.stepWallClock(Duration.ofSeconds(-3601));
  }

  @Test
  void bearerToken_acceptedOnlyThroughTheConfiguredCheck() {
    try (AcsEmulator acs = AcsEmulator.builder().bearerTokenCheck("good"::equals).start()) {
      RawClient raw = new RawClient(acs);
      RawClient.Signing good = raw.signing();
      good.authorizationOverride = "Bearer good";
      RawClient.Signing bad = raw.signing();
      bad.authorizationOverride = "Bearer bad";

      assertThat(raw.send("POST", "/identities?api-version=2022-10-01", "{}", good).statusCode())
          .isEqualTo(201);
      assertThat(raw.send("POST", "/identities?api-version=2022-10-01", "{}", bad).statusCode())
          .isEqualTo(401);
    }
  }
}
