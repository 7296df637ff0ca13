/**
 * Spring Boot test support for acs-token: {@link dev.acstoken.spring.test.AutoConfigureAcsEmulator}
 * runs a {@code @SpringBootTest} against an ACS emulator.
 */
@NullMarked
package dev.acstoken.spring.test;

import org.jspecify.annotations.NullMarked;
