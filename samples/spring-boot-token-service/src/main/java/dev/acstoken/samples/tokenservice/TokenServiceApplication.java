package dev.acstoken.samples.tokenservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A service that creates ACS identities and serves their tokens. Everything ACS comes from
 * acs-token-spring-boot-starter and {@code application.properties}: no configuration class.
 */
@SpringBootApplication
public class TokenServiceApplication {

  /**
   * Starts the service.
   *
   * @param args Spring Boot arguments, e.g. {@code --acs.connection-string=...}
   */
  public static void main(String[] args) {
    SpringApplication.run(TokenServiceApplication.class, args);
  }
}
