package dev.acstoken.spring.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application with nothing but auto-configuration, as a service with only the starter. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {}
