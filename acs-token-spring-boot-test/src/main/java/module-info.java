/**
 * acs-token Spring Boot test support: {@code @AutoConfigureAcsEmulator} for
 * {@code @SpringBootTest}s. Spring Boot tests run on the class path; this descriptor serves those
 * on the module path.
 */
module dev.acstoken.spring.test {
  requires transitive dev.acstoken.testkit;
  requires transitive spring.test;
  requires dev.acstoken.spring.autoconfigure;
  requires spring.context;
  requires spring.beans;
  requires spring.core;
  requires static org.jspecify;

  exports dev.acstoken.spring.test;
}
