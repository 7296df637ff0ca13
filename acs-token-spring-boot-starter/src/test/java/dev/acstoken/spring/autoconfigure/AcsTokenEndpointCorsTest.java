package dev.acstoken.spring.autoconfigure;

import static dev.acstoken.spring.autoconfigure.EmulatorContexts.perform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.junit.AcsEmulatorExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A browser application on another origin calls the token endpoint: the application's own Spring
 * MVC CORS configuration decides, as it does for the application's controllers.
 */
class AcsTokenEndpointCorsTest {

  private static final String APP = "https://app.example";

  @RegisterExtension static final AcsEmulatorExtension ACS = AcsEmulatorExtension.create();

  private final AcsEmulator emulator = ACS.emulator();

  private final WebApplicationContextRunner runner =
      EmulatorContexts.webRunner(
              emulator,
              AcsAutoConfiguration.class,
              AcsDirectoryAutoConfiguration.class,
              AcsTokenEndpointAutoConfiguration.class)
          .withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class))
          .withPropertyValues("acs.directory.enabled=true", "acs.token-endpoint.enabled=true")
          .withBean(DataSource.class, EmulatorContexts::h2)
          .withUserConfiguration(OtherEndpoint.class);

  /** An endpoint of the application's own, to compare the token endpoint with. */
  @RestController
  static class OtherEndpoint {
    @PostMapping("/api/orders")
    String order() {
      return "ok";
    }
  }

  /** The application's CORS policy: its browser front end may POST to its APIs. */
  @Configuration(proxyBeanMethods = false)
  static class AppCors implements WebMvcConfigurer {
    @Override
    public void addCorsMappings(CorsRegistry registry) {
      registry.addMapping("/**").allowedOrigins(APP).allowedMethods("POST");
    }
  }

  private static RequestBuilder preflight(String path, String origin) {
    return options(path)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type");
  }

  @Test
  void preflight_withTheApplicationsCorsMapping_isAllowed() {
    runner
        .withUserConfiguration(AppCors.class)
        .run(
            context -> {
              MockHttpServletResponse response = perform(context, preflight("/acs/token", APP));

              assertThat(response.getStatus()).isEqualTo(200);
              assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo(APP);
              assertThat(response.getHeader("Access-Control-Allow-Methods")).contains("POST");
              assertThat(response.getContentAsString()).isEmpty();
              assertThat(emulator.requests()).isEmpty();
            });
  }

  @Test
  void post_fromAnAllowedOrigin_carriesTheCorsHeaders() {
    runner
        .withUserConfiguration(AppCors.class)
        .run(
            context -> {
              MockHttpServletResponse response =
                  perform(
                      context, post("/acs/token").header("Origin", APP).principal(() -> "alice"));

              assertThat(response.getStatus()).isEqualTo(200);
              assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo(APP);
              assertThat(response.getContentAsString()).contains("\"token\"");
            });
  }

  @Test
  void preflightAndPost_fromAnotherOrigin_areRejectedLikeTheApplicationsOwnEndpoints() {
    runner
        .withUserConfiguration(AppCors.class)
        .run(
            context -> {
              String evil = "https://evil.example";
              MockHttpServletResponse preflight = perform(context, preflight("/acs/token", evil));
              MockHttpServletResponse post =
                  perform(
                      context, post("/acs/token").header("Origin", evil).principal(() -> "alice"));

              assertThat(preflight.getStatus())
                  .isEqualTo(403)
                  .isEqualTo(perform(context, preflight("/api/orders", evil)).getStatus());
              assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isNull();
              assertThat(post.getStatus()).isEqualTo(403);
              assertThat(post.getContentAsString()).doesNotContain("\"token\"");
              assertThat(emulator.identities()).isEmpty();
            });
  }

  @Test
  void preflight_withoutACorsMapping_isRejectedLikeTheApplicationsOwnEndpoints() {
    runner.run(
        context -> {
          MockHttpServletResponse endpoint = perform(context, preflight("/acs/token", APP));
          MockHttpServletResponse own = perform(context, preflight("/api/orders", APP));

          assertThat(own.getStatus()).isEqualTo(403);
          assertThat(endpoint.getStatus()).isEqualTo(own.getStatus());
          assertThat(endpoint.getHeader("Access-Control-Allow-Origin")).isNull();
        });
  }

  @Test
  void options_thatIsNoPreflight_stillAnswers405WithAllow() {
    runner
        .withUserConfiguration(AppCors.class)
        .run(
            context -> {
              MockHttpServletResponse response = perform(context, options("/acs/token"));

              assertThat(response.getStatus()).isEqualTo(405);
              assertThat(response.getHeader("Allow")).isEqualTo("POST");
            });
  }
}
