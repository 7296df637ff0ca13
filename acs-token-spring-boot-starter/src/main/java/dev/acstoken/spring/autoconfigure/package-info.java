/**
 * Spring Boot auto-configuration of acs-token. Add {@code
 * dev.acstoken:acs-token-spring-boot-starter}, set {@code acs.connection-string} (or {@code
 * acs.endpoint} with {@code acs.access-key}), and inject {@link dev.acstoken.core.TokenProvider}
 * (the cache) and {@link dev.acstoken.core.IdentityOperations} (revoke and delete invalidate the
 * cache). Options: {@link dev.acstoken.spring.autoconfigure.AcsProperties}.
 */
@NullMarked
package dev.acstoken.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
