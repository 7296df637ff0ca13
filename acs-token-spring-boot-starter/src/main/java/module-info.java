/**
 * acs-token Spring Boot starter: auto-configuration of the client, the token cache, the
 * cache-invalidating identity operations, the cache's meters, the {@code acs} health indicator and
 * the optional Redis tier, identity directory and token endpoint, from {@code acs.*} properties.
 *
 * <p>Spring Boot applications run on the class path; this descriptor serves those on the module
 * path. Actuator (Boot 3 or 4), Micrometer, the Redis tier, the JDBC identity directory and Spring
 * MVC (for the token endpoint) are optional.
 */
module dev.acstoken.spring.autoconfigure {
  requires transitive dev.acstoken.core;
  requires transitive dev.acstoken.cache;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.boot;
  requires transitive spring.context;
  requires transitive spring.beans;
  requires spring.core;
  requires static org.jspecify;
  requires static spring.boot.actuator;
  requires static spring.boot.health;
  requires static micrometer.core;
  requires static dev.acstoken.cache.redis;
  requires static dev.acstoken.directory.jdbc;
  requires static java.sql;
  requires static spring.web;
  requires static spring.webmvc;
  requires static jakarta.servlet;

  exports dev.acstoken.spring.autoconfigure;

  // Spring reads the configuration classes and calls their package-private bean methods
  opens dev.acstoken.spring.autoconfigure to
      spring.core,
      spring.beans,
      spring.context;
}
