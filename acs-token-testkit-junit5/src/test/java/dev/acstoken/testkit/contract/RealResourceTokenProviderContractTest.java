package dev.acstoken.testkit.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.azure.AcsIdentityClient;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract against a real ACS resource, when {@code ACS_CONNECTION_STRING} names one; skipped
 * (and reported as skipped) otherwise.
 */
class RealResourceTokenProviderContractTest extends TokenProviderContract {

  private static volatile AcsIdentityClient client;

  @BeforeEach
  void connect() {
    // per test, so that every test is reported as skipped without a resource
    String cs = System.getenv("ACS_CONNECTION_STRING");
    assumeTrue(cs != null && !cs.isBlank(), "ACS_CONNECTION_STRING is not set: no real resource");
    if (client == null) {
      client = AcsIdentityClient.create(cs);
    }
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
