package dev.acstoken.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.communication.identity.CommunicationIdentityClientBuilder;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.core.azure.ConnectionString;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@AcsEmulatorTest(mutableClock = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcsEmulatorTestAnnotationTest {

  @Test
  @Order(1)
  void injects_everyParameterType(
      AcsEmulator emulator,
      ConnectionString connectionString,
      @EmulatorConnectionString String raw,
      CommunicationIdentityClientBuilder sdkBuilder,
      AcsIdentityClient.Builder coreBuilder,
      TokenProvider provider,
      IdentityOperations operations,
      AcsIdentityClient client,
      MutableClock clock) {
    assertThat(emulator.isRunning()).isTrue();
    assertThat(connectionString.endpoint().getPort()).isEqualTo(emulator.port());
    assertThat(raw).isEqualTo(emulator.connectionString());
    assertThat(raw).startsWith("endpoint=https://127.0.0.1:" + emulator.port() + "/;accesskey=");
    assertThat(provider).isSameAs(operations).isSameAs(client);
    assertThat(sdkBuilder.buildClient().createUser()).isNotNull();
    assertThat(coreBuilder.build().createIdentity()).isNotNull();
    assertThat(emulator.clock()).isSameAs(clock);
  }

  @Test
  @Order(2)
  void resetsBetweenTests(AcsEmulator emulator) {
    assertThat(emulator.identities()).isEmpty();
    assertThat(emulator.requests()).isEmpty();
  }

  @Test
  @Order(3)
  void readyProvider_issuesTokensThatExpireWithTheClock(
      TokenProvider provider, IdentityOperations ops, AcsEmulator emulator, MutableClock clock) {
    IdentityId id = ops.createIdentity();
    AccessToken token = provider.getToken(TokenRequest.of(id, Scope.VOIP));

    clock.advance(Duration.ofDays(1));

    assertThat(emulator.isValid(token.value())).isFalse();
  }

  @Nested
  class Inner {
    @Test
    void nestedClass_sharesTheOuterEmulator(AcsEmulator emulator) {
      assertThat(emulator.isRunning()).isTrue();
    }
  }
}
