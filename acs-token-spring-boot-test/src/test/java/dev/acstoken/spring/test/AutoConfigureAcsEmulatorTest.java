package dev.acstoken.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.Fault;
import dev.acstoken.testkit.Operation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

@SpringBootTest(
    classes = TestApplication.class,
    // the application's own resource, which the emulator overrides in tests
    properties = {
      "acs.endpoint=https://contoso.communication.azure.com/",
      "acs.access-key=c2VjcmV0"
    })
@AutoConfigureAcsEmulator
class AutoConfigureAcsEmulatorTest {

  @Autowired TokenProvider tokens;
  @Autowired IdentityOperations identities;
  @Autowired AcsIdentityClient client;
  @Autowired AcsEmulator acs;
  @Autowired Environment environment;

  @Test
  void acsProperties_pointAtTheEmulator() {
    assertThat(environment.getProperty("acs.connection-string")).isEqualTo(acs.connectionString());
    assertThat(client.endpoint()).isEqualTo(acs.endpoint());
  }

  @Test
  void injectedBeans_issueTokensTheEmulatorAccepts() {
    IdentityId user = identities.createIdentity();

    AccessToken token = tokens.getToken(TokenRequest.of(user, Scope.CHAT));

    assertThat(acs.isValid(token.value())).isTrue();
    assertThat(acs.identities()).contains(user);
  }

  @Test
  void emulatorFaults_reachTheClient_andItRetriesWithoutDelay() {
    IdentityId user = identities.createIdentity();
    acs.inject(Fault.htmlOutage().on(Operation.ISSUE_TOKEN).times(1));

    AccessToken token = tokens.getToken(TokenRequest.of(user, Scope.VOIP));

    assertThat(acs.isValid(token.value())).isTrue();
  }
}
