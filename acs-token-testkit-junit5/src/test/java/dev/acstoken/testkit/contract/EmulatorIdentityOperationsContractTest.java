package dev.acstoken.testkit.contract;

import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.testkit.junit.AcsEmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The identity-operations contract against core's SDK-backed client talking to the emulator. */
class EmulatorIdentityOperationsContractTest extends IdentityOperationsContract {

  @RegisterExtension static final AcsEmulatorExtension ACS = AcsEmulatorExtension.create();

  private AcsIdentityClient client;

  @BeforeEach
  void connect() {
    client = ACS.emulator().acsIdentityClientBuilder().build();
  }

  @Override
  protected TokenProvider tokenProvider() {
    return client;
  }

  @Override
  protected IdentityOperations identityOperations() {
    return client;
  }
}
