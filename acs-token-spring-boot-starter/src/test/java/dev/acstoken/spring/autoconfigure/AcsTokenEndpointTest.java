package dev.acstoken.spring.autoconfigure;

import static dev.acstoken.spring.autoconfigure.EmulatorContexts.perform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.acstoken.core.IdentityId;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.Fault;
import dev.acstoken.testkit.IssuedToken;
import dev.acstoken.testkit.MutableClock;
import dev.acstoken.testkit.junit.AcsEmulatorExtension;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletResponse;

class AcsTokenEndpointTest {

  private static final Pattern USER = Pattern.compile("\"communicationUserId\":\"([^\"]+)\"");
  private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
  private static final Pattern EXPIRES = Pattern.compile("\"expiresOn\":\"([^\"]+)\"");

  // one clock for the emulator that issues the tokens and the cache that judges them
  private static final MutableClock clock = MutableClock.at(Instant.parse("2026-12-01T10:00:00Z"));

  // reset before each test: identities, tokens and faults
  @RegisterExtension
  static final AcsEmulatorExtension ACS =
      AcsEmulatorExtension.using(AcsEmulator.builder().clock(clock));

  private final AcsEmulator emulator = ACS.emulator();

  private final WebApplicationContextRunner runner =
      EmulatorContexts.webRunner(
              emulator,
              AcsAutoConfiguration.class,
              AcsDirectoryAutoConfiguration.class,
              AcsTokenEndpointAutoConfiguration.class)
          .withPropertyValues("acs.directory.enabled=true", "acs.token-endpoint.enabled=true")
          .withBean(DataSource.class, EmulatorContexts::h2)
          .withBean(dev.acstoken.core.TimeSource.class, () -> clock);

  private static Principal user(String name) {
    return () -> name;
  }

  @Test
  void post_withPrincipal_answersTheUsersIdentityAndToken_fromTheCacheTheSecondTime() {
    runner.run(
        context -> {
          MockHttpServletResponse first =
              perform(context, post("/acs/token").principal(user("alice")));
          MockHttpServletResponse second =
              perform(context, post("/acs/token").principal(user("alice")));

          assertThat(first.getStatus()).isEqualTo(200);
          assertThat(first.getContentType()).startsWith("application/json");
          assertThat(first.getHeader("Cache-Control")).isEqualTo("no-store");
          String body = first.getContentAsString();
          IdentityId alice = IdentityId.of(match(USER, body));
          String token = match(TOKEN, body);
          assertThat(emulator.identities()).containsExactly(alice);
          assertThat(emulator.isValid(token)).isTrue();
          assertThat(Instant.parse(match(EXPIRES, body)))
              .isEqualTo(emulator.tokens(alice).get(0).expiresAt());
          assertThat(second.getContentAsString()).isEqualTo(body);
          assertThat(emulator.issuedTokenCount(alice)).isEqualTo(1);
        });
  }

  @Test
  void post_forTwoUsers_givesEachTheirOwnIdentity() {
    runner.run(
        context -> {
          String alice =
              match(
                  USER,
                  perform(context, post("/acs/token").principal(user("alice")))
                      .getContentAsString());
          String bob =
              match(
                  USER,
                  perform(context, post("/acs/token").principal(user("bob"))).getContentAsString());

          assertThat(alice).isNotEqualTo(bob);
          assertThat(emulator.identities()).hasSize(2);
        });
  }

  @Test
  void post_whenAcsIsDown_servesAKnownUser_andAnswers503ForANewOneWithNothingWritten() {
    runner.run(
        context -> {
          String before =
              perform(context, post("/acs/token").principal(user("alice"))).getContentAsString();
          emulator.inject(Fault.htmlOutage().always());

          MockHttpServletResponse known =
              perform(context, post("/acs/token").principal(user("alice")));
          MockHttpServletResponse unknown =
              perform(context, post("/acs/token").principal(user("bob")));

          assertThat(known.getStatus()).isEqualTo(200);
          assertThat(known.getContentAsString()).isEqualTo(before);
          assertThat(unknown.getStatus()).isEqualTo(503);
          assertThat(unknown.getContentAsString()).contains("\"error\":\"acs_unavailable\"");
          assertThat(emulator.identities()).hasSize(1);
        });
  }

  @Test
  void post_whenAcsThrottles_answers503WithAcsRetryAfter() {
    runner.run(
        context -> {
          emulator.inject(Fault.throttled(Duration.ofSeconds(7)).always());

          MockHttpServletResponse response =
              perform(context, post("/acs/token").principal(user("alice")));

          assertThat(response.getStatus()).isEqualTo(503);
          assertThat(response.getContentAsString()).contains("\"error\":\"acs_throttled\"");
          assertThat(response.getHeader("Retry-After")).isEqualTo("7");
        });
  }

  @Test
  void post_whenAcsRefuses_answers502AcsErrorWithTheServiceCode() {
    runner.run(
        context -> {
          emulator.inject(
              Fault.status(403, "Forbidden", "The key is not allowed to do that.").always());

          MockHttpServletResponse response =
              perform(context, post("/acs/token").principal(user("alice")));

          assertThat(response.getStatus()).isEqualTo(502);
          assertThat(response.getContentAsString())
              .contains("\"error\":\"acs_error\"")
              .contains("Forbidden");
        });
  }

  @Test
  void everyErrorAnswer_carriesCacheControlNoStore() {
    runner
        .withPropertyValues("acs.token-endpoint.rate-limit=1")
        .run(
            context -> {
              perform(context, post("/acs/token").principal(user("carol")));
              MockHttpServletResponse limited =
                  perform(context, post("/acs/token").principal(user("carol")));
              MockHttpServletResponse anonymous = perform(context, post("/acs/token"));
              MockHttpServletResponse badName =
                  perform(context, post("/acs/token").principal(user("Alice Smith")));
              MockHttpServletResponse wrongMethod =
                  perform(context, get("/acs/token").principal(user("dave")));
              emulator.inject(Fault.htmlOutage().always());
              MockHttpServletResponse outage =
                  perform(context, post("/acs/token").principal(user("erin")));

              assertThat(limited.getStatus()).isEqualTo(429);
              assertThat(anonymous.getStatus()).isEqualTo(401);
              assertThat(badName.getStatus()).isEqualTo(400);
              assertThat(wrongMethod.getStatus()).isEqualTo(405);
              assertThat(outage.getStatus()).isEqualTo(503);
              for (MockHttpServletResponse r :
                  new MockHttpServletResponse[] {
                    limited, anonymous, badName, wrongMethod, outage
                  }) {
                assertThat(r.getHeader("Cache-Control"))
                    .as("%d", r.getStatus())
                    .isEqualTo("no-store");
              }
            });
  }

  @Test
  void post_withoutPrincipal_is401WithAJsonError() {
    runner.run(
        context -> {
          MockHttpServletResponse response = perform(context, post("/acs/token"));

          assertThat(response.getStatus()).isEqualTo(401);
          assertThat(response.getContentType()).startsWith("application/json");
          assertThat(response.getContentAsString()).contains("\"error\":\"unauthorized\"");
          assertThat(emulator.identities()).isEmpty();
        });
  }

  @Test
  void post_withAPrincipalNameThatIsNoValidAppUserId_is400WithoutTheName() {
    runner.run(
        context -> {
          MockHttpServletResponse response =
              perform(context, post("/acs/token").principal(user("Alice Smith")));

          assertThat(response.getStatus()).isEqualTo(400);
          assertThat(response.getContentAsString())
              .contains("invalid_user_id")
              .doesNotContain("Alice");
        });
  }

  @Test
  void get_is405WithAllowPost() {
    runner.run(
        context -> {
          MockHttpServletResponse response =
              perform(context, get("/acs/token").principal(user("alice")));

          assertThat(response.getStatus()).isEqualTo(405);
          assertThat(response.getHeader("Allow")).isEqualTo("POST");
        });
  }

  @Test
  void post_pastTheRateLimit_is429WithRetryAfter_untilTheUsersNextPermit() {
    runner
        .withPropertyValues("acs.token-endpoint.rate-limit=2")
        .run(
            context -> {
              assertThat(perform(context, post("/acs/token").principal(user("alice"))).getStatus())
                  .isEqualTo(200);
              assertThat(perform(context, post("/acs/token").principal(user("alice"))).getStatus())
                  .isEqualTo(200);

              MockHttpServletResponse limited =
                  perform(context, post("/acs/token").principal(user("alice")));
              MockHttpServletResponse otherUser =
                  perform(context, post("/acs/token").principal(user("bob")));

              assertThat(limited.getStatus()).isEqualTo(429);
              assertThat(limited.getHeader("Retry-After")).isEqualTo("30");
              assertThat(limited.getContentAsString())
                  .contains("\"error\":\"rate_limited\"")
                  .doesNotContain("\"token\"");
              assertThat(otherUser.getStatus()).isEqualTo(200);

              clock.advance(Duration.ofSeconds(30));
              assertThat(perform(context, post("/acs/token").principal(user("alice"))).getStatus())
                  .isEqualTo(200);
            });
  }

  @Test
  void post_withScopesAndExpiresIn_issuesTokensWithThem() {
    runner
        .withPropertyValues(
            "acs.token-endpoint.scopes=chat,voip", "acs.token-endpoint.expires-in=2h")
        .run(
            context -> {
              String body =
                  perform(context, post("/acs/token").principal(user("alice")))
                      .getContentAsString();

              IssuedToken issued = emulator.tokens(IdentityId.of(match(USER, body))).get(0);
              assertThat(issued.scopes()).containsExactlyInAnyOrder("chat", "voip");
              assertThat(Duration.between(issued.issuedAt(), issued.expiresAt()))
                  .isEqualTo(Duration.ofHours(2));
            });
  }

  @Test
  void post_onAConfiguredPath_isServedThere() {
    runner
        .withPropertyValues("acs.token-endpoint.path=/api/chat-token")
        .run(
            context -> {
              assertThat(
                      perform(context, post("/api/chat-token").principal(user("alice")))
                          .getStatus())
                  .isEqualTo(200);
              assertThat(perform(context, post("/acs/token").principal(user("alice"))).getStatus())
                  .isEqualTo(404);
            });
  }

  @Test
  void context_withAnUnknownScope_failsNamingTheProperty() {
    runner
        .withPropertyValues("acs.token-endpoint.scopes=mail")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("invalid acs.token-endpoint.scopes"));
  }

  @Test
  void context_withALifetimeOutOfRange_failsNamingTheProperty() {
    runner
        .withPropertyValues("acs.token-endpoint.expires-in=30m")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("invalid acs.token-endpoint.expires-in"));
  }

  @Test
  void context_withARateLimitOfZero_failsNamingTheProperty() {
    runner
        .withPropertyValues("acs.token-endpoint.rate-limit=0")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("invalid acs.token-endpoint.rate-limit"));
  }

  @Test
  void context_withAPathWithoutSlash_failsNamingTheProperty() {
    runner
        .withPropertyValues("acs.token-endpoint.path=acs/token")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("invalid acs.token-endpoint.path"));
  }

  @Test
  void context_withoutADirectory_failsSayingWhatToSet() {
    runner
        .withPropertyValues("acs.directory.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("acs.directory.enabled=true"));
  }

  @Test
  void context_withoutTokenEndpointEnabled_hasNoEndpoint() {
    runner
        .withPropertyValues("acs.token-endpoint.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TokenEndpoint.class));
  }

  @Test
  void context_thatIsNoWebApplication_hasNoEndpoint() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AcsTokenEndpointAutoConfiguration.class))
        .withPropertyValues("acs.token-endpoint.enabled=true")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TokenEndpoint.class));
  }

  @Test
  void json_escapesQuotesBackslashesAndControlCharacters() {
    assertThat(TokenEndpoint.json(new java.util.LinkedHashMap<>(java.util.Map.of("a", "x\"\\\n"))))
        .isEqualTo("{\"a\":\"x\\\"\\\\\\u000a\"}");
  }

  private static String match(Pattern pattern, String body) {
    Matcher m = pattern.matcher(body);
    assertThat(m.find()).as("%s in %s", pattern, body).isTrue();
    return m.group(1);
  }
}
