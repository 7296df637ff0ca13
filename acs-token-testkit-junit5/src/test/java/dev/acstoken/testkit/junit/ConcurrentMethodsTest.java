package dev.acstoken.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.AcsEmulator;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Tests of one class running at the same time share its emulator, and no reset hits them. */
@AcsEmulatorTest
@Execution(ExecutionMode.CONCURRENT)
class ConcurrentMethodsTest {

  @RepeatedTest(8)
  void concurrentTests_keepTheirOwnState(
      TokenProvider tokens, IdentityOperations ops, AcsEmulator emulator) {
    IdentityId mine = ops.createIdentity();
    AccessToken token = tokens.getToken(TokenRequest.of(mine, Scope.CHAT));

    assertThat(emulator.identities()).contains(mine);
    assertThat(emulator.isValid(token.value())).isTrue();
    assertThat(emulator.issuedTokenCount(mine)).isEqualTo(1);
  }
}
