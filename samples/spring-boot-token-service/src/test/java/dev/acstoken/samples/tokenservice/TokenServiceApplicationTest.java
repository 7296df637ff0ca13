package dev.acstoken.samples.tokenservice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityId;
import dev.acstoken.spring.test.AutoConfigureAcsEmulator;
import dev.acstoken.testkit.AcsEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The service over HTTP, against the emulator. Only HTTP and the emulator's inspection are used, so
 * that the same test runs on Spring Boot 3.5 and 4.0.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // every health check probes ACS, so that the outage test sees it at once
    properties = {
      "acs.health.cache-time=0s",
      // the most talkative web logging: the token must still appear in no line
      "logging.level.org.springframework.web=TRACE",
      "logging.level.dev.acstoken=DEBUG"
    })
@AutoConfigureAcsEmulator
@ExtendWith(OutputCaptureExtension.class)
class TokenServiceApplicationTest {

  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern USER =
      Pattern.compile("\"communicationUserId\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern EXPIRES = Pattern.compile("\"expiresOn\"\\s*:\\s*\"([^\"]+)\"");

  // the acs component's object: its details, and the cache's within them, nest two levels deep
  private static final Pattern ACS_COMPONENT =
      Pattern.compile("\"acs\"\\s*:\\s*\\{((?:[^{}]|\\{(?:[^{}]|\\{[^{}]*\\})*\\})*)\\}");
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

  private static final String FRONT_END = "https://chat.example";

  /** A browser front end on another origin, allowed by the application's own CORS mapping. */
  @TestConfiguration(proxyBeanMethods = false)
  static class FrontEndCors implements WebMvcConfigurer {
    @Override
    public void addCorsMappings(CorsRegistry registry) {
      registry.addMapping("/acs/token").allowedOrigins(FRONT_END).allowedMethods("POST");
    }
  }

  private final HttpClient http = HttpClient.newHttpClient();

  @Autowired Environment environment;
  @Autowired AcsEmulator acs;

  @Test
  void getToken_forANewIdentity_servesAValidToken_fromTheCacheTheSecondTime() throws Exception {
    IdentityId user = createIdentity();

    HttpResponse<String> first =
        send("GET", "/token?identity=" + user.value() + "&scopes=chat,voip");
    HttpResponse<String> second =
        send("GET", "/token?identity=" + user.value() + "&scopes=voip,chat");

    assertThat(first.statusCode()).isEqualTo(200);
    String token = match(TOKEN, first.body());
    assertThat(acs.isValid(token)).isTrue();
    assertThat(match(TOKEN, second.body())).isEqualTo(token);
    assertThat(acs.issuedTokenCount(user)).isEqualTo(1);
  }

  @Test
  void deleteIdentity_deletesIt_andItsTokenIsNoLongerServed() throws Exception {
    IdentityId user = createIdentity();
    String token = match(TOKEN, send("GET", "/token?identity=" + user.value()).body());

    HttpResponse<String> deleted = send("DELETE", "/identities/" + user.value());

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(acs.deletedIdentities()).contains(user);
    assertThat(acs.isValid(token)).isFalse();
    // the cache forgot the token: the next request asks ACS, which no longer knows the identity
    assertThat(send("GET", "/token?identity=" + user.value()).statusCode()).isEqualTo(404);
  }

  @Test
  void postAcsToken_forASignedInUser_answersTheirIdentityAndAToken_fromTheCacheTheSecondTime()
      throws Exception {
    HttpResponse<String> first = send("POST", "/acs/token", "alice@example.com");
    HttpResponse<String> second = send("POST", "/acs/token", "alice@example.com");
    HttpResponse<String> bob = send("POST", "/acs/token", "bob@example.com");

    assertThat(first.statusCode()).isEqualTo(200);
    IdentityId alice = IdentityId.of(match(USER, first.body()));
    String token = match(TOKEN, first.body());
    assertThat(acs.isValid(token)).isTrue();
    assertThat(acs.tokens(alice).get(0).scopes()).containsExactlyInAnyOrder("chat", "voip");
    assertThat(match(EXPIRES, first.body()))
        .isEqualTo(acs.tokens(alice).get(0).expiresAt().toString());
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(acs.issuedTokenCount(alice)).isEqualTo(1);
    assertThat(match(USER, bob.body())).isNotEqualTo(alice.value());
  }

  @Test
  void postAcsToken_preflightFromTheFrontEnd_isAllowedByTheApplicationsCorsMapping()
      throws Exception {
    HttpResponse<String> allowed = preflight("/acs/token", FRONT_END);
    HttpResponse<String> other = preflight("/acs/token", "https://elsewhere.example");

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(FRONT_END);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void postAcsToken_withoutSignIn_is401() throws Exception {
    HttpResponse<String> response = send("POST", "/acs/token");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("\"error\":\"unauthorized\"");
  }

  @Test
  void postAcsToken_pastTheUsersRateLimit_is429WithRetryAfter() throws Exception {
    // acs.token-endpoint.rate-limit=10 per minute in application.properties: a bucket of 10 that
    // refills one every 6 s of real time, so on a slow machine an 11th request may still pass;
    // within 20 requests a 429 must come all the same
    for (int i = 0; i < 10; i++) {
      assertThat(send("POST", "/acs/token", "carol").statusCode()).isEqualTo(200);
    }

    HttpResponse<String> limited = send("POST", "/acs/token", "carol");
    for (int i = 0; i < 10 && limited.statusCode() == 200; i++) {
      limited = send("POST", "/acs/token", "carol");
    }

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void postAcsToken_withVerboseWebLogging_logsNoToken(CapturedOutput output) throws Exception {
    HttpResponse<String> response = send("POST", "/acs/token", "dave");

    String token = match(TOKEN, response.body());
    assertThat(output.getAll()).contains("/acs/token").doesNotContain(token);
  }

  @Test
  void getToken_withVerboseWebLogging_logsNoToken(CapturedOutput output) throws Exception {
    IdentityId user = createIdentity();

    HttpResponse<String> response = send("GET", "/token?identity=" + user.value());

    String token = match(TOKEN, response.body());
    assertThat(output.getAll()).contains("/token").doesNotContain(token);
  }

  @Test
  void getToken_withAnUnknownScope_isABadRequest() throws Exception {
    IdentityId user = createIdentity();

    HttpResponse<String> response = send("GET", "/token?identity=" + user.value() + "&scopes=mail");

    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void health_showsAcsUp_andMetricsShowTheCache() throws Exception {
    IdentityId user = createIdentity();
    send("GET", "/token?identity=" + user.value());

    HttpResponse<String> health = send("GET", "/actuator/health");
    HttpResponse<String> size = send("GET", "/actuator/metrics/acs.token.cache.size");
    HttpResponse<String> gets = send("GET", "/actuator/metrics/acs.token.cache.gets");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(acsStatus(health.body())).isEqualTo("UP");
    assertThat(size.statusCode()).isEqualTo(200);
    assertThat(size.body()).contains("\"acs.token.cache.size\"");
    assertThat(gets.statusCode()).isEqualTo(200);
  }

  @Test
  @DirtiesContext
  void health_whenAcsIsDown_isDown() throws Exception {
    acs.close();

    HttpResponse<String> health = send("GET", "/actuator/health");

    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(acsStatus(health.body())).isEqualTo("DOWN");
  }

  private IdentityId createIdentity() throws IOException, InterruptedException {
    HttpResponse<String> created = send("POST", "/identities");
    assertThat(created.statusCode()).isEqualTo(201);
    return IdentityId.of(match(ID, created.body()));
  }

  private HttpResponse<String> send(String method, String path)
      throws IOException, InterruptedException {
    return send(method, path, null);
  }

  /** Sends a request, signed in as {@code user} through the sample's demo sign-in when not null. */
  private HttpResponse<String> send(String method, String path, String user)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
    if (user != null) {
      request.header(DemoSignInFilter.HEADER, user);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> preflight(String path, String origin)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The status of the {@code acs} component; Boot 3 and 4 order the JSON fields differently. */
  private static String acsStatus(String health) {
    String component = match(ACS_COMPONENT, health);
    return match(STATUS, component);
  }

  private static String match(Pattern pattern, String body) {
    Matcher m = pattern.matcher(body);
    assertThat(m.find()).as("%s in %s", pattern, body).isTrue();
    return m.group(1);
  }
}
