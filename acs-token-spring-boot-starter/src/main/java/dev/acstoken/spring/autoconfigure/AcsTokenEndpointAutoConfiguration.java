package dev.acstoken.spring.autoconfigure;

import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenProvider;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * The token endpoint from {@code acs.token-endpoint.*}: with {@code
 * acs.token-endpoint.enabled=true} in a servlet web application (Spring MVC), {@code POST
 * /acs/token} (or {@code acs.token-endpoint.path}) gives the authenticated user a token for their
 * own ACS identity. See the endpoint's answers in the README.
 *
 * <p>It needs an {@code IdentityDirectory} bean ({@code acs.directory.enabled=true}, or the
 * application's own) and a {@code TokenProvider} (the starter's cache). Authentication is the
 * application's: the endpoint reads {@code HttpServletRequest.getUserPrincipal()}, which Spring
 * Security and servlet containers set; no security library is required. The endpoint is a handler
 * mapping of its own, ordered before the annotated controllers, so that it works whatever JSON
 * library the application uses.
 *
 * <p>CORS: the endpoint follows the application's Spring MVC CORS configuration ({@code
 * WebMvcConfigurer.addCorsMappings}) as the application's controllers do, and has no policy of its
 * own: a preflight for its path succeeds where the application maps CORS for it and is rejected
 * (403) where it does not. CORS filters (Spring Security's {@code cors()}, a {@code CorsFilter})
 * run before any handler and apply as they do everywhere.
 */
@AutoConfiguration(after = {AcsAutoConfiguration.class, AcsDirectoryAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(
    name = {
      "org.springframework.web.servlet.DispatcherServlet",
      "jakarta.servlet.http.HttpServletRequest"
    })
@ConditionalOnProperty(prefix = "acs.token-endpoint", name = "enabled", havingValue = "true")
public class AcsTokenEndpointAutoConfiguration {

  /** Users tracked by the rate limiter before those idle for a minute are dropped. */
  static final int RATE_LIMITER_USERS = 100_000;

  /** Creates the configuration; Spring does. */
  public AcsTokenEndpointAutoConfiguration() {}

  /**
   * The endpoint's handler.
   *
   * @param directory the identity directory
   * @param tokens the token provider (the cache)
   * @param timeSource a time source of the application's, else the system's
   * @param properties the acs.token-endpoint.* properties
   * @return the handler
   * @throws IllegalStateException when there is no directory or no token provider
   * @throws IllegalArgumentException naming the property that is invalid
   */
  @Bean
  @ConditionalOnMissingBean(name = "acsTokenEndpoint")
  TokenEndpoint acsTokenEndpoint(
      ObjectProvider<IdentityDirectory> directory,
      ObjectProvider<TokenProvider> tokens,
      ObjectProvider<TimeSource> timeSource,
      AcsProperties properties) {
    AcsProperties.TokenEndpoint p = properties.getTokenEndpoint();
    IdentityDirectory d = directory.getIfUnique();
    if (d == null) {
      throw new IllegalStateException(
          "acs.token-endpoint.enabled=true needs an IdentityDirectory bean: set"
              + " acs.directory.enabled=true (with dev.acstoken:acs-token-directory-jdbc and a"
              + " DataSource), or define one");
    }
    TokenProvider t = tokens.getIfUnique();
    if (t == null) {
      throw new IllegalStateException(
          "acs.token-endpoint.enabled=true needs one TokenProvider bean (or a @Primary one)");
    }
    TokenSpec spec = TokenSpec.of(p.getScopes(), p.getExpiresIn());
    PerUserRateLimiter[] limiter = {null};
    Settings.check(
        "acs.token-endpoint.rate-limit",
        () ->
            limiter[0] =
                new PerUserRateLimiter(
                    p.getRateLimit(),
                    RATE_LIMITER_USERS,
                    timeSource.getIfUnique(TimeSource::system)));
    return new TokenEndpoint(d, t, spec, limiter[0]);
  }

  /**
   * Maps {@code acs.token-endpoint.path} to the handler.
   *
   * @param endpoint the handler
   * @param properties the acs.token-endpoint.* properties
   * @param beans the context, where the application's Spring MVC CORS configuration is found
   * @return the mapping, which the DispatcherServlet finds among the context's handler mappings
   * @throws IllegalArgumentException when the path does not start with /
   */
  @Bean
  @ConditionalOnMissingBean(name = "acsTokenEndpointHandlerMapping")
  SimpleUrlHandlerMapping acsTokenEndpointHandlerMapping(
      TokenEndpoint endpoint, AcsProperties properties, ListableBeanFactory beans) {
    String path = properties.getTokenEndpoint().getPath();
    if (path == null || !path.startsWith("/") || path.contains("*") || path.contains("{")) {
      throw new IllegalArgumentException(
          "invalid acs.token-endpoint.path: must be a plain path starting with /, e.g. /acs/token;"
              + " was "
              + path);
    }
    // before the annotated controllers (order 0), so that no controller mapping of the
    // application shadows it by accident
    SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(Map.of(path, endpoint), -10);
    // a handler mapping of its own gets none of the global CORS mappings Spring MVC hands to its
    // own mappings: without this, a browser's preflight was refused whatever the application allows
    mapping.setCorsConfigurationSource(new ApplicationCors(beans));
    return mapping;
  }
}
