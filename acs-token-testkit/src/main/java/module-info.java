/**
 * acs-token testkit: an in-memory fake and an HTTPS emulator of the ACS Identity service (one
 * engine, two faces), a mutable clock and a manual scheduler. No test framework: the JUnit 5
 * extension and the contract suite are in the {@code acs-token-testkit-junit5} artifact.
 *
 * <p>Exports only the API package; the standalone launcher's package is not exported.
 */
module dev.acstoken.testkit {
  requires transitive dev.acstoken.core;
  requires transitive org.jspecify;
  requires transitive com.azure.core;
  requires transitive com.azure.communication.identity;
  requires com.azure.communication.common;
  requires com.azure.core.http.jdk.httpclient;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.core;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;

  exports dev.acstoken.testkit;
}
