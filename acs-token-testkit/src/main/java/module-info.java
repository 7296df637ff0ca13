/**
 * acs-token testkit: an in-memory fake and an HTTPS emulator of the ACS Identity service (one
 * engine, two faces), a JUnit 5 extension and a contract suite.
 *
 * <p>Exports only the API packages; the standalone launcher's package is not exported.
 */
module dev.acstoken.testkit {
  requires transitive dev.acstoken.core;
  requires transitive org.jspecify;
  requires transitive com.azure.core;
  requires transitive com.azure.communication.identity;
  requires transitive org.junit.jupiter.api;
  requires com.azure.communication.common;
  requires com.azure.core.http.jdk.httpclient;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.core;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires org.assertj.core;

  exports dev.acstoken.testkit;
  exports dev.acstoken.testkit.junit;
  exports dev.acstoken.testkit.contract;
}
