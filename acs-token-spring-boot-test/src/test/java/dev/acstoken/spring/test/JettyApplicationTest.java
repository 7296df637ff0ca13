package dev.acstoken.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.AcsEmulator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.jetty.JettyWebServer;
import org.springframework.context.ApplicationContext;

/** A Jetty 12 web application and the emulator's Jetty 12 in one JVM, with no exclusions. */
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureAcsEmulator
class JettyApplicationTest {

  @Autowired ApplicationContext context;
  @Autowired TokenProvider tokens;
  @Autowired IdentityOperations identities;
  @Autowired AcsEmulator acs;

  @Test
  void jettyApplication_startsBesideTheEmulator_andServesTokens() {
    assertThat(((WebServerApplicationContext) context).getWebServer())
        .isInstanceOf(JettyWebServer.class);
    assertThat(((WebServerApplicationContext) context).getWebServer().getPort())
        .isPositive()
        .isNotEqualTo(acs.port());

    IdentityId user = identities.createIdentity();
    assertThat(acs.isValid(tokens.getToken(TokenRequest.of(user, Scope.VOIP)).value())).isTrue();
  }
}
