/**
 * acs-token testkit for JUnit 5: an extension and an annotation that run the testkit's ACS emulator
 * for a test class, and the contract suite of core's {@code TokenProvider} and {@code
 * IdentityOperations}.
 *
 * <p>JUnit is not brought by this module: it reads the test run's own JUnit Jupiter (5.11 or
 * newer).
 */
module dev.acstoken.testkit.jupiter {
  requires transitive dev.acstoken.testkit;
  requires transitive dev.acstoken.core;
  requires transitive org.jspecify;
  requires transitive org.junit.jupiter.api;
  requires transitive com.azure.communication.identity;
  requires transitive com.azure.core;
  requires org.assertj.core;

  exports dev.acstoken.testkit.junit;
  exports dev.acstoken.testkit.contract;
}
