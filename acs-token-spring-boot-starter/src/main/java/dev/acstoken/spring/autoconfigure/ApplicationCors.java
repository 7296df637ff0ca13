package dev.acstoken.spring.autoconfigure;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;

/**
 * The application's Spring MVC CORS configuration, for the token endpoint's handler mapping: the
 * global mappings of {@code WebMvcConfigurer.addCorsMappings}, exactly as Spring MVC applies them
 * to the application's controllers, read from its {@code requestMappingHandlerMapping}. Without
 * Spring MVC's configuration, or without a mapping for the path, there is none, and Spring rejects
 * a preflight as it does for any endpoint. The starter invents no CORS policy of its own.
 *
 * <p>Looked up at the first request, once the context is complete. Thread-safe.
 */
final class ApplicationCors implements CorsConfigurationSource {

  /** The bean name of Spring MVC's annotated-controller mapping (WebMvcConfigurationSupport). */
  static final String MVC_MAPPING = "requestMappingHandlerMapping";

  private final ListableBeanFactory beans;
  private volatile @Nullable CorsConfigurationSource mvc;
  private volatile boolean looked;

  ApplicationCors(ListableBeanFactory beans) {
    this.beans = beans;
  }

  @Override
  public @Nullable CorsConfiguration getCorsConfiguration(HttpServletRequest request) {
    CorsConfigurationSource source = source();
    return source == null ? null : source.getCorsConfiguration(request);
  }

  private @Nullable CorsConfigurationSource source() {
    if (!looked) {
      // a benign race: two first requests may both look; they find the same bean
      if (beans.containsBean(MVC_MAPPING)
          && beans.isTypeMatch(MVC_MAPPING, AbstractHandlerMapping.class)) {
        mvc = beans.getBean(MVC_MAPPING, AbstractHandlerMapping.class).getCorsConfigurationSource();
      }
      looked = true;
    }
    return mvc;
  }
}
