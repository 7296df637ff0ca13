package dev.acstoken.spring.autoconfigure;

import dev.acstoken.core.azure.AcsIdentityClient;

/**
 * Changes the builder of the auto-configured {@link AcsIdentityClient} after the {@code acs.*}
 * properties were applied, e.g. to hand it an Azure {@code HttpClient} or retry options. Every bean
 * of this type runs, in {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface AcsIdentityClientBuilderCustomizer {

  /**
   * Customizes the builder.
   *
   * @param builder the client's builder, with the properties applied
   */
  void customize(AcsIdentityClient.Builder builder);
}
