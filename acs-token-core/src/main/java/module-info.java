/**
 * acs-token core: the {@link dev.acstoken.core.TokenProvider} role, the identity operations, the
 * values and errors of the library, and one implementation over the Azure Communication Identity
 * SDK.
 */
module dev.acstoken.core {
  requires transitive org.jspecify;
  requires org.slf4j;
  requires com.azure.communication.identity;
  requires com.azure.communication.common;
  requires transitive com.azure.core;
  requires com.azure.json;
  requires com.azure.core.http.jdk.httpclient;

  exports dev.acstoken.core;
  exports dev.acstoken.core.error;
  exports dev.acstoken.core.azure;
}
